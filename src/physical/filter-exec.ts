import type { RecordBatch, Schema } from 'apache-arrow';
import { exprToString, selectTrue, selectInput, materialize, type EvalInput, type Expr, type PhysicalExpr } from '../expr/index.js';
import type { OutCol } from '../plan/index.js';
import { BOOLEAN, andBitmaps, bitmapBytes, clearTail, countSetBits, makeBatch, makeColumn, validity } from '../types/index.js';
import { columnsOf, inputOf, schemaOf, takeBatch } from './batch-utils.js';
import { newMetrics, type ExecutionPlan, type TaskContext } from './execution-plan.js';
import { instrument } from './instrument.js';

/** Below 1/SPARSE_BELOW of a batch's rows, later conjuncts see only the kept rows. */
const SPARSE_BELOW = 8;

/**
 * Keeps the rows where the predicate is true (NULL counts as false).
 *
 * The predicate arrives as conjuncts evaluated in turn, each only on the rows all before it kept: after a
 * selective `l_shipmode IN (…) AND l_shipinstruct = …` the decimal range tests of q19 run on a fraction of the
 * batch. While more than 1/SPARSE_BELOW of the rows remain, a conjunct runs on the whole batch and its true bits
 * are ANDed into a bitmap: copying its input columns would cost more than a cheap comparison saves (q14's date
 * range). The planner passes several conjuncts only when none after the first can fail, so skipping rows never
 * hides an error the one-predicate evaluation would raise.
 */
export class FilterExec implements ExecutionPlan {
  readonly metrics = newMetrics();
  readonly output: readonly OutCol[];
  readonly children: readonly ExecutionPlan[];
  private readonly schema: Schema;

  /**
   * `keep`: positions of the input columns to output (those the parent reads), or undefined for all. Rows are
   * selected on the whole input; only kept columns are copied.
   */
  constructor(
    readonly input: ExecutionPlan,
    private readonly conjuncts: readonly PhysicalExpr[],
    private readonly text: Expr,
    private readonly keep?: readonly number[],
  ) {
    this.output = keep === undefined ? input.output : keep.map((i) => input.output[i]!);
    this.children = [input];
    this.schema = schemaOf(this.output);
  }

  execute(ctx: TaskContext): AsyncIterable<RecordBatch> {
    return instrument(this.metrics, ctx, this.run(ctx));
  }

  private async *run(ctx: TaskContext): AsyncIterable<RecordBatch> {
    for await (const batch of this.input.execute(ctx)) {
      const sel = this.select(inputOf(batch));
      if (sel === null) yield this.project(batch);
      else if (sel.count > 0) yield takeBatch(this.schema, batch, sel.sel, sel.count, this.keep);
    }
  }

  /** The rows every conjunct holds for, ascending; null when that is every row. */
  private select(full: EvalInput): { sel: Int32Array; count: number } | null {
    const n = full.rows;
    // Dense phase: a bitmap of rows still kept (null: all), ANDed byte-wise with each conjunct's true bits.
    let mask: Uint8Array | null = null;
    let count = n;
    let c = 0;
    for (; c < this.conjuncts.length; c++) {
      if (mask !== null && count * SPARSE_BELOW <= n) break;
      const v = this.conjuncts[c]!.evaluate(full);
      if (v.kind === 'scalar') {
        if (v.value === true) continue;
        return { sel: new Int32Array(0), count: 0 };
      }
      const col = materialize(v, BOOLEAN, n);
      const bits = col.values as Uint8Array;
      const valid = validity(col);
      const bytes = bitmapBytes(n);
      if (mask === null) mask = valid === null ? bits.slice(0, bytes) : andBitmaps(bits, valid, n)!;
      else {
        for (let k = 0; k < bytes; k++) mask[k]! &= bits[k]!;
        if (valid !== null) for (let k = 0; k < bytes; k++) mask[k]! &= valid[k]!;
      }
      clearTail(mask, n);
      count = countSetBits(mask, n);
      if (count === 0) return { sel: new Int32Array(0), count: 0 };
    }
    if (mask === null || count === n) return null;
    const first = selectTrue(makeColumn(BOOLEAN, n, mask));
    if (first === null) return null;
    const sel = first.sel;
    // Sparse phase: the remaining conjuncts see only the kept rows.
    for (; c < this.conjuncts.length && count > 0; c++) {
      const conjunct = this.conjuncts[c]!;
      const input = selectInput(full, conjunct.refs, sel, count);
      const v = conjunct.evaluate(input);
      if (v.kind === 'scalar') {
        if (v.value === true) continue;
        return { sel, count: 0 };
      }
      const s = selectTrue(materialize(v, BOOLEAN, count));
      if (s === null) continue;
      // s indexes the kept rows; s.sel[j] >= j, so the update can run in place.
      for (let j = 0; j < s.count; j++) sel[j] = sel[s.sel[j]!]!;
      count = s.count;
    }
    return { sel, count };
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
