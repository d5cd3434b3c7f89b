import type { RecordBatch, Schema } from 'apache-arrow';
import type { OutCol } from '../plan/index.js';
import { makeBatch } from '../types/index.js';
import { columnsOf, schemaOf } from './batch-utils.js';
import { newMetrics, type ExecutionPlan, type OperatorMetrics, type TaskContext } from './execution-plan.js';
import { instrument } from './instrument.js';
import type { MemoryReservation } from './query-memory.js';

/**
 * The result of one subplan that several identical subtrees of a plan read (subplan-key.ts): the first reader to
 * run computes it into memory, the others (also concurrent ones) wait for that and read the same batches. The
 * memory is released when the last of the expected readers finishes; a reader running after that computes it
 * again.
 */
export class SharedResult {
  private batches: Promise<RecordBatch[]> | undefined;
  private memory: MemoryReservation | undefined;
  /** Readers planned (all are, before any runs). */
  private readers = 0;
  private pending = 0;
  readonly metrics: OperatorMetrics = newMetrics();

  constructor(readonly source: ExecutionPlan, readonly tag: number) {}

  get readerCount(): number {
    return this.readers;
  }

  addReader(): void {
    this.readers++;
    this.pending++;
  }

  read(ctx: TaskContext): Promise<RecordBatch[]> {
    return (this.batches ??= this.compute(ctx));
  }

  /** One reader is done (finished, failed or abandoned). */
  done(): void {
    if (--this.pending > 0) return;
    this.batches = undefined;
    this.memory?.release();
    this.pending = this.readers;
  }

  private async compute(ctx: TaskContext): Promise<RecordBatch[]> {
    const memory = (this.memory ??= ctx.memory.reservation(`Shared #${this.tag}`, this.metrics));
    const out: RecordBatch[] = [];
    for await (const b of this.source.execute(ctx)) {
      if (b.numRows === 0) continue;
      memory.grow(b.data.byteLength, 'shared subplan rows');
      out.push(b);
    }
    return out;
  }
}

/** One reader of a SharedResult, with its own copy's column ids; EXPLAIN shows the subplan under the first. */
export class SharedSubplanExec implements ExecutionPlan {
  readonly metrics: OperatorMetrics = newMetrics();
  readonly children: readonly ExecutionPlan[];
  private readonly schema: Schema;

  constructor(readonly output: readonly OutCol[], private readonly shared: SharedResult, private readonly first: boolean) {
    // The first reader's line carries the computation's memory.
    if (first) this.metrics = shared.metrics;
    shared.addReader();
    this.children = first ? [shared.source] : [];
    this.schema = schemaOf(output);
  }

  execute(ctx: TaskContext): AsyncIterable<RecordBatch> {
    return instrument(this.metrics, ctx, this.run(ctx));
  }

  private async *run(ctx: TaskContext): AsyncIterable<RecordBatch> {
    try {
      const batches = await this.shared.read(ctx);
      for (const b of batches) yield makeBatch(this.schema, columnsOf(b), b.numRows);
    } finally {
      this.shared.done();
    }
  }

  describe(): string {
    return this.first ? `Shared #${this.shared.tag} (computed once for ${this.shared.readerCount} readers)` : `Shared #${this.shared.tag} (reused)`;
  }
}
