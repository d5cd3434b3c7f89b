/**
 * A Parquet file's footer, read and parsed once: what planning needs (info: schema, row groups, statistics) and
 * what reading row groups needs (byte ranges of column chunks, and the bytes at the end of the file that the
 * decoder reads when it opens the file). Immutable once read except for one lazy extension (see decoderTail),
 * so one object can serve every query and every reader of the same file version (catalog/metadata-cache.ts).
 */
import { throwIfAborted } from '../../common/index.js';
import { raceAbort, type IoOptions, type RandomAccessFile } from '../../fs/index.js';
import { corruptFile } from './errors.js';
import { readFooter } from './footer.js';
import { parseMetadata, type ParsedMetadata } from './metadata.js';
import type { ParquetFileInfo } from './parquet-api.js';

/**
 * Parsed footer objects take a few times the Thrift bytes they come from (measured on the V8 heap: 2.7–3.8x for
 * TPC-H and taxi footers of 1–100 KB); used, rounded up, to weigh cache entries.
 */
const PARSED_BYTES_PER_FOOTER_BYTE = 4;

export interface DecoderTail {
  /** Bytes of the file from `offset` to its end. */
  readonly bytes: Uint8Array;
  readonly offset: number;
}

export class ParquetFooter {
  /** Approximate memory held by this object, in bytes. */
  readonly weight: number;
  private tail: DecoderTail;
  private extending: Promise<DecoderTail> | undefined;

  private constructor(readonly info: ParquetFileInfo, readonly meta: ParsedMetadata, tail: DecoderTail, footerLength: number) {
    this.tail = tail;
    const missing = Math.max(0, tail.offset - meta.metadataStart);
    this.weight = tail.bytes.length + missing + footerLength * PARSED_BYTES_PER_FOOTER_BYTE + 1024;
  }

  /**
   * Reads and checks the footer of `file` (one speculative tail read; a second only for footers over 64 KiB).
   * Keeps the bytes from the start of the page indexes to the end of the file (or the whole file when the tail
   * read got all of it, so that tiny files need no further request). Throws CORRUPT_FILE / NOT_SUPPORTED.
   */
  static async read(file: RandomAccessFile, o?: IoOptions & { readonly etag?: string | undefined }): Promise<ParquetFooter> {
    throwIfAborted(o?.signal);
    const fb = await readFooter(file, o);
    const meta = parseMetadata(file.location, file.size, o?.etag ?? file.etag, fb);
    let tail: DecoderTail = { bytes: fb.tail, offset: fb.tailOffset };
    const footerStart = file.size - fb.footer.length;
    if (fb.tailOffset > footerStart) tail = { bytes: fb.footer, offset: footerStart };
    if (tail.offset > 0 && tail.offset < meta.metadataStart) {
      // A copy, so that the speculative buffer is not kept alive by a view of its end.
      tail = { bytes: tail.bytes.slice(meta.metadataStart - tail.offset), offset: meta.metadataStart };
    }
    return new ParquetFooter(meta.info, meta, tail, fb.footer.length);
  }

  /** The bytes handed to the decoder now (they may not reach back to the page indexes yet). */
  get currentTail(): DecoderTail {
    return this.tail;
  }

  /**
   * The bytes from the page indexes (or the footer) to the end of the file, which the decoder reads when it opens
   * the file: when the speculative tail read did not reach back far enough, the rest is read once (one request,
   * counted in o.stats) and kept for every later reader.
   */
  decoderTail(file: RandomAccessFile, o?: IoOptions): Promise<DecoderTail> {
    const start = this.meta.metadataStart;
    if (this.tail.offset <= start) return Promise.resolve(this.tail);
    this.extending ??= (async () => {
      const have = this.tail;
      const rest = await raceAbort(file.read(start, have.offset - start, o), o?.signal);
      if (rest.length !== have.offset - start) throw corruptFile(file.location, `the file is shorter than its listed size (${file.size} bytes)`);
      const bytes = new Uint8Array(file.size - start);
      bytes.set(rest, 0);
      bytes.set(have.bytes, rest.length);
      this.tail = { bytes, offset: start };
      return this.tail;
    })();
    const p = this.extending;
    p.catch(() => {
      if (this.extending === p) this.extending = undefined;
    });
    return p;
  }
}
