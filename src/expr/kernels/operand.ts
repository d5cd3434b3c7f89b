import { broadcastScalar, type Column, type ColumnarValue, type SqlType, validity } from '../../types/index.js';
import { numberView, scalarNumber } from '../../types/index.js';

/** A scalar operand filled out to `rows` doubles, or a column's exact number view; null when not exact. */
export function numbersOf(v: ColumnarValue, type: SqlType, rows: number): ArrayLike<number> | null {
  if (v.kind === 'array') return numberView(v.column, type);
  const n = scalarNumber(v.value);
  if (n === null) return null;
  return new Float64Array(rows).fill(n);
}

/** The operand as a column (scalars broadcast): for slow paths that need per-row access. */
export function columnOf(v: ColumnarValue, type: SqlType, rows: number): Column {
  return v.kind === 'array' ? v.column : broadcastScalar(type, v.value, rows);
}

/** Validity of the operand (null = all valid); a NULL scalar is reported by `isNullScalar`. */
export function validityOf(v: ColumnarValue): Uint8Array | null {
  return v.kind === 'array' ? validity(v.column) : null;
}

export function isNullScalar(v: ColumnarValue): boolean {
  return v.kind === 'scalar' && v.value === null;
}
