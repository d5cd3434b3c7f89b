/**
 * Reads one Parquet file through Shoal's RandomAccessFile: the footer at open (one speculative tail read, or none
 * when the caller passes a footer it kept), then one row group and only the requested columns per readRowGroup
 * call, decoded by parquet-wasm in a worker.
 *
 * I/O: before a row group is decoded, the byte ranges of its requested column chunks are fetched as few large
 * requests (merged across small gaps, long ones cut, in parallel up to the gate's limit) and handed to the worker
 * with the job; the decoder's reads are served from them. A read the decoder makes outside them (never expected)
 * goes back to the file and is counted in `unplannedReads`. Every request is counted in the call's stats.
 *
 * Ownership: the caller opened the RandomAccessFile and closes it after close(); the reader never closes it.
 * Memory: a call holds one row group's column chunks and its decoded batches; the decoder's WebAssembly memory
 * never shrinks, so the pool replaces workers that grew large (decoder/decoder-pool.ts).
 * Concurrency: calls on one reader may overlap (several row groups of one file decode in parallel workers); the
 * worker keeps the file open across calls until close().
 */
import type { RecordBatch } from 'apache-arrow';
import { ShoalError, internalError, throwIfAborted } from '../../common/index.js';
import {
  DEFAULT_COALESCE, RequestGate, coalesceRanges, readRanges, type ByteRange, type CoalesceOptions, type FetchedRange,
  type IoOptions, type RandomAccessFile,
} from '../../fs/index.js';
import { makeBatch, type ColumnField } from '../../types/index.js';
import { defaultDecoderPool, isDecoderCrash, type DecodeSource, type DecodedRowGroup, type ParquetDecoderPool } from './decoder/decoder-pool.js';
import { corruptFile, parquetError } from './errors.js';
import { batchesFromDecoded } from './decoded-batches.js';
import type { RowFilterAtom } from './decoder/row-filter.js';
import type { ParsedMetadata } from './metadata.js';
import {
  DEFAULT_PARQUET_BATCH_SIZE, type ParquetFileInfo, type ParquetReadOptions, type ParquetSkippedColumn,
} from './parquet-api.js';
import { ParquetFooter } from './parquet-footer.js';

/** Codecs parquet-wasm 0.8 decodes; others (LZO) are refused before decoding with NOT_SUPPORTED. */
const SUPPORTED_CODECS = new Set(['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'BROTLI', 'LZ4', 'ZSTD', 'LZ4_RAW']);

let nextSourceId = 1;

export interface ParquetOpenOptions extends IoOptions {
  /** Decoder workers to use; default: the process-wide pool. */
  readonly decoderPool?: ParquetDecoderPool | undefined;
  /** The file's version token from FileSystem.stat, kept in info.etag. */
  readonly etag?: string | undefined;
  /** The footer of this file version read earlier (a cache); the reader then makes no request at open. */
  readonly footer?: ParquetFooter | undefined;
  /** Bounds the requests in flight (shared by the readers of one scan); default: a gate of this reader's own. */
  readonly gate?: RequestGate | undefined;
  /** How column chunk ranges become requests; default DEFAULT_COALESCE. */
  readonly coalesce?: CoalesceOptions | undefined;
}

/** readRowGroup's options: with a row filter, the rows the decoder dropped are reported to onDropped. */
export interface RowGroupReadOptions extends IoOptions, ParquetReadOptions {
  /** Rows the decoder may leave out (row-filter.ts: only rows the caller's own filters would drop). */
  readonly rowFilter?: readonly RowFilterAtom[] | undefined;
  readonly onDropped?: ((rows: number) => void) | undefined;
}

export class ParquetReader {
  /** Top-level columns left out of info.fields, with the reason (nested or unsupported types). */
  readonly skippedColumns: readonly ParquetSkippedColumn[];
  readonly info: ParquetFileInfo;
  private readonly meta: ParsedMetadata;
  private readonly source: DecodeSource;
  private readonly gate: RequestGate;
  private readonly coalesce: CoalesceOptions;
  private unplanned = 0;
  private closed = false;

  private constructor(
    private readonly file: RandomAccessFile,
    readonly footer: ParquetFooter,
    private readonly pool: ParquetDecoderPool,
    o: ParquetOpenOptions | undefined,
  ) {
    this.info = footer.info;
    this.meta = footer.meta;
    this.skippedColumns = footer.meta.skippedColumns;
    this.gate = o?.gate ?? new RequestGate();
    this.coalesce = o?.coalesce ?? DEFAULT_COALESCE;
    this.source = {
      id: nextSourceId++,
      location: file.location,
      size: file.size,
      get tail() {
        return footer.currentTail.bytes;
      },
      get tailOffset() {
        return footer.currentTail.offset;
      },
      read: (offset, length, io) => {
        this.unplanned++;
        return this.file.read(offset, length, io);
      },
      ownsReads: file.ownsReads,
    };
  }

  /** Reads and validates the footer (one tail read; a second only for footers over 64 KiB), unless o.footer has it. */
  static async open(file: RandomAccessFile, o?: ParquetOpenOptions): Promise<ParquetReader> {
    throwIfAborted(o?.signal);
    const footer = o?.footer ?? await ParquetFooter.read(file, o);
    if (footer.info.size !== file.size) {
      throw new ShoalError('FILE_CHANGED', `File ${file.location} changed while the query was running (it was ${footer.info.size} bytes, now ${file.size})`, {
        location: file.location, hint: 'Re-run the query to read the new version',
      });
    }
    return new ParquetReader(file, footer, o?.decoderPool ?? defaultDecoderPool(), o);
  }

  /** Reads the decoder made outside the prefetched ranges and the kept tail (each one request). */
  get unplannedReads(): number {
    return this.unplanned;
  }

  /**
   * Decodes row group `rowGroup`, only `columns` (top-level names exactly as in info.fields; repeats allowed), in
   * batches of at most `batchSize` rows in Shoal's canonical layouts, fields named as requested and typed with
   * toArrowField. An empty `columns` yields batches with rows and no columns, without reading data.
   */
  async *readRowGroup(rowGroup: number, columns: readonly string[], o?: RowGroupReadOptions): AsyncIterable<RecordBatch> {
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
    let decoded: DecodedRowGroup;
    try {
      decoded = await this.decode(rowGroup, distinct, batchSize, o, o?.rowFilter);
    } catch (e) {
      throw await this.explainCrash(e, rowGroup, distinct, batchSize, o);
    }
    const dropped = decoded.kind === 'arrays' ? decoded.layout.dropped : 0;
    if (dropped > 0) o?.onDropped?.(dropped);
    let rows = dropped;
    for (const batch of batchesFromDecoded(decoded, { location, rowGroup, fields, batchSize })) {
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

  /**
   * Fetches the job's column chunks (and, once per file, the page indexes the decoder reads when it opens the
   * file), then decodes in a worker. The job's own reads are counted in o.stats.
   */
  private async decode(
    rowGroup: number, columns: readonly string[], batchSize: number, o: IoOptions | undefined, rowFilter?: readonly RowFilterAtom[] | undefined,
  ): Promise<DecodedRowGroup> {
    throwIfAborted(o?.signal);
    const tail = await this.footer.decoderTail(this.file, o);
    const prefetched = await this.prefetch(rowGroup, columns, tail.offset, o);
    return this.pool.decode({ source: this.source, rowGroup, columns, batchSize, signal: o?.signal, io: o, prefetched, rowFilter });
  }

  /** The chunks of `columns` in `rowGroup` below `tailOffset` (bytes from there on are already held). */
  private async prefetch(rowGroup: number, columns: readonly string[], tailOffset: number, o: IoOptions | undefined): Promise<FetchedRange[]> {
    const wanted: ByteRange[] = [];
    const byColumn = this.meta.chunkRanges[rowGroup]!;
    for (const c of columns) {
      for (const r of byColumn.get(c) ?? []) {
        const end = Math.min(r.offset + r.length, tailOffset);
        if (end > r.offset) wanted.push({ offset: r.offset, length: end - r.offset });
      }
    }
    const requests = coalesceRanges(wanted, this.coalesce);
    const fetched = await readRanges(this.file, requests, this.gate, o);
    for (let i = 0; i < fetched.length; i++) {
      if (fetched[i]!.bytes.length !== requests[i]!.length) {
        throw corruptFile(this.file.location, `the file is shorter than its listed size (${this.file.size} bytes)`);
      }
    }
    return fetched;
  }
}
