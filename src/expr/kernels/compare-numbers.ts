/**
 * Number comparisons into a result bitmap, the hot loops of filters. Each array type gets its own loops (an
 * element load specialized to one typed-array kind is several times faster than one shared by Int32Array and
 * Float64Array callers), and each output byte is assembled from 8 branch-free comparisons in a register and stored
 * once (a filter's outcome is data-dependent, so per-row branches mispredict). The unrolled loops below were
 * written by a generator: one per array kind and operator, identical but for the operator.
 *
 * Semantics are JavaScript's: NaN compares unequal (and unordered) to everything, -0 equals 0.
 * Bits are set for NULL slots too: callers apply validity.
 */
import type { PlainCompareOp } from './compare-kernel.js';

/** Sets bit i of `out` (fresh, zeroed, at least ceil(n/8) bytes) where `a[i] op b`. */
export function compareNumberScalar(op: PlainCompareOp, a: ArrayLike<number>, b: number, n: number, out: Uint8Array): void {
  const full = n & ~7;
  if (a instanceof Float64Array) compareF64Scalar(op, a, b, full, out);
  else if (a instanceof Int32Array) compareI32Scalar(op, a, b, full, out);
  else compareAnyScalar(op, a, b, 0, full, out);
  compareAnyScalar(op, a, b, full, n, out);
}

/** Sets bit i of `out` (fresh, zeroed, at least ceil(n/8) bytes) where `a[i] op b[i]`. */
export function compareNumberArrays(op: PlainCompareOp, a: ArrayLike<number>, b: ArrayLike<number>, n: number, out: Uint8Array): void {
  const full = n & ~7;
  if (a instanceof Float64Array && b instanceof Float64Array) compareF64Arrays(op, a, b, full, out);
  else if (a instanceof Int32Array && b instanceof Int32Array) compareI32Arrays(op, a, b, full, out);
  else compareAnyArrays(op, a, b, 0, full, out);
  compareAnyArrays(op, a, b, full, n, out);
}

/** Rows [from, to) of any array kind (Int8/Int16/Float32 columns, mixed kinds, and the last partial byte). */
function compareAnyScalar(op: PlainCompareOp, a: ArrayLike<number>, b: number, from: number, to: number, out: Uint8Array): void {
  switch (op) {
    case '=': for (let i = from; i < to; i++) out[i >>> 3]! |= +(a[i]! === b) << (i & 7); break;
    case '<>': for (let i = from; i < to; i++) out[i >>> 3]! |= +(a[i]! !== b) << (i & 7); break;
    case '<': for (let i = from; i < to; i++) out[i >>> 3]! |= +(a[i]! < b) << (i & 7); break;
    case '<=': for (let i = from; i < to; i++) out[i >>> 3]! |= +(a[i]! <= b) << (i & 7); break;
    case '>': for (let i = from; i < to; i++) out[i >>> 3]! |= +(a[i]! > b) << (i & 7); break;
    case '>=': for (let i = from; i < to; i++) out[i >>> 3]! |= +(a[i]! >= b) << (i & 7); break;
  }
}

function compareAnyArrays(op: PlainCompareOp, a: ArrayLike<number>, b: ArrayLike<number>, from: number, to: number, out: Uint8Array): void {
  switch (op) {
    case '=': for (let i = from; i < to; i++) out[i >>> 3]! |= +(a[i]! === b[i]!) << (i & 7); break;
    case '<>': for (let i = from; i < to; i++) out[i >>> 3]! |= +(a[i]! !== b[i]!) << (i & 7); break;
    case '<': for (let i = from; i < to; i++) out[i >>> 3]! |= +(a[i]! < b[i]!) << (i & 7); break;
    case '<=': for (let i = from; i < to; i++) out[i >>> 3]! |= +(a[i]! <= b[i]!) << (i & 7); break;
    case '>': for (let i = from; i < to; i++) out[i >>> 3]! |= +(a[i]! > b[i]!) << (i & 7); break;
    case '>=': for (let i = from; i < to; i++) out[i >>> 3]! |= +(a[i]! >= b[i]!) << (i & 7); break;
  }
}

// Generated: rows [0, full) with full a multiple of 8, one output byte per 8 rows.

function compareF64Scalar(op: PlainCompareOp, a: Float64Array, b: number, full: number, out: Uint8Array): void {
  switch (op) {
    case '=':
      for (let i = 0; i < full; i += 8) out[i >>> 3] = +(a[i]! === b) | (+(a[i + 1]! === b) << 1) | (+(a[i + 2]! === b) << 2) | (+(a[i + 3]! === b) << 3) | (+(a[i + 4]! === b) << 4) | (+(a[i + 5]! === b) << 5) | (+(a[i + 6]! === b) << 6) | (+(a[i + 7]! === b) << 7);
      break;
    case '<>':
      for (let i = 0; i < full; i += 8) out[i >>> 3] = +(a[i]! !== b) | (+(a[i + 1]! !== b) << 1) | (+(a[i + 2]! !== b) << 2) | (+(a[i + 3]! !== b) << 3) | (+(a[i + 4]! !== b) << 4) | (+(a[i + 5]! !== b) << 5) | (+(a[i + 6]! !== b) << 6) | (+(a[i + 7]! !== b) << 7);
      break;
    case '<':
      for (let i = 0; i < full; i += 8) out[i >>> 3] = +(a[i]! < b) | (+(a[i + 1]! < b) << 1) | (+(a[i + 2]! < b) << 2) | (+(a[i + 3]! < b) << 3) | (+(a[i + 4]! < b) << 4) | (+(a[i + 5]! < b) << 5) | (+(a[i + 6]! < b) << 6) | (+(a[i + 7]! < b) << 7);
      break;
    case '<=':
      for (let i = 0; i < full; i += 8) out[i >>> 3] = +(a[i]! <= b) | (+(a[i + 1]! <= b) << 1) | (+(a[i + 2]! <= b) << 2) | (+(a[i + 3]! <= b) << 3) | (+(a[i + 4]! <= b) << 4) | (+(a[i + 5]! <= b) << 5) | (+(a[i + 6]! <= b) << 6) | (+(a[i + 7]! <= b) << 7);
      break;
    case '>':
      for (let i = 0; i < full; i += 8) out[i >>> 3] = +(a[i]! > b) | (+(a[i + 1]! > b) << 1) | (+(a[i + 2]! > b) << 2) | (+(a[i + 3]! > b) << 3) | (+(a[i + 4]! > b) << 4) | (+(a[i + 5]! > b) << 5) | (+(a[i + 6]! > b) << 6) | (+(a[i + 7]! > b) << 7);
      break;
    case '>=':
      for (let i = 0; i < full; i += 8) out[i >>> 3] = +(a[i]! >= b) | (+(a[i + 1]! >= b) << 1) | (+(a[i + 2]! >= b) << 2) | (+(a[i + 3]! >= b) << 3) | (+(a[i + 4]! >= b) << 4) | (+(a[i + 5]! >= b) << 5) | (+(a[i + 6]! >= b) << 6) | (+(a[i + 7]! >= b) << 7);
      break;
  }
}

function compareF64Arrays(op: PlainCompareOp, a: Float64Array, b: Float64Array, full: number, out: Uint8Array): void {
  switch (op) {
    case '=':
      for (let i = 0; i < full; i += 8) out[i >>> 3] = +(a[i]! === b[i]!) | (+(a[i + 1]! === b[i + 1]!) << 1) | (+(a[i + 2]! === b[i + 2]!) << 2) | (+(a[i + 3]! === b[i + 3]!) << 3) | (+(a[i + 4]! === b[i + 4]!) << 4) | (+(a[i + 5]! === b[i + 5]!) << 5) | (+(a[i + 6]! === b[i + 6]!) << 6) | (+(a[i + 7]! === b[i + 7]!) << 7);
      break;
    case '<>':
      for (let i = 0; i < full; i += 8) out[i >>> 3] = +(a[i]! !== b[i]!) | (+(a[i + 1]! !== b[i + 1]!) << 1) | (+(a[i + 2]! !== b[i + 2]!) << 2) | (+(a[i + 3]! !== b[i + 3]!) << 3) | (+(a[i + 4]! !== b[i + 4]!) << 4) | (+(a[i + 5]! !== b[i + 5]!) << 5) | (+(a[i + 6]! !== b[i + 6]!) << 6) | (+(a[i + 7]! !== b[i + 7]!) << 7);
      break;
    case '<':
      for (let i = 0; i < full; i += 8) out[i >>> 3] = +(a[i]! < b[i]!) | (+(a[i + 1]! < b[i + 1]!) << 1) | (+(a[i + 2]! < b[i + 2]!) << 2) | (+(a[i + 3]! < b[i + 3]!) << 3) | (+(a[i + 4]! < b[i + 4]!) << 4) | (+(a[i + 5]! < b[i + 5]!) << 5) | (+(a[i + 6]! < b[i + 6]!) << 6) | (+(a[i + 7]! < b[i + 7]!) << 7);
      break;
    case '<=':
      for (let i = 0; i < full; i += 8) out[i >>> 3] = +(a[i]! <= b[i]!) | (+(a[i + 1]! <= b[i + 1]!) << 1) | (+(a[i + 2]! <= b[i + 2]!) << 2) | (+(a[i + 3]! <= b[i + 3]!) << 3) | (+(a[i + 4]! <= b[i + 4]!) << 4) | (+(a[i + 5]! <= b[i + 5]!) << 5) | (+(a[i + 6]! <= b[i + 6]!) << 6) | (+(a[i + 7]! <= b[i + 7]!) << 7);
      break;
    case '>':
      for (let i = 0; i < full; i += 8) out[i >>> 3] = +(a[i]! > b[i]!) | (+(a[i + 1]! > b[i + 1]!) << 1) | (+(a[i + 2]! > b[i + 2]!) << 2) | (+(a[i + 3]! > b[i + 3]!) << 3) | (+(a[i + 4]! > b[i + 4]!) << 4) | (+(a[i + 5]! > b[i + 5]!) << 5) | (+(a[i + 6]! > b[i + 6]!) << 6) | (+(a[i + 7]! > b[i + 7]!) << 7);
      break;
    case '>=':
      for (let i = 0; i < full; i += 8) out[i >>> 3] = +(a[i]! >= b[i]!) | (+(a[i + 1]! >= b[i + 1]!) << 1) | (+(a[i + 2]! >= b[i + 2]!) << 2) | (+(a[i + 3]! >= b[i + 3]!) << 3) | (+(a[i + 4]! >= b[i + 4]!) << 4) | (+(a[i + 5]! >= b[i + 5]!) << 5) | (+(a[i + 6]! >= b[i + 6]!) << 6) | (+(a[i + 7]! >= b[i + 7]!) << 7);
      break;
  }
}

function compareI32Scalar(op: PlainCompareOp, a: Int32Array, b: number, full: number, out: Uint8Array): void {
  switch (op) {
    case '=':
      for (let i = 0; i < full; i += 8) out[i >>> 3] = +(a[i]! === b) | (+(a[i + 1]! === b) << 1) | (+(a[i + 2]! === b) << 2) | (+(a[i + 3]! === b) << 3) | (+(a[i + 4]! === b) << 4) | (+(a[i + 5]! === b) << 5) | (+(a[i + 6]! === b) << 6) | (+(a[i + 7]! === b) << 7);
      break;
    case '<>':
      for (let i = 0; i < full; i += 8) out[i >>> 3] = +(a[i]! !== b) | (+(a[i + 1]! !== b) << 1) | (+(a[i + 2]! !== b) << 2) | (+(a[i + 3]! !== b) << 3) | (+(a[i + 4]! !== b) << 4) | (+(a[i + 5]! !== b) << 5) | (+(a[i + 6]! !== b) << 6) | (+(a[i + 7]! !== b) << 7);
      break;
    case '<':
      for (let i = 0; i < full; i += 8) out[i >>> 3] = +(a[i]! < b) | (+(a[i + 1]! < b) << 1) | (+(a[i + 2]! < b) << 2) | (+(a[i + 3]! < b) << 3) | (+(a[i + 4]! < b) << 4) | (+(a[i + 5]! < b) << 5) | (+(a[i + 6]! < b) << 6) | (+(a[i + 7]! < b) << 7);
      break;
    case '<=':
      for (let i = 0; i < full; i += 8) out[i >>> 3] = +(a[i]! <= b) | (+(a[i + 1]! <= b) << 1) | (+(a[i + 2]! <= b) << 2) | (+(a[i + 3]! <= b) << 3) | (+(a[i + 4]! <= b) << 4) | (+(a[i + 5]! <= b) << 5) | (+(a[i + 6]! <= b) << 6) | (+(a[i + 7]! <= b) << 7);
      break;
    case '>':
      for (let i = 0; i < full; i += 8) out[i >>> 3] = +(a[i]! > b) | (+(a[i + 1]! > b) << 1) | (+(a[i + 2]! > b) << 2) | (+(a[i + 3]! > b) << 3) | (+(a[i + 4]! > b) << 4) | (+(a[i + 5]! > b) << 5) | (+(a[i + 6]! > b) << 6) | (+(a[i + 7]! > b) << 7);
      break;
    case '>=':
      for (let i = 0; i < full; i += 8) out[i >>> 3] = +(a[i]! >= b) | (+(a[i + 1]! >= b) << 1) | (+(a[i + 2]! >= b) << 2) | (+(a[i + 3]! >= b) << 3) | (+(a[i + 4]! >= b) << 4) | (+(a[i + 5]! >= b) << 5) | (+(a[i + 6]! >= b) << 6) | (+(a[i + 7]! >= b) << 7);
      break;
  }
}

function compareI32Arrays(op: PlainCompareOp, a: Int32Array, b: Int32Array, full: number, out: Uint8Array): void {
  switch (op) {
    case '=':
      for (let i = 0; i < full; i += 8) out[i >>> 3] = +(a[i]! === b[i]!) | (+(a[i + 1]! === b[i + 1]!) << 1) | (+(a[i + 2]! === b[i + 2]!) << 2) | (+(a[i + 3]! === b[i + 3]!) << 3) | (+(a[i + 4]! === b[i + 4]!) << 4) | (+(a[i + 5]! === b[i + 5]!) << 5) | (+(a[i + 6]! === b[i + 6]!) << 6) | (+(a[i + 7]! === b[i + 7]!) << 7);
      break;
    case '<>':
      for (let i = 0; i < full; i += 8) out[i >>> 3] = +(a[i]! !== b[i]!) | (+(a[i + 1]! !== b[i + 1]!) << 1) | (+(a[i + 2]! !== b[i + 2]!) << 2) | (+(a[i + 3]! !== b[i + 3]!) << 3) | (+(a[i + 4]! !== b[i + 4]!) << 4) | (+(a[i + 5]! !== b[i + 5]!) << 5) | (+(a[i + 6]! !== b[i + 6]!) << 6) | (+(a[i + 7]! !== b[i + 7]!) << 7);
      break;
    case '<':
      for (let i = 0; i < full; i += 8) out[i >>> 3] = +(a[i]! < b[i]!) | (+(a[i + 1]! < b[i + 1]!) << 1) | (+(a[i + 2]! < b[i + 2]!) << 2) | (+(a[i + 3]! < b[i + 3]!) << 3) | (+(a[i + 4]! < b[i + 4]!) << 4) | (+(a[i + 5]! < b[i + 5]!) << 5) | (+(a[i + 6]! < b[i + 6]!) << 6) | (+(a[i + 7]! < b[i + 7]!) << 7);
      break;
    case '<=':
      for (let i = 0; i < full; i += 8) out[i >>> 3] = +(a[i]! <= b[i]!) | (+(a[i + 1]! <= b[i + 1]!) << 1) | (+(a[i + 2]! <= b[i + 2]!) << 2) | (+(a[i + 3]! <= b[i + 3]!) << 3) | (+(a[i + 4]! <= b[i + 4]!) << 4) | (+(a[i + 5]! <= b[i + 5]!) << 5) | (+(a[i + 6]! <= b[i + 6]!) << 6) | (+(a[i + 7]! <= b[i + 7]!) << 7);
      break;
    case '>':
      for (let i = 0; i < full; i += 8) out[i >>> 3] = +(a[i]! > b[i]!) | (+(a[i + 1]! > b[i + 1]!) << 1) | (+(a[i + 2]! > b[i + 2]!) << 2) | (+(a[i + 3]! > b[i + 3]!) << 3) | (+(a[i + 4]! > b[i + 4]!) << 4) | (+(a[i + 5]! > b[i + 5]!) << 5) | (+(a[i + 6]! > b[i + 6]!) << 6) | (+(a[i + 7]! > b[i + 7]!) << 7);
      break;
    case '>=':
      for (let i = 0; i < full; i += 8) out[i >>> 3] = +(a[i]! >= b[i]!) | (+(a[i + 1]! >= b[i + 1]!) << 1) | (+(a[i + 2]! >= b[i + 2]!) << 2) | (+(a[i + 3]! >= b[i + 3]!) << 3) | (+(a[i + 4]! >= b[i + 4]!) << 4) | (+(a[i + 5]! >= b[i + 5]!) << 5) | (+(a[i + 6]! >= b[i + 6]!) << 6) | (+(a[i + 7]! >= b[i + 7]!) << 7);
      break;
  }
}
