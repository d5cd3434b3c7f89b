/**
 * An `arrays` result of a decoder worker (decoder-protocol.ts) → Arrow JS Data over the transferred buffer, without
 * copying: each buffer becomes a view of its span. The worker passes on only the formats FORMATS names, so
 * anything else here means the worker and this file disagree (an internal error, reported as such).
 *
 * Contract: `arraysData(format, spans, data)` returns Data of the Arrow type the C data interface format names,
 * with offset 0, `spans.length` rows, `spans.nullCount` nulls and views of `data` (which must not be mutated
 * afterwards); a decimal array sent as doubles (spans.numberMaxAbs) becomes a lazy decimal column over them
 * (types/lazy-decimal.ts), whose Decimal128 words are written only if something reads them. Spans are within
 * `data` (checked when the message was parsed) and 8-byte aligned (the worker aligns them), so every typed view
 * is legal.
 */
import {
  Binary, Bool, DateDay, DateMillisecond, Decimal, Duration, Float16, Float32, Float64, Int16, Int32, Int64, Int8,
  LargeBinary, LargeUtf8, Null, Time, TimeUnit, Timestamp, Uint16, Uint32, Uint64, Uint8, Utf8, makeData,
  type Data, type DataType,
} from 'apache-arrow';
import { internalError } from '../../../common/index.js';
import { lazyDecimalData } from '../../../types/index.js';
import type { ArraySpans, Span } from './decoder-protocol.js';

const UNITS: Readonly<Record<string, TimeUnit>> = { s: TimeUnit.SECOND, m: TimeUnit.MILLISECOND, u: TimeUnit.MICROSECOND, n: TimeUnit.NANOSECOND };

/** The Arrow type of a C data interface format the worker passes on (see layoutOf in worker-source.ts). */
export function arrowTypeOfFormat(format: string): DataType {
  switch (format) {
    case 'n': return new Null();
    case 'b': return new Bool();
    case 'c': return new Int8();
    case 'C': return new Uint8();
    case 's': return new Int16();
    case 'S': return new Uint16();
    case 'i': return new Int32();
    case 'I': return new Uint32();
    case 'l': return new Int64();
    case 'L': return new Uint64();
    case 'e': return new Float16();
    case 'f': return new Float32();
    case 'g': return new Float64();
    case 'u': return new Utf8();
    case 'U': return new LargeUtf8();
    case 'z': return new Binary();
    case 'Z': return new LargeBinary();
    case 'tdD': return new DateDay();
    case 'tdm': return new DateMillisecond();
    case 'tts': return new Time(TimeUnit.SECOND, 32);
    case 'ttm': return new Time(TimeUnit.MILLISECOND, 32);
    case 'ttu': return new Time(TimeUnit.MICROSECOND, 64);
    case 'ttn': return new Time(TimeUnit.NANOSECOND, 64);
    default:
  }
  const decimal = /^d:(\d+),(-?\d+)(?:,128)?$/.exec(format);
  if (decimal !== null) return new Decimal(Number(decimal[2]), Number(decimal[1]), 128);
  const temporal = /^t([sD])([smun])(?::(.*))?$/.exec(format);
  const unit = temporal === null ? undefined : UNITS[temporal[2]!];
  if (temporal !== null && unit !== undefined) {
    if (temporal[1] === 'D' && temporal[3] === undefined) return new Duration(unit);
    if (temporal[1] === 's' && temporal[3] !== undefined) return new Timestamp(unit, temporal[3] === '' ? null : temporal[3]);
  }
  throw internalError(`the Parquet decoder passed on Arrow format '${format}', which Shoal does not read from it`);
}

function view(data: ArrayBuffer, span: Span | null | undefined): Uint8Array {
  return span === null || span === undefined ? new Uint8Array(0) : new Uint8Array(data, span[0], span[1]);
}

/** Data of `type` (from arrowTypeOfFormat) over the spans of one array in `data`. */
export function arraysData(type: DataType, spans: ArraySpans, data: ArrayBuffer): Data {
  const { length, nullCount, buffers } = spans;
  if (type instanceof Null) return makeData({ type, length, nullCount: length });
  const validity = buffers[0] ?? null;
  const nullBitmap = validity === null ? null : view(data, validity);
  const nulls = nullBitmap === null ? 0 : nullCount;
  if (type instanceof Utf8 || type instanceof Binary || type instanceof LargeUtf8 || type instanceof LargeBinary) {
    const offsets = buffers[1] ?? null;
    const wide = type instanceof LargeUtf8 || type instanceof LargeBinary;
    const valueOffsets = offsets === null
      ? (wide ? new BigInt64Array(1) : new Int32Array(1))
      : wide ? new BigInt64Array(data, offsets[0], offsets[1] / 8) : new Int32Array(data, offsets[0], offsets[1] / 4);
    return makeData({ type, length, nullCount: nulls, nullBitmap, valueOffsets, data: view(data, buffers[2]) } as never);
  }
  if (spans.numberMaxAbs !== undefined) {
    const values = buffers[1];
    if (!(type instanceof Decimal) || values === null || values === undefined) throw internalError(`the Parquet decoder sent doubles for a ${String(type)} column`);
    return lazyDecimalData(type, length, new Float64Array(data, values[0], length), nullBitmap, spans.numberMaxAbs);
  }
  return makeData({ type, length, nullCount: nulls, nullBitmap, data: view(data, buffers[1]) } as never);
}
