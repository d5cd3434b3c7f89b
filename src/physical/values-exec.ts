import type { RecordBatch } from 'apache-arrow';
import { evaluateConstant, type Expr } from '../expr/index.js';
import type { OutCol } from '../plan/index.js';
import { columnFromScalars, makeBatch } from '../types/index.js';
import { schemaOf } from './batch-utils.js';
import { newMetrics, type ExecutionPlan, type TaskContext } from './execution-plan.js';
import { instrument } from './instrument.js';

/** Constant rows (VALUES, SELECT without FROM). */
export class ValuesExec implements ExecutionPlan {
  readonly metrics = newMetrics();
  readonly children: readonly ExecutionPlan[] = [];

  constructor(readonly output: readonly OutCol[], private readonly rows: readonly (readonly Expr[])[]) {}

  execute(ctx: TaskContext): AsyncIterable<RecordBatch> {
    return instrument(this.metrics, ctx, this.run(ctx));
  }

  private async *run(ctx: TaskContext): AsyncIterable<RecordBatch> {
    const n = this.rows.length;
    const cols = this.output.map((c, i) => columnFromScalars(c.type, this.rows.map((r) => evaluateConstant(r[i]!, ctx.evalCtx))));
    yield makeBatch(schemaOf(this.output), cols, n);
  }

  describe(): string {
    return `Values rows=${this.rows.length}`;
  }
}
