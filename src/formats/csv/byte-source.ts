/**
 * The bytes of one CSV file, in order, as pieces of bounded size: ranged reads through the RandomAccessFile, and
 * for gzip files node:zlib streaming decompression of those reads. Memory stays bounded by the piece size
 * whatever the file size. A corrupt gzip stream fails with CORRUPT_FILE naming the file.
 */
import { Readable, pipeline } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';
import { ShoalError, throwIfAborted } from '../../common/index.js';
import type { IoOptions, RandomAccessFile } from '../../fs/index.js';
import { csvError } from './csv-errors.js';

export interface ByteSource {
  /**
   * The next piece of the (decompressed) file, or null after the last. `want` is how many bytes the caller
   * would like; a piece may be shorter or longer. Pieces are fresh arrays the caller may keep.
   */
  next(want: number): Promise<Uint8Array | null>;
  /** Releases the decompressor; idempotent, never throws. Does not close the file (its opener does). */
  close(): void;
}

export function openByteSource(file: RandomAccessFile, gzip: boolean, chunkSize: number, o: IoOptions): ByteSource {
  return gzip ? new GzipSource(file, chunkSize, o) : new PlainSource(file, chunkSize, o);
}

class PlainSource implements ByteSource {
  private offset = 0;

  constructor(private readonly file: RandomAccessFile, private readonly chunkSize: number, private readonly o: IoOptions) {}

  async next(want: number): Promise<Uint8Array | null> {
    throwIfAborted(this.o.signal);
    if (this.offset >= this.file.size) return null;
    const bytes = await this.file.read(this.offset, Math.max(this.chunkSize, want), this.o);
    if (bytes.length === 0) return null;
    this.offset += bytes.length;
    return bytes;
  }

  close(): void {}
}

/** Output pieces of the decompressor; small enough to keep latency low, large enough to amortise copies. */
const GUNZIP_PIECE = 256 * 1024;

class GzipSource implements ByteSource {
  private readonly iterator: AsyncIterator<unknown>;
  private readonly raw: Readable;
  private readonly gunzip: Gunzip;

  constructor(private readonly file: RandomAccessFile, chunkSize: number, o: IoOptions) {
    this.raw = Readable.from(compressedChunks(file, chunkSize, o), { objectMode: false });
    this.gunzip = createGunzip({ chunkSize: GUNZIP_PIECE });
    // pipeline destroys every stream on the first error, so the iterator below rejects instead of hanging.
    pipeline(this.raw, this.gunzip, () => {});
    this.iterator = this.gunzip[Symbol.asyncIterator]();
  }

  async next(): Promise<Uint8Array | null> {
    let r: IteratorResult<unknown>;
    try {
      r = await this.iterator.next();
    } catch (e) {
      if (e instanceof ShoalError) throw e;
      const detail = e instanceof Error ? e.message : String(e);
      throw csvError('CORRUPT_FILE', this.file.location, `not a valid gzip stream (${detail})`,
        "Check that the file is complete, or set compression to 'none' if it is not compressed");
    }
    if (r.done === true) return null;
    const b = r.value as Buffer;
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }

  close(): void {
    this.raw.destroy();
    this.gunzip.destroy();
  }
}

async function* compressedChunks(file: RandomAccessFile, chunkSize: number, o: IoOptions): AsyncGenerator<Buffer> {
  let offset = 0;
  while (offset < file.size) {
    throwIfAborted(o.signal);
    const bytes = await file.read(offset, chunkSize, o);
    if (bytes.length === 0) return;
    offset += bytes.length;
    yield Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
}
