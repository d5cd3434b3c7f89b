import { getBit, int32View, validity, type Column, type SqlType } from '../../types/index.js';
import { integerKeyWidth } from './integer-key.js';

/** |hi word| < 2^21: the 64-bit integer is exact as a double. */
const SAFE_HI = 0x200000;
const TWO_53 = 2 ** 53;

/**
 * Integer-like keys (integer kinds, dates, timestamps, intervals) packed into one exact double per row:
 * Σ (v_k − min_k) × scale_k, where each v_k lies in [min_k, min_k + range_k) and `total` = Π range_k ≤ 2^53.
 * Built from one side of a join (its ranges); a row of the other side outside them cannot match.
 */
export interface KeyPacking {
  readonly types: readonly SqlType[];
  readonly mins: readonly number[];
  readonly ranges: readonly number[];
  /** Number of distinct packed values: packed keys lie in [0, total). */
  readonly total: number;
}

/** One integer-like key as exact doubles; NaN marks a NULL or (64-bit) a value past 2^53. */
function keyValues(col: Column, type: SqlType, rows: number): Float64Array {
  const out = new Float64Array(rows);
  if (integerKeyWidth(type) === 2) {
    const w = int32View(col.values as BigInt64Array);
    for (let i = 0; i < rows; i++) {
      const hi = w[2 * i + 1]!;
      out[i] = hi < SAFE_HI && hi >= -SAFE_HI ? hi * 4294967296 + (w[2 * i]! >>> 0) : Number.NaN;
    }
  } else {
    const v = col.values as Int32Array;
    for (let i = 0; i < rows; i++) out[i] = v[i]!;
  }
  const valid = validity(col);
  if (valid !== null) for (let i = 0; i < rows; i++) if (!getBit(valid, i)) out[i] = Number.NaN;
  return out;
}

/**
 * The packing of `cols` (rows of one side), or null when a key is not integer-like, a non-NULL value is past
 * 2^53, or the ranges multiply past 2^53.
 */
export function planPacking(types: readonly SqlType[], cols: readonly Column[], rows: number): KeyPacking | null {
  if (types.length === 0 || types.some((t) => integerKeyWidth(t) === 0)) return null;
  const mins: number[] = [], ranges: number[] = [];
  let total = 1;
  for (let k = 0; k < types.length; k++) {
    const v = keyValues(cols[k]!, types[k]!, rows);
    const valid = validity(cols[k]!);
    let min = Number.POSITIVE_INFINITY, max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < rows; i++) {
      const x = v[i]!;
      if (x !== x) {
        if (valid === null || getBit(valid, i)) return null; // past 2^53
        continue;
      }
      if (x < min) min = x;
      if (x > max) max = x;
    }
    if (min > max) {
      min = 0;
      max = 0;
    }
    mins.push(min);
    ranges.push(max - min + 1);
    total *= max - min + 1;
    if (total > TWO_53) return null;
  }
  return { types, mins, ranges, total };
}

/** Packed keys of `rows` rows: NaN where a key is NULL, past 2^53 or outside the packing's range. */
export function packKeys(p: KeyPacking, cols: readonly Column[], rows: number): Float64Array {
  const out = new Float64Array(rows);
  let scale = 1;
  for (let k = p.types.length - 1; k >= 0; k--) {
    const col = cols[k]!;
    const min = p.mins[k]!, range = p.ranges[k]!;
    // d − min outside [0, range) (including NaN: a 64-bit value past 2^53) poisons the row with NaN, which then
    // stays NaN through the other keys' additions.
    if (integerKeyWidth(p.types[k]!) === 2) {
      const w = int32View(col.values as BigInt64Array);
      for (let i = 0; i < rows; i++) {
        const hi = w[2 * i + 1]!;
        const d = (hi < SAFE_HI && hi >= -SAFE_HI ? hi * 4294967296 + (w[2 * i]! >>> 0) : Number.NaN) - min;
        out[i] = d >= 0 && d < range ? out[i]! + d * scale : Number.NaN;
      }
    } else {
      const v = col.values as Int32Array;
      for (let i = 0; i < rows; i++) {
        const d = v[i]! - min;
        out[i] = d >= 0 && d < range ? out[i]! + d * scale : Number.NaN;
      }
    }
    const valid = validity(col);
    if (valid !== null) for (let i = 0; i < rows; i++) if (!getBit(valid, i)) out[i] = Number.NaN;
    scale *= range;
  }
  return out;
}

/** Whether any of the key columns is NULL, per row. */
export function anyNullKey(cols: readonly Column[], rows: number): Uint8Array {
  const out = new Uint8Array(rows);
  for (const c of cols) {
    const valid = validity(c);
    if (valid !== null) for (let i = 0; i < rows; i++) if (!getBit(valid, i)) out[i] = 1;
  }
  return out;
}
