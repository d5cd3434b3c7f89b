/**
 * Converts whatever Arrow layout a decoder hands back (parquet-wasm, Arrow IPC, a CSV parser) into the canonical
 * layout of a SQL type (types/arrow-types.ts): offset 0, Int32 string offsets, Decimal128, µs/ns BigInt64
 * timestamps with time zone 'UTC' or none, DateDay, Dictionary<Int32, Utf8>.
 *
 * Contract: `normalizeColumn(data, type)` returns a Column whose Arrow type is `toArrowType(type)` (for varchar:
 * Utf8 or Dictionary<Int32, Utf8>) with offset 0 and the same values and nulls. Buffers are shared when the input
 * already has the canonical layout, so the input must not be mutated afterwards. A layout that cannot represent
 * the SQL type's values throws NOT_SUPPORTED (the caller adds the file and column to the message).
 *
 * Accepted sources per target (anything else is NOT_SUPPORTED):
 *   tinyint..bigint  any narrower-or-equal signed integer, any strictly narrower unsigned integer; temporal types
 *                    over integer storage (Date, Time, Timestamp, Duration) are read as their stored integers
 *   real / double    Float16, Float32 (and Float64 for double)
 *   decimal(p,s)     Decimal of any bit width and scale (rescaled exactly, or HALF_UP when narrowing the scale);
 *                    any integer (including uint64, for decimal(20,0))
 *   varchar          Utf8, LargeUtf8, Binary, LargeBinary (bytes kept as they are), Utf8View, BinaryView,
 *                    Dictionary with any index type over any of these (kept as Dictionary<Int32, Utf8>)
 *   date             DateDay, DateMillisecond (floored to days)
 *   timestamp(p)     Timestamp in any unit (s/ms → µs, and to ns for p > 6; ns → µs floors for p ≤ 6)
 *   interval d2s     Duration in any unit (to µs); interval y2m: Interval YEAR_MONTH
 *   any type         the Null type (all values null); Dictionary over a layout accepted for the type (decoded)
 *   array / map / row  List or LargeList / Map / Struct with children accepted for the inner types
 *                    (arrow-normalize-nested.ts)
 */
import { Data, Dictionary, RecordBatch, Type, Utf8, makeData, type DataType } from 'apache-arrow';
import { ShoalError, assertNever } from '../common/index.js';
import { normalizeNested } from './arrow-normalize-nested.js';
import { unsupported, validityOf, type AnyData } from './arrow-source.js';
import {
  VARCHAR, concatColumns, int32View, int64At, knownNumberView, knownNumberViewMaxAbs, lazyDecimalColumn, makeDictionaryColumn,
  makeBatch, nullColumn, pow10, rescale, setDecimal, setInt64, sliceBitmap, takeColumn, toArrowType, typeName, type Column, type ColumnField, type SqlType,
} from '../types/index.js';

const TWO_53 = 9007199254740992;
const MAX_INT32_OFFSET = 0x7fffffff;

/** A canonical fixed-width column of `type` over `values` (already offset 0), keeping the source's nulls. */
function fixed(type: SqlType, src: AnyData, values: ArrayBufferView, arrowType: DataType = toArrowType(type)): Column {
  const valid = validityOf(src);
  return makeData({
    type: arrowType, length: src.length, nullCount: valid === null ? 0 : src.nullCount, nullBitmap: valid, data: values,
  } as never) as Column;
}

function intInfo(t: DataType): { bitWidth: number; isSigned: boolean } {
  return t as unknown as { bitWidth: number; isSigned: boolean };
}

/** Storage width in bits of the integer-backed Arrow types (Int, Date, Time, Timestamp, Duration); 0 otherwise. */
function integerStorage(t: DataType): { bitWidth: number; isSigned: boolean } | null {
  switch (t.typeId) {
    case Type.Int: return intInfo(t);
    case Type.Date: return { bitWidth: (t as unknown as { unit: number }).unit === 0 ? 32 : 64, isSigned: true };
    case Type.Time: return { bitWidth: (t as unknown as { bitWidth: number }).bitWidth, isSigned: true };
    case Type.Timestamp:
    case Type.Duration:
      return { bitWidth: 64, isSigned: true };
    default: return null;
  }
}

const INT_BITS = { tinyint: 8, smallint: 16, integer: 32, bigint: 64 } as const;

function toInteger(data: AnyData, type: SqlType & { kind: keyof typeof INT_BITS }): Column {
  const src = integerStorage(data.type);
  const bits = INT_BITS[type.kind];
  if (src === null || (src.isSigned ? src.bitWidth > bits : src.bitWidth >= bits)) throw unsupported(data, type);
  const n = data.length;
  const values = data.values as unknown as ArrayLike<number>;
  if (src.bitWidth === bits) return fixed(type, data, data.values as ArrayBufferView);
  if (bits < 64) {
    const out = bits === 8 ? new Int8Array(n) : bits === 16 ? new Int16Array(n) : new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = values[i]!;
    return fixed(type, data, out);
  }
  // Narrower integers into BigInt64 through an Int32 view: low word, then the sign extension (or 0 when unsigned).
  const out = new BigInt64Array(n);
  const v = int32View(out);
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    v[2 * i] = x;
    v[2 * i + 1] = x < 0 ? -1 : 0;
  }
  return fixed(type, data, out);
}

/** An IEEE 754 half-precision value (its 16 bits) as a number. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return sign * f * 2 ** -24;
  if (e === 31) return f === 0 ? sign * Infinity : Number.NaN;
  return sign * (1 + f / 1024) * 2 ** (e - 15);
}

function toFloat(data: AnyData, type: SqlType & { kind: 'real' | 'double' }): Column {
  if (data.typeId !== Type.Float) throw unsupported(data, type);
  const precision = (data.type as unknown as { precision: number }).precision; // 0 half, 1 single, 2 double
  const n = data.length;
  if (precision === (type.kind === 'real' ? 1 : 2)) return fixed(type, data, data.values as ArrayBufferView);
  if (precision === 2) throw unsupported(data, type);
  const out = type.kind === 'real' ? new Float32Array(n) : new Float64Array(n);
  if (precision === 0) {
    const src = data.values as unknown as Uint16Array;
    for (let i = 0; i < n; i++) out[i] = halfToFloat(src[i]!);
  } else {
    out.set((data.values as unknown as Float32Array).subarray(0, n));
  }
  return fixed(type, data, out);
}

/** Value i of a little-endian two's complement integer of `words` Uint32 words per value. */
function wideAt(src: Uint32Array, words: number, i: number): bigint {
  let v = 0n;
  for (let k = words - 1; k >= 0; k--) v = (v << 32n) | BigInt(src[i * words + k]!);
  const bits = BigInt(32 * words);
  return src[i * words + words - 1]! >= 0x80000000 ? v - (1n << bits) : v;
}

function toDecimal(data: AnyData, type: SqlType & { kind: 'decimal' }): Column {
  const n = data.length;
  if (data.typeId === Type.Decimal) {
    // The common case (Parquet's decimals come back as Decimal128 at the declared scale) shares the buffer: no
    // output is allocated before it is known to be needed.
    const t = data.type as unknown as { scale: number; bitWidth: number };
    if (t.bitWidth === 128 && t.scale === type.scale) {
      // A decoder column sent as doubles (lazy-decimal.ts) stays so: reading its values would write the words.
      const view = knownNumberView(data as Column);
      if (view instanceof Float64Array) return lazyDecimalColumn(type, n, view, knownNumberViewMaxAbs(data as Column), validityOf(data));
      return fixed(type, data, (data.values as unknown as Uint32Array).subarray(0, 4 * n));
    }
  }
  const out = new Uint32Array(4 * n);
  const limit = pow10(type.precision);
  const put = (i: number, v: bigint): void => {
    if (v >= limit || v <= -limit) {
      throw new ShoalError('NUMERIC_VALUE_OUT_OF_RANGE', `Value ${v} does not fit ${typeName(type)}`);
    }
    setDecimal(out, i, v);
  };
  const valid = validityOf(data);
  const isValid = (i: number): boolean => valid === null || ((valid[i >>> 3]! >>> (i & 7)) & 1) === 1;
  if (data.typeId === Type.Decimal) {
    const t = data.type as unknown as { scale: number; bitWidth: number };
    const words = t.bitWidth / 32;
    const src = data.values as unknown as Uint32Array;
    for (let i = 0; i < n; i++) if (isValid(i)) put(i, rescale(wideAt(src, words, i), t.scale, type.scale));
    return fixed(type, data, out);
  }
  const src = integerStorage(data.type);
  if (data.typeId !== Type.Int || src === null) throw unsupported(data, type);
  const values = data.values as unknown as ArrayLike<number | bigint>;
  const factor = pow10(type.scale);
  for (let i = 0; i < n; i++) if (isValid(i)) put(i, BigInt(values[i]!) * factor);
  return fixed(type, data, out);
}

/** Int32 offsets rebased to 0 from LargeUtf8/LargeBinary BigInt64 offsets (which must span less than 2 GiB). */
function narrowOffsets(data: AnyData): { offsets: Int32Array; bytes: Uint8Array } {
  const n = data.length;
  const o64 = data.valueOffsets as unknown as BigInt64Array;
  const view = int32View(o64);
  const base = int64At(view, 0);
  const span = int64At(view, n) - base;
  if (!(span >= 0 && span <= MAX_INT32_OFFSET)) {
    throw new ShoalError('NOT_SUPPORTED', `A batch of string values holds more than 2 GiB (${span} bytes)`, {
      hint: 'Read with a smaller batch size',
    });
  }
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i <= n; i++) offsets[i] = int64At(view, i) - base;
  const bytes = (data.values as Uint8Array).subarray(base, base + span);
  return { offsets, bytes };
}

/** Utf8 bytes gathered from 16-byte views (Utf8View/BinaryView: inline up to 12 bytes, else buffer+offset). */
function gatherViews(data: AnyData): { offsets: Int32Array; bytes: Uint8Array } {
  const n = data.length;
  const views = data.values as Uint8Array;
  const dv = new DataView(views.buffer, views.byteOffset, views.byteLength);
  const buffers = data.variadicBuffers;
  const offsets = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += Math.max(0, dv.getInt32(16 * i, true));
    if (total > MAX_INT32_OFFSET) throw new ShoalError('NOT_SUPPORTED', 'A batch of string values holds more than 2 GiB');
    offsets[i + 1] = total;
  }
  const bytes = new Uint8Array(total);
  for (let i = 0; i < n; i++) {
    const len = offsets[i + 1]! - offsets[i]!;
    if (len === 0) continue;
    if (len <= 12) {
      bytes.set(views.subarray(16 * i + 4, 16 * i + 4 + len), offsets[i]!);
    } else {
      const buf = buffers[dv.getInt32(16 * i + 8, true)];
      const at = dv.getInt32(16 * i + 12, true);
      if (buf === undefined || at + len > buf.length) throw new ShoalError('CORRUPT_FILE', 'A string view points outside its buffers');
      bytes.set(buf.subarray(at, at + len), offsets[i]!);
    }
  }
  return { offsets, bytes };
}

function utf8(src: AnyData, offsets: Int32Array, bytes: Uint8Array): Column {
  const valid = validityOf(src);
  return makeData({
    type: new Utf8(), length: src.length, nullCount: valid === null ? 0 : src.nullCount, nullBitmap: valid,
    valueOffsets: offsets, data: bytes,
  }) as Column;
}

function toVarchar(data: AnyData, type: SqlType): Column {
  switch (data.typeId) {
    case Type.Utf8:
    case Type.Binary:
      // Fixed-width slices share their (pre-sliced) offsets; only the validity bitmap needs re-basing.
      if (data.offset === 0 && data.typeId === Type.Utf8) return data as Column;
      return utf8(data, data.valueOffsets as Int32Array, data.values as Uint8Array);
    case Type.LargeUtf8:
    case Type.LargeBinary: {
      const { offsets, bytes } = narrowOffsets(data);
      return utf8(data, offsets, bytes);
    }
    case Type.Utf8View:
    case Type.BinaryView: {
      const { offsets, bytes } = gatherViews(data);
      return utf8(data, offsets, bytes);
    }
    case Type.Dictionary:
      return dictionaryToVarchar(data as Data<Dictionary>);
    default:
      throw unsupported(data, type);
  }
}

/**
 * Dictionary indices of any integer type as Int32, checked against the dictionary size. Null slots hold 0 so that
 * every index is in range; the source buffer is shared only when it is already Int32 without nulls.
 */
function int32Indices(data: Data<Dictionary>, dictionaryLength: number): Int32Array {
  const n = data.length;
  const info = intInfo(data.type.indices);
  const src = data.values as unknown as ArrayLike<number | bigint>;
  const valid = validityOf(data as AnyData);
  const shared = info.bitWidth === 32 && info.isSigned && valid === null;
  const out = shared ? (src as Int32Array).subarray(0, n) : new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (valid !== null && ((valid[i >>> 3]! >>> (i & 7)) & 1) === 0) continue;
    const k = Number(src[i]!);
    if (!(k >= 0 && k < dictionaryLength)) throw new ShoalError('CORRUPT_FILE', `Dictionary index ${k} is out of range`);
    if (!shared) out[i] = k;
  }
  return out;
}

/** The dictionary values of `data` normalized to `type`, as one column. */
function dictionaryValues(data: Data<Dictionary>, type: SqlType): Column {
  const dict = data.dictionary;
  if (dict === undefined) throw new ShoalError('CORRUPT_FILE', 'A dictionary-encoded column has no dictionary');
  const chunks = dict.data.map((d) => normalizeColumn(d as AnyData, type));
  return chunks.length === 0 ? nullColumn(type, 0) : concatColumns(chunks, type);
}

function dictionaryToVarchar(data: Data<Dictionary>): Column {
  const values = dictionaryValues(data, VARCHAR);
  if (values.typeId === Type.Dictionary) return decodeDictionary(data, VARCHAR, values);
  return makeDictionaryColumn(data.length, int32Indices(data, values.length), values, validityOf(data as AnyData));
}

/** Materializes a dictionary-encoded column of a non-string type (or a dictionary of dictionaries). */
function decodeDictionary(data: Data<Dictionary>, type: SqlType, values = dictionaryValues(data, type)): Column {
  const indices = int32Indices(data, values.length);
  const valid = validityOf(data as AnyData);
  const take = new Int32Array(data.length);
  for (let i = 0; i < take.length; i++) {
    take[i] = valid !== null && ((valid[i >>> 3]! >>> (i & 7)) & 1) === 0 ? -1 : indices[i]!;
  }
  return takeColumn(values, take);
}

/** BigInt64 values multiplied by `mul` or floor-divided by `div` (one of them is 1), exactly. */
function scaleInt64(src: BigInt64Array, n: number, mul: number, div: number): BigInt64Array {
  const out = new BigInt64Array(n);
  const inView = int32View(src);
  const outView = int32View(out);
  for (let i = 0; i < n; i++) {
    // Doubles are exact while inputs and results stay within ±2^53 (µs timestamps do until year 2255).
    const x = int64At(inView, i);
    if (Math.abs(x) < TWO_53) {
      if (mul !== 1) {
        const r = x * mul;
        if (Math.abs(r) < TWO_53) {
          setInt64(outView, i, r);
          continue;
        }
      } else {
        let q = Math.floor(x / div);
        const rem = x - q * div;
        if (rem < 0) q -= 1;
        else if (rem >= div) q += 1;
        setInt64(outView, i, q);
        continue;
      }
    }
    const b = src[i]!;
    if (mul !== 1) out[i] = b * BigInt(mul);
    else {
      const d = BigInt(div);
      const q = b / d;
      out[i] = b % d !== 0n && b < 0n ? q - 1n : q;
    }
  }
  return out;
}

/** Units per second of Arrow's TimeUnit (0 s, 1 ms, 2 µs, 3 ns). */
const UNITS_PER_SECOND = [1, 1_000, 1_000_000, 1_000_000_000] as const;

function rescaleTime(data: AnyData, type: SqlType, targetUnitsPerSecond: number): Column {
  const unit = (data.type as unknown as { unit: number }).unit;
  const from = UNITS_PER_SECOND[unit as 0 | 1 | 2 | 3];
  const values = data.values as unknown as BigInt64Array;
  if (from === targetUnitsPerSecond) return fixed(type, data, values.subarray(0, data.length));
  const mul = from < targetUnitsPerSecond ? targetUnitsPerSecond / from : 1;
  const div = from > targetUnitsPerSecond ? from / targetUnitsPerSecond : 1;
  return fixed(type, data, scaleInt64(values, data.length, mul, div));
}

function toDate(data: AnyData, type: SqlType): Column {
  if (data.typeId !== Type.Date) throw unsupported(data, type);
  if ((data.type as unknown as { unit: number }).unit === 0) return fixed(type, data, data.values as ArrayBufferView);
  const n = data.length;
  const days = scaleInt64(data.values as unknown as BigInt64Array, n, 1, 86_400_000);
  const out = new Int32Array(n);
  const view = int32View(days);
  for (let i = 0; i < n; i++) out[i] = view[2 * i]!;
  return fixed(type, data, out);
}

/** Converts one column to the canonical layout of `type` (see the module comment for what is accepted). */
export function normalizeColumn(data: Data, type: SqlType): Column {
  const d = data as AnyData;
  if (d.typeId === Type.Null) return nullColumn(type, d.length);
  if (d.typeId === Type.Dictionary && type.kind !== 'varchar') return decodeDictionary(d as Data<Dictionary>, type);
  switch (type.kind) {
    case 'unknown':
      if (d.nullCount !== d.length) throw unsupported(d, type);
      return nullColumn(type, d.length);
    case 'boolean':
      if (d.typeId !== Type.Bool) throw unsupported(d, type);
      return d.offset === 0 ? (d as Column) : fixed(type, d, sliceBitmap(d.values as Uint8Array, d.offset, d.length));
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'bigint':
      return toInteger(d, type as SqlType & { kind: keyof typeof INT_BITS });
    case 'real':
    case 'double':
      return toFloat(d, type as SqlType & { kind: 'real' | 'double' });
    case 'decimal':
      return toDecimal(d, type);
    case 'varchar':
      return toVarchar(d, type);
    case 'date':
      return toDate(d, type);
    case 'timestamp':
      if (d.typeId !== Type.Timestamp) throw unsupported(d, type);
      return rescaleTime(d, type, type.precision > 6 ? 1_000_000_000 : 1_000_000);
    case 'interval_day_time':
      if (d.typeId !== Type.Duration) throw unsupported(d, type);
      return rescaleTime(d, type, 1_000_000);
    case 'interval_year_month':
      if (d.typeId !== Type.Interval || (d.type as unknown as { unit: number }).unit !== 0) throw unsupported(d, type);
      return fixed(type, d, d.values as ArrayBufferView);
    case 'array':
    case 'map':
    case 'row':
      return normalizeNested(d, type, normalizeColumn);
    default:
      return assertNever(type, 'type');
  }
}

/**
 * Normalizes every column of `batch` (by position) to the SQL types of `fields` and returns a batch whose schema
 * is derived from `fields` (names as given, types via toArrowField).
 */
export function normalizeBatch(batch: RecordBatch, fields: readonly ColumnField[]): RecordBatch {
  if (batch.numCols !== fields.length) {
    throw new ShoalError('GENERIC_INTERNAL_ERROR', `Internal error (this is a bug in Shoal): batch has ${batch.numCols} columns, expected ${fields.length}`);
  }
  const columns = fields.map((f, i) => normalizeColumn(batch.data.children[i] as Data, f.type));
  return makeBatch(fields, columns, batch.numRows);
}
