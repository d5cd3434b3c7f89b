/**
 * Writes one Parquet file from Shoal's batches: each batch goes to the encoder worker as an Arrow IPC stream,
 * the worker's parquet-wasm writer builds row groups (at most `rowGroupRows` rows / `rowGroupBytes` bytes) with
 * chunk statistics (min/max/null count, which Shoal's own row-group pruning reads) and dictionary encoding
 * (arrow-rs falls back to plain encoding for a column once its dictionary page outgrows 1 MB, so only
 * low-cardinality columns stay dictionary-encoded), and each finished row group's bytes come back to be written
 * to the FileWriter. Memory holds about one row group per open file, whatever the file's size.
 *
 * Types (SQL → Parquet):
 *   boolean → BOOLEAN; tinyint/smallint/integer → INT32 with INT(8|16|32); bigint → INT64; real → FLOAT;
 *   double → DOUBLE; decimal(p,s) → DECIMAL(p,s); varchar → BYTE_ARRAY STRING; date → INT32 DATE;
 *   timestamp(p ≤ 6) → INT64 TIMESTAMP(MICROS, isAdjustedToUTC=false), p > 6 → NANOS;
 *   timestamp with time zone → INT64 TIMESTAMP(MICROS|NANOS, isAdjustedToUTC=true), the instant in UTC;
 *   array → LIST, map → MAP, row → a group; the same rules inside.
 *   Not writable (NOT_SUPPORTED naming the column): interval types and the type of a bare NULL.
 */
import { Field, RecordBatch, Schema, Struct, Table, makeData, tableToIPC } from 'apache-arrow';
import { ShoalError, internalError, throwIfAborted } from '../../common/index.js';
import type { FileStatus, FileWriter } from '../../fs/index.js';
import {
  batchColumn, decodeDictionary, isDictionary, toArrowType, typeName, withZone, type Column, type ColumnField, type SqlType,
} from '../../types/index.js';
import type { FormatFileWriter } from '../file-writer.js';
import type { ParquetEncodeOptions, ParquetEncoder } from './encoder/parquet-encoder.js';

/** Why a type cannot be written to Parquet, or undefined when it can. */
function unwritable(t: SqlType): string | undefined {
  switch (t.kind) {
    case 'unknown': return 'the type of a bare NULL (unknown)';
    case 'interval_day_time':
    case 'interval_year_month': return typeName(t);
    case 'array': return unwritable(t.element);
    case 'map': return unwritable(t.key) ?? unwritable(t.value);
    case 'row': return t.fields.map((f) => unwritable(f.type)).find((r) => r !== undefined);
    default: return undefined;
  }
}

/** Throws NOT_SUPPORTED naming the first column Parquet cannot hold. */
export function checkParquetTypes(fields: readonly ColumnField[]): void {
  for (const f of fields) {
    const why = unwritable(f.type);
    if (why !== undefined) {
      throw new ShoalError('NOT_SUPPORTED', `Column '${f.name}' of type ${typeName(f.type)} cannot be written to Parquet (${why} has no Parquet type)`, {
        hint: f.type.kind === 'unknown' ? `Give the column a type: CAST(NULL AS varchar) AS ${f.name}` : 'Cast the column to a type Parquet holds (varchar, bigint, …)',
      });
    }
  }
}

/** Every TIMESTAMP WITH TIME ZONE inside `t` displayed in UTC: files hold instants, not display zones. */
function utcType(t: SqlType): SqlType {
  switch (t.kind) {
    case 'timestamp': return withZone(t, 'UTC');
    case 'array': return { kind: 'array', element: utcType(t.element) };
    case 'map': return { kind: 'map', key: utcType(t.key), value: utcType(t.value) };
    case 'row': return { kind: 'row', fields: t.fields.map((f) => ({ name: f.name, type: utcType(f.type) })) };
    default: return t;
  }
}

/**
 * The Arrow schema of the file: plain Arrow types without Shoal's metadata (readers other than Shoal see
 * ordinary Parquet), varchar as plain Utf8, zones as UTC.
 */
function fileSchema(fields: readonly ColumnField[]): Schema {
  return new Schema(fields.map((f) => new Field(f.name, toArrowType(utcType(f.type)), true)));
}

/**
 * One batch as an Arrow IPC stream of the file's schema. Dictionary-encoded varchar columns are decoded so that
 * every batch of a file has the same Arrow types; the buffers of other columns are shared, not copied (a display
 * zone differing from the schema's UTC changes no bytes).
 */
function toIpc(batch: RecordBatch, schema: Schema): Uint8Array {
  const cols: Column[] = schema.fields.map((_, i) => {
    const c = batchColumn(batch, i);
    return isDictionary(c) ? decodeDictionary(c) : c;
  });
  const data = makeData({ type: new Struct(schema.fields), length: batch.numRows, nullCount: 0, children: cols });
  return tableToIPC(new Table([new RecordBatch(schema, data)]), 'stream');
}

export interface ParquetWriterOptions extends ParquetEncodeOptions {
  readonly signal?: AbortSignal | undefined;
}

export class ParquetFileWriter implements FormatFileWriter {
  private readonly fid: number;
  private readonly schema: Schema;
  private pending: Promise<void> = Promise.resolve();
  private failure: ShoalError | undefined;
  private closed: { promise: Promise<void>; resolve: () => void; reject: (e: ShoalError) => void };
  private ended = false;
  rows = 0;
  bytesWritten = 0;

  constructor(
    private readonly encoder: ParquetEncoder,
    private readonly sink: FileWriter,
    readonly fields: readonly ColumnField[],
    private readonly options: ParquetWriterOptions,
  ) {
    checkParquetTypes(fields);
    this.schema = fileSchema(fields);
    let resolve!: () => void, reject!: (e: ShoalError) => void;
    const promise = new Promise<void>((a, b) => { resolve = a; reject = b; });
    promise.catch(() => {});
    this.closed = { promise, resolve, reject };
    this.fid = encoder.open(options, {
      onChunk: (bytes) => {
        this.bytesWritten += bytes.length;
        this.pending = this.pending.then(() => (this.failure === undefined ? this.sink.write(bytes) : undefined)).catch((e: unknown) => {
          this.failure ??= e instanceof ShoalError ? e : internalError(String(e));
        });
      },
      onClosed: () => this.closed.resolve(),
      onFailed: (e) => {
        this.failure ??= e;
        this.closed.reject(e);
      },
    });
  }

  get location(): string {
    return this.sink.location;
  }

  async write(batch: RecordBatch): Promise<void> {
    if (this.ended) throw internalError(`write after close of ${this.location}`);
    if (batch.schema.fields.length !== this.fields.length) throw internalError(`a batch of ${batch.schema.fields.length} columns for a Parquet file of ${this.fields.length}`);
    throwIfAborted(this.options.signal);
    if (batch.numRows === 0) return;
    // Backpressure: the row groups already encoded reach the file before more rows go to the encoder.
    await this.pending;
    if (this.failure !== undefined) throw this.failure;
    await this.encoder.send(this.fid, toIpc(batch, this.schema));
    if (this.failure !== undefined) throw this.failure;
    this.rows += batch.numRows;
  }

  async close(): Promise<FileStatus> {
    if (this.ended) throw internalError(`${this.location} closed twice`);
    this.ended = true;
    try {
      this.encoder.end(this.fid);
      await this.closed.promise;
      await this.pending;
      if (this.failure !== undefined) throw this.failure;
      return await this.sink.close();
    } catch (e) {
      await this.sink.abort();
      throw e;
    }
  }

  async abort(): Promise<void> {
    if (this.ended && this.failure === undefined) return;
    this.ended = true;
    this.failure ??= new ShoalError('USER_CANCELED', 'The write was abandoned');
    this.encoder.abort(this.fid);
    await this.pending.catch(() => {});
    await this.sink.abort();
  }
}

