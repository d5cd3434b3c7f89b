/**
 * count, sum, avg, min and max over overlapping frames in O(rows): frames start and end at non-decreasing rows
 * (frames.ts), so each row enters the running state once and leaves it once. Sums add and remove values (exact
 * integers and decimals in doubles while every step stays below 2^52, in BigInt past that; floating point with
 * Neumaier compensation); min and max keep a monotone deque of candidate rows. Results have the types the
 * aggregate resolved (bigint sums, decimal(38,s) sums of decimals, decimal averages rounded half up).
 */
import { ShoalError } from '../../common/index.js';
import { EXACT_SUM_LIMIT, type AggregateFunction, type ResolvedAggregate } from '../../functions/index.js';
import {
  INT64_MAX, INT64_MIN, decimalAt, float64ToInt64, getBit, isIntegerKind, makeColumn, newBitmap, numberView, setBit,
  setDecimal, setDecimalNumber, takeColumn, validity, type Column, type SqlType,
} from '../../types/index.js';
import { rowComparator } from '../sort-exec.js';
import type { FrameRows } from './frames.js';

/** The aggregate's value over every row's frame, or undefined when it has no sliding kernel for these types. */
export function slidingAggregate(fn: AggregateFunction, resolved: ResolvedAggregate, star: boolean, args: readonly Column[], frames: FrameRows, n: number): Column | undefined {
  const t = resolved.argTypes[0];
  switch (fn.name) {
    case 'count':
      return countFrames(star ? null : args[0]!, frames, n);
    case 'sum':
    case 'avg': {
      if (t === undefined) return undefined;
      const exact = isIntegerKind(t.kind) || t.kind === 'decimal';
      if (!exact && t.kind !== 'real' && t.kind !== 'double') return undefined;
      return sumFrames(args[0]!, t, resolved.returnType, fn.name === 'avg', exact, frames, n);
    }
    case 'min':
    case 'max':
      return t === undefined || t.kind === 'unknown' ? undefined : extremumFrames(args[0]!, t, fn.name === 'max', frames, n);
    default:
      return undefined;
  }
}

function validOf(col: Column, n: number): Uint8Array | null {
  return col.nullCount === col.length && n > 0 ? newBitmap(n) : validity(col);
}

/** count(*) is the frame size; count(x) a difference of prefix counts of non-NULL values. */
function countFrames(col: Column | null, frames: FrameRows, n: number): Column {
  const out = new Float64Array(n);
  if (col === null) {
    for (let i = 0; i < n; i++) out[i] = frames.end[i]! - frames.start[i]!;
  } else {
    const valid = validOf(col, n);
    const before = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) before[i + 1] = before[i]! + (valid === null || getBit(valid, i) ? 1 : 0);
    for (let i = 0; i < n; i++) out[i] = before[frames.end[i]!]! - before[frames.start[i]!]!;
  }
  return makeColumn({ kind: 'bigint' }, n, float64ToInt64(out, n));
}

/** Running state of an exact sum: a double while exact, a BigInt once a step would leave the exact range. */
class ExactRunning {
  sum = 0;
  big: bigint | null = null;
  count = 0;
  constructor(private readonly nums: ArrayLike<number> | null, private readonly bigAt: (i: number) => bigint) {}

  step(j: number, sign: 1 | -1): void {
    this.count += sign;
    if (this.count === 0) {
      // Empty again: back to the fast path.
      this.sum = 0;
      this.big = null;
      return;
    }
    if (this.big === null && this.nums !== null) {
      const x = sign * this.nums[j]!;
      const next = this.sum + x;
      if (Math.abs(x) < EXACT_SUM_LIMIT && Math.abs(next) < EXACT_SUM_LIMIT) {
        this.sum = next;
        return;
      }
      this.big = BigInt(this.sum);
    }
    this.big = (this.big ?? BigInt(this.sum)) + (sign === 1 ? this.bigAt(j) : -this.bigAt(j));
  }
}

/** Neumaier-compensated running floating-point sum; NaN and infinities are counted, so removing them is exact. */
class FloatRunning {
  sum = 0;
  comp = 0;
  count = 0;
  private nan = 0;
  private posInf = 0;
  private negInf = 0;

  step(x: number, sign: 1 | -1): void {
    this.count += sign;
    if (this.count === 0) {
      this.sum = this.comp = this.nan = this.posInf = this.negInf = 0;
      return;
    }
    if (Number.isNaN(x)) this.nan += sign;
    else if (x === Infinity) this.posInf += sign;
    else if (x === -Infinity) this.negInf += sign;
    else {
      const y = sign * x;
      const t = this.sum + y;
      this.comp += Math.abs(this.sum) >= Math.abs(y) ? this.sum - t + y : y - t + this.sum;
      this.sum = t;
    }
  }

  value(): number {
    if (this.nan > 0 || (this.posInf > 0 && this.negInf > 0)) return NaN;
    if (this.posInf > 0) return Infinity;
    if (this.negInf > 0) return -Infinity;
    return this.sum + this.comp;
  }
}

/** Moves a [lo, hi) window over rows to each row's frame, calling add/remove; then `emit(i)`. */
function slide(frames: FrameRows, n: number, add: (j: number) => void, remove: (j: number) => void, emit: (i: number) => void): void {
  let lo = 0, hi = 0;
  for (let i = 0; i < n; i++) {
    const s = frames.start[i]!, e = frames.end[i]!;
    while (lo < s) {
      if (lo < hi) remove(lo);
      lo++;
    }
    if (hi < lo) hi = lo;
    while (hi < e) add(hi++);
    emit(i);
  }
}

function sumFrames(col: Column, t: SqlType, result: SqlType, isAvg: boolean, exact: boolean, frames: FrameRows, n: number): Column {
  const valid = validOf(col, n);
  const seen = newBitmap(n);
  let anyEmpty = false;
  const isValid = (j: number): boolean => valid === null || getBit(valid, j);
  if (!exact) {
    const nums = numberView(col, t)!;
    const st = new FloatRunning();
    const out = result.kind === 'real' ? new Float32Array(n) : new Float64Array(n);
    slide(frames, n, (j) => isValid(j) && st.step(nums[j]!, 1), (j) => isValid(j) && st.step(nums[j]!, -1), (i) => {
      if (st.count === 0) anyEmpty = true;
      else {
        setBit(seen, i);
        out[i] = isAvg ? st.value() / st.count : st.value();
      }
    });
    return makeColumn(result, n, out, anyEmpty ? seen : null);
  }
  const nums = numberView(col, t);
  const bigAt = bigReader(col, t);
  const st = new ExactRunning(nums, bigAt);
  const outD = new Float64Array(n);
  const counts = isAvg ? new Float64Array(n) : null;
  // Rows whose sum left the exact double range carry it as a BigInt.
  const bigs = new Map<number, bigint>();
  slide(frames, n, (j) => isValid(j) && st.step(j, 1), (j) => isValid(j) && st.step(j, -1), (i) => {
    if (st.count === 0) {
      anyEmpty = true;
      return;
    }
    setBit(seen, i);
    if (counts !== null) counts[i] = st.count;
    if (st.big !== null) bigs.set(i, st.big);
    else outD[i] = st.sum;
  });
  const valids = anyEmpty ? seen : null;
  if (isAvg && result.kind !== 'decimal') {
    for (let i = 0; i < n; i++) {
      const b = bigs.get(i);
      outD[i] = (b === undefined ? outD[i]! : Number(b)) / (counts![i]! || 1);
    }
    return makeColumn(result, n, result.kind === 'real' ? Float32Array.from(outD) : outD, valids);
  }
  if (result.kind === 'bigint') {
    const out = float64ToInt64(outD, n);
    for (const [i, b] of bigs) {
      if (b < INT64_MIN || b > INT64_MAX) throw new ShoalError('NUMERIC_VALUE_OUT_OF_RANGE', 'bigint addition overflow in sum()');
      out[i] = b;
    }
    return makeColumn(result, n, out, valids);
  }
  const words = new Uint32Array(4 * n);
  for (let i = 0; i < n; i++) {
    const b = bigs.get(i);
    if (counts !== null) {
      const c = counts[i]!;
      if (c === 0) continue;
      if (b !== undefined) setDecimal(words, i, roundHalfUpBig(b, BigInt(c)));
      else setDecimalNumber(words, i, roundHalfUp(outD[i]!, c));
    } else if (b !== undefined) setDecimal(words, i, b);
    else setDecimalNumber(words, i, outD[i]!);
  }
  return makeColumn(result, n, words, valids);
}

/** sum / count rounded half away from zero, exact for |sum| < 2^52. */
function roundHalfUp(sum: number, count: number): number {
  const a = Math.abs(sum);
  let q = Math.floor(a / count);
  const rem = a - q * count;
  if (2 * rem >= count) q++;
  return sum < 0 ? -q : q;
}

function roundHalfUpBig(sum: bigint, count: bigint): bigint {
  const neg = sum < 0n;
  const a = neg ? -sum : sum;
  let q = a / count;
  if (2n * (a - q * count) >= count) q++;
  return neg ? -q : q;
}

function bigReader(col: Column, t: SqlType): (i: number) => bigint {
  if (t.kind === 'decimal') {
    const w = col.values as Uint32Array;
    return (i) => decimalAt(w, i);
  }
  if (t.kind === 'bigint') {
    const v = col.values as BigInt64Array;
    return (i) => v[i]!;
  }
  const v = col.values as Int32Array | Int16Array | Int8Array;
  return (i) => BigInt(v[i]!);
}

/**
 * min/max by a monotone deque: candidates in row order whose values strictly improve from back to front, so the
 * front is the frame's extremum; each row is pushed and popped at most once.
 */
function extremumFrames(col: Column, t: SqlType, isMax: boolean, frames: FrameRows, n: number): Column {
  const valid = validOf(col, n);
  const cmp = rowComparator([col], [{ type: t, descending: false, nullsFirst: false }]);
  const deque = new Int32Array(n);
  let head = 0, tail = 0;
  const idx = new Int32Array(n);
  slide(
    frames, n,
    (j) => {
      if (valid !== null && !getBit(valid, j)) return;
      while (tail > head && (isMax ? cmp(deque[tail - 1]!, j) <= 0 : cmp(deque[tail - 1]!, j) >= 0)) tail--;
      deque[tail++] = j;
    },
    (j) => {
      if (head < tail && deque[head] === j) head++;
    },
    (i) => {
      idx[i] = head < tail ? deque[head]! : -1;
    },
  );
  return takeColumn(col, idx, n);
}
