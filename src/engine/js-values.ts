import { assertNever } from '../common/index.js';
import { formatDecimal, formatScalar, type Scalar, type SqlType } from '../types/index.js';

/** A value as handed to JavaScript callers by toArray(): exact, and easy to print or compare. */
export type JsValue = null | boolean | number | bigint | string;

/**
 * Plain JavaScript for one value: numbers for 8–32-bit integers and floats, bigint for bigint, strings for
 * decimal (exact, with its scale), date (`YYYY-MM-DD`), timestamp and intervals.
 */
export function toJsValue(v: Scalar, t: SqlType): JsValue {
  if (v === null) return null;
  switch (t.kind) {
    case 'unknown': return null;
    case 'boolean':
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'real':
    case 'double':
    case 'bigint':
    case 'varchar':
      return v;
    case 'decimal': return formatDecimal(v as bigint, t.scale);
    case 'date':
    case 'timestamp':
    case 'interval_day_time':
    case 'interval_year_month':
      return formatScalar(v, t);
    default: return assertNever(t, 'type');
  }
}
