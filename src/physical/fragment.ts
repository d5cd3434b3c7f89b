/**
 * Plan fragments run on worker threads. The physical planner cuts a fragment out of the plan (filters,
 * projections and broadcast hash-join probes over one driving file scan, optionally topped by a partial
 * aggregation; parallel-planning.ts) and asks a
 * FragmentLauncher, which the engine supplies, to run it on N workers, each over a disjoint share of the scan's
 * splits. Nothing executable crosses the thread boundary: the worker re-derives the same logical plan from the
 * statement and finds the fragment by its path, so only plain data is sent (see engine/parallel).
 */
import type { RecordBatch } from 'apache-arrow';
import type { Split } from '../catalog/index.js';
import type { IoStats } from '../fs/index.js';

/**
 * 'rows': the fragment's own rows, in split order. 'partial': the partial aggregation of the aggregate node
 * at `path` over the fragment below it (see partial-aggregate.ts), in any order.
 */
export type FragmentMode = 'rows' | 'partial';

export interface FragmentRequest {
  /** Input indices (plan/inputsOf order) from the optimized plan's root to the fragment's root. */
  readonly path: readonly number[];
  readonly mode: FragmentMode;
  /** Input indices from the fragment's root to its driving scan (the one whose splits the workers share). */
  readonly scanPath: readonly number[];
  /** This worker's share of the driving scan's splits, in the scan's order. */
  readonly splits: readonly Split[];
  /** Rows of all the driving scan's splits (the worker plans with the main thread's estimates). */
  readonly totalRows: number;
  /**
   * The main thread's estimate of a Filter right above the driving scan, from all its splits' statistics
   * (estimate-rows.ts filterOverScanRows), so that the worker's joins pick the same build sides.
   */
  readonly filterRows?: number | undefined;
  /** The column ids and types the fragment must produce: a worker whose plan differs fails (a bug). */
  readonly expect: readonly { readonly id: number; readonly type: string }[];
}

/** Counters a worker accumulated since its last event (added into the query's). */
export interface FragmentCounters {
  readonly io: IoStats;
  readonly rowsRead: number;
  readonly splitsDone: number;
  readonly peakMemoryBytes: number;
  /** Bytes the worker wrote to spill files since its last event. */
  readonly spilledBytes: number;
}

/**
 * What one worker's run yields: batches, and after the last batch of each of its splits a `split` event (so a
 * consumer can restore the scan's order across workers). Counters arrive with every event. Errors (ShoalErrors
 * rebuilt from the worker's) are thrown by the iterator; returning early cancels the run.
 */
export type FragmentEvent =
  | { readonly kind: 'batch'; readonly batch: RecordBatch; readonly counters: FragmentCounters }
  | { readonly kind: 'split'; readonly counters: FragmentCounters }
  | { readonly kind: 'done'; readonly counters: FragmentCounters; readonly operators: readonly OperatorSnapshot[] };

/**
 * One operator's EXPLAIN ANALYZE counters from a worker, in depth-first order of the fragment's operators (below
 * the partial aggregation): the same tree the main thread planned, so they add up into its operators.
 */
export interface OperatorSnapshot {
  readonly rowsOut: number;
  readonly batchesOut: number;
  readonly elapsedMs: number;
  readonly io?: IoStats | undefined;
}

export interface FragmentLauncher {
  /** Workers per fragment (task_concurrency, at least 2: 1 means no launcher at all). */
  readonly workers: number;
  /** Scans planned to read fewer rows stay on the calling thread (parallel_min_rows). */
  readonly minRows: number;
  /** Starts one worker's share of a fragment at once; the caller iterates the events or returns the iterator (cancels). */
  run(req: FragmentRequest, signal: AbortSignal | undefined): AsyncIterable<FragmentEvent>;
}
