import { assertNever } from '../common/index.js';
import { formatDecimal, formatScalar, type Scalar, type SqlType } from '../types/index.js';

/**
 * A value as handed to JavaScript callers by toArray(): exact, and easy to print or compare. Arrays are JS arrays,
 * maps are JS Maps (keys of any type), rows are plain objects keyed by field name (`field0`… when anonymous).
 */
export type JsValue = null | boolean | number | bigint | string | readonly JsValue[] | ReadonlyMap<JsValue, JsValue> | { readonly [field: string]: JsValue };

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
      return v as JsValue;
    case 'decimal': return formatDecimal(v as bigint, t.scale);
    case 'date':
    case 'timestamp':
    case 'interval_day_time':
    case 'interval_year_month':
      return formatScalar(v, t);
    case 'array': return (v as readonly Scalar[]).map((x) => toJsValue(x, t.element));
    case 'map': return new Map([...(v as ReadonlyMap<Scalar, Scalar>)].map(([k, x]) => [toJsValue(k, t.key), toJsValue(x, t.value)]));
    case 'row': return Object.fromEntries(t.fields.map((f, i) => [f.name ?? `field${i}`, toJsValue((v as readonly Scalar[])[i] ?? null, f.type)]));
    default: return assertNever(t, 'type');
  }
}
