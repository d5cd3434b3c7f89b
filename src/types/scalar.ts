import { Type } from 'apache-arrow';
import { assertNever } from '../common/index.js';
import { getBit, newBitmap, setBit } from './bitmap.js';
import { type Column, isDictionary, isNullAt, makeColumn, makeDictionaryColumn, stringAt, stringColumnFromValues, nullColumn } from './column.js';
import { decimalAt, formatDecimal, setDecimal } from './decimal128.js';
import { formatDate, formatIntervalDayTime, formatIntervalYearMonth, formatTimestamp, formatTimestampWithZone } from './temporal.js';
import type { SqlType } from './sql-type.js';
import { toArrowType } from './arrow-types.js';

/**
 * One SQL value in JavaScript, by type:
 *   boolean → boolean; tinyint, smallint, integer, real, double → number; bigint → bigint;
 *   decimal → bigint (the unscaled value); varchar → string; date → number (days since epoch);
 *   timestamp → bigint (µs, or ns when precision > 6); interval day to second → bigint µs;
 *   interval year to month → number (months); any NULL → null.
 * Used for literals, constant folding and results handed to users; never inside kernels' row loops.
 */
export type Scalar = null | boolean | number | bigint | string;

/** Value i of a column as a Scalar (slow path). */
export function scalarAt(col: Column, type: SqlType, i: number): Scalar {
  if (type.kind === 'unknown' || isNullAt(col, i)) return null;
  switch (type.kind) {
    case 'boolean': return getBit(col.values as Uint8Array, i);
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'real':
    case 'double':
    case 'date':
    case 'interval_year_month':
      return (col.values as Int32Array | Float64Array)[i]!;
    case 'bigint':
    case 'timestamp':
    case 'interval_day_time':
      return (col.values as BigInt64Array)[i]!;
    case 'decimal': return decimalAt(col.values as Uint32Array, i);
    case 'varchar': return stringAt(col, i);
    default: return assertNever(type, 'type');
  }
}

/** A column holding `values`, each already in the Scalar representation of `type`. */
export function columnFromScalars(type: SqlType, values: readonly Scalar[]): Column {
  const n = values.length;
  if (type.kind === 'unknown') return nullColumn(type, n);
  if (type.kind === 'varchar') return stringColumnFromValues(values.map((v) => (v === null ? null : String(v))));
  let valid: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    if (values[i] === null) {
      valid ??= newBitmap(n, true);
      valid[i >>> 3]! &= ~(1 << (i & 7));
    }
  }
  switch (type.kind) {
    case 'boolean': {
      const bits = newBitmap(n);
      for (let i = 0; i < n; i++) if (values[i] === true) setBit(bits, i);
      return makeColumn(type, n, bits, valid);
    }
    case 'decimal': {
      const words = new Uint32Array(4 * n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v !== null && v !== undefined) setDecimal(words, i, BigInt(v as bigint | number));
      }
      return makeColumn(type, n, words, valid);
    }
    case 'bigint':
    case 'timestamp':
    case 'interval_day_time': {
      const a = new BigInt64Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v !== null && v !== undefined) a[i] = BigInt(v as bigint | number);
      }
      return makeColumn(type, n, a, valid);
    }
    default: {
      const Ctor = (toArrowType(type) as unknown as { ArrayType: new (n: number) => { [k: number]: number } & ArrayBufferView }).ArrayType;
      const a = new Ctor(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v !== null && v !== undefined) a[i] = Number(v);
      }
      return makeColumn(type, n, a, valid);
    }
  }
}

/** A column repeating one scalar `length` times. */
export function broadcastScalar(type: SqlType, value: Scalar, length: number): Column {
  if (value === null) return nullColumn(type, length);
  if (type.kind === 'varchar') {
    // One dictionary entry shared by every row: O(1) bytes whatever the length.
    const dict = stringColumnFromValues([String(value)]);
    return makeDictColumnOfOne(dict, length);
  }
  const values = new Array<Scalar>(length).fill(value);
  return columnFromScalars(type, values);
}

function makeDictColumnOfOne(dict: Column, length: number): Column {
  return makeDictionaryColumn(length, new Int32Array(length), dict, null);
}

/**
 * The text of a value as Shoal prints it in CSV and tables: DATE `YYYY-MM-DD`, TIMESTAMP `YYYY-MM-DD HH:MM:SS`
 * with only significant fraction digits, DECIMAL in plain notation with its scale, DOUBLE in the shortest
 * round-trip form, booleans `true`/`false`. NULL is returned as null for the caller to render.
 */
export function formatScalar(value: Scalar, type: SqlType): string | null {
  if (value === null) return null;
  switch (type.kind) {
    case 'unknown': return null;
    case 'boolean': return value ? 'true' : 'false';
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'bigint':
      return String(value);
    case 'real':
    case 'double':
      return formatDouble(value as number);
    case 'decimal': return formatDecimal(value as bigint, type.scale);
    case 'varchar': return value as string;
    case 'date': return formatDate(value as number);
    case 'timestamp':
      if (type.withTimeZone) return formatTimestampWithZone(value as bigint, type.precision, type.zone ?? 'UTC');
      return formatTimestamp(value as bigint, type.precision > 6 ? 1_000_000_000 : 1_000_000);
    case 'interval_day_time': return formatIntervalDayTime(value as bigint);
    case 'interval_year_month': return formatIntervalYearMonth(value as number);
    default: return assertNever(type, 'type');
  }
}

/** Doubles print like DuckDB and Trino's CLI: integral values without exponent up to 1e15, else shortest form. */
export function formatDouble(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (Object.is(v, -0)) return '-0.0';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return `${v}.0`;
  return String(v);
}

/** True when the column is in the layout Shoal's kernels expect for `type` (a debugging aid and test check). */
export function hasCanonicalLayout(col: Column, type: SqlType): boolean {
  if (col.offset !== 0) return false;
  if (type.kind === 'varchar') return col.typeId === Type.Utf8 || isDictionary(col);
  return col.typeId === toArrowType(type).typeId;
}

/**
 * Orders two non-null values of one type: numbers and BigInts numerically, strings by code point (UTF-8 byte
 * order), booleans false < true. Returns negative, zero or positive.
 */
export function compareValuesOfType(a: Scalar, b: Scalar, _type: SqlType): number {
  if (typeof a === 'string' && typeof b === 'string') {
    if (a === b) return 0;
    // Code point order, not UTF-16 unit order.
    const ia = a[Symbol.iterator](), ib = b[Symbol.iterator]();
    for (;;) {
      const x = ia.next(), y = ib.next();
      if (x.done === true) return y.done === true ? 0 : -1;
      if (y.done === true) return 1;
      const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
      if (d !== 0) return d;
    }
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return (a ? 1 : 0) - (b ? 1 : 0);
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    const x = BigInt(a as bigint | number), y = BigInt(b as bigint | number);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = a as number, y = b as number;
  return x < y ? -1 : x > y ? 1 : 0;
}
