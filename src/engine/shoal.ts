import { availableParallelism } from 'node:os';
import path from 'node:path';
import { CatalogManager } from '../catalog/index.js';
import { AllowedRoots, FileSystems, type StorageSettings } from '../fs/index.js';
import { builtinFunctions, type FunctionRegistry } from '../functions/index.js';
import { defaultSpillPath } from '../physical/index.js';
import { tuneHeapGrowth } from './heap-tuning.js';
import { parseSessionProperty } from './session-properties.js';
import { Session, type SessionOptions } from './session.js';

export interface ShoalOptions {
  /** Folder of catalog files (DESIGN §4); without it only the `memory` catalog exists. */
  readonly catalogDir?: string | undefined;
  /** Relative paths in queries resolve against this folder (default: the process's working directory). */
  readonly cwd?: string | undefined;
  /**
   * Storage settings for locations in queries (`FROM 's3://b/k.parquet'`) and the defaults under every catalog's
   * own (catalog/<name>.json); unset keys come from the environment (AWS_* variables, shared files).
   */
  readonly storage?: StorageSettings | undefined;
  /**
   * The folders and URL prefixes that paths named in queries may read and write (read_parquet('…'), FROM '…',
   * UNLOAD TO, CTAS external_location); relative ones resolve against `cwd`. Absent: unrestricted (a local user
   * may read what they can read anyway). Catalog tables are governed by their catalog's allowed_roots instead.
   * 'catalogs' (the `shoal serve` default): the union of every file catalog's allowed_roots, or for a catalog
   * without them its base folder (the one holding the catalog directory) and its warehouse.
   */
  readonly allowedRoots?: readonly string[] | 'catalogs' | undefined;
  /**
   * The per-query memory limit every session starts with and may not exceed (a data size such as '4GB', or bytes;
   * session property query_max_memory, which a session may lower). Default: query_max_memory's default, 2GB.
   */
  readonly maxQueryMemory?: string | number | undefined;
  /** The folder under which queries make their spill directories (default: the OS temp folder). */
  readonly spillPath?: string | undefined;
  /**
   * Worker threads a query's scans, filters, projections and partial aggregations run on (default: one less than
   * the number of cores, at least 1, see defaultThreads); 1 runs everything on the calling thread. The session
   * property task_concurrency overrides it per session.
   */
  readonly threads?: number | undefined;
  /** Parquet decoder worker threads (default: the number of cores, at most 4). */
  readonly decoderThreads?: number | undefined;
  /**
   * Whether opening the engine sets V8's heap growth for query workloads (engine/heap-tuning.ts; default true).
   * false leaves the process's GC settings alone, for applications that embed Shoal and tune their own.
   */
  readonly heapTuning?: boolean | undefined;
}

/** Engine-wide settings resolved at open. */
export interface EngineSettings {
  /** query_max_memory for new sessions, validated; undefined: the property's default. */
  readonly maxQueryMemory: string | undefined;
  readonly spillPath: string;
}

/**
 * An embedded Shoal engine: catalogs, file systems and functions, shared by its sessions.
 *
 *   const shoal = await Shoal.open({ catalogDir: 'catalog' });
 *   const session = shoal.session({ catalog: 'lake', schema: 'nyc' });
 *   const rows = await (await session.query('SELECT 1')).toArray();
 */
export class Shoal {
  private constructor(
    readonly catalogs: CatalogManager,
    readonly functions: FunctionRegistry,
    readonly fs: FileSystems,
    readonly cwd: string,
    readonly pathRoots: AllowedRoots | undefined,
    readonly settings: EngineSettings,
    /** What the engine was opened with: fragment workers open the same engine (engine/parallel). */
    readonly options: ShoalOptions,
    readonly threads: number,
  ) {}

  static async open(o: ShoalOptions = {}): Promise<Shoal> {
    if (o.heapTuning !== false) tuneHeapGrowth();
    const fs = FileSystems.standard(o.storage);
    const functions = builtinFunctions();
    const cwd = path.resolve(o.cwd ?? process.cwd());
    const catalogs = await CatalogManager.load(o.catalogDir === undefined ? undefined : path.resolve(cwd, o.catalogDir), fs, { timeZone: 'UTC', queryStartMicros: 0n }, { decoderWorkers: o.decoderThreads });
    const roots = o.allowedRoots === 'catalogs' ? catalogs.ownRoots() : o.allowedRoots;
    const pathRoots = roots === undefined ? undefined : await AllowedRoots.of(roots, cwd);
    const maxQueryMemory = o.maxQueryMemory === undefined ? undefined
      : parseSessionProperty('query_max_memory', typeof o.maxQueryMemory === 'number' ? `${o.maxQueryMemory}B` : o.maxQueryMemory);
    const spillPath = o.spillPath === undefined ? defaultSpillPath() : path.resolve(cwd, o.spillPath);
    const threads = Math.max(1, Math.min(64, Math.floor(o.threads ?? defaultThreads())));
    return new Shoal(catalogs, functions, fs, cwd, pathRoots, { maxQueryMemory, spillPath }, { ...o, cwd }, threads);
  }

  session(o: SessionOptions = {}): Session {
    return new Session(this, o);
  }
}

/**
 * Fragment workers by default: one less than the cores. The calling thread (merging, final aggregation, joins
 * above the fragments) and the Parquet decoder threads already keep about one core busy; on the 2-core machine
 * class, 2 workers measured slower than none (TPC-H SF1 25.1 s against 22.6 s, more CPU for worker start-up,
 * re-planning and duplicated join builds), so 2 cores default to one thread.
 */
function defaultThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}
