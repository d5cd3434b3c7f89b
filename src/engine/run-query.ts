import type { RecordBatch } from 'apache-arrow';
import { ListingScope, newIoStats, type ExpandOptions, type IoStats } from '../fs/index.js';
import { optimize } from '../optimizer/index.js';
import { IdGen, type LogicalPlan } from '../plan/index.js';
import { QueryMemory, createPhysicalPlan, newProgress, type ExecutionPlan, type TaskContext } from '../physical/index.js';
import { Binder, type Relation } from '../planner/index.js';
import type { Query } from '../sql/index.js';
import { columnFromScalars, makeBatch, type ColumnField, type Scalar } from '../types/index.js';
import type { StatementContext } from './query-context.js';
import { QueryResult, type WriteStats } from './query-result.js';
import { enforceScanLimit } from './scan-limit.js';
import { fragmentLauncher } from './parallel/fragment-launcher.js';
import { tableRowCounts } from './table-rows.js';

/** A binder for one statement; `io` counts what binding reads from storage and holds the query's listings. */
export function binderFor(ctx: StatementContext, io?: ExpandOptions): Binder {
  return new Binder({
    catalogs: ctx.catalogs, functions: ctx.functions, files: { fs: ctx.fs, metadata: ctx.catalogs.metadata, ctx: ctx.evalCtx, decoderPool: ctx.catalogs.decoderPool }, evalCtx: ctx.evalCtx, catalog: ctx.catalog, schema: ctx.schema,
    cwd: ctx.cwd, pathRoots: ctx.pathRoots, access: ctx.access, ids: new IdGen(), signal: ctx.signal, io, viewStack: [],
  });
}

export interface PlannedQuery {
  readonly relation: Relation;
  readonly logical: LogicalPlan;
  readonly optimized: LogicalPlan;
  readonly physical: ExecutionPlan;
  readonly fields: ColumnField[];
  readonly task: TaskContext;
}

export interface PlanOptions {
  /**
   * Refuse a plan that would scan more than max_scan_bytes (default true): every statement that goes on to read
   * data plans through here with the check; EXPLAIN without ANALYZE and CREATE VIEW, which read none, turn it off.
   */
  readonly enforceScanLimit?: boolean | undefined;
}

/**
 * Parse tree → logical plan → optimized plan → operators (scans planned: files listed, footers read), then the
 * max_scan_bytes check. No data is read.
 */
export async function planQuery(query: Query, ctx: StatementContext, o: PlanOptions = {}): Promise<PlannedQuery> {
  const io = newIoStats();
  const listing = new ListingScope(ctx.listingMaxAgeMs);
  const relation = await binderFor(ctx, { stats: io, listing }).bindQuery(query, new Map());
  const logical = relation.plan;
  const tableRows = await tableRowCounts(logical, { signal: ctx.signal, stats: io, listing });
  const optimized = optimize(logical, { evalCtx: ctx.evalCtx, tableRows });
  const physical = await createPhysicalPlan(optimized, {
    evalCtx: ctx.evalCtx, signal: ctx.signal, listing, scanIo: { parallelRequests: ctx.scanParallelRequests },
    parallel: fragmentLauncher(query, ctx, tableRows),
  });
  if (o.enforceScanLimit !== false) enforceScanLimit(physical, ctx.maxScanBytes, ctx.maxScanBytesText);
  const fields = relation.scope.fields.map((f) => ({ name: f.col.name, type: f.col.type, nullable: true }));
  const progress = newProgress();
  const task: TaskContext = { signal: ctx.signal, evalCtx: ctx.evalCtx, io, progress, batchSize: ctx.batchSize, memory: new QueryMemory(ctx.memory, progress) };
  return { relation, logical, optimized, physical, fields, task };
}

/**
 * Runs a planned query's operators. Whatever way it ends (done, failed, abandoned, canceled), the query's spill
 * directory is removed.
 */
export async function* executePlan(p: PlannedQuery): AsyncIterable<RecordBatch> {
  try {
    yield* p.physical.execute(p.task);
  } finally {
    p.task.memory.dispose();
  }
}

/** Plans and starts a query; rows are produced as the result is iterated. */
export async function runQuery(query: Query, ctx: StatementContext, onDone?: () => void): Promise<QueryResult> {
  const p = await planQuery(query, ctx);
  return new QueryResult({
    fields: p.fields, batches: executePlan(p), progress: p.task.progress, io: p.task.io, abort: ctx.abort, onDone,
  });
}

/** A result holding a few computed rows (SHOW, DESCRIBE, EXPLAIN). */
export function rowsResult(
  fields: readonly ColumnField[], rows: readonly (readonly Scalar[])[], ctx: StatementContext,
  extra: { updateType?: string; updateCount?: number; writeStats?: WriteStats; io?: IoStats } = {},
): QueryResult {
  const batches = async function* (): AsyncIterable<RecordBatch> {
    if (fields.length === 0) return;
    yield makeBatch(fields, fields.map((f, i) => columnFromScalars(f.type, rows.map((r) => r[i] ?? null))), rows.length);
  };
  return new QueryResult({
    fields, batches: batches(), progress: newProgress(), io: extra.io ?? newIoStats(), abort: ctx.abort,
    updateType: extra.updateType, updateCount: extra.updateCount, writeStats: extra.writeStats,
  });
}
