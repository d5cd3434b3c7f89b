import { formatValue, type Scalar, type SqlType } from '../engine/index.js';

/** Text of a value for table, CSV and TSV output (DESIGN §5); null for NULL. */
export function renderValue(v: Scalar, t: SqlType): string | null {
  return formatValue(v, t);
}

export function isNumericType(t: SqlType): boolean {
  return ['tinyint', 'smallint', 'integer', 'bigint', 'real', 'double', 'decimal'].includes(t.kind);
}
