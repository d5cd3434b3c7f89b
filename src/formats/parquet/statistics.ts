/**
 * Column-chunk statistics as Shoal Scalars in the column's SQL type representation (types/scalar.ts): integers as
 * number (bigint for bigint), decimals as the unscaled bigint, dates as day numbers, timestamps as bigint µs (ns
 * for precision > 6), strings as JS strings, booleans, reals/doubles as numbers.
 *
 * Pruning treats a missing bound as "keep", so every rule here errs towards leaving a bound out:
 *  - min_value/max_value are used unless the file declares a column order this reader does not know;
 *  - the deprecated min/max (signed order in old writers) only for BOOLEAN, signed INT32/INT64 (plain integers,
 *    DATE, TIMESTAMP), FLOAT and DOUBLE; never for byte arrays, unsigned integers, decimals, FLOAT16 or INT96;
 *  - a bound that is NaN drops both; a float min of +0 becomes -0 and a max of -0 becomes +0 (the spec's rule);
 *  - string bounds that are not valid UTF-8, or that hold a UTF-16 code unit ≥ 0xD800 (where JavaScript's string
 *    order and Parquet's byte order disagree), are left out; truncated (inexact) string bounds stay: a truncated
 *    min is still a lower bound and writers round a truncated max up;
 *  - a bound that does not fit the SQL type (a decimal beyond its precision) or a min greater than the max drops
 *    both; a null count outside [0, rows] is left out.
 */
import type { SchemaElement } from 'hyparquet';
import { decimalLimit, type Scalar, type SqlType } from '../../types/index.js';
import { halfToFloat } from '../arrow-normalize.js';
import type { ParquetColumnStatistics } from './parquet-api.js';
import type { RawStatistics } from './raw-footer.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isUnsigned(e: SchemaElement): boolean {
  const lt = e.logical_type;
  if (lt?.type === 'INTEGER') return !lt.isSigned;
  return e.converted_type?.startsWith('UINT_') === true;
}

function isDecimal(e: SchemaElement): boolean {
  return e.logical_type?.type === 'DECIMAL' || e.converted_type === 'DECIMAL';
}

/** Whether the deprecated min/max fields (signed comparison) can be trusted for this column. */
function deprecatedUsable(e: SchemaElement): boolean {
  switch (e.type) {
    case 'BOOLEAN':
    case 'FLOAT':
    case 'DOUBLE':
      return true;
    case 'INT32':
    case 'INT64':
      return !isUnsigned(e) && !isDecimal(e);
    default:
      return false;
  }
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** A big-endian two's complement integer of any length (DECIMAL on byte arrays). */
function bigEndianSigned(b: Uint8Array): bigint {
  let v = 0n;
  for (const byte of b) v = (v << 8n) | BigInt(byte);
  return b.length > 0 && b[0]! >= 0x80 ? v - (1n << BigInt(8 * b.length)) : v;
}

function decimalBound(e: SchemaElement, b: Uint8Array): bigint | undefined {
  switch (e.type) {
    case 'INT32': return b.length === 4 ? BigInt(view(b).getInt32(0, true)) : undefined;
    case 'INT64': return b.length === 8 ? view(b).getBigInt64(0, true) : undefined;
    case 'BYTE_ARRAY':
    case 'FIXED_LEN_BYTE_ARRAY':
      return b.length >= 1 && b.length <= 32 ? bigEndianSigned(b) : undefined;
    default: return undefined;
  }
}

function stringBound(b: Uint8Array): string | undefined {
  let s: string;
  try {
    s = strictUtf8.decode(b);
  } catch {
    return undefined;
  }
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0xd800) return undefined;
  return s;
}

/** Raw INT64 timestamp in the file's unit → the SQL type's unit (µs for precision ≤ 6, else ns); never narrows. */
function timestampBound(e: SchemaElement, type: SqlType & { kind: 'timestamp' }, raw: bigint): bigint | undefined {
  const lt = e.logical_type;
  const unit = lt?.type === 'TIMESTAMP' ? lt.unit : e.converted_type === 'TIMESTAMP_MILLIS' ? 'MILLIS' : 'MICROS';
  const fileUnitsPerSecond = unit === 'MILLIS' ? 1_000n : unit === 'MICROS' ? 1_000_000n : 1_000_000_000n;
  const sqlUnitsPerSecond = type.precision > 6 ? 1_000_000_000n : 1_000_000n;
  if (fileUnitsPerSecond > sqlUnitsPerSecond) return undefined;
  return raw * (sqlUnitsPerSecond / fileUnitsPerSecond);
}

/** One bound decoded to the Scalar representation of `type`, or undefined when unusable. */
function decodeBound(e: SchemaElement, type: SqlType, b: Uint8Array): Scalar | undefined {
  switch (type.kind) {
    case 'boolean':
      return e.type === 'BOOLEAN' && b.length >= 1 ? b[0] !== 0 : undefined;
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'date': {
      if (e.type !== 'INT32' || b.length !== 4) return undefined;
      const v = isUnsigned(e) ? view(b).getUint32(0, true) : view(b).getInt32(0, true);
      const bits = type.kind === 'tinyint' ? 8 : type.kind === 'smallint' ? 16 : 32;
      const lo = -(2 ** (bits - 1));
      return v >= lo && v < -lo ? v : undefined;
    }
    case 'bigint':
      if (e.type === 'INT32' && b.length === 4) return BigInt(isUnsigned(e) ? view(b).getUint32(0, true) : view(b).getInt32(0, true));
      return e.type === 'INT64' && b.length === 8 ? view(b).getBigInt64(0, true) : undefined;
    case 'decimal': {
      const v = e.type === 'INT64' && isUnsigned(e) ? (b.length === 8 ? view(b).getBigUint64(0, true) : undefined) : decimalBound(e, b);
      const limit = decimalLimit(type.precision);
      return v !== undefined && v < limit && v > -limit ? v : undefined;
    }
    case 'real':
    case 'double': {
      let v: number | undefined;
      if (e.type === 'FLOAT' && b.length === 4) v = view(b).getFloat32(0, true);
      else if (e.type === 'DOUBLE' && b.length === 8) v = view(b).getFloat64(0, true);
      else if (e.type === 'FIXED_LEN_BYTE_ARRAY' && b.length === 2) v = halfToFloat(view(b).getUint16(0, true));
      return v;
    }
    case 'varchar':
      return e.type === 'BYTE_ARRAY' ? stringBound(b) : undefined;
    case 'timestamp':
      return e.type === 'INT64' && b.length === 8 ? timestampBound(e, type, view(b).getBigInt64(0, true)) : undefined;
    default:
      return undefined;
  }
}

function lessThan(a: Scalar, b: Scalar): boolean {
  return (a as number | bigint | string) < (b as number | bigint | string);
}

/** Both bounds, or neither when either is unusable or they contradict each other. */
function bounds(e: SchemaElement, type: SqlType, minBytes: Uint8Array, maxBytes: Uint8Array): { min: Scalar; max: Scalar } | undefined {
  let min = decodeBound(e, type, minBytes);
  let max = decodeBound(e, type, maxBytes);
  if (min === undefined || max === undefined || min === null || max === null) return undefined;
  if (typeof min === 'number' && typeof max === 'number') {
    if (Number.isNaN(min) || Number.isNaN(max)) return undefined;
    if (Object.is(min, 0)) min = -0;
    if (Object.is(max, -0)) max = 0;
  }
  if (typeof min === 'boolean' || typeof max === 'boolean') {
    return min === true && max === false ? undefined : { min, max };
  }
  return lessThan(max, min) ? undefined : { min, max };
}

/**
 * Statistics of one column chunk. `typeDefinedOrder` comes from the file's column orders (undefined when it has
 * none); `numRows` is the row group's row count, bounding the null count.
 */
export function decodeStatistics(
  raw: RawStatistics | undefined,
  e: SchemaElement,
  type: SqlType,
  typeDefinedOrder: boolean | undefined,
  numRows: number,
): ParquetColumnStatistics {
  if (raw === undefined) return {};
  const nc = raw.nullCount;
  const nullCount = nc !== undefined && nc >= 0n && nc <= BigInt(numRows) ? Number(nc) : undefined;
  let range: { min: Scalar; max: Scalar } | undefined;
  if (type.kind !== 'unknown' && e.type !== 'INT96') {
    if (raw.minValue !== undefined && raw.maxValue !== undefined) {
      if (typeDefinedOrder !== false) range = bounds(e, type, raw.minValue, raw.maxValue);
    } else if (raw.min !== undefined && raw.max !== undefined && deprecatedUsable(e)) {
      range = bounds(e, type, raw.min, raw.max);
    }
  }
  return range === undefined ? { nullCount } : { min: range.min, max: range.max, nullCount };
}
