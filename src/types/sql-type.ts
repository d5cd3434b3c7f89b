/**
 * Shoal's SQL types, named and behaving as Trino's. The physical (Arrow) layout of each is fixed in
 * arrow-types.ts; the JavaScript representation of a single value in scalar.ts.
 */
export type SqlType =
  | { readonly kind: 'unknown' } // the type of a bare NULL
  | { readonly kind: 'boolean' }
  | { readonly kind: 'tinyint' }
  | { readonly kind: 'smallint' }
  | { readonly kind: 'integer' }
  | { readonly kind: 'bigint' }
  | { readonly kind: 'real' }
  | { readonly kind: 'double' }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'varchar'; readonly length?: number } // no length: unbounded
  | { readonly kind: 'date' }
  /**
   * `zone` (WITH TIME ZONE only) is the zone the values display in: an IANA name or ±HH:MM; absent means UTC.
   * Values are instants, so the zone never changes comparisons, hashing or typesEqual; the binder sets it
   * (the session zone, a literal's zone, AT TIME ZONE's zone). See time-zones.ts and arrow-types.ts.
   */
  | { readonly kind: 'timestamp'; readonly precision: number; readonly withTimeZone: boolean; readonly zone?: string | undefined }
  | { readonly kind: 'interval_day_time' }
  | { readonly kind: 'interval_year_month' }
  | { readonly kind: 'array'; readonly element: SqlType }
  | { readonly kind: 'map'; readonly key: SqlType; readonly value: SqlType }
  | { readonly kind: 'row'; readonly fields: readonly RowField[] };

/** A field of a ROW type; anonymous fields (ROW(1, 'a') without CAST) have no name. */
export interface RowField {
  readonly name?: string | undefined;
  readonly type: SqlType;
}

export type TypeKind = SqlType['kind'];

export const UNKNOWN: SqlType = { kind: 'unknown' };
export const BOOLEAN: SqlType = { kind: 'boolean' };
export const TINYINT: SqlType = { kind: 'tinyint' };
export const SMALLINT: SqlType = { kind: 'smallint' };
export const INTEGER: SqlType = { kind: 'integer' };
export const BIGINT: SqlType = { kind: 'bigint' };
export const REAL: SqlType = { kind: 'real' };
export const DOUBLE: SqlType = { kind: 'double' };
export const VARCHAR: SqlType = { kind: 'varchar' };
export const DATE: SqlType = { kind: 'date' };
export const INTERVAL_DAY_TIME: SqlType = { kind: 'interval_day_time' };
export const INTERVAL_YEAR_MONTH: SqlType = { kind: 'interval_year_month' };

export const MAX_DECIMAL_PRECISION = 38;

export function decimalType(precision: number, scale: number): SqlType {
  return { kind: 'decimal', precision, scale };
}

export function varcharType(length?: number): SqlType {
  return length === undefined ? VARCHAR : { kind: 'varchar', length };
}

export function timestampType(precision: number, withTimeZone = false, zone?: string): SqlType {
  return withTimeZone && zone !== undefined ? { kind: 'timestamp', precision, withTimeZone, zone } : { kind: 'timestamp', precision, withTimeZone };
}

/** The display zone of a timestamp type (UTC when none is set). */
export function zoneOf(t: SqlType): string {
  return t.kind === 'timestamp' && t.zone !== undefined ? t.zone : 'UTC';
}

/** `t` with display zone `zone` when it is a TIMESTAMP WITH TIME ZONE type; other types unchanged. */
export function withZone(t: SqlType, zone: string): SqlType {
  return t.kind === 'timestamp' && t.withTimeZone ? { ...t, zone } : t;
}

export function arrayType(element: SqlType): SqlType {
  return { kind: 'array', element };
}

export function mapType(key: SqlType, value: SqlType): SqlType {
  return { kind: 'map', key, value };
}

export function rowType(fields: readonly RowField[]): SqlType {
  return { kind: 'row', fields };
}

/** ARRAY, MAP and ROW: values with an inner structure (kernels for scalars do not apply to them). */
export function isNestedKind(k: TypeKind): k is 'array' | 'map' | 'row' {
  return k === 'array' || k === 'map' || k === 'row';
}

export function isIntegerKind(k: TypeKind): k is 'tinyint' | 'smallint' | 'integer' | 'bigint' {
  return k === 'tinyint' || k === 'smallint' || k === 'integer' || k === 'bigint';
}

export function typesEqual(a: SqlType, b: SqlType): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'decimal':
      return b.kind === 'decimal' && a.precision === b.precision && a.scale === b.scale;
    case 'varchar':
      return b.kind === 'varchar' && a.length === b.length;
    case 'timestamp':
      return b.kind === 'timestamp' && a.precision === b.precision && a.withTimeZone === b.withTimeZone;
    case 'array':
      return b.kind === 'array' && typesEqual(a.element, b.element);
    case 'map':
      return b.kind === 'map' && typesEqual(a.key, b.key) && typesEqual(a.value, b.value);
    case 'row':
      return b.kind === 'row' && a.fields.length === b.fields.length
        && a.fields.every((f, i) => f.name === b.fields[i]!.name && typesEqual(f.type, b.fields[i]!.type));
    default:
      return true;
  }
}

/**
 * Trino's display name: `integer`, `decimal(15,2)`, `varchar(10)`, `timestamp(6) with time zone`,
 * `array(integer)`, `map(varchar, bigint)`, `row(x integer, y varchar)` (anonymous fields: `row(integer, varchar)`).
 */
export function typeName(t: SqlType): string {
  switch (t.kind) {
    case 'decimal':
      return `decimal(${t.precision},${t.scale})`;
    case 'varchar':
      return t.length === undefined ? 'varchar' : `varchar(${t.length})`;
    case 'timestamp':
      return `timestamp(${t.precision})${t.withTimeZone ? ' with time zone' : ''}`;
    case 'interval_day_time':
      return 'interval day to second';
    case 'interval_year_month':
      return 'interval year to month';
    case 'array':
      return `array(${typeName(t.element)})`;
    case 'map':
      return `map(${typeName(t.key)}, ${typeName(t.value)})`;
    case 'row':
      return `row(${t.fields.map((f) => (f.name === undefined ? typeName(f.type) : `${fieldNameText(f.name)} ${typeName(f.type)}`)).join(', ')})`;
    default:
      return t.kind;
  }
}

/** A row field name as written in a type name: plain when it is a simple lower-case identifier, else quoted. */
function fieldNameText(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}
