import type { RecordBatch, Schema } from 'apache-arrow';
import { ShoalError } from '../common/index.js';
import { materialize, selectTrue, type PhysicalExpr } from '../expr/index.js';
import { chunkColumns } from './batch-utils.js';
import { BOOLEAN, clearBit, makeBatch, makeColumn, newBitmap, setBit, takeColumn, type Column } from '../types/index.js';

/** Growable pair list of (left row, right row) indices. */
export class PairBuffer {
  left = new Int32Array(1024);
  right = new Int32Array(1024);
  count = 0;

  push(l: number, r: number): void {
    if (this.count === this.left.length) {
      const nl = new Int32Array(this.left.length * 2);
      nl.set(this.left);
      this.left = nl;
      const nr = new Int32Array(this.right.length * 2);
      nr.set(this.right);
      this.right = nr;
    }
    this.left[this.count] = l;
    this.right[this.count] = r;
    this.count++;
  }

  reset(): void {
    this.count = 0;
  }
}

/**
 * What a join does with the candidate pairs of one probe batch:
 * - inner: emits the pairs that pass the residual filter;
 * - left / full: also emits unmatched left rows with NULLs on the right (full: the exec emits unmatched right
 *   rows at the end, from `rightMatched`);
 * - right: the pairs as inner does, and the exec emits unmatched right rows at the end (a LEFT join built over its
 *   smaller preserved side: the planner swaps the inputs);
 * - mark: emits each left row once with a boolean column: whether some pair passed (see `markNullIfUnmatched`).
 * `singleMatch` (scalar subqueries) makes a second match of one left row an error.
 */
export type JoinMode = 'inner' | 'left' | 'full' | 'right' | 'mark';

export interface JoinEmitter {
  readonly schema: Schema;
  readonly filter: PhysicalExpr | undefined;
  readonly mode: JoinMode;
  readonly singleMatch: boolean;
  readonly batchSize: number;
  /** full and right joins: right rows that matched some left row (set here, read by the exec). */
  readonly rightMatched?: Uint8Array | undefined;
}

export function subqueryMultipleRows(): ShoalError {
  return new ShoalError('SUBQUERY_MULTIPLE_ROWS', 'Scalar sub-query has returned multiple rows', { hint: 'Make the subquery return at most one row per outer row, e.g. with an aggregate or LIMIT 1' });
}

/**
 * Emits the output for one probe batch of `leftRows` rows. `markNullIfUnmatched` (mark joins for `x IN (…)`):
 * rows whose mark is NULL rather than false when nothing matched, as SQL's three-valued IN requires.
 */
export function* emitPairs(
  e: JoinEmitter, leftCols: readonly Column[], leftRows: number, rightCols: readonly Column[], pairs: PairBuffer,
  markNullIfUnmatched?: Uint8Array,
): Iterable<RecordBatch> {
  const trackLeft = e.mode === 'left' || e.mode === 'full' || e.mode === 'mark' || e.singleMatch;
  const matched = trackLeft ? new Uint8Array(leftRows) : undefined;
  for (let start = 0; start < pairs.count; start += e.batchSize) {
    const n = Math.min(e.batchSize, pairs.count - start);
    let li = pairs.left.subarray(start, start + n);
    let ri = pairs.right.subarray(start, start + n);
    let m = n;
    let cols: Column[] | undefined;
    if (e.filter !== undefined) {
      cols = [...leftCols.map((c) => takeColumn(c, li, m)), ...rightCols.map((c) => takeColumn(c, ri, m))];
      const keep = selectTrue(materialize(e.filter.evaluate({ columns: cols, rows: m }), e.filter.type, m));
      if (keep !== null) {
        const sel = keep.sel.subarray(0, keep.count);
        li = sel.map((j) => li[j]!);
        ri = sel.map((j) => ri[j]!);
        m = keep.count;
        if (e.mode !== 'mark') cols = cols.map((c) => takeColumn(c, keep.sel, keep.count));
      }
    }
    if (matched !== undefined) {
      for (let j = 0; j < m; j++) {
        const l = li[j]!;
        if (e.singleMatch && matched[l] === 1) throw subqueryMultipleRows();
        matched[l] = 1;
      }
    }
    if (e.rightMatched !== undefined) for (let j = 0; j < m; j++) e.rightMatched[ri[j]!] = 1;
    if (e.mode === 'mark' || m === 0) continue;
    // Each left row once and in order (a key join on the build side's unique key): the left columns as they are.
    const leftAsIs = m === leftRows && isIdentity(li, m);
    cols ??= [...leftCols.map((c) => (leftAsIs ? c : takeColumn(c, li, m))), ...rightCols.map((c) => takeColumn(c, ri, m))];
    yield makeBatch(e.schema, cols, m);
  }
  if (e.mode === 'mark') {
    if (leftRows > 0) yield* chunkColumns(e.schema, [...leftCols, markColumn(matched!, leftRows, markNullIfUnmatched)], leftRows, e.batchSize);
    return;
  }
  if (matched !== undefined && (e.mode === 'left' || e.mode === 'full')) {
    const un: number[] = [];
    for (let i = 0; i < leftRows; i++) if (matched[i] === 0) un.push(i);
    for (let start = 0; start < un.length; start += e.batchSize) {
      const n = Math.min(e.batchSize, un.length - start);
      const li = Int32Array.from(un.slice(start, start + n));
      const ri = new Int32Array(n).fill(-1);
      yield makeBatch(e.schema, [...leftCols.map((c) => takeColumn(c, li, n)), ...rightCols.map((c) => takeColumn(c, ri, n))], n);
    }
  }
}

/** Whether idx[0..n) is 0, 1, …, n − 1. */
function isIdentity(idx: Int32Array, n: number): boolean {
  for (let j = 0; j < n; j++) if (idx[j] !== j) return false;
  return true;
}

export function markColumn(matched: Uint8Array, n: number, nullIfUnmatched: Uint8Array | undefined): Column {
  const values = newBitmap(n);
  let valid: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    if (matched[i] === 1) setBit(values, i);
    else if (nullIfUnmatched !== undefined && nullIfUnmatched[i] === 1) {
      valid ??= newBitmap(n, true);
      clearBit(valid, i);
    }
  }
  return makeColumn(BOOLEAN, n, values, valid);
}
