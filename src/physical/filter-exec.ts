import type { RecordBatch, Schema } from 'apache-arrow';
import { exprToString, selectTrue, selectInput, materialize, type EvalInput, type Expr, type PhysicalExpr } from '../expr/index.js';
import type { OutCol } from '../plan/index.js';
import { BOOLEAN, makeBatch } from '../types/index.js';
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
 * batch. While more than 1/SPARSE_BELOW of the rows remain, a conjunct runs on the whole batch and its verdict is
 * intersected: copying its input columns would cost more than a cheap comparison saves (q14's date range). The planner passes several conjuncts only when none after the first can fail, so skipping rows
 * never hides an error the one-predicate evaluation would raise.
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
    let sel: Int32Array | null = null;
    let count = n;
    for (const c of this.conjuncts) {
      const dense = sel === null || count * SPARSE_BELOW > n;
      const input = dense ? full : selectInput(full, c.refs, sel!, count);
      const v = c.evaluate(input);
      if (v.kind === 'scalar') {
        if (v.value === true) continue;
        return { sel: new Int32Array(0), count: 0 };
      }
      const s = selectTrue(materialize(v, BOOLEAN, input.rows));
      if (s === null) continue;
      if (sel === null) {
        sel = s.sel;
        count = s.count;
      } else if (dense) {
        // s indexes the whole batch: keep the rows of sel that s also selected (both ascending).
        let k = 0, j = 0;
        for (let i = 0; i < count; i++) {
          const row = sel[i]!;
          while (j < s.count && s.sel[j]! < row) j++;
          if (j < s.count && s.sel[j] === row) sel[k++] = row;
        }
        count = k;
      } else {
        // s indexes the selected rows.
        for (let j = 0; j < s.count; j++) sel[j] = sel[s.sel[j]!]!;
        count = s.count;
      }
      if (count === 0) break;
    }
    return sel === null ? null : { sel, count };
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
