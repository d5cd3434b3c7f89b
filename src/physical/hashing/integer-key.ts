import { int32View, type Column, type SqlType } from '../../types/index.js';

/**
 * Words per row of one integer-like key hashed by its bits alone (no key encoder, no NULL word): 1 for the
 * 32-bit kinds, 2 for the 64-bit ones, 0 when the type is not integer-like (floats need -0 / NaN folding,
 * strings interning). NULL rows must be handled by the caller, by validity.
 */
export function integerKeyWidth(type: SqlType): number {
  switch (type.kind) {
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'date':
    case 'interval_year_month':
      return 1;
    case 'bigint':
    case 'timestamp':
    case 'interval_day_time':
      return 2;
    default:
      return 0;
  }
}

/** The key's words (rows × integerKeyWidth): the column's own buffer where it already is Int32 words. */
export function integerKeyWords(col: Column, type: SqlType, rows: number): Int32Array {
  const v = col.values;
  if (integerKeyWidth(type) === 2) return int32View(v as BigInt64Array);
  if (v instanceof Int32Array) return v;
  const out = new Int32Array(rows);
  const narrow = v as Int8Array | Int16Array;
  for (let i = 0; i < rows; i++) out[i] = narrow[i]!;
  return out;
}
