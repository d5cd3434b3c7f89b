import type { RecordBatch, Schema } from 'apache-arrow';
import { compareBytes, exprToString, nestedOrder, stringAccess, type Expr, type PhysicalExpr } from '../expr/index.js';
import type { OutCol } from '../plan/index.js';
import {
  concatColumns, decimalAt, dictionaryOf, getBit, isDictionary, isNestedKind, numberView, takeColumn, validity,
  type Column, type SqlType,
} from '../types/index.js';
import { chunkColumns, columnsByteLength, columnsOf, evaluateAll, schemaOf } from './batch-utils.js';
import { newMetrics, type ExecutionPlan, type TaskContext } from './execution-plan.js';
import { SortRuns } from './external-sort.js';
import { instrument } from './instrument.js';
import { notWorseOnFirstKey } from './top-n-bound.js';

export interface PhysicalSortKey {
  readonly expr: PhysicalExpr;
  readonly text: Expr;
  readonly descending: boolean;
  readonly nullsFirst: boolean;
}

type RowCompare = (a: number, b: number) => number;

/** A comparator of rows a, b of one key column (values only; NULLs are handled by the caller). */
function valueComparator(col: Column, type: SqlType): RowCompare {
  if (isNestedKind(type.kind)) return nestedOrder(col, col, type);
  if (type.kind === 'varchar') {
    if (isDictionary(col)) {
      // Rank dictionary entries once; rows then compare as integers.
      const dict = dictionaryOf(col);
      const sa = stringAccess(dict);
      const order = Array.from({ length: dict.length }, (_, i) => i);
      order.sort((x, y) => compareBytes(sa.bytes, sa.offsets[x]!, sa.offsets[x + 1]!, sa.bytes, sa.offsets[y]!, sa.offsets[y + 1]!));
      const rank = new Int32Array(dict.length);
      order.forEach((e, r) => (rank[e] = r));
      const codes = col.values as Int32Array;
      return (a, b) => rank[codes[a]!]! - rank[codes[b]!]!;
    }
    const sa = stringAccess(col);
    return (a, b) => compareBytes(sa.bytes, sa.offsets[a]!, sa.offsets[a + 1]!, sa.bytes, sa.offsets[b]!, sa.offsets[b + 1]!);
  }
  if (type.kind === 'boolean') {
    const v = col.values as Uint8Array;
    return (a, b) => (getBit(v, a) ? 1 : 0) - (getBit(v, b) ? 1 : 0);
  }
  if (type.kind === 'unknown') return () => 0;
  const nums = numberView(col, type);
  if (nums !== null) {
    // NaN sorts after every other value, as in Trino.
    return (a, b) => {
      const x = nums[a]!, y = nums[b]!;
      if (x < y) return -1;
      if (x > y) return 1;
      if (x === y) return 0;
      return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : -1;
    };
  }
  if (type.kind === 'decimal') {
    const w = col.values as Uint32Array;
    return (a, b) => {
      const x = decimalAt(w, a), y = decimalAt(w, b);
      return x < y ? -1 : x > y ? 1 : 0;
    };
  }
  const v = col.values as BigInt64Array;
  return (a, b) => (v[a]! < v[b]! ? -1 : v[a]! > v[b]! ? 1 : 0);
}

export interface SortSpec {
  readonly type: SqlType;
  readonly descending: boolean;
  readonly nullsFirst: boolean;
}

/** Compares rows a and b of the key columns (NULLs placed per spec); 0 for equal keys. */
export function rowComparator(keys: readonly Column[], specs: readonly SortSpec[]): RowCompare {
  const cmps = keys.map((c, k) => valueComparator(c, specs[k]!.type));
  const valids = keys.map((c) => validity(c));
  return (a, b) => {
    for (let k = 0; k < cmps.length; k++) {
      const s = specs[k]!;
      const v = valids[k];
      if (v !== null && v !== undefined) {
        const na = !getBit(v, a), nb = !getBit(v, b);
        if (na || nb) {
          if (na && nb) continue;
          return (na ? -1 : 1) * (s.nullsFirst ? 1 : -1);
        }
      }
      const c = cmps[k]!(a, b);
      if (c !== 0) return s.descending ? -c : c;
    }
    return 0;
  };
}

/** The order of `n` rows by the key columns (stable). */
export function sortPermutation(keys: readonly Column[], specs: readonly SortSpec[], n: number): Int32Array {
  const cmp = rowComparator(keys, specs);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  perm.sort((a, b) => cmp(a, b) || a - b);
  return perm;
}

/**
 * ORDER BY: gathers its input, sorts a permutation, and emits rows in order. With `fetch` (ORDER BY … LIMIT n) it
 * keeps only the best n rows as it goes (top-N), so memory stays proportional to n.
 */
export class SortExec implements ExecutionPlan {
  readonly metrics = newMetrics();
  readonly output: readonly OutCol[];
  readonly children: readonly ExecutionPlan[];
  private readonly schema: Schema;

  constructor(readonly input: ExecutionPlan, private readonly keys: readonly PhysicalSortKey[], private readonly fetch: number | undefined) {
    this.output = input.output;
    this.children = [input];
    this.schema = schemaOf(this.output);
  }

  execute(ctx: TaskContext): AsyncIterable<RecordBatch> {
    return instrument(this.metrics, ctx, this.run(ctx));
  }

  private specs(): SortSpec[] {
    return this.keys.map((k) => ({ type: k.expr.type, descending: k.descending, nullsFirst: k.nullsFirst }));
  }

  /** Sorts columns and keeps the first `limit` rows. */
  private sortColumns(cols: Column[], n: number, limit: number): { cols: Column[]; n: number } {
    const keyCols = evaluateAll(this.keys.map((k) => k.expr), { columns: cols, rows: n });
    const perm = sortPermutation(keyCols, this.specs(), n);
    const m = Math.min(limit, n);
    return { cols: cols.map((c) => takeColumn(c, perm, m)), n: m };
  }

  /**
   * Rows of a batch that sort strictly before `worst` (a one-row set of columns): the only ones that can enter a
   * full top-N. One comparison per row instead of a sort.
   */
  private beating(worst: Column[], cols: Column[], n: number): { sel: Int32Array; count: number } {
    const exprs = this.keys.map((k) => k.expr);
    const w = evaluateAll(exprs, { columns: worst, rows: 1 });
    let b = evaluateAll(exprs, { columns: cols, rows: n });
    // Rows already worse on the first key are out; only the others (usually few) are compared in full.
    const first = this.keys[0]!;
    const pre = notWorseOnFirstKey(w[0]!, b[0]!, first.expr.type, first.descending, n);
    let m = n;
    if (pre !== null) {
      if (pre.count === 0) return pre;
      b = b.map((c) => takeColumn(c, pre.sel, pre.count));
      m = pre.count;
    }
    const keys = w.map((c, k) => concatColumns([c, b[k]!], this.keys[k]!.expr.type));
    const cmp = rowComparator(keys, this.specs());
    const sel = new Int32Array(m);
    let count = 0;
    for (let j = 0; j < m; j++) if (cmp(j + 1, 0) < 0) sel[count++] = pre === null ? j : pre.sel[j]!;
    return { sel, count };
  }

  private async *run(ctx: TaskContext): AsyncIterable<RecordBatch> {
    const limit = this.fetch ?? Number.POSITIVE_INFINITY;
    let pending: Column[][] = [];
    let pendingRows = 0;
    // Top-N: the current best rows (sorted) once there are `fetch` of them; new rows must beat the last one.
    let top: { cols: Column[]; n: number } | undefined;
    const compactAt = this.fetch === undefined ? Number.POSITIVE_INFINITY : Math.max(2 * this.fetch, 4096);
    const concat = (): Column[] => this.output.map((c, i) => concatColumns(pending.map((p) => p[i]!), c.type));
    const memory = ctx.memory.reservation('Sort', this.metrics);
    // A full sort spills sorted runs when its buffer cannot grow (external-sort.ts); a top-N holds at most 2n rows.
    const runs = this.fetch === undefined
      ? new SortRuns(ctx.memory.spill, memory, this.schema, this.output.map((c) => c.type), this.keys.map((k) => k.expr), this.specs(), ctx.batchSize)
      : undefined;
    try {
      for await (const batch of this.input.execute(ctx)) {
        if (batch.numRows === 0) continue;
        let cols = columnsOf(batch);
        let n = batch.numRows;
        if (top !== undefined && top.n === limit) {
          const last = new Int32Array([top.n - 1]);
          const keep = this.beating(top.cols.map((c) => takeColumn(c, last, 1)), cols, n);
          if (keep.count === 0) continue;
          cols = cols.map((c) => takeColumn(c, keep.sel, keep.count));
          n = keep.count;
        }
        pending.push(cols);
        pendingRows += n;
        const bytes = columnsByteLength(cols);
        if (!memory.tryGrow(bytes)) {
          if (runs === undefined) memory.grow(bytes, `top ${this.fetch} rows`);
          else if (!memory.worthSpilling) memory.forceGrow(bytes);
          else {
            const run = this.sortColumns(concat(), pendingRows, limit);
            pending = [];
            pendingRows = 0;
            await runs.spillRun(run.cols, run.n);
            memory.release();
            continue;
          }
        }
        if (pendingRows > compactAt) {
          top = this.sortColumns(concat(), pendingRows, limit);
          pending = [top.cols];
          pendingRows = top.n;
          memory.set(columnsByteLength(top.cols), `top ${this.fetch} rows`);
        }
      }
      const sorted = pendingRows === 0 ? { cols: [], n: 0 } : this.sortColumns(concat(), pendingRows, limit);
      pending = [];
      if (runs !== undefined && runs.count > 0) {
        yield* runs.merge(sorted.cols, sorted.n);
        return;
      }
      if (sorted.n === 0) return;
      yield* chunkColumns(this.schema, sorted.cols, sorted.n, ctx.batchSize);
    } finally {
      memory.release();
      await runs?.dispose();
    }
  }

  describe(): string {
    return `Sort [${this.keys.map((k) => `${exprToString(k.text)} ${k.descending ? 'DESC' : 'ASC'} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`).join(', ')}]${this.fetch === undefined ? '' : ` top=${this.fetch}`}`;
  }
}
