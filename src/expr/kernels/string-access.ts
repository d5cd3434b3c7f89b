import { isDictionary, dictionaryOf, type Column } from '../../types/index.js';

/**
 * Uniform byte-level access to a varchar column, plain or dictionary-encoded: row i's bytes are
 * bytes[offsets[k]..offsets[k+1]) with k = codes ? codes[i] : i.
 */
export interface StringAccess {
  readonly offsets: Int32Array;
  readonly bytes: Uint8Array;
  readonly codes: Int32Array | null;
}

export function stringAccess(col: Column): StringAccess {
  if (isDictionary(col)) {
    const d = dictionaryOf(col);
    return { offsets: d.valueOffsets as Int32Array, bytes: d.values as Uint8Array, codes: col.values as Int32Array };
  }
  return { offsets: col.valueOffsets as Int32Array, bytes: col.values as Uint8Array, codes: null };
}

/** Lexicographic comparison of two byte ranges: UTF-8 byte order is code point order. */
export function compareBytes(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): number {
  const la = ae - as, lb = be - bs;
  const n = la < lb ? la : lb;
  for (let k = 0; k < n; k++) {
    const d = a[as + k]! - b[bs + k]!;
    if (d !== 0) return d;
  }
  return la - lb;
}

