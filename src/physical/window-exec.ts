import type { RecordBatch, Schema } from 'apache-arrow';
import { assertNever } from '../common/index.js';
import type { Expr, PhysicalExpr } from '../expr/index.js';
import { describeWindow, type OutCol, type SortKey, type WindowCall } from '../plan/index.js';
import { concatColumns, takeColumn, type Column } from '../types/index.js';
import { chunkColumns, columnsByteLength, columnsOf, evaluateAll, schemaOf } from './batch-utils.js';
import { newMetrics, type ExecutionPlan, type TaskContext } from './execution-plan.js';
import { instrument } from './instrument.js';
import { sortPermutation, type SortSpec } from './sort-exec.js';
import { frameRows, type FrameRows } from './window/frames.js';
import { aggregateByFrames, framesDisjoint } from './window/grouped-frames.js';
import { incrementalAggregate } from './window/incremental-aggregates.js';
import { rowBounds, type RowBounds } from './window/partitions.js';
import { slidingAggregate } from './window/sliding-aggregates.js';

export interface PhysicalWindowCall {
  readonly call: WindowCall;
  readonly args: readonly PhysicalExpr[];
}

/**
 * Window functions sharing one (PARTITION BY, ORDER BY): gathers its input, sorts it once by the partition keys
 * then the order keys (NULLs as the keys say: last by default), finds partition and peer bounds, and computes every
 * call over the sorted rows in O(rows) (frames.ts, sliding-aggregates.ts). Emits the input columns in that order
 * followed by one column per call.
 */
export class WindowExec implements ExecutionPlan {
  readonly metrics = newMetrics();
  readonly output: readonly OutCol[];
  readonly children: readonly ExecutionPlan[];
  private readonly schema: Schema;

  constructor(
    readonly input: ExecutionPlan,
    private readonly partitionBy: readonly PhysicalExpr[],
    private readonly orderBy: readonly (SortSpec & { readonly expr: PhysicalExpr })[],
    private readonly calls: readonly PhysicalWindowCall[],
    private readonly text: { readonly partitionBy: readonly Expr[]; readonly orderBy: readonly SortKey[] },
  ) {
    this.output = [...input.output, ...calls.map((c) => c.call.col)];
    this.children = [input];
    this.schema = schemaOf(this.output);
  }

  execute(ctx: TaskContext): AsyncIterable<RecordBatch> {
    return instrument(this.metrics, ctx, this.run(ctx));
  }

  private async *run(ctx: TaskContext): AsyncIterable<RecordBatch> {
    const pending: Column[][] = [];
    let n = 0;
    // Windows do not spill: the whole input is held (EXCEEDED_MEMORY_LIMIT past query_max_memory).
    const memory = ctx.memory.reservation('Window', this.metrics);
    try {
      for await (const batch of this.input.execute(ctx)) {
        if (batch.numRows === 0) continue;
        const cols = columnsOf(batch);
        pending.push(cols);
        n += batch.numRows;
        memory.grow(columnsByteLength(cols), 'rows of the window partitions');
      }
      if (n === 0) return;
      let cols = this.input.output.map((c, i) => concatColumns(pending.map((p) => p[i]!), c.type));
      pending.length = 0;
      const partSpecs: SortSpec[] = this.partitionBy.map((e) => ({ type: e.type, descending: false, nullsFirst: false }));
      const orderSpecs: SortSpec[] = this.orderBy.map((k) => ({ type: k.type, descending: k.descending, nullsFirst: k.nullsFirst }));
      let partKeys = evaluateAll(this.partitionBy, { columns: cols, rows: n });
      let orderKeys = evaluateAll(this.orderBy.map((k) => k.expr), { columns: cols, rows: n });
      if (partKeys.length + orderKeys.length > 0) {
        const perm = sortPermutation([...partKeys, ...orderKeys], [...partSpecs, ...orderSpecs], n);
        cols = cols.map((c) => takeColumn(c, perm, n));
        partKeys = partKeys.map((c) => takeColumn(c, perm, n));
        orderKeys = orderKeys.map((c) => takeColumn(c, perm, n));
      }
      const bounds = rowBounds(partKeys, partSpecs, orderKeys, orderSpecs, n);
      const frameCache = new Map<string, FrameRows>();
      const results = this.calls.map((c) => {
        const key = JSON.stringify(c.call.frame);
        let frames = frameCache.get(key);
        if (frames === undefined) {
          const range = orderKeys.length === 1 ? { col: orderKeys[0]!, type: orderSpecs[0]!.type, descending: orderSpecs[0]!.descending } : undefined;
          frames = frameRows(c.call.frame, bounds, range);
          frameCache.set(key, frames);
        }
        return computeCall(c, evaluateAll(c.args, { columns: cols, rows: n }), bounds, frames, n);
      });
      yield* chunkColumns(this.schema, [...cols, ...results], n, ctx.batchSize);
    } finally {
      memory.release();
    }
  }

  describe(): string {
    return describeWindow(this.text.partitionBy, this.text.orderBy, this.calls.map((c) => c.call));
  }
}

function computeCall(c: PhysicalWindowCall, args: Column[], bounds: RowBounds, frames: FrameRows, n: number): Column {
  const f = c.call.function;
  switch (f.kind) {
    case 'window':
      return f.resolved.evaluate({ args, ...bounds, frameStart: frames.start, frameEnd: frames.end, ignoreNulls: c.call.ignoreNulls });
    case 'aggregate': {
      // Non-overlapping frames (the whole partition, peer groups) feed each row once to the aggregate's own
      // accumulator; overlapping ones use a sliding kernel where the aggregate has one, else a running accumulator
      // (running frames, or sliding ones where the accumulator can take rows back out), else each frame anew.
      if (framesDisjoint(frames, n)) return aggregateByFrames(f.resolved, args, frames, n);
      return slidingAggregate(f.fn, f.resolved, f.star, args, frames, n)
        ?? incrementalAggregate(f.resolved, args, frames, n)
        ?? aggregateByFrames(f.resolved, args, frames, n);
    }
    default:
      return assertNever(f, 'window function');
  }
}
