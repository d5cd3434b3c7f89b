import type { RecordBatch, Schema } from 'apache-arrow';
import type { OutCol } from '../plan/index.js';
import { getBit, int64At, makeBatch, validity, type Column } from '../types/index.js';
import { columnsByteLength, columnsOf, evaluateAll, inputOf, schemaOf, takeBatch } from './batch-utils.js';
import { newMetrics, type ExecutionPlan, type TaskContext } from './execution-plan.js';
import type { PhysicalAggregate } from './hash-aggregate-exec.js';
import { integerKeyWidth, integerKeyWords } from './hashing/integer-key.js';
import { instrument } from './instrument.js';
import { ReplayExec } from './runtime-key-filter.js';
import type { SharedKeys } from './split-clustering.js';

/**
 * The final step of a partial aggregation whose group key at `keyAt` is clustered across the driving scan's
 * splits (split-clustering.ts). A partial row whose key lies outside the shared ranges is the whole of its group
 * (one split, so one worker, held every row of it): its final values are computed on the row alone, with no hash
 * table. Rows of shared keys and NULL keys, at most one per worker and shared value, are merged at the end by the
 * plain final aggregation (`merge`). At SF1, TPC-H q18's 1.5M partial rows of l_orderkey went through a 1.5M-group
 * hash table on the calling thread before.
 *
 * Input: the partial output (group columns, then partial columns); `finals` are compiled over it.
 */
export class ClusteredFinalExec implements ExecutionPlan {
  readonly metrics = newMetrics();
  readonly children: readonly ExecutionPlan[];
  private readonly schema: Schema;

  constructor(
    readonly input: ExecutionPlan,
    readonly output: readonly OutCol[],
    private readonly groupCount: number,
    private readonly keyAt: number,
    private readonly shared: SharedKeys,
    private readonly finals: readonly PhysicalAggregate[],
    private readonly merge: (source: ExecutionPlan) => ExecutionPlan,
  ) {
    this.children = [input];
    this.schema = schemaOf(output);
  }

  execute(ctx: TaskContext): AsyncIterable<RecordBatch> {
    return instrument(this.metrics, ctx, this.run(ctx));
  }

  private async *run(ctx: TaskContext): AsyncIterable<RecordBatch> {
    const memory = ctx.memory.reservation('ClusteredFinal', this.metrics);
    const held: RecordBatch[] = [];
    try {
      for await (const batch of this.input.execute(ctx)) {
        const n = batch.numRows;
        if (n === 0) continue;
        const { own, ownCount, sharedRows, sharedCount } = this.divide(batch);
        if (sharedCount > 0) {
          const rows = takeBatch(batch.schema, batch, sharedRows, sharedCount);
          held.push(rows);
          memory.grow(columnsByteLength(columnsOf(rows)), 'partial rows of keys several splits hold');
        }
        if (ownCount === n) yield this.finish(batch);
        else if (ownCount > 0) yield this.finish(takeBatch(batch.schema, batch, own, ownCount));
      }
      if (held.length > 0) yield* this.merge(new ReplayExec(this.input.output, held, undefined)).execute(ctx);
    } finally {
      memory.release();
    }
  }

  /** The rows whose key no other split holds, and the rest (shared or NULL keys). */
  private divide(batch: RecordBatch): { own: Int32Array; ownCount: number; sharedRows: Int32Array; sharedCount: number } {
    const n = batch.numRows;
    const key = batch.getChildAt(this.keyAt)!.data[0] as Column;
    const type = this.input.output[this.keyAt]!.type;
    const words = integerKeyWords(key, type, n);
    const wide = integerKeyWidth(type) === 2;
    const valid = validity(key);
    const { lo, hi } = this.shared;
    const last = lo.length - 1;
    const own = new Int32Array(n);
    const sharedRows = new Int32Array(n);
    let ownCount = 0;
    let sharedCount = 0;
    for (let i = 0; i < n; i++) {
      let isShared = valid !== null && !getBit(valid, i);
      if (!isShared && last >= 0) {
        const v = wide ? int64At(words, i) : words[i]!;
        // The last interval starting at or before v (binary search), then whether it reaches v.
        let a = 0;
        let b = last;
        while (a < b) {
          const m = (a + b + 1) >> 1;
          if (lo[m]! <= v) a = m;
          else b = m - 1;
        }
        isShared = lo[a]! <= v && v <= hi[a]!;
      }
      if (isShared) sharedRows[sharedCount++] = i;
      else own[ownCount++] = i;
    }
    return { own, ownCount, sharedRows, sharedCount };
  }

  /** Final values of rows that are each a whole group: every accumulator over groups 0..n-1, one row each. */
  private finish(batch: RecordBatch): RecordBatch {
    const n = batch.numRows;
    const input = inputOf(batch);
    const groups = columnsOf(batch).slice(0, this.groupCount);
    const gids = new Int32Array(n);
    for (let i = 0; i < n; i++) gids[i] = i;
    const values = this.finals.map((f) => {
      const acc = f.resolved.create();
      acc.update(evaluateAll(f.args, input), gids, n, n, null);
      return acc.finish(n);
    });
    return makeBatch(this.schema, [...groups, ...values], n);
  }

  describe(): string {
    return `FinalAggregate clustered on ${this.input.output[this.keyAt]!.name}: ${this.shared.lo.length} shared key ranges merged, others finished row by row`;
  }
}
