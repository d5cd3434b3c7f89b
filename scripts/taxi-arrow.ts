/**
 * Arrow schemas of the TLC trip files (2024 layout and Parquet types) and the assembly of generated column
 * buffers into Arrow record batches, straight from typed arrays (no per-value Arrow builders).
 */
import {
  Field,
  Float64,
  Int32,
  Int64,
  RecordBatch,
  Schema,
  Struct,
  TimestampMicrosecond,
  Utf8,
  makeData,
  type Data,
  type DataType,
} from 'apache-arrow';

export type TaxiService = 'yellow' | 'green';

/** The generator's per-row values; NaN marks NULL in the nullable ones. */
export type BufferKey =
  | 'vendor' | 'pickup' | 'dropoff' | 'passengers' | 'distance' | 'ratecode' | 'pu' | 'do' | 'payment'
  | 'fare' | 'extra' | 'mta' | 'tip' | 'tolls' | 'improvement' | 'total' | 'congestion' | 'airport'
  | 'tripType' | 'ehail';

/** `flag` is separate: 0 = NULL, 1 = 'N', 2 = 'Y'. Timestamps are microseconds since the epoch (exact in a double). */
export interface TripBuffers {
  readonly capacity: number;
  readonly num: Readonly<Record<BufferKey, Float64Array>>;
  readonly flag: Uint8Array;
}

export function allocateBuffers(capacity: number): TripBuffers {
  const keys: BufferKey[] = [
    'vendor', 'pickup', 'dropoff', 'passengers', 'distance', 'ratecode', 'pu', 'do', 'payment', 'fare', 'extra',
    'mta', 'tip', 'tolls', 'improvement', 'total', 'congestion', 'airport', 'tripType', 'ehail',
  ];
  const num = Object.fromEntries(keys.map((k) => [k, new Float64Array(capacity)])) as Record<BufferKey, Float64Array>;
  return { capacity, num, flag: new Uint8Array(capacity) };
}

type Kind = 'int32' | 'timestamp' | 'int64' | 'float64' | 'flag';
type ColumnDef = readonly [name: string, source: BufferKey | 'flag', kind: Kind];

const YELLOW_COLUMNS: readonly ColumnDef[] = [
  ['VendorID', 'vendor', 'int32'],
  ['tpep_pickup_datetime', 'pickup', 'timestamp'],
  ['tpep_dropoff_datetime', 'dropoff', 'timestamp'],
  ['passenger_count', 'passengers', 'int64'],
  ['trip_distance', 'distance', 'float64'],
  ['RatecodeID', 'ratecode', 'int64'],
  ['store_and_fwd_flag', 'flag', 'flag'],
  ['PULocationID', 'pu', 'int32'],
  ['DOLocationID', 'do', 'int32'],
  ['payment_type', 'payment', 'int64'],
  ['fare_amount', 'fare', 'float64'],
  ['extra', 'extra', 'float64'],
  ['mta_tax', 'mta', 'float64'],
  ['tip_amount', 'tip', 'float64'],
  ['tolls_amount', 'tolls', 'float64'],
  ['improvement_surcharge', 'improvement', 'float64'],
  ['total_amount', 'total', 'float64'],
  ['congestion_surcharge', 'congestion', 'float64'],
  ['Airport_fee', 'airport', 'float64'],
];

const GREEN_COLUMNS: readonly ColumnDef[] = [
  ['VendorID', 'vendor', 'int32'],
  ['lpep_pickup_datetime', 'pickup', 'timestamp'],
  ['lpep_dropoff_datetime', 'dropoff', 'timestamp'],
  ['store_and_fwd_flag', 'flag', 'flag'],
  ['RatecodeID', 'ratecode', 'int64'],
  ['PULocationID', 'pu', 'int32'],
  ['DOLocationID', 'do', 'int32'],
  ['passenger_count', 'passengers', 'int64'],
  ['trip_distance', 'distance', 'float64'],
  ['fare_amount', 'fare', 'float64'],
  ['extra', 'extra', 'float64'],
  ['mta_tax', 'mta', 'float64'],
  ['tip_amount', 'tip', 'float64'],
  ['tolls_amount', 'tolls', 'float64'],
  ['ehail_fee', 'ehail', 'float64'],
  ['improvement_surcharge', 'improvement', 'float64'],
  ['total_amount', 'total', 'float64'],
  ['payment_type', 'payment', 'int64'],
  ['trip_type', 'tripType', 'int64'],
  ['congestion_surcharge', 'congestion', 'float64'],
];

function columnsOf(service: TaxiService): readonly ColumnDef[] {
  return service === 'yellow' ? YELLOW_COLUMNS : GREEN_COLUMNS;
}

function arrowType(kind: Kind): DataType {
  switch (kind) {
    case 'int32':
      return new Int32();
    case 'timestamp':
      return new TimestampMicrosecond();
    case 'int64':
      return new Int64();
    case 'float64':
      return new Float64();
    case 'flag':
      return new Utf8();
  }
}

/** Every column is nullable (OPTIONAL in Parquet), as in TLC's files. Timestamps carry no time zone. */
export function tripSchema(service: TaxiService): Schema {
  return new Schema(columnsOf(service).map(([name, , kind]) => new Field(name, arrowType(kind), true)));
}

/** Column names of the pickup and dropoff timestamps. */
export function timestampColumns(service: TaxiService): readonly [pickup: string, dropoff: string] {
  return service === 'yellow'
    ? ['tpep_pickup_datetime', 'tpep_dropoff_datetime']
    : ['lpep_pickup_datetime', 'lpep_dropoff_datetime'];
}

const TWO_32 = 4294967296;

/** Validity bitmap for values that are not NaN; `null` when every value is valid. */
function validity(values: Float64Array, n: number): { bitmap: Uint8Array | undefined; nulls: number } {
  let nulls = 0;
  for (let i = 0; i < n; i++) if (Number.isNaN(values[i])) nulls++;
  if (nulls === 0) return { bitmap: undefined, nulls };
  const bitmap = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) {
    if (!Number.isNaN(values[i])) bitmap[i >> 3] = (bitmap[i >> 3] ?? 0) | (1 << (i & 7));
  }
  return { bitmap, nulls };
}

/** 64-bit little-endian integers from doubles holding exact integers (|v| < 2^53); NaN becomes 0. */
function toInt64(values: Float64Array, n: number): BigInt64Array {
  const out = new BigInt64Array(n);
  const words = new Uint32Array(out.buffer);
  for (let i = 0; i < n; i++) {
    const v = values[i] ?? 0;
    if (Number.isNaN(v)) continue;
    const hi = Math.floor(v / TWO_32);
    words[2 * i] = v - hi * TWO_32;
    words[2 * i + 1] = hi >>> 0;
  }
  return out;
}

function column(kind: Kind, source: BufferKey | 'flag', buffers: TripBuffers, n: number): Data {
  if (kind === 'flag' || source === 'flag') {
    const offsets = new Int32Array(n + 1);
    const bytes = new Uint8Array(n);
    const bitmap = new Uint8Array((n + 7) >> 3);
    let len = 0;
    let nulls = 0;
    for (let i = 0; i < n; i++) {
      const f = buffers.flag[i] ?? 0;
      if (f === 0) nulls++;
      else {
        bytes[len++] = f === 2 ? 0x59 : 0x4e;
        bitmap[i >> 3] = (bitmap[i >> 3] ?? 0) | (1 << (i & 7));
      }
      offsets[i + 1] = len;
    }
    return makeData({
      type: new Utf8(),
      length: n,
      nullCount: nulls,
      ...(nulls > 0 ? { nullBitmap: bitmap } : {}),
      valueOffsets: offsets,
      data: bytes.subarray(0, len),
    });
  }
  const values = buffers.num[source];
  const { bitmap, nulls } = validity(values, n);
  const nullProps = bitmap ? { nullCount: nulls, nullBitmap: bitmap } : { nullCount: 0 };
  switch (kind) {
    case 'int32': {
      const data = new Int32Array(n);
      for (let i = 0; i < n; i++) data[i] = values[i] ?? 0;
      return makeData({ type: new Int32(), length: n, ...nullProps, data });
    }
    case 'timestamp':
      return makeData({ type: new TimestampMicrosecond(), length: n, ...nullProps, data: toInt64(values, n) });
    case 'int64':
      return makeData({ type: new Int64(), length: n, ...nullProps, data: toInt64(values, n) });
    case 'float64': {
      const data = values.slice(0, n);
      for (let i = 0; i < n; i++) if (Number.isNaN(data[i])) data[i] = 0;
      return makeData({ type: new Float64(), length: n, ...nullProps, data });
    }
  }
}

/** The first `n` rows of the buffers as one record batch with the service's TLC schema. */
export function buffersToBatch(service: TaxiService, buffers: TripBuffers, n: number): RecordBatch {
  const schema = tripSchema(service);
  const children = columnsOf(service).map(([, source, kind]) => column(kind, source, buffers, n));
  const data = makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children });
  return new RecordBatch(schema, data);
}
