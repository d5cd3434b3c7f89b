import type { RecordBatch } from 'apache-arrow';
import type { IoStats } from '../fs/index.js';
import type { EvalContext } from '../functions/index.js';
import type { OutCol } from '../plan/index.js';
import type { QueryMemory } from './query-memory.js';

/** Live counters of a running query: what progress lines, EXPLAIN ANALYZE and the server's stats report. */
export interface QueryProgress {
  splitsTotal: number;
  splitsDone: number;
  rowsRead: number;
  bytesPlanned: number;
  /** Peak bytes held by stateful operators (hash tables, sort buffers), as reserved from the query's memory pool. */
  peakMemoryBytes: number;
  memoryBytes: number;
  /** Bytes written to spill files. */
  spilledBytes: number;
}

export function newProgress(): QueryProgress {
  return { splitsTotal: 0, splitsDone: 0, rowsRead: 0, bytesPlanned: 0, peakMemoryBytes: 0, memoryBytes: 0, spilledBytes: 0 };
}

/** Per-execution context: cancellation, evaluation settings and shared counters. */
export interface TaskContext {
  readonly signal: AbortSignal | undefined;
  readonly evalCtx: EvalContext;
  readonly io: IoStats;
  readonly progress: QueryProgress;
  /** Target rows per batch for operators that build batches. */
  readonly batchSize: number;
  /** The query's memory pool (limit, reservations) and spill directory. */
  readonly memory: QueryMemory;
}

/** Per-operator counters for EXPLAIN ANALYZE. */
export interface OperatorMetrics {
  rowsOut: number;
  batchesOut: number;
  /** Wall time spent inside this operator and its children, ms. */
  elapsedMs: number;
  /** Scans: what planning (listing, footers) and reading the splits cost in storage requests. */
  io?: { readonly planning: IoStats; readonly reading: IoStats } | undefined;
  /** Scans: rows the Parquet decoder read and left out under the scan's row filter (decoder-row-filter.ts). */
  rowsDropped?: number | undefined;
  /** Operators holding state: the most bytes reserved at once, and bytes written to spill files. */
  peakMemoryBytes?: number | undefined;
  spilledBytes?: number | undefined;
}

/**
 * A physical operator: a lazy, pull-based stream of Arrow RecordBatches whose columns are `output` in order.
 * `execute` honours ctx.signal between batches and releases what it holds in `finally` (iterators may be
 * abandoned early by a LIMIT).
 */
export interface ExecutionPlan {
  readonly output: readonly OutCol[];
  readonly children: readonly ExecutionPlan[];
  readonly metrics: OperatorMetrics;
  execute(ctx: TaskContext): AsyncIterable<RecordBatch>;
  /** One EXPLAIN line. */
  describe(): string;
}

export function newMetrics(): OperatorMetrics {
  return { rowsOut: 0, batchesOut: 0, elapsedMs: 0 };
}

/** Symbol id → column position of a child's batches. */
export function layoutOf(cols: readonly OutCol[]): Map<number, number> {
  return new Map(cols.map((c, i) => [c.id, i]));
}
