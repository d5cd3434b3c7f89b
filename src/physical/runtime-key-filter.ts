import type { RecordBatch, Schema } from 'apache-arrow';
import { exprToString, type Expr, type PhysicalExpr } from '../expr/index.js';
import type { OutCol } from '../plan/index.js';
import { evaluateAll, inputOf, schemaOf, takeBatch } from './batch-utils.js';
import { newMetrics, type ExecutionPlan, type TaskContext } from './execution-plan.js';
import { instrument } from './instrument.js';
import type { JoinHashTable } from './join-hash-table.js';
import { ProbeKeyFilter } from './probe-key-filter.js';

/**
 * Sideways information passing from a join to the input of the aggregation it builds on (TPC-H q17, q20: a
 * correlated subquery decorrelated into an aggregation over every part, joined to the few parts the outer query
 * keeps). The join reads its probe input first and, when that is small, arms the filter with a hash table over
 * its probe keys; the aggregation's input then keeps only rows whose group keys some probe row has: the other
 * groups could never match. Unarmed, the filter passes everything.
 */
export class RuntimeKeyFilter {
  table: JoinHashTable | undefined;
  /**
   * The same keys as bitmaps for the scans under the aggregation (probe side 0, armed with the table): their
   * decoder workers drop the rows whose key no probe row has before any reaches this thread (TPC-H q17 reads the
   * 6k lineitems of its 200 parts, not 6M).
   */
  readonly bits = new ProbeKeyFilter();

  constructor() {
    this.bits.probeSide = 0;
  }
}

/** Keeps the rows whose keys are in the armed RuntimeKeyFilter's table (all rows while it is unarmed). */
export class RuntimeFilterExec implements ExecutionPlan {
  readonly metrics = newMetrics();
  readonly output: readonly OutCol[];
  readonly children: readonly ExecutionPlan[];
  private readonly schema: Schema;

  constructor(
    readonly input: ExecutionPlan,
    private readonly filter: RuntimeKeyFilter,
    private readonly keys: readonly PhysicalExpr[],
    private readonly keyTexts: readonly Expr[],
  ) {
    this.output = input.output;
    this.children = [input];
    this.schema = schemaOf(input.output);
  }

  execute(ctx: TaskContext): AsyncIterable<RecordBatch> {
    return instrument(this.metrics, ctx, this.run(ctx));
  }

  private async *run(ctx: TaskContext): AsyncIterable<RecordBatch> {
    for await (const batch of this.input.execute(ctx)) {
      const table = this.filter.table;
      const n = batch.numRows;
      if (table === undefined || n === 0) {
        yield batch;
        continue;
      }
      const { groups } = table.probe(evaluateAll(this.keys, inputOf(batch)), n);
      const sel = new Int32Array(n);
      let count = 0;
      for (let i = 0; i < n; i++) if (groups[i]! >= 0) sel[count++] = i;
      if (count === n) yield batch;
      else if (count > 0) yield takeBatch(this.schema, batch, sel, count);
    }
  }

  describe(): string {
    return `RuntimeFilter [${this.keyTexts.map((e) => exprToString(e)).join(', ')}] in the keys of the join above`;
  }
}

/** A stream already begun: the batches read so far, then the rest of the same iterator (execute once). */
export class ReplayExec implements ExecutionPlan {
  readonly metrics = newMetrics();
  readonly children: readonly ExecutionPlan[] = [];

  constructor(
    readonly output: readonly OutCol[],
    private readonly head: RecordBatch[],
    private readonly rest: AsyncIterator<RecordBatch> | undefined,
  ) {}

  async *execute(): AsyncIterable<RecordBatch> {
    while (this.head.length > 0) yield this.head.shift()!;
    const rest = this.rest;
    if (rest === undefined) return;
    for (;;) {
      const r = await rest.next();
      if (r.done === true) return;
      yield r.value;
    }
  }

  describe(): string {
    return 'Replay';
  }
}
