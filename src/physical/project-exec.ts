import type { RecordBatch, Schema } from 'apache-arrow';
import { exprToString, type Expr, type PhysicalExpr } from '../expr/index.js';
import type { OutCol } from '../plan/index.js';
import { makeBatch } from '../types/index.js';
import { evaluateAll, inputOf, schemaOf } from './batch-utils.js';
import { newMetrics, type ExecutionPlan, type TaskContext } from './execution-plan.js';
import { instrument } from './instrument.js';

/** Computes the output columns from each input batch. */
export class ProjectExec implements ExecutionPlan {
  readonly metrics = newMetrics();
  readonly children: readonly ExecutionPlan[];
  private readonly schema: Schema;

  constructor(readonly input: ExecutionPlan, readonly output: readonly OutCol[], private readonly exprs: readonly PhysicalExpr[], private readonly texts: readonly Expr[]) {
    this.children = [input];
    this.schema = schemaOf(output);
  }

  execute(ctx: TaskContext): AsyncIterable<RecordBatch> {
    return instrument(this.metrics, ctx, this.run(ctx));
  }

  private async *run(ctx: TaskContext): AsyncIterable<RecordBatch> {
    for await (const batch of this.input.execute(ctx)) {
      yield makeBatch(this.schema, evaluateAll(this.exprs, inputOf(batch)), batch.numRows);
    }
  }

  describe(): string {
    return `Project [${this.output.map((c, i) => {
      const e = this.texts[i]!;
      return e.kind === 'column' && e.name === c.name ? c.name : `${c.name} := ${exprToString(e)}`;
    }).join(', ')}]`;
  }
}
