import type { RecordBatch, Schema } from 'apache-arrow';
import type { OutCol } from '../plan/index.js';
import { makeBatch } from '../types/index.js';
import { columnsOf, schemaOf } from './batch-utils.js';
import { newMetrics, type ExecutionPlan, type TaskContext } from './execution-plan.js';
import { instrument } from './instrument.js';

/** UNION ALL: each input in turn, re-labelled with the output columns. */
export class UnionExec implements ExecutionPlan {
  readonly metrics = newMetrics();
  private readonly schema: Schema;

  constructor(readonly children: readonly ExecutionPlan[], readonly output: readonly OutCol[]) {
    this.schema = schemaOf(output);
  }

  execute(ctx: TaskContext): AsyncIterable<RecordBatch> {
    return instrument(this.metrics, ctx, this.run(ctx));
  }

  private async *run(ctx: TaskContext): AsyncIterable<RecordBatch> {
    for (const child of this.children) {
      for await (const batch of child.execute(ctx)) yield makeBatch(this.schema, columnsOf(batch), batch.numRows);
    }
  }

  describe(): string {
    return 'UnionAll';
  }
}
