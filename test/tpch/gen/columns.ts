/**
 * Column buffers for the TPC-H generator and their assembly into Arrow record batches straight from typed
 * arrays (no per-value Arrow builders). Types: keys and other 64-bit integers BIGINT (Int64), small integers
 * INTEGER (Int32), money, quantity, discount and tax DECIMAL(15,2) (Decimal128 holding cents), dates DATE
 * (days since the epoch), text VARCHAR (UTF-8; the generator writes ASCII only). Every column is NOT NULL.
 */
import { DateDay, Decimal, Field, Int32, Int64, RecordBatch, Schema, Struct, Utf8, makeData, type Data, type DataType } from 'apache-arrow';

export type ColumnKind = 'bigint' | 'integer' | 'decimal' | 'date' | 'varchar';
export type ColumnSpec = readonly [name: string, kind: ColumnKind];

/** SQL spelling of each kind, for catalog entries and checks. */
export function sqlTypeName(kind: ColumnKind): string {
  switch (kind) {
    case 'bigint':
      return 'bigint';
    case 'integer':
      return 'integer';
    case 'decimal':
      return 'decimal(15,2)';
    case 'date':
      return 'date';
    case 'varchar':
      return 'varchar';
  }
}

function arrowType(kind: ColumnKind): DataType {
  switch (kind) {
    case 'bigint':
      return new Int64();
    case 'integer':
      return new Int32();
    case 'decimal':
      return new Decimal(2, 15, 128);
    case 'date':
      return new DateDay();
    case 'varchar':
      return new Utf8();
  }
}

export function arrowSchema(columns: readonly ColumnSpec[]): Schema {
  return new Schema(columns.map(([name, kind]) => new Field(name, arrowType(kind), false)));
}

const ENCODER = new TextEncoder();

/** ASCII bytes of a string (every fixed list of the spec is ASCII). */
export function ascii(s: string): Uint8Array {
  return ENCODER.encode(s);
}

/** An append-only UTF-8 column: offsets plus a growing byte buffer. */
export class Utf8Column {
  readonly offsets: Int32Array;
  private bytes: Uint8Array;
  private used = 0;
  private rows = 0;

  constructor(capacity: number, bytesPerRow: number) {
    this.offsets = new Int32Array(capacity + 1);
    this.bytes = new Uint8Array(Math.max(64, capacity * bytesPerRow));
  }

  private reserve(n: number): void {
    if (this.used + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.used + n));
    grown.set(this.bytes.subarray(0, this.used));
    this.bytes = grown;
  }

  /** Appends bytes `from..to` of `src` as one value. */
  pushBytes(src: Uint8Array, from = 0, to = src.length): void {
    this.reserve(to - from);
    this.bytes.set(src.subarray(from, to), this.used);
    this.used += to - from;
    this.offsets[++this.rows] = this.used;
  }

  /** Starts a value built piecewise with `appendByte`/`appendBytes`/`appendDigits`; `end()` closes it. */
  appendBytes(src: Uint8Array, from = 0, to = src.length): void {
    this.reserve(to - from);
    this.bytes.set(src.subarray(from, to), this.used);
    this.used += to - from;
  }

  appendByte(b: number): void {
    this.reserve(1);
    this.bytes[this.used++] = b;
  }

  /** `value` in decimal, left-padded with zeros to `width` digits. */
  appendDigits(value: number, width: number): void {
    this.reserve(width + 20);
    const text = String(value);
    for (let i = text.length; i < width; i++) this.bytes[this.used++] = 0x30;
    for (let i = 0; i < text.length; i++) this.bytes[this.used++] = text.charCodeAt(i);
  }

  /** The byte buffer being written, for in-place edits of the current value (positions from `mark()`). */
  get buffer(): Uint8Array {
    return this.bytes;
  }

  /** Byte position where the next appended byte goes. */
  mark(): number {
    return this.used;
  }

  end(): void {
    this.offsets[++this.rows] = this.used;
  }

  get length(): number {
    return this.rows;
  }

  reset(): void {
    this.used = 0;
    this.rows = 0;
  }

  toData(): Data {
    return makeData({
      type: new Utf8(),
      length: this.rows,
      nullCount: 0,
      valueOffsets: this.offsets.slice(0, this.rows + 1),
      data: this.bytes.slice(0, this.used),
    });
  }
}

const TWO_32 = 4294967296;

/** Little-endian two's-complement words of exact integers held in doubles (|v| < 2^53), `wordsPerValue` 2 or 4. */
function integerWords(values: Float64Array, n: number, wordsPerValue: 2 | 4): Uint32Array {
  const out = new Uint32Array(n * wordsPerValue);
  for (let i = 0; i < n; i++) {
    const v = values[i] ?? 0;
    const hi = Math.floor(v / TWO_32);
    const o = i * wordsPerValue;
    out[o] = v - hi * TWO_32;
    out[o + 1] = hi >>> 0;
    if (wordsPerValue === 4 && v < 0) {
      out[o + 2] = 0xffffffff;
      out[o + 3] = 0xffffffff;
    }
  }
  return out;
}

/**
 * One batch's worth of column buffers for a table. Numeric columns of kind bigint and decimal are Float64Arrays
 * of exact integers (decimal: cents); integer and date columns are Int32Arrays (date: days since 1970-01-01).
 */
export class BatchBuffers {
  private readonly wide = new Map<string, Float64Array>();
  private readonly narrow = new Map<string, Int32Array>();
  private readonly text = new Map<string, Utf8Column>();
  readonly schema: Schema;

  constructor(readonly columns: readonly ColumnSpec[], readonly capacity: number) {
    this.schema = arrowSchema(columns);
    for (const [name, kind] of columns) {
      switch (kind) {
        case 'bigint':
        case 'decimal':
          this.wide.set(name, new Float64Array(capacity));
          break;
        case 'integer':
        case 'date':
          this.narrow.set(name, new Int32Array(capacity));
          break;
        case 'varchar':
          this.text.set(name, new Utf8Column(capacity, 24));
          break;
      }
    }
  }

  f64(name: string): Float64Array {
    const a = this.wide.get(name);
    if (a === undefined) throw new Error(`no bigint/decimal column ${name}`);
    return a;
  }

  i32(name: string): Int32Array {
    const a = this.narrow.get(name);
    if (a === undefined) throw new Error(`no integer/date column ${name}`);
    return a;
  }

  utf8(name: string): Utf8Column {
    const a = this.text.get(name);
    if (a === undefined) throw new Error(`no varchar column ${name}`);
    return a;
  }

  /** The first `n` rows as a record batch; string columns are reset for the next batch. */
  toBatch(n: number): RecordBatch {
    const children = this.columns.map(([name, kind]): Data => {
      switch (kind) {
        case 'bigint':
          return makeData({ type: new Int64(), length: n, nullCount: 0, data: integerWords(this.f64(name), n, 2) });
        case 'decimal':
          return makeData({ type: new Decimal(2, 15, 128), length: n, nullCount: 0, data: integerWords(this.f64(name), n, 4) });
        case 'integer':
          return makeData({ type: new Int32(), length: n, nullCount: 0, data: this.i32(name).slice(0, n) });
        case 'date':
          return makeData({ type: new DateDay(), length: n, nullCount: 0, data: this.i32(name).slice(0, n) });
        case 'varchar': {
          const col = this.utf8(name);
          if (col.length !== n) throw new Error(`column ${name} has ${col.length} values, expected ${n}`);
          const data = col.toData();
          col.reset();
          return data;
        }
      }
    });
    const data = makeData({ type: new Struct(this.schema.fields), length: n, nullCount: 0, children });
    return new RecordBatch(this.schema, data);
  }
}
