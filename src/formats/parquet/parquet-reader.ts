/**
 * Reads one Parquet file through Shoal's RandomAccessFile: the footer at open (one speculative tail read), then
 * one row group and only the requested columns per readRowGroup call, decoded by parquet-wasm in a worker.
 *
 * Ownership: the caller opened the RandomAccessFile and closes it after close(); the reader never closes it.
 * Memory: a call holds one decoded row group (Arrow IPC plus the batches over it); the decoder's WebAssembly
 * memory never shrinks, so the pool replaces workers that grew large (decoder/decoder-pool.ts).
 * Concurrency: calls on one reader may overlap; their decodes run one after another so that each call's I/O
 * is counted in its own IoOptions.stats.
 */
import type { RecordBatch } from 'apache-arrow';
import { ShoalError, internalError, throwIfAborted } from '../../common/index.js';
import type { IoOptions, RandomAccessFile } from '../../fs/index.js';
import { makeBatch, type ColumnField } from '../../types/index.js';
import { defaultDecoderPool, isDecoderCrash, type DecodeSource, type ParquetDecoderPool } from './decoder/decoder-pool.js';
import { corruptFile, parquetError } from './errors.js';
import { readFooter, type FooterBytes } from './footer.js';
import { batchesFromIpc } from './ipc-batches.js';
import { parseMetadata, type ParsedMetadata } from './metadata.js';
import {
  DEFAULT_PARQUET_BATCH_SIZE, type ParquetFileInfo, type ParquetReadOptions, type ParquetSkippedColumn,
} from './parquet-api.js';

/** Codecs parquet-wasm 0.8 decodes; others (LZO) are refused before decoding with NOT_SUPPORTED. */
const SUPPORTED_CODECS = new Set(['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'BROTLI', 'LZ4', 'ZSTD', 'LZ4_RAW']);

let nextSourceId = 1;

export interface ParquetOpenOptions extends IoOptions {
  /** Decoder workers to use; default: the process-wide pool. */
  readonly decoderPool?: ParquetDecoderPool | undefined;
  /** The file's version token from FileSystem.stat, kept in info.etag. */
  readonly etag?: string | undefined;
}

export class ParquetReader {
  /** Top-level columns left out of info.fields, with the reason (nested or unsupported types). */
  readonly skippedColumns: readonly ParquetSkippedColumn[];
  private readonly source: DecodeSource;
  private io: IoOptions | undefined;
  private lock: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly file: RandomAccessFile,
    readonly info: ParquetFileInfo,
    private readonly meta: ParsedMetadata,
    footer: FooterBytes,
    private readonly pool: ParquetDecoderPool,
  ) {
    this.skippedColumns = meta.skippedColumns;
    this.source = {
      id: nextSourceId++,
      location: file.location,
      size: file.size,
      tail: footer.tail,
      tailOffset: footer.tailOffset,
      read: (offset, length) => this.file.read(offset, length, this.io),
    };
  }

  /** Reads and validates the footer (one tail read; a second only for footers over 64 KiB). */
  static async open(file: RandomAccessFile, o?: ParquetOpenOptions): Promise<ParquetReader> {
    throwIfAborted(o?.signal);
    const footer = await readFooter(file, o);
    const meta = parseMetadata(file.location, file.size, o?.etag, footer);
    return new ParquetReader(file, meta.info, meta, footer, o?.decoderPool ?? defaultDecoderPool());
  }

  /**
   * Decodes row group `rowGroup`, only `columns` (top-level names exactly as in info.fields; repeats allowed), in
   * batches of at most `batchSize` rows in Shoal's canonical layouts, fields named as requested and typed with
   * toArrowField. An empty `columns` yields batches with rows and no columns, without reading data.
   */
  async *readRowGroup(rowGroup: number, columns: readonly string[], o?: IoOptions & ParquetReadOptions): AsyncIterable<RecordBatch> {
    const { location } = this.file;
    if (this.closed) throw internalError(`readRowGroup on a closed reader of ${location}`);
    const rg = this.info.rowGroups[rowGroup];
    if (rg === undefined || !Number.isInteger(rowGroup)) {
      throw internalError(`row group ${rowGroup} does not exist in ${location} (it has ${this.info.rowGroups.length})`);
    }
    const batchSize = o?.batchSize ?? DEFAULT_PARQUET_BATCH_SIZE;
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw internalError(`invalid batch size ${batchSize}`);
    const fields = columns.map((name) => this.fieldNamed(name));
    throwIfAborted(o?.signal);
    if (rg.numRows === 0) return;
    if (fields.length === 0) {
      for (let from = 0; from < rg.numRows; from += batchSize) yield makeBatch([], [], Math.min(batchSize, rg.numRows - from));
      return;
    }
    const codecs = this.meta.codecs[rowGroup]!;
    for (const f of fields) {
      const codec = codecs.get(f.name) ?? 'UNKNOWN';
      if (!SUPPORTED_CODECS.has(codec)) {
        throw parquetError('NOT_SUPPORTED', location, `column '${f.name}' in row group ${rowGroup} is compressed with ${codec}, which is not supported`);
      }
    }
    const distinct = [...new Set(columns)];
    let ipc: Uint8Array;
    try {
      ipc = await this.decode(rowGroup, distinct, batchSize, o);
    } catch (e) {
      throw await this.explainCrash(e, rowGroup, distinct, batchSize, o);
    }
    let rows = 0;
    for (const batch of batchesFromIpc(ipc, { location, rowGroup, fields, batchSize })) {
      rows += batch.numRows;
      yield batch;
      throwIfAborted(o?.signal);
    }
    if (rows !== rg.numRows) {
      throw corruptFile(location, `row group ${rowGroup} decoded to ${rows} rows; the footer says ${rg.numRows}`);
    }
  }

  /** Frees the decoder's state for this file. Does not close the RandomAccessFile. */
  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.pool.release(this.source.id);
    }
    return Promise.resolve();
  }

  private fieldNamed(name: string): ColumnField {
    const leaf = this.meta.leaves.get(name);
    if (leaf !== undefined) return leaf.field;
    const skipped = this.skippedColumns.find((s) => s.name === name);
    const detail = skipped !== undefined ? `: ${skipped.reason}` : '';
    throw new ShoalError(skipped !== undefined ? 'NOT_SUPPORTED' : 'COLUMN_NOT_FOUND',
      `Cannot read column '${name}' of Parquet file ${this.file.location}${detail}`, { location: this.file.location });
  }

  /**
   * After a decoder crash on several columns, decodes them one by one to name the ones that crash it, so that
   * the message tells the user which columns to leave out. Returns the error to throw.
   */
  private async explainCrash(e: unknown, rowGroup: number, columns: readonly string[], batchSize: number, o: IoOptions | undefined): Promise<unknown> {
    if (!isDecoderCrash(e) || columns.length < 2) return e;
    const failing: string[] = [];
    for (const c of columns) {
      try {
        await this.decode(rowGroup, [c], batchSize, o);
      } catch (e2) {
        if (!isDecoderCrash(e2)) return e2;
        failing.push(c);
      }
    }
    if (failing.length === 0) return e;
    const names = failing.map((c) => `'${c}'`).join(', ');
    const { location } = this.file;
    return new ShoalError('CORRUPT_FILE',
      `Cannot read Parquet file ${location}: column${failing.length > 1 ? 's' : ''} ${names} in row group ${rowGroup} could not be decoded (the decoder crashed); the file is corrupt or uses an encoding variant the decoder cannot read`,
      { location, hint: 'The other columns of this file can still be read', cause: e });
  }

  /** One decode at a time per reader, so that `this.io` attributes every byte to the call that caused it. */
  private decode(rowGroup: number, columns: readonly string[], batchSize: number, o: IoOptions | undefined): Promise<Uint8Array> {
    const run = this.lock.then(async () => {
      throwIfAborted(o?.signal);
      this.io = o;
      try {
        return await this.pool.decode({ source: this.source, rowGroup, columns, batchSize, signal: o?.signal });
      } finally {
        this.io = undefined;
      }
    });
    this.lock = run.catch(() => undefined);
    return run;
  }
}
