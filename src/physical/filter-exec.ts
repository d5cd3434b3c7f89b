import type { RecordBatch, Schema } from 'apache-arrow';
import { exprToString, selectTrue, materialize, type Expr, type PhysicalExpr } from '../expr/index.js';
import type { OutCol } from '../plan/index.js';
import { columnsOf, inputOf, schemaOf, takeBatch } from './batch-utils.js';
import { makeBatch } from '../types/index.js';
import { newMetrics, type ExecutionPlan, type TaskContext } from './execution-plan.js';
import { instrument } from './instrument.js';

/** Keeps the rows where the predicate is true (NULL counts as false). */
export class FilterExec implements ExecutionPlan {
  readonly metrics = newMetrics();
  readonly output: readonly OutCol[];
  readonly children: readonly ExecutionPlan[];
  private readonly schema: Schema;

  /**
   * `keep`: positions of the input columns to output (those the parent reads), or undefined for all. Rows are
   * selected on the whole input; only kept columns are copied.
   */
  constructor(readonly input: ExecutionPlan, private readonly predicate: PhysicalExpr, private readonly text: Expr, private readonly keep?: readonly number[]) {
    this.output = keep === undefined ? input.output : keep.map((i) => input.output[i]!);
    this.children = [input];
    this.schema = schemaOf(this.output);
  }

  execute(ctx: TaskContext): AsyncIterable<RecordBatch> {
    return instrument(this.metrics, ctx, this.run(ctx));
  }

  private async *run(ctx: TaskContext): AsyncIterable<RecordBatch> {
    for await (const batch of this.input.execute(ctx)) {
      const v = this.predicate.evaluate(inputOf(batch));
      if (v.kind === 'scalar') {
        if (v.value === true) yield this.project(batch);
        continue;
      }
      const sel = selectTrue(materialize(v, this.predicate.type, batch.numRows));
      if (sel === null) yield this.project(batch);
      else if (sel.count > 0) yield takeBatch(this.schema, batch, sel.sel, sel.count, this.keep);
    }
  }

  /** The kept columns of a batch whose rows all pass (no copy). */
  private project(batch: RecordBatch): RecordBatch {
    if (this.keep === undefined) return batch;
    const cols = columnsOf(batch);
    return makeBatch(this.schema, this.keep.map((i) => cols[i]!), batch.numRows);
  }

  describe(): string {
    return `Filter ${exprToString(this.text)}`;
  }
}
