import type { RecordBatch } from 'apache-arrow';
import { assertNever } from '../common/index.js';
import {
  batchColumn, formatDate, formatDecimal, formatIntervalDayTime, formatIntervalYearMonth, formatTimestamp,
  formatTimestampWithZone, isNullAt, scalarAt, type Column, type Scalar, type SqlType,
} from '../types/index.js';

/**
 * Values as Trino's JSON protocol writes them (the client turns them back into typed values by the column's
 * type): numbers and booleans as JSON literals (BIGINT as an exact JSON number, as Trino's Jackson writes a
 * long, so clients that need all 64 bits parse with a big-number-aware parser); DECIMAL as a string;
 * DATE `YYYY-MM-DD`; TIMESTAMP(p) `YYYY-MM-DD HH:MM:SS.fff` with exactly p fraction digits and, WITH TIME ZONE,
 * a space and the zone; intervals as Trino prints them (`1 02:03:04.000`, `1-2`); non-finite doubles as the
 * strings "NaN", "Infinity", "-Infinity"; ARRAY and ROW as JSON arrays, MAP as a JSON object keyed by the key's
 * text.
 */
export function encodeValue(v: Scalar, t: SqlType): string {
  if (v === null) return 'null';
  switch (t.kind) {
    case 'unknown': return 'null';
    case 'boolean': return v ? 'true' : 'false';
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'bigint':
      return String(v);
    case 'real': return encodeReal(v as number);
    case 'double': return encodeDouble(v as number);
    case 'decimal': return JSON.stringify(formatDecimal(v as bigint, t.scale));
    case 'varchar': return JSON.stringify(v as string);
    case 'date': return `"${formatDate(v as number)}"`;
    case 'timestamp': return `"${timestampText(v as bigint, t)}"`;
    case 'interval_day_time': return `"${formatIntervalDayTime(v as bigint)}"`;
    case 'interval_year_month': return `"${formatIntervalYearMonth(v as number)}"`;
    case 'array': return `[${(v as readonly Scalar[]).map((e) => encodeValue(e, t.element)).join(',')}]`;
    case 'map': {
      const parts: string[] = [];
      for (const [k, val] of v as ReadonlyMap<Scalar, Scalar>) parts.push(`${JSON.stringify(keyText(k, t.key))}:${encodeValue(val, t.value)}`);
      return `{${parts.join(',')}}`;
    }
    case 'row': return `[${(v as readonly Scalar[]).map((e, i) => encodeValue(e, t.fields[i]!.type)).join(',')}]`;
    default: return assertNever(t, 'type');
  }
}

function encodeDouble(d: number): string {
  if (Number.isFinite(d)) return String(d);
  return Number.isNaN(d) ? '"NaN"' : d > 0 ? '"Infinity"' : '"-Infinity"';
}

/** REAL as the shortest decimal that reads back as the same 32-bit float (Java's Float.toString digits). */
function encodeReal(f: number): string {
  if (!Number.isFinite(f)) return encodeDouble(f);
  for (let p = 1; p < 10; p++) {
    const s = Number(f.toPrecision(p));
    if (Math.fround(s) === f) return String(s);
  }
  return String(f);
}

function timestampText(v: bigint, t: Extract<SqlType, { kind: 'timestamp' }>): string {
  if (t.withTimeZone) return formatTimestampWithZone(v, t.precision, t.zone ?? 'UTC');
  return formatTimestamp(v, t.precision > 6 ? 1_000_000_000 : 1_000_000, t.precision);
}

/** A map key as the object key Trino writes: strings as they are, other values as their JSON text unquoted. */
function keyText(k: Scalar, t: SqlType): string {
  const text = encodeValue(k, t);
  return text.startsWith('"') ? (JSON.parse(text) as string) : text;
}

/** Column i of a batch as JSON texts, one per row; numeric columns read the typed array directly. */
function encodeColumn(col: Column, t: SqlType, n: number): string[] {
  const out = new Array<string>(n);
  switch (t.kind) {
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'bigint': {
      const values = col.values as Int32Array | BigInt64Array;
      for (let r = 0; r < n; r++) out[r] = isNullAt(col, r) ? 'null' : String(values[r]);
      return out;
    }
    case 'double': {
      const values = col.values as Float64Array;
      for (let r = 0; r < n; r++) out[r] = isNullAt(col, r) ? 'null' : encodeDouble(values[r]!);
      return out;
    }
    default:
      for (let r = 0; r < n; r++) out[r] = encodeValue(scalarAt(col, t, r), t);
      return out;
  }
}

/** Every row of a batch as the JSON text of a row array `[v1,v2,…]`. */
export function encodeRows(batch: RecordBatch, types: readonly SqlType[]): string[] {
  const n = batch.numRows;
  const cols = types.map((t, i) => encodeColumn(batchColumn(batch, i), t, n));
  const rows = new Array<string>(n);
  for (let r = 0; r < n; r++) {
    let s = '[';
    for (let c = 0; c < cols.length; c++) s += (c === 0 ? '' : ',') + cols[c]![r]!;
    rows[r] = s + ']';
  }
  return rows;
}
