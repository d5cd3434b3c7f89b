import type { RecordBatch, Schema } from 'apache-arrow';
import type { OutCol } from '../plan/index.js';
import { schemaOf, takeBatch } from './batch-utils.js';
import { newMetrics, type ExecutionPlan, type TaskContext } from './execution-plan.js';
import { instrument } from './instrument.js';

/** Skips `offset` rows, passes at most `fetch`, then stops pulling from its input. */
export class LimitExec implements ExecutionPlan {
  readonly metrics = newMetrics();
  readonly output: readonly OutCol[];
  readonly children: readonly ExecutionPlan[];
  private readonly schema: Schema;

  constructor(readonly input: ExecutionPlan, private readonly offset: number, private readonly fetch: number | undefined) {
    this.output = input.output;
    this.children = [input];
    this.schema = schemaOf(this.output);
  }

  execute(ctx: TaskContext): AsyncIterable<RecordBatch> {
    return instrument(this.metrics, ctx, this.run(ctx));
  }

  private async *run(ctx: TaskContext): AsyncIterable<RecordBatch> {
    if (this.fetch === 0) return;
    let skip = this.offset;
    let left = this.fetch ?? Number.POSITIVE_INFINITY;
    for await (const batch of this.input.execute(ctx)) {
      const n = batch.numRows;
      if (skip >= n) {
        skip -= n;
        continue;
      }
      const take = Math.min(n - skip, left);
      if (skip === 0 && take === n) yield batch;
      else {
        const sel = new Int32Array(take);
        for (let i = 0; i < take; i++) sel[i] = skip + i;
        yield takeBatch(this.schema, batch, sel, take);
      }
      skip = 0;
      left -= take;
      if (left <= 0) return;
    }
  }

  describe(): string {
    return `Limit${this.offset > 0 ? ` offset=${this.offset}` : ''}${this.fetch === undefined ? '' : ` fetch=${this.fetch}`}`;
  }
}
