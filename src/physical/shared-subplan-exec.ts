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
 * again. A result that does not fit query_max_memory is not held: each reader then runs the subplan itself (its
 * operators spill as they would unshared), so sharing never makes a query fail that would run without it.
 */
export class SharedResult {
  /** The result, or undefined when it did not fit (each reader runs the subplan). */
  private batches: Promise<RecordBatch[] | undefined> | undefined;
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

  read(ctx: TaskContext): Promise<RecordBatch[] | undefined> {
    return (this.batches ??= this.compute(ctx));
  }

  /** One reader is done (finished, failed or abandoned). */
  done(): void {
    if (--this.pending > 0) return;
    this.batches = undefined;
    this.memory?.release();
    this.pending = this.readers;
  }

  private async compute(ctx: TaskContext): Promise<RecordBatch[] | undefined> {
    const memory = (this.memory ??= ctx.memory.reservation(`Shared #${this.tag}`, this.metrics));
    const out: RecordBatch[] = [];
    const it = this.source.execute(ctx)[Symbol.asyncIterator]();
    try {
      for (;;) {
        const r = await it.next();
        if (r.done === true) return out;
        if (r.value.numRows === 0) continue;
        if (!memory.tryGrow(r.value.data.byteLength)) {
          memory.release();
          return undefined;
        }
        out.push(r.value);
      }
    } finally {
      await it.return?.();
    }
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
      const rows = batches ?? this.shared.source.execute(ctx);
      for await (const b of rows) yield makeBatch(this.schema, columnsOf(b), b.numRows);
    } finally {
      this.shared.done();
    }
  }

  describe(): string {
    return this.first ? `Shared #${this.shared.tag} (computed once for ${this.shared.readerCount} readers)` : `Shared #${this.shared.tag} (reused)`;
  }
}
