import type { CatalogAccess, CatalogManager } from '../catalog/index.js';
import type { AllowedRoots, FileSystems } from '../fs/index.js';
import type { EvalContext, FunctionRegistry } from '../functions/index.js';
import type { MemorySettings } from '../physical/index.js';
import type { ShoalOptions } from './shoal.js';

/** The session's settings for write statements (session properties, parsed). */
export interface WriteSettings {
  readonly existingPartitions: 'append' | 'overwrite' | 'error';
  readonly targetFileBytes: number;
  readonly rowGroupBytes: number;
}

/** What statement handlers need from the engine and the session for one statement. */
export interface StatementContext {
  readonly catalogs: CatalogManager;
  readonly functions: FunctionRegistry;
  readonly fs: FileSystems;
  readonly cwd: string;
  /** Where paths named in statements may point (direct reads, UNLOAD, external_location); undefined: anywhere. */
  readonly pathRoots: AllowedRoots | undefined;
  /** The catalogs the session's user may use; undefined: all. */
  readonly access: CatalogAccess | undefined;
  readonly catalog: string | undefined;
  readonly schema: string | undefined;
  readonly evalCtx: EvalContext;
  readonly signal: AbortSignal;
  readonly batchSize: number;
  /** max_scan_bytes in bytes (0: no limit) and as the user wrote it, for the error message. */
  readonly maxScanBytes: number;
  readonly maxScanBytesText: string;
  /** Requests in flight per scan (session property scan_parallel_requests). */
  readonly scanParallelRequests: number;
  /** Oldest kept listing a query may use, ms (session property listing_cache_max_age). */
  readonly listingMaxAgeMs: number;
  readonly write: WriteSettings;
  /** query_max_memory and the engine's spill folder. */
  readonly memory: MemorySettings;
  readonly abort: (reason?: unknown) => void;
  /** Fragment workers for this statement (task_concurrency > 1), else undefined: one thread. */
  readonly parallel: ParallelSettings | undefined;
}

export interface ParallelSettings {
  readonly threads: number;
  /** parallel_min_rows */
  readonly minRows: number;
  /** The engine's options, for the workers to open the same engine. */
  readonly open: ShoalOptions;
}
