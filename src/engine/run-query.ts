import type { RecordBatch } from 'apache-arrow';
import { newIoStats, type IoStats } from '../fs/index.js';
import { optimize } from '../optimizer/index.js';
import { IdGen, type LogicalPlan } from '../plan/index.js';
import { createPhysicalPlan, newProgress, type ExecutionPlan, type TaskContext } from '../physical/index.js';
import { Binder, type Relation } from '../planner/index.js';
import type { Query } from '../sql/index.js';
import { columnFromScalars, makeBatch, type ColumnField, type Scalar } from '../types/index.js';
import type { StatementContext } from './query-context.js';
import { QueryResult, type WriteStats } from './query-result.js';

export function binderFor(ctx: StatementContext): Binder {
  return new Binder({
    catalogs: ctx.catalogs, functions: ctx.functions, files: { fs: ctx.fs, metadata: ctx.catalogs.metadata, ctx: ctx.evalCtx, decoderPool: ctx.catalogs.decoderPool }, evalCtx: ctx.evalCtx, catalog: ctx.catalog, schema: ctx.schema,
    cwd: ctx.cwd, ids: new IdGen(), signal: ctx.signal, viewStack: [],
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

/** Parse tree → logical plan → optimized plan → operators (scans planned: files listed, footers read). */
export async function planQuery(query: Query, ctx: StatementContext): Promise<PlannedQuery> {
  const relation = await binderFor(ctx).bindQuery(query, new Map());
  const logical = relation.plan;
  const optimized = optimize(logical, { evalCtx: ctx.evalCtx });
  const physical = await createPhysicalPlan(optimized, { evalCtx: ctx.evalCtx, signal: ctx.signal });
  const fields = relation.scope.fields.map((f) => ({ name: f.col.name, type: f.col.type, nullable: true }));
  const task: TaskContext = { signal: ctx.signal, evalCtx: ctx.evalCtx, io: newIoStats(), progress: newProgress(), batchSize: ctx.batchSize };
  return { relation, logical, optimized, physical, fields, task };
}

/** Plans and starts a query; rows are produced as the result is iterated. */
export async function runQuery(query: Query, ctx: StatementContext, onDone?: () => void): Promise<QueryResult> {
  const p = await planQuery(query, ctx);
  return new QueryResult({
    fields: p.fields, batches: p.physical.execute(p.task), progress: p.task.progress, io: p.task.io, abort: ctx.abort, onDone,
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
