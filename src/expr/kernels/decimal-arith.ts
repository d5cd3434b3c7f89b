import { ShoalError, internalError, type SourceSpan } from '../../common/index.js';
import {
  andBitmaps, getBit, lazyDecimalColumn, numberView, numberViewMaxAbs, scalarNumber, validity, type Column, type ColumnarValue, type SqlType,
} from '../../types/index.js';

/** An operand of decimal + - * as exact doubles (unscaled): a constant, or a batch's values with a magnitude bound. */
export type ExactOperand =
  | { readonly kind: 'scalar'; readonly value: number }
  | { readonly kind: 'array'; readonly view: ArrayLike<number>; readonly maxAbs: number; readonly valid: Uint8Array | null };

/** A decimal result held as exact doubles (unscaled), none larger in magnitude than maxAbs; NULL where !valid. */
export interface ExactNumbers {
  readonly view: Float64Array;
  readonly maxAbs: number;
  readonly valid: Uint8Array | null;
}

export interface DecimalArithTypes {
  readonly left: SqlType;
  readonly right: SqlType;
  readonly result: SqlType;
}

/** The operand as exact doubles, or null when it has no exact view (or is a NULL constant). */
export function exactOperand(v: ColumnarValue, type: SqlType): ExactOperand | null {
  if (v.kind === 'scalar') {
    const x = v.value === null ? null : scalarNumber(v.value);
    return x === null ? null : { kind: 'scalar', value: x };
  }
  return exactColumn(v.column, type);
}

function exactColumn(col: Column, type: SqlType): ExactOperand | null {
  const view = numberView(col, type);
  return view === null ? null : { kind: 'array', view, maxAbs: numberViewMaxAbs(col, type), valid: validity(col) };
}

/**
 * The result as a decimal column known by its double view (aggregates and further arithmetic read the view);
 * its Decimal128 words are written only if something reads them.
 */
export function exactToColumn(type: SqlType, n: number, x: ExactNumbers): Column {
  return lazyDecimalColumn(type, n, x.view, x.maxAbs, x.valid);
}

function scaleOf(t: SqlType): { precision: number; scale: number } {
  if (t.kind === 'decimal') return { precision: t.precision, scale: t.scale };
  throw internalError(`decimal arithmetic on ${t.kind}`);
}

/**
 * + - * over unscaled decimals held as exact doubles, with Trino's result: operands are first brought to the
 * result scale (+ -) or multiplied as they are (*: the result scale is the sum of theirs). When the bound from the
 * operands' magnitudes shows every result is below 2^53, the loop needs no per-row exactness test, and when it is
 * also below 10^precision, no overflow test. A valid row out of range is NUMERIC_VALUE_OUT_OF_RANGE, as on the
 * BigInt path. Returns null (take the BigInt path) when some valid row's result is not an exact double.
 * `out` (length n; fresh, or scratch the caller owns) receives the result; every slot is written.
 */
export function decimalArithExact(
  op: '+' | '-' | '*', a: ExactOperand, b: ExactOperand, t: DecimalArithTypes, n: number, span: SourceSpan | undefined,
  out: Float64Array = new Float64Array(n),
): ExactNumbers | null {
  const L = scaleOf(t.left), R = scaleOf(t.right), res = scaleOf(t.result);
  const valid = andBitmaps(a.kind === 'array' ? a.valid : null, b.kind === 'array' ? b.valid : null, n);
  const fa = op === '*' ? 1 : 10 ** (res.scale - L.scale);
  const fb = op === '*' ? 1 : 10 ** (res.scale - R.scale);
  const ma = (a.kind === 'scalar' ? Math.abs(a.value) : a.maxAbs) * fa;
  const mb = (b.kind === 'scalar' ? Math.abs(b.value) : b.maxAbs) * fb;
  const bound = op === '*' ? ma * mb : ma + mb;
  const limit = 10 ** res.precision;
  if (bound <= Number.MAX_SAFE_INTEGER) {
    // Every product and sum below is an exact integer.
    if (a.kind === 'scalar') {
      if (b.kind === 'scalar') return null; // constant folding takes the general path
      scalarLeft(op, a.value * fa, b.view, fb, n, out);
    } else if (b.kind === 'scalar') scalarRight(op, a.view, fa, b.value * fb, n, out);
    else arrays(op, a.view, fa, b.view, fb, n, out);
    if (bound >= limit) {
      for (let i = 0; i < n; i++) {
        const v = out[i]!;
        if ((v >= limit || v <= -limit) && (valid === null || getBit(valid, i))) throw outOfRange(t.result, span);
      }
    }
    return { view: out, maxAbs: bound, valid };
  }
  if (a.kind === 'scalar' && b.kind === 'scalar') return null;
  let max = 0;
  for (let i = 0; i < n; i++) {
    if (valid !== null && !getBit(valid, i)) {
      out[i] = 0; // `out` may be reused scratch; NULL slots hold 0 (within the bound)
      continue;
    }
    const x = (a.kind === 'scalar' ? a.value : a.view[i]!) * fa, y = (b.kind === 'scalar' ? b.value : b.view[i]!) * fb;
    const v = op === '+' ? x + y : op === '-' ? x - y : x * y;
    if (!Number.isSafeInteger(v) || !Number.isSafeInteger(x) || !Number.isSafeInteger(y)) return null;
    if (v >= limit || v <= -limit) throw outOfRange(t.result, span);
    out[i] = v;
    if (Math.abs(v) > max) max = Math.abs(v);
  }
  return { view: out, maxAbs: max, valid };
}

export function outOfRange(type: SqlType, span: SourceSpan | undefined): ShoalError {
  return new ShoalError('NUMERIC_VALUE_OUT_OF_RANGE', `Arithmetic overflow: the result does not fit in ${type.kind === 'decimal' ? `decimal(${type.precision},${type.scale})` : type.kind}`, { span });
}

function arrays(op: '+' | '-' | '*', a: ArrayLike<number>, fa: number, b: ArrayLike<number>, fb: number, n: number, out: Float64Array): void {
  if (op === '*') for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!;
  else if (fa === 1 && fb === 1) {
    if (op === '+') for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!;
    else for (let i = 0; i < n; i++) out[i] = a[i]! - b[i]!;
  } else if (op === '+') for (let i = 0; i < n; i++) out[i] = a[i]! * fa + b[i]! * fb;
  else for (let i = 0; i < n; i++) out[i] = a[i]! * fa - b[i]! * fb;
}

/** x (already scaled) op b[i]·fb. */
function scalarLeft(op: '+' | '-' | '*', x: number, b: ArrayLike<number>, fb: number, n: number, out: Float64Array): void {
  switch (op) {
    case '+': for (let i = 0; i < n; i++) out[i] = x + b[i]! * fb; break;
    case '-': for (let i = 0; i < n; i++) out[i] = x - b[i]! * fb; break;
    case '*': for (let i = 0; i < n; i++) out[i] = x * b[i]!; break;
  }
}

/** a[i]·fa op y (already scaled). */
function scalarRight(op: '+' | '-' | '*', a: ArrayLike<number>, fa: number, y: number, n: number, out: Float64Array): void {
  switch (op) {
    case '+': for (let i = 0; i < n; i++) out[i] = a[i]! * fa + y; break;
    case '-': for (let i = 0; i < n; i++) out[i] = a[i]! * fa - y; break;
    case '*': for (let i = 0; i < n; i++) out[i] = a[i]! * y; break;
  }
}
