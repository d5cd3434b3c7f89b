import type { RecordBatch } from 'apache-arrow';
import type { OutCol } from '../plan/index.js';
import { newMetrics, type ExecutionPlan, type TaskContext } from './execution-plan.js';
import type { SpillFile } from './spill-file.js';

/**
 * Reads a spill file back as an operator's input: the batches an operator wrote, with the columns of the input it
 * spilled (so its physical expressions apply unchanged). Spilling aggregation and grace hash join run a fresh copy
 * of themselves over these, one partition at a time.
 */
export class SpillSourceExec implements ExecutionPlan {
  readonly metrics = newMetrics();
  readonly children: readonly ExecutionPlan[] = [];

  constructor(readonly output: readonly OutCol[], private readonly file: SpillFile | undefined) {}

  execute(_ctx: TaskContext): AsyncIterable<RecordBatch> {
    return this.file === undefined ? noBatches() : this.file.read();
  }

  describe(): string {
    return `SpillSource ${this.file?.path ?? '(empty)'}`;
  }
}

async function* noBatches(): AsyncIterable<RecordBatch> {
  // an empty partition
}
