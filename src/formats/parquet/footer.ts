/**
 * Fetches a Parquet footer: `... FileMetaData | u32 length | "PAR1"` at the end of the file. One speculative read of
 * the last FOOTER_TAIL_BYTES gets it in a single request for nearly every file; a second read fetches the rest
 * only when the footer is larger. The tail is kept, so the decoder's own footer reads cost no further I/O.
 */
import type { IoOptions, RandomAccessFile } from '../../fs/index.js';
import { corruptFile, parquetError } from './errors.js';

export const FOOTER_TAIL_BYTES = 64 * 1024;
/** Footers beyond this are treated as corrupt lengths rather than fetched (real ones are well under 100 MiB). */
const MAX_FOOTER_BYTES = 256 * 1024 * 1024;
const MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1"
const MAGIC_ENCRYPTED = [0x50, 0x41, 0x52, 0x45]; // "PARE": encrypted footer

export interface FooterBytes {
  /** FileMetaData followed by its 4-byte length and the magic: what parquetMetadata() parses. */
  readonly footer: Uint8Array;
  /** The Thrift FileMetaData alone. */
  readonly metadata: Uint8Array;
  /** The last bytes of the file as read speculatively, starting at file offset `tailOffset`. */
  readonly tail: Uint8Array;
  readonly tailOffset: number;
}

function hasMagic(b: Uint8Array, at: number, magic: readonly number[] = MAGIC): boolean {
  return at >= 0 && at + 4 <= b.length && magic.every((m, i) => b[at + i] === m);
}

async function startsWithMagic(file: RandomAccessFile, tail: Uint8Array, o?: IoOptions): Promise<boolean> {
  if (tail.length === file.size) return hasMagic(tail, 0);
  return hasMagic(await file.read(0, 4, o), 0);
}

/** Reads and checks the footer; throws CORRUPT_FILE (or NOT_SUPPORTED for encrypted files) naming the file. */
export async function readFooter(file: RandomAccessFile, o?: IoOptions): Promise<FooterBytes> {
  const { location, size } = file;
  if (size === 0) throw corruptFile(location, 'the file is empty');
  const tailLength = Math.min(FOOTER_TAIL_BYTES, size);
  const tailOffset = size - tailLength;
  const tail = await file.readTail(tailLength, o);
  if (tail.length !== tailLength) {
    throw corruptFile(location, `the file is shorter than its listed size (read ${tail.length} of the last ${tailLength} bytes)`);
  }
  if (!hasMagic(tail, tail.length - 4)) {
    if (hasMagic(tail, tail.length - 4, MAGIC_ENCRYPTED)) {
      throw parquetError('NOT_SUPPORTED', location, 'the file is encrypted (Parquet modular encryption is not supported)');
    }
    if (await startsWithMagic(file, tail, o)) {
      throw corruptFile(location, `the file is truncated: it has no footer at the end (file is ${size} bytes)`);
    }
    throw corruptFile(location, `not a Parquet file (it does not end with the PAR1 magic bytes; file is ${size} bytes)`);
  }
  if (size < 12) throw corruptFile(location, `footer is truncated (file is ${size} bytes)`);
  const dv = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  const metadataLength = dv.getUint32(tail.length - 8, true);
  if (metadataLength === 0) throw corruptFile(location, 'footer is empty');
  if (metadataLength + 12 > size || metadataLength > MAX_FOOTER_BYTES) {
    throw corruptFile(location, `footer length ${metadataLength} does not fit in the file (file is ${size} bytes; truncated or corrupt)`);
  }
  if (tail.length === size && !hasMagic(tail, 0)) {
    throw corruptFile(location, 'not a Parquet file (it does not start with the PAR1 magic bytes)');
  }
  let footer: Uint8Array;
  if (metadataLength + 8 <= tail.length) {
    footer = tail.subarray(tail.length - 8 - metadataLength);
  } else {
    const start = size - 8 - metadataLength;
    const rest = await file.read(start, tailOffset - start, o);
    if (rest.length !== tailOffset - start) throw corruptFile(location, 'the file is shorter than its listed size');
    footer = new Uint8Array(metadataLength + 8);
    footer.set(rest, 0);
    footer.set(tail, rest.length);
  }
  return { footer, metadata: footer.subarray(0, metadataLength), tail, tailOffset };
}
