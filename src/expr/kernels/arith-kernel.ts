import { ShoalError, internalError, type SourceSpan } from '../../common/index.js';
import {
  MICROS_PER_DAY, addMonthsToDays, andBitmaps, decimalAt, decimalLimit, divRoundHalfUp, float64ToInt64, getBit,
  makeColumn, pow10, rescale, setDecimal, type Column, type ColumnarValue, type SqlType,
  arrayValue, scalarValue, scalarAt, INT64_MAX, INT64_MIN, type Scalar,
} from '../../types/index.js';
import type { ArithOp } from '../expr.js';
import { columnOf, isNullScalar, numbersOf, validityOf } from './operand.js';
import { decimalArithExact, exactOperand, exactToColumn, outOfRange } from './decimal-arith.js';

const INT_RANGE = {
  tinyint: [-128, 127],
  smallint: [-32768, 32767],
  integer: [-2147483648, 2147483647],
} as const;

function divisionByZero(span: SourceSpan | undefined): ShoalError {
  return new ShoalError('DIVISION_BY_ZERO', 'Division by zero', { span });
}

/**
 * One loop per operator over doubles; division/modulo checks are done by the caller where they matter. Operands
 * that are all Float64Array (double columns, the double views of 64-bit and decimal columns, broadcast constants)
 * take loops of their own, whose element loads are specialized to that one array kind.
 */
function applyNumbers(op: ArithOp, a: ArrayLike<number>, b: ArrayLike<number>, n: number, out: { [i: number]: number }): void {
  if (a instanceof Float64Array && b instanceof Float64Array && out instanceof Float64Array) applyFloat64(op, a, b, n, out);
  else applyAny(op, a, b, n, out);
}

function applyFloat64(op: ArithOp, a: Float64Array, b: Float64Array, n: number, out: Float64Array): void {
  switch (op) {
    case '+': for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!; break;
    case '-': for (let i = 0; i < n; i++) out[i] = a[i]! - b[i]!; break;
    case '*': for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!; break;
    case '/': for (let i = 0; i < n; i++) out[i] = a[i]! / b[i]!; break;
    case '%': for (let i = 0; i < n; i++) out[i] = a[i]! % b[i]!; break;
  }
}

function applyAny(op: ArithOp, a: ArrayLike<number>, b: ArrayLike<number>, n: number, out: { [i: number]: number }): void {
  switch (op) {
    case '+': for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!; break;
    case '-': for (let i = 0; i < n; i++) out[i] = a[i]! - b[i]!; break;
    case '*': for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!; break;
    case '/': for (let i = 0; i < n; i++) out[i] = a[i]! / b[i]!; break;
    case '%': for (let i = 0; i < n; i++) out[i] = a[i]! % b[i]!; break;
  }
}

export interface ArithTypes {
  readonly left: SqlType;
  readonly right: SqlType;
  readonly result: SqlType;
}

/**
 * Arithmetic with Trino's semantics: integer overflow and integer/decimal division by zero are errors (only for
 * rows where both operands are non-null), integer division truncates, decimal results are exact and rounded
 * half up, temporal arithmetic follows the calendar.
 */
export function arithmetic(op: ArithOp, l: ColumnarValue, r: ColumnarValue, t: ArithTypes, rows: number, span?: SourceSpan): ColumnarValue {
  if (isNullScalar(l) || isNullScalar(r)) return scalarValue(null);
  if (l.kind === 'scalar' && r.kind === 'scalar') {
    // Constant folding path: evaluate over one row.
    const res = arithmetic(op, arrayValue(columnOf(l, t.left, 1)), r, t, 1, span);
    const col = res.kind === 'array' ? res.column : columnOf(res, t.result, 1);
    return scalarValue(scalarOfColumn(col, t.result));
  }
  const valid = andBitmaps(validityOf(l), validityOf(r), rows);
  const out = compute(op, l, r, t, rows, valid, span);
  return arrayValue(out);
}

function scalarOfColumn(col: Column, type: SqlType): Scalar {
  return scalarAt(col, type, 0);
}

function compute(op: ArithOp, l: ColumnarValue, r: ColumnarValue, t: ArithTypes, n: number, valid: Uint8Array | null, span: SourceSpan | undefined): Column {
  const res = t.result;
  switch (res.kind) {
    case 'double':
    case 'real': {
      const a = numbersOf(l, t.left, n), b = numbersOf(r, t.right, n);
      if (a === null || b === null) throw internalError('non-exact operand for floating arithmetic');
      const out = res.kind === 'double' ? new Float64Array(n) : new Float32Array(n);
      const da = t.left.kind === 'decimal' ? scaleDown(a, t.left.scale, n) : a;
      const db = t.right.kind === 'decimal' ? scaleDown(b, t.right.scale, n) : b;
      applyNumbers(op, da, db, n, out);
      return makeColumn(res, n, out, valid);
    }
    case 'tinyint':
    case 'smallint':
    case 'integer': {
      const a = numbersOf(l, t.left, n)!, b = numbersOf(r, t.right, n)!;
      const Ctor = res.kind === 'integer' ? Int32Array : res.kind === 'smallint' ? Int16Array : Int8Array;
      const tmp = new Float64Array(n);
      if (op === '/' || op === '%') checkZero(b, n, valid, span);
      applyNumbers(op, a, b, n, tmp);
      const [lo, hi] = INT_RANGE[res.kind];
      for (let i = 0; i < n; i++) {
        let x = tmp[i]!;
        if (op === '/') x = Math.trunc(x);
        if ((x < lo || x > hi) && (valid === null || getBit(valid, i)) && Number.isFinite(x)) throw outOfRange(res, span);
        tmp[i] = Number.isFinite(x) ? x : 0;
      }
      const out = new Ctor(n);
      out.set(tmp);
      return makeColumn(res, n, out, valid);
    }
    case 'bigint':
      return bigintArith(op, l, r, t, n, valid, span);
    case 'decimal':
      return decimalArith(op, l, r, t, n, valid, span);
    case 'date':
    case 'timestamp':
    case 'interval_day_time':
    case 'interval_year_month':
      return temporalArith(op, l, r, t, n, valid, span);
    default:
      throw internalError(`arithmetic on ${res.kind}`);
  }
}

function scaleDown(a: ArrayLike<number>, scale: number, n: number): Float64Array {
  const f = 10 ** scale;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = a[i]! / f;
  return out;
}

function checkZero(b: ArrayLike<number>, n: number, valid: Uint8Array | null, span: SourceSpan | undefined): void {
  for (let i = 0; i < n; i++) if (b[i] === 0 && (valid === null || getBit(valid, i))) throw divisionByZero(span);
}

function bigintArith(op: ArithOp, l: ColumnarValue, r: ColumnarValue, t: ArithTypes, n: number, valid: Uint8Array | null, span: SourceSpan | undefined): Column {
  const a = numbersOf(l, t.left, n), b = numbersOf(r, t.right, n);
  if (a !== null && b !== null) {
    if (op === '/' || op === '%') checkZero(b, n, valid, span);
    const tmp = new Float64Array(n);
    applyNumbers(op, a, b, n, tmp);
    let exact = true;
    for (let i = 0; i < n; i++) {
      let x = tmp[i]!;
      if (op === '/') x = Math.trunc(x);
      if (!Number.isFinite(x)) x = 0;
      tmp[i] = x;
      if (!Number.isSafeInteger(x) && (valid === null || getBit(valid, i))) {
        exact = false;
        break;
      }
    }
    if (exact) return makeColumn(t.result, n, float64ToInt64(tmp, n), valid);
  }
  // Exact BigInt path with 64-bit overflow detection.
  const ca = columnOf(l, t.left, n).values as BigInt64Array;
  const cb = columnOf(r, t.right, n).values as BigInt64Array;
  const out = new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    if (valid !== null && !getBit(valid, i)) continue;
    const x = ca[i]!, y = cb[i]!;
    let v: bigint;
    switch (op) {
      case '+': v = x + y; break;
      case '-': v = x - y; break;
      case '*': v = x * y; break;
      case '/': if (y === 0n) throw divisionByZero(span); v = x / y; break;
      case '%': if (y === 0n) throw divisionByZero(span); v = x % y; break;
    }
    if (v < INT64_MIN || v > INT64_MAX) throw outOfRange(t.result, span);
    out[i] = v;
  }
  return makeColumn(t.result, n, out, valid);
}

function decimalParts(t: SqlType): { precision: number; scale: number } {
  if (t.kind === 'decimal') return { precision: t.precision, scale: t.scale };
  throw internalError(`decimal arithmetic on ${t.kind}`);
}

function decimalArith(op: ArithOp, l: ColumnarValue, r: ColumnarValue, t: ArithTypes, n: number, valid: Uint8Array | null, span: SourceSpan | undefined): Column {
  const L = decimalParts(t.left), R = decimalParts(t.right), res = decimalParts(t.result);
  if (op === '+' || op === '-' || op === '*') {
    const fast = decimalArithNumbers(op, l, r, t, n, span);
    if (fast !== null) return fast;
  }
  const words = new Uint32Array(4 * n);
  const ca = columnOf(l, t.left, n), cb = columnOf(r, t.right, n);
  const ga = bigGetter(ca, t.left), gb = bigGetter(cb, t.right);
  const limit = decimalLimit(res.precision);
  for (let i = 0; i < n; i++) {
    if (valid !== null && !getBit(valid, i)) continue;
    const x = ga(i), y = gb(i);
    let v: bigint;
    switch (op) {
      case '+': v = rescale(x, L.scale, res.scale) + rescale(y, R.scale, res.scale); break;
      case '-': v = rescale(x, L.scale, res.scale) - rescale(y, R.scale, res.scale); break;
      case '*': v = x * y; break; // scale s1+s2 equals the result scale by the typing rule
      case '/':
        if (y === 0n) throw divisionByZero(span);
        // x/10^s1 ÷ y/10^s2 at scale s: x·10^(s - s1 + s2) / y.
        v = divRoundHalfUp(x * pow10(res.scale - L.scale + R.scale), y);
        break;
      case '%': {
        if (y === 0n) throw divisionByZero(span);
        const s = Math.max(L.scale, R.scale);
        v = rescale(rescale(x, L.scale, s) % rescale(y, R.scale, s), s, res.scale);
        break;
      }
    }
    if (v >= limit || v <= -limit) throw outOfRange(t.result, span);
    setDecimal(words, i, v);
  }
  return makeColumn(t.result, n, words, valid);
}

/** + - * in exact doubles (see decimalArithExact); null when the operands or results are not all exact. */
function decimalArithNumbers(op: '+' | '-' | '*', l: ColumnarValue, r: ColumnarValue, t: ArithTypes, n: number, span: SourceSpan | undefined): Column | null {
  const a = exactOperand(l, t.left), b = exactOperand(r, t.right);
  if (a === null || b === null) return null;
  const x = decimalArithExact(op, a, b, t, n, span);
  return x === null ? null : exactToColumn(t.result, n, x);
}

/** Per-row BigInt for exact slow paths; integer operands count as decimals of scale 0. */
function bigGetter(col: Column, type: SqlType): (i: number) => bigint {
  if (type.kind === 'decimal') {
    const w = col.values as Uint32Array;
    return (i) => decimalAt(w, i);
  }
  if (type.kind === 'bigint') {
    const v = col.values as BigInt64Array;
    return (i) => v[i]!;
  }
  const v = col.values as Int32Array;
  return (i) => BigInt(v[i]!);
}

function temporalArith(op: ArithOp, l: ColumnarValue, r: ColumnarValue, t: ArithTypes, n: number, valid: Uint8Array | null, span: SourceSpan | undefined): Column {
  const L = t.left, R = t.right, res = t.result;
  const a = numbersOf(l, L, n), b = numbersOf(r, R, n);
  if (a === null || b === null) {
    // Nanosecond timestamps exceed 2^53: shift through BigInt.
    return temporalBig(op, l, r, t, n, valid, span);
  }
  const sign = op === '-' ? -1 : 1;
  if (res.kind === 'date') {
    const out = new Int32Array(n);
    if (R.kind === 'interval_year_month') for (let i = 0; i < n; i++) out[i] = addMonthsToDays(a[i]!, sign * b[i]!);
    else for (let i = 0; i < n; i++) out[i] = Math.floor((a[i]! * MICROS_PER_DAY + sign * b[i]!) / MICROS_PER_DAY);
    return makeColumn(res, n, out, valid);
  }
  if (res.kind === 'timestamp') {
    const tmp = new Float64Array(n);
    if (R.kind === 'interval_year_month') {
      for (let i = 0; i < n; i++) {
        const days = Math.floor(a[i]! / MICROS_PER_DAY);
        const tod = a[i]! - days * MICROS_PER_DAY;
        tmp[i] = addMonthsToDays(days, sign * b[i]!) * MICROS_PER_DAY + tod;
      }
    } else {
      for (let i = 0; i < n; i++) tmp[i] = a[i]! + sign * b[i]!;
    }
    return makeColumn(res, n, float64ToInt64(tmp, n), valid);
  }
  if (res.kind === 'interval_day_time') {
    const tmp = new Float64Array(n);
    for (let i = 0; i < n; i++) tmp[i] = a[i]! + sign * b[i]!; // interval ± interval, or timestamp - timestamp
    return makeColumn(res, n, float64ToInt64(tmp, n), valid);
  }
  if (res.kind === 'interval_year_month') {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = a[i]! + sign * b[i]!;
    return makeColumn(res, n, out, valid);
  }
  throw internalError(`temporal arithmetic producing ${res.kind}`);
}

/** Nanosecond timestamps exceed 2^53: compute in ns through BigInt, then convert to the result's unit. */
function temporalBig(op: ArithOp, l: ColumnarValue, r: ColumnarValue, t: ArithTypes, n: number, valid: Uint8Array | null, span: SourceSpan | undefined): Column {
  const res = t.result;
  if (res.kind !== 'timestamp' && res.kind !== 'interval_day_time') throw outOfRange(res, span);
  const toNs = (x: SqlType): bigint => (x.kind === 'timestamp' && x.precision > 6 ? 1n : 1000n);
  const ml = toNs(t.left), mr = toNs(t.right);
  const back = res.kind === 'timestamp' && res.precision > 6 ? 1n : 1000n;
  const ca = columnOf(l, t.left, n).values as BigInt64Array;
  const cb = columnOf(r, t.right, n).values as BigInt64Array;
  const out = new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    if (valid !== null && !getBit(valid, i)) continue;
    const x = ca[i]! * ml, y = cb[i]! * mr;
    out[i] = (op === '-' ? x - y : x + y) / back;
  }
  return makeColumn(res, n, out, valid);
}
