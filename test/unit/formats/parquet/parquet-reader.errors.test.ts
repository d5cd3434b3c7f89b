/**
 * Broken files fail with a ShoalError that names the file (CORRUPT_FILE, or NOT_SUPPORTED / IO_ERROR /
 * USER_CANCELED where that is the truth), in bounded time, and never crash the process: the decoder runs in a
 * worker that a WebAssembly trap only takes down with it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShoalError } from '../../../../src/common/index.js';
import { ParquetReader } from '../../../../src/formats/parquet/index.js';
import { LocalFileSystem, type IoOptions, type RandomAccessFile } from '../../../../src/fs/index.js';
import { bin, encodeStruct, i32, i64, list, struct } from './fixtures/thrift-compact.js';
import { openOracle, type Oracle } from './support/duckdb-oracle.js';
import { typesSelect, writeDuckFixture } from './support/fixtures.js';
import { readAll } from './support/read-all.js';

let dir: string;
let oracle: Oracle;
let good: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'shoal-parquet-err-'));
  oracle = await openOracle();
  good = path.join(dir, 'good.parquet');
  await writeDuckFixture(oracle, good, { version: 'V2', compression: 'snappy' }, typesSelect(3000, false), 1024);
});

afterAll(() => {
  oracle.close();
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, bytes: Uint8Array): string {
  const p = path.join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/** Opens and reads every row group; returns the error, or undefined when the file read. */
async function readFully(p: string): Promise<unknown> {
  try {
    await readAll(p);
    return undefined;
  } catch (e) {
    return e;
  }
}

function expectFileError(e: unknown, p: string, code: string, text?: RegExp): void {
  expect(e).toBeInstanceOf(ShoalError);
  const err = e as ShoalError;
  expect(err.code, err.message).toBe(code);
  expect(err.location).toBe(p);
  expect(err.message).toContain(`Cannot read Parquet file ${p}`);
  if (text !== undefined) expect(err.message).toMatch(text);
}

describe('files that are not Parquet or are cut short', () => {
  it('rejects an empty file', async () => {
    const p = write('empty.parquet', new Uint8Array(0));
    expectFileError(await readFully(p), p, 'CORRUPT_FILE', /the file is empty/);
  });

  it('rejects a file that is not Parquet', async () => {
    const p = write('text.parquet', new TextEncoder().encode('id,name\n1,alpha\n2,beta\n'));
    expectFileError(await readFully(p), p, 'CORRUPT_FILE', /not a Parquet file/);
  });

  it('rejects a file cut anywhere after its header', async () => {
    const bytes = readFileSync(good);
    for (const keep of [4, 12, 100, bytes.length >> 1, bytes.length - 9, bytes.length - 1]) {
      const p = write(`cut-${keep}.parquet`, bytes.subarray(0, keep));
      expectFileError(await readFully(p), p, 'CORRUPT_FILE', /truncated/);
    }
  });

  it('rejects a tiny file with only magic bytes', async () => {
    const p = write('magic.parquet', new TextEncoder().encode('PAR1PAR1'));
    expectFileError(await readFully(p), p, 'CORRUPT_FILE', /footer is truncated \(file is 8 bytes\)/);
  });

  it('rejects a footer length larger than the file', async () => {
    const bytes = Uint8Array.from(readFileSync(good));
    new DataView(bytes.buffer).setUint32(bytes.length - 8, 0xfffffff0, true);
    const p = write('footer-length.parquet', bytes);
    expectFileError(await readFully(p), p, 'CORRUPT_FILE', /footer length 4294967280 does not fit/);
  });

  it('refuses encrypted footers as not supported', async () => {
    const bytes = Uint8Array.from(readFileSync(good));
    bytes.set(new TextEncoder().encode('PARE'), bytes.length - 4);
    const p = write('encrypted.parquet', bytes);
    expectFileError(await readFully(p), p, 'NOT_SUPPORTED', /encrypted/);
  });
});

interface ChunkRange {
  readonly offset: number;
  readonly size: number;
}

/** A one-column REQUIRED INT32 file (values 0, 1, 2) whose footer places its chunk where `place` says. */
function tinyFile(place: (right: ChunkRange) => ChunkRange, rows = 3): Uint8Array {
  const page = new Uint8Array(4 * rows);
  for (let r = 0; r < rows; r++) page[4 * r] = r;
  const header = encodeStruct(struct([1, i32(0)], [2, i32(page.length)], [3, i32(page.length)],
    [5, struct([1, i32(rows)], [2, i32(0)], [3, i32(3)], [4, i32(3)])]));
  const chunk = place({ offset: 4, size: header.length + page.length });
  const meta = struct([1, i32(1)], [2, list('i32', [i32(0)])], [3, list('bin', [bin('x')])], [4, i32(0)], [5, i64(rows)],
    [6, i64(chunk.size)], [7, i64(chunk.size)], [9, i64(chunk.offset)]);
  const footer = encodeStruct(struct([1, i32(1)],
    [2, list('struct', [struct([4, bin('schema')], [5, i32(1)]), struct([1, i32(1)], [3, i32(0)], [4, bin('x')])])],
    [3, i64(rows)],
    [4, list('struct', [struct([1, list('struct', [struct([2, i64(chunk.offset)], [3, meta])])], [2, i64(chunk.size)], [3, i64(rows)])])]));
  const out = new Uint8Array(4 + header.length + page.length + footer.length + 8);
  const magic = new TextEncoder().encode('PAR1');
  out.set(magic, 0);
  out.set(header, 4);
  out.set(page, 4 + header.length);
  out.set(footer, 4 + header.length + page.length);
  new DataView(out.buffer).setUint32(out.length - 8, footer.length, true);
  out.set(magic, out.length - 4);
  return out;
}

describe('footers that describe an impossible file', () => {
  it('reads the hand-made file when its footer is right', async () => {
    const p = write('tiny.parquet', tinyFile((right) => right));
    const { values, reader } = await readAll(p);
    expect(reader.info.fields).toEqual([{ name: 'x', type: { kind: 'integer' }, nullable: false }]);
    expect(values.get('x')).toEqual([[0, 1, 2]]);
  });

  it('rejects a column chunk that lies outside the data', async () => {
    const p = write('chunk-outside.parquet', tinyFile((right) => ({ ...right, size: 1 << 30 })));
    expectFileError(await readFully(p), p, 'CORRUPT_FILE', /column 'x' in row group 0 declares bytes 4\.\.1073741828, outside the file's data/);
    const q = write('chunk-before.parquet', tinyFile((right) => ({ ...right, offset: 0 })));
    expectFileError(await readFully(q), q, 'CORRUPT_FILE', /outside the file's data/);
  });

  it('survives random damage to the footer with a clear error', async () => {
    const bytes = readFileSync(good);
    const footerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(bytes.length - 8, true);
    const footerStart = bytes.length - 8 - footerLength;
    let seed = 7;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let k = 0; k < 25; k++) {
      const damaged = Uint8Array.from(bytes);
      for (let f = 0; f < 3; f++) damaged[footerStart + (next() % footerLength)]! ^= 1 << (next() % 8);
      const p = write(`footer-${k}.parquet`, damaged);
      const e = await readFully(p);
      if (e !== undefined) {
        expect(e, String(e)).toBeInstanceOf(ShoalError);
        expect(['CORRUPT_FILE', 'NOT_SUPPORTED']).toContain((e as ShoalError).code);
        expect((e as ShoalError).message).toContain(p);
      }
    }
  });
});

describe('damaged data pages', () => {
  it('reports corrupt pages and decoder crashes as CORRUPT_FILE and keeps working', async () => {
    const bytes = readFileSync(good);
    const footerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(bytes.length - 8, true);
    const dataEnd = bytes.length - 8 - footerLength;
    let seed = 11;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    let failures = 0;
    for (let k = 0; k < 30; k++) {
      const damaged = Uint8Array.from(bytes);
      for (let f = 0; f < 8; f++) damaged[4 + (next() % (dataEnd - 4))]! ^= 1 << (next() % 8);
      const p = write(`pages-${k}.parquet`, damaged);
      const e = await readFully(p);
      if (e !== undefined) {
        failures++;
        expectFileError(e, p, 'CORRUPT_FILE');
      }
    }
    expect(failures).toBeGreaterThan(0);
    // The decoder pool recovered from every crash: the intact file still reads.
    expect(await readFully(good)).toBeUndefined();
  });

  it('names the columns a decoder crash comes from, and still reads the others', async () => {
    // DuckDB V2 writes DELTA_BINARY_PACKED INT32 with 33-bit deltas for full-range values; arrow-rs traps on them.
    const p = path.join(dir, 'int32-delta.parquet');
    await writeDuckFixture(oracle, p, { version: 'V2', compression: 'zstd' },
      `SELECT ((hash(i) % 4294967296)::BIGINT - 2147483648)::INTEGER AS wide, i::INTEGER AS narrow, 'x' || i AS s FROM range(3000) t(i)`);
    const file = await new LocalFileSystem().open(p);
    try {
      const reader = await ParquetReader.open(file);
      const read = async (cols: string[]): Promise<unknown> => {
        try {
          for await (const b of reader.readRowGroup(0, cols)) void b;
          return undefined;
        } catch (e) {
          return e;
        }
      };
      const e = await read(['narrow', 'wide', 's']);
      expectFileError(e, p, 'CORRUPT_FILE', /column 'wide' in row group 0 could not be decoded \(the decoder crashed\)/);
      expect(await read(['narrow', 's'])).toBeUndefined();
      await reader.close();
    } finally {
      await file.close();
    }
  });
});

/** A file whose reads past the footer fail or stall, as a flaky object store's might. */
class FlakyFile implements RandomAccessFile {
  constructor(private readonly inner: RandomAccessFile, private readonly mode: 'fail' | 'stall') {}
  get location(): string {
    return this.inner.location;
  }
  get size(): number {
    return this.inner.size;
  }
  async read(offset: number, length: number, o?: IoOptions): Promise<Uint8Array> {
    if (offset + length < this.size - 65536) {
      if (this.mode === 'fail') throw new ShoalError('IO_ERROR', `Cannot read ${this.location}: connection reset`, { location: this.location });
      await new Promise((resolve) => setTimeout(resolve, 60_000).unref());
    }
    return this.inner.read(offset, length, o);
  }
  readTail(maxLength: number, o?: IoOptions): Promise<Uint8Array> {
    return this.inner.readTail(maxLength, o);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

describe('I/O failures and cancellation', () => {
  it('passes the file system error through, not a corruption error', async () => {
    const file = new FlakyFile(await new LocalFileSystem().open(good), 'fail');
    const reader = await ParquetReader.open(file);
    const error = await (async () => {
      try {
        for await (const b of reader.readRowGroup(0, ['i64', 's_low'])) void b;
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ShoalError);
    expect((error as ShoalError).code).toBe('IO_ERROR');
    expect((error as ShoalError).message).toContain('connection reset');
    await reader.close();
    await file.close();
  });

  it('stops a stalled read when the signal aborts', async () => {
    const file = new FlakyFile(await new LocalFileSystem().open(good), 'stall');
    const reader = await ParquetReader.open(file);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const started = Date.now();
    const error = await (async () => {
      try {
        for await (const b of reader.readRowGroup(0, ['i64'], { signal: ac.signal })) void b;
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect((error as ShoalError).code).toBe('USER_CANCELED');
    expect(Date.now() - started).toBeLessThan(5_000);
    await reader.close();
    await file.close();
    expect(await readFully(good)).toBeUndefined();
  });
});
