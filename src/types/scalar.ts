import { Type } from 'apache-arrow';
import { assertNever, internalError } from '../common/index.js';
import { getBit, newBitmap, setBit } from './bitmap.js';
import { type Column, isDictionary, isNullAt, makeColumn, makeDictionaryColumn, stringAt, stringColumnFromValues, nullColumn } from './column.js';
import { decimalAt, formatDecimal, setDecimal } from './decimal128.js';
import { formatDate, formatIntervalDayTime, formatIntervalYearMonth, formatTimestamp, formatTimestampWithZone } from './temporal.js';
import { isNestedKind, type SqlType } from './sql-type.js';
import { toArrowType } from './arrow-types.js';
import { listElements, listOffsets, makeListColumn, makeMapColumn, makeRowColumn, mapEntries, rowFieldColumn } from './nested.js';

/**
 * One SQL value in JavaScript, by type:
 *   boolean → boolean; tinyint, smallint, integer, real, double → number; bigint → bigint;
 *   decimal → bigint (the unscaled value); varchar → string; date → number (days since epoch);
 *   timestamp → bigint (µs, or ns when precision > 6); interval day to second → bigint µs;
 *   interval year to month → number (months); array → Scalar[] of its elements; map → Map from key to value
 *   (keys are never NULL); row → Scalar[] of its fields by position; any NULL → null.
 * Used for literals, constant folding and results handed to users; never inside kernels' row loops.
 */
export type Scalar = null | boolean | number | bigint | string | readonly Scalar[] | ReadonlyMap<Scalar, Scalar>;

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
    case 'array': {
      const o = listOffsets(col), el = listElements(col);
      const out: Scalar[] = [];
      for (let k = o[i]!; k < o[i + 1]!; k++) out.push(scalarAt(el, type.element, k));
      return out;
    }
    case 'map': {
      const o = listOffsets(col), { keys, values } = mapEntries(col);
      const out = new Map<Scalar, Scalar>();
      for (let k = o[i]!; k < o[i + 1]!; k++) out.set(scalarAt(keys, type.key, k), scalarAt(values, type.value, k));
      return out;
    }
    case 'row': return type.fields.map((f, k) => scalarAt(rowFieldColumn(col, k), f.type, i));
    default: return assertNever(type, 'type');
  }
}

function validityOfScalars(values: readonly Scalar[]): Uint8Array | null {
  let valid: Uint8Array | null = null;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === null) {
      valid ??= newBitmap(values.length, true);
      valid[i >>> 3]! &= ~(1 << (i & 7));
    }
  }
  return valid;
}

/** columnFromScalars for array, map and row values (nested varchar children are plain Utf8). */
function nestedFromScalars(type: SqlType, values: readonly Scalar[]): Column {
  const n = values.length;
  const valid = validityOfScalars(values);
  const plain = (t: SqlType, vs: readonly Scalar[]): Column => {
    const c = columnFromScalars(t, vs);
    return t.kind === 'varchar' && isDictionary(c) ? stringColumnFromValues(vs as readonly (string | null)[]) : c;
  };
  switch (type.kind) {
    case 'array': {
      const offsets = new Int32Array(n + 1);
      const flat: Scalar[] = [];
      for (let i = 0; i < n; i++) {
        const v = values[i] as readonly Scalar[] | null;
        if (v !== null) flat.push(...v);
        offsets[i + 1] = flat.length;
      }
      return makeListColumn(type, n, offsets, plain(type.element, flat), valid);
    }
    case 'map': {
      const offsets = new Int32Array(n + 1);
      const ks: Scalar[] = [], vs: Scalar[] = [];
      for (let i = 0; i < n; i++) {
        const m = values[i] as ReadonlyMap<Scalar, Scalar> | null;
        if (m !== null) for (const [k, v] of m) { ks.push(k); vs.push(v); }
        offsets[i + 1] = ks.length;
      }
      return makeMapColumn(type, n, offsets, plain(type.key, ks), plain(type.value, vs), valid);
    }
    case 'row':
      return makeRowColumn(type, n, type.fields.map((f, k) => plain(f.type, values.map((v) => (v === null ? null : (v as readonly Scalar[])[k] ?? null)))), valid);
    default:
      throw internalError(`not a nested type: ${type.kind}`);
  }
}

/** A column holding `values`, each already in the Scalar representation of `type`. */
export function columnFromScalars(type: SqlType, values: readonly Scalar[]): Column {
  const n = values.length;
  if (type.kind === 'unknown') return nullColumn(type, n);
  if (type.kind === 'varchar') return stringColumnFromValues(values.map((v) => (v === null ? null : String(v))));
  if (isNestedKind(type.kind)) return nestedFromScalars(type, values);
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
  switch (type.kind) {
    case 'boolean': {
      const bits = newBitmap(length, value === true);
      return makeColumn(type, length, bits, null);
    }
    case 'bigint':
    case 'timestamp':
    case 'interval_day_time':
      return makeColumn(type, length, new BigInt64Array(length).fill(BigInt(value as bigint | number)), null);
    case 'decimal': {
      // Four words per value: fill the first row and copy it along (no per-row BigInt).
      const words = new Uint32Array(4 * length);
      if (length > 0) {
        setDecimal(words, 0, BigInt(value as bigint | number));
        for (let filled = 4; filled < words.length; filled *= 2) words.copyWithin(filled, 0, Math.min(filled, words.length - filled));
      }
      return makeColumn(type, length, words, null);
    }
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'real':
    case 'double':
    case 'date':
    case 'interval_year_month': {
      const Ctor = (toArrowType(type) as unknown as { ArrayType: new (n: number) => { fill(v: number): unknown } & ArrayBufferView }).ArrayType;
      const a = new Ctor(length);
      a.fill(Number(value));
      return makeColumn(type, length, a, null);
    }
    default:
      // Nested and unknown types: the general path (rare; constant lists or rows).
      return columnFromScalars(type, new Array<Scalar>(length).fill(value));
  }
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
    // Nested values print as Trino's CLI prints them: [1, 2], {k=v}, {x=1, y=abc}; NULL inside as NULL.
    case 'array': return `[${(value as readonly Scalar[]).map((v) => formatScalar(v, type.element) ?? 'NULL').join(', ')}]`;
    case 'map': return `{${[...(value as ReadonlyMap<Scalar, Scalar>)].map(([k, v]) => `${formatScalar(k, type.key) ?? 'NULL'}=${formatScalar(v, type.value) ?? 'NULL'}`).join(', ')}}`;
    case 'row':
      return `{${(value as readonly Scalar[]).map((v, k) => {
        const f = type.fields[k]!;
        const text = formatScalar(v, f.type) ?? 'NULL';
        return f.name === undefined ? text : `${f.name}=${text}`;
      }).join(', ')}}`;
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
