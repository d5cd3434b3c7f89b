import path from 'node:path';
import picomatch from 'picomatch';
import { ShoalError } from '../common/index.js';
import type { FileStatus, FileSystem, IoOptions } from './file-system.js';
import { ListingCache, type ListingCacheOptions, type ListingScope } from './listing-cache.js';
import { LocalFileSystem } from './local-fs.js';

const URL_SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/** The scheme of a location: `file` for plain paths and file:// URLs, else the URL scheme in lower case. */
export function schemeOf(location: string): string {
  const m = URL_SCHEME.exec(location);
  return m === null ? 'file' : m[1]!.toLowerCase();
}

/**
 * Resolves a location as written in a catalog file or a query: URLs stay as they are; `file://` URLs become
 * paths; relative paths resolve against `baseDir`.
 */
export function resolveLocation(location: string, baseDir: string): string {
  const scheme = schemeOf(location);
  if (scheme === 'file') {
    const p = location.startsWith('file://') ? decodeURIComponent(new URL(location).pathname) : location;
    return path.resolve(baseDir, p);
  }
  return location;
}

const GLOB_CHARS = /[*?[{]/;

export function hasGlob(location: string): boolean {
  return GLOB_CHARS.test(location);
}

/** Hidden and marker files that engines skip in table directories (`.crc`, `_SUCCESS`, `_committed_…`). */
export function isHiddenFile(location: string, root: string): boolean {
  const rel = location.slice(root.length).split('/').filter((s) => s !== '');
  return rel.some((seg) => seg.startsWith('.') || seg.startsWith('_'));
}

/** Options of FileSystems.expand: the query's listings, so that it sees one version of every location. */
export interface ExpandOptions extends IoOptions {
  readonly listing?: ListingScope | undefined;
}

/** File systems by scheme. Local disk is always there; object stores register themselves. */
export class FileSystems {
  private readonly byScheme = new Map<string, FileSystem>();
  /** Directory and prefix listings kept between queries (see listing-cache.ts). */
  readonly listings: ListingCache;

  constructor(systems: readonly FileSystem[] = [new LocalFileSystem()], o: { listingCache?: ListingCacheOptions } = {}) {
    for (const fs of systems) this.byScheme.set(fs.scheme, fs);
    this.listings = new ListingCache(o.listingCache);
  }

  register(fs: FileSystem): void {
    this.byScheme.set(fs.scheme, fs);
  }

  for(location: string): FileSystem {
    const scheme = schemeOf(location);
    const fs = this.byScheme.get(scheme);
    if (fs === undefined) {
      throw new ShoalError('NOT_SUPPORTED', `No file system for '${scheme}://' locations in this version of Shoal`, {
        location,
        hint: 'Supported here: local paths',
      });
    }
    return fs;
  }

  /**
   * The data files a location names: a file; every non-hidden file under a directory; or the files matching a
   * glob (`*` within a segment, `**` across segments). Sorted by location. Throws FILE_NOT_FOUND naming the
   * location when nothing matches.
   */
  async expand(location: string, o?: ExpandOptions): Promise<readonly FileStatus[]> {
    const scope = o?.listing;
    if (scope === undefined) return this.expandNow(location, this.listings.defaultMaxAgeMs, o);
    return scope.pin(location, () => this.expandNow(location, scope.maxAgeMs, o));
  }

  /** Listings younger than maxAgeMs come from the listing cache; single files are always stat-ed. */
  private async expandNow(location: string, maxAgeMs: number, o?: IoOptions): Promise<FileStatus[]> {
    const fs = this.for(location);
    const isDirectory = async (p: string): Promise<boolean> => this.listings.knownDirectory(fs, p, maxAgeMs) ?? fs.isDirectory(p, o);
    if (hasGlob(location)) {
      const firstGlob = location.search(GLOB_CHARS);
      const root = location.slice(0, location.lastIndexOf('/', firstGlob) + 1);
      const matcher = picomatch(location, { dot: false });
      const out: FileStatus[] = [];
      if (await isDirectory(root)) {
        for await (const f of this.listings.list(fs, root, maxAgeMs, o)) if (matcher(f.location)) out.push(f);
      }
      if (out.length === 0) {
        throw new ShoalError('FILE_NOT_FOUND', `No files match ${location}`, { location });
      }
      return out;
    }
    if (await isDirectory(location)) {
      const out: FileStatus[] = [];
      const root = location.endsWith('/') ? location : `${location}/`;
      for await (const f of this.listings.list(fs, location, maxAgeMs, o)) if (!isHiddenFile(f.location, root)) out.push(f);
      return out;
    }
    return [await fs.stat(location, o)];
  }

  /** Forgets kept listings that may include `location` (call after writing there). */
  invalidateListings(location: string): void {
    this.listings.invalidate(this.for(location), location);
  }
}
