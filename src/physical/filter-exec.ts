import type { RecordBatch, Schema } from 'apache-arrow';
import { exprToString, selectTrue, materialize, type Expr, type PhysicalExpr } from '../expr/index.js';
import type { OutCol } from '../plan/index.js';
import { inputOf, schemaOf, takeBatch } from './batch-utils.js';
import { newMetrics, type ExecutionPlan, type TaskContext } from './execution-plan.js';
import { instrument } from './instrument.js';

/** Keeps the rows where the predicate is true (NULL counts as false). */
export class FilterExec implements ExecutionPlan {
  readonly metrics = newMetrics();
  readonly output: readonly OutCol[];
  readonly children: readonly ExecutionPlan[];
  private readonly schema: Schema;

  constructor(readonly input: ExecutionPlan, private readonly predicate: PhysicalExpr, private readonly text: Expr) {
    this.output = input.output;
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
        if (v.value === true) yield batch;
        continue;
      }
      const sel = selectTrue(materialize(v, this.predicate.type, batch.numRows));
      if (sel === null) yield batch;
      else if (sel.count > 0) yield takeBatch(this.schema, batch, sel.sel, sel.count);
    }
  }

  describe(): string {
    return `Filter ${exprToString(this.text)}`;
  }
}
