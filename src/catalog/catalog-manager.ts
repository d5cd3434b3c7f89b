import { readdir, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { ShoalError, didYouMean } from '../common/index.js';
import { ParquetDecoderPool } from '../formats/index.js';
import type { FileSystems } from '../fs/index.js';
import type { EvalContext } from '../expr/index.js';
import type { Catalog } from './catalog.js';
import { catalogBaseDir, parseCatalogSettings } from './catalog-file.js';
import { FileCatalog } from './file-catalog.js';
import { MemoryCatalog } from './memory-catalog.js';
import { MetadataCache } from './metadata-cache.js';

const CATALOG_NAME = /^[a-z_][a-z0-9_]*$/;

/** Every catalog of a Shoal instance: the file catalogs of a catalog directory, plus `memory`. */
/** Which catalogs a server user may use (shoal serve --catalog-access); absent: all of them. */
export interface CatalogAccess {
  readonly user: string;
  /** Lower-case catalog names. */
  readonly catalogs: ReadonlySet<string>;
}

export class CatalogManager {
  private readonly catalogs = new Map<string, Catalog>();
  readonly metadata = new MetadataCache();
  /** One decoder worker per core by default: scans read ahead, so row groups decode in parallel with the query's work. */
  readonly decoderPool: ParquetDecoderPool;

  private constructor(decoderWorkers: number | undefined) {
    this.decoderPool = new ParquetDecoderPool({ workers: Math.max(1, decoderWorkers ?? Math.min(4, availableParallelism())) });
  }

  /**
   * Loads `<dir>/<name>.json` settings and `<dir>/<name>/` folders. A missing directory gives only `memory`;
   * a directory that exists but is unreadable is an error.
   */
  static async load(catalogDir: string | undefined, fs: FileSystems, ctx: EvalContext, o: { readonly decoderWorkers?: number | undefined } = {}): Promise<CatalogManager> {
    const m = new CatalogManager(o.decoderWorkers);
    m.catalogs.set('memory', new MemoryCatalog());
    if (catalogDir === undefined) return m;
    const dir = path.resolve(catalogDir);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      throw new ShoalError('FILE_NOT_FOUND', `Catalog directory ${dir} does not exist or cannot be read`, {
        location: dir,
        hint: 'Pass --catalog-dir DIR pointing at a folder of <catalog>.json files and <catalog>/<schema>/<table>.json files',
        cause: e,
      });
    }
    const names = new Set<string>();
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      if (e.isDirectory()) names.add(e.name);
      else if (e.isFile() && e.name.endsWith('.json')) names.add(e.name.slice(0, -5));
    }
    const baseDir = catalogBaseDir(dir);
    for (const raw of [...names].sort()) {
      const name = raw.toLowerCase();
      if (!CATALOG_NAME.test(name)) continue;
      const settingsFile = path.join(dir, `${raw}.json`);
      const text = await readFile(settingsFile, 'utf8').catch(() => '{}');
      const settings = parseCatalogSettings(text, settingsFile, baseDir);
      // Each catalog reads through file systems configured by its own storage settings (over the engine's).
      const catalogFs = fs.withStorage(settings.storage);
      m.catalogs.set(name, new FileCatalog(name, path.join(dir, raw), baseDir, settings, { fs: catalogFs, metadata: m.metadata, ctx, decoderPool: m.decoderPool }));
    }
    return m;
  }

  names(): string[] {
    return [...this.catalogs.keys()].sort();
  }

  /** Every file catalog's own roots (FileCatalog.ownRoots), deduplicated: the default reach of a server's queries. */
  ownRoots(): string[] {
    const out = new Set<string>();
    for (const c of this.catalogs.values()) if (c instanceof FileCatalog) for (const r of c.ownRoots) out.add(r);
    return [...out];
  }

  get(name: string): Catalog | undefined {
    return this.catalogs.get(name.toLowerCase());
  }

  /** The catalog names `access` lets its user see (all when undefined). */
  visibleNames(access: CatalogAccess | undefined): string[] {
    return this.names().filter((n) => access === undefined || access.catalogs.has(n));
  }

  /**
   * The catalog for a user's statement: undefined when no catalog of that name exists, PERMISSION_DENIED when it
   * exists but `access` excludes it (SHOW CATALOGS already hides it; the error says whom to ask).
   */
  getFor(name: string, access: CatalogAccess | undefined): Catalog | undefined {
    const c = this.get(name);
    if (c === undefined || access === undefined || access.catalogs.has(name.toLowerCase())) return c;
    throw new ShoalError('PERMISSION_DENIED', `Access denied: user '${access.user}' may not use catalog '${name.toLowerCase()}'`, {
      hint: `Catalogs open to this user: ${[...access.catalogs].sort().join(', ') || '(none)'}; the server's --catalog-access file grants more`,
    });
  }

  require(name: string): Catalog {
    const c = this.get(name);
    if (c === undefined) {
      throw new ShoalError('CATALOG_NOT_FOUND', `Catalog '${name}' does not exist`, { hint: didYouMean(name, this.names()) ?? `Catalogs: ${this.names().join(', ')}` });
    }
    return c;
  }
}
