/**
 * What ParquetReader reads and returns: one request for the footer, only the requested column chunks of the
 * requested row group, batches of the requested size with fields named as requested, and errors for names it
 * does not have.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { ShoalError } from '../../../../src/common/index.js';
import { FOOTER_TAIL_BYTES, ParquetDecoderPool, ParquetReader } from '../../../../src/formats/parquet/index.js';
import type { DecodeSource } from '../../../../src/formats/parquet/decoder/decoder-pool.js';
import { LocalFileSystem, newIoStats, type RandomAccessFile } from '../../../../src/fs/index.js';
import { batchColumn, scalarAt, type Scalar } from '../../../../src/types/index.js';
import { openOracle, type Oracle } from './support/duckdb-oracle.js';
import { writeDuckFixture } from './support/fixtures.js';
import { checkBatch } from './support/read-all.js';

let dir: string;
let oracle: Oracle;
let wide: string;
const fs = new LocalFileSystem();

/** 200,000 rows of an 18-column taxi-like table in 4 row groups. */
const TAXI_SELECT = `SELECT (i % 2 + 1)::INTEGER AS VendorID,
  make_timestamp(1704067200000000 + i * 333333) AS pickup, make_timestamp(1704067200000000 + i * 333333 + 600000000) AS dropoff,
  CASE WHEN i % 50 = 0 THEN NULL ELSE (1 + hash(i) % 4)::BIGINT END AS passenger_count,
  (hash(i * 7) % 2000) / 100.0 AS trip_distance, (1 + hash(i * 3) % 6)::BIGINT AS RatecodeID,
  CASE WHEN i % 10 = 0 THEN 'Y' ELSE 'N' END AS store_and_fwd_flag,
  (1 + hash(i * 11) % 265)::INTEGER AS PULocationID, (1 + hash(i * 13) % 265)::INTEGER AS DOLocationID,
  (hash(i * 17) % 5)::BIGINT AS payment_type, (hash(i * 19) % 6000) / 100.0 AS fare_amount,
  (hash(i * 23) % 3)::DOUBLE AS extra, 0.5 AS mta_tax, (hash(i * 29) % 1000) / 100.0 AS tip_amount,
  0.0 AS tolls_amount, 1.0 AS improvement_surcharge, (hash(i * 31) % 9000) / 100.0 AS total_amount,
  2.5 AS congestion_surcharge
  FROM range(200000) t(i)`;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'shoal-parquet-io-'));
  oracle = await openOracle();
  wide = path.join(dir, 'taxi.parquet');
  await writeDuckFixture(oracle, wide, { version: 'V1', compression: 'snappy' }, TAXI_SELECT, 51200);
});

afterAll(() => {
  oracle.close();
  rmSync(dir, { recursive: true, force: true });
});

async function withReader<T>(p: string, f: (r: ParquetReader, file: RandomAccessFile) => Promise<T>): Promise<T> {
  const file = await fs.open(p);
  try {
    const reader = await ParquetReader.open(file);
    try {
      return await f(reader, file);
    } finally {
      await reader.close();
    }
  } finally {
    await file.close();
  }
}

async function collect(it: AsyncIterable<import('apache-arrow').RecordBatch>): Promise<import('apache-arrow').RecordBatch[]> {
  const out = [];
  for await (const b of it) out.push(b);
  return out;
}

describe('I/O', () => {
  it('reads the footer with one request of at most 64 KiB', async () => {
    const file = await fs.open(wide);
    const stats = newIoStats();
    const reader = await ParquetReader.open(file, { stats });
    expect(stats).toEqual({ requests: 1, bytesRead: Math.min(FOOTER_TAIL_BYTES, file.size) });
    expect(reader.info.rowGroups.length).toBe(4);
    await reader.close();
    await file.close();
  });

  it('reads a footer larger than 64 KiB with a second request', async () => {
    const p = path.join(dir, 'many-columns.parquet');
    const cols = Array.from({ length: 400 }, (_, k) => `i + ${k} AS column_with_a_long_name_${k}`).join(', ');
    await writeDuckFixture(oracle, p, { version: 'V1', compression: 'snappy' }, `SELECT ${cols} FROM range(4096) t(i)`, 2048);
    const file = await fs.open(p);
    const stats = newIoStats();
    const reader = await ParquetReader.open(file, { stats });
    const footerLength = new DataView((await file.readTail(8)).buffer).getUint32(0, true);
    expect(footerLength).toBeGreaterThan(FOOTER_TAIL_BYTES);
    expect(stats.requests).toBe(2);
    expect(stats.bytesRead).toBe(footerLength + 8);
    expect(reader.info.fields.length).toBe(400);
    const [batch] = await collect(reader.readRowGroup(0, ['column_with_a_long_name_399']));
    expect(scalarAt(batchColumn(batch!, 0), reader.info.fields[399]!.type, 9)).toBe(408n);
    await reader.close();
    await file.close();
  });

  it('reads only the requested column chunk of the requested row group', async () => {
    await withReader(wide, async (reader, file) => {
      const stats = newIoStats();
      const chunk = reader.info.rowGroups[2]!.columns.get('fare_amount')!;
      const batches = await collect(reader.readRowGroup(2, ['fare_amount'], { stats }));
      expect(batches.reduce((n, b) => n + b.numRows, 0)).toBe(reader.info.rowGroups[2]!.numRows);
      expect(stats).toEqual({ requests: 1, bytesRead: chunk.compressedSize });
      expect(stats.bytesRead).toBeLessThan(file.size / 20);
      expect(reader.unplannedReads).toBe(0);
    });
  });

  it('counts each call\'s bytes in its own stats when calls overlap', async () => {
    await withReader(wide, async (reader) => {
      const a = newIoStats();
      const b = newIoStats();
      const [ra, rb] = await Promise.all([
        collect(reader.readRowGroup(0, ['tip_amount'], { stats: a })),
        collect(reader.readRowGroup(1, ['pickup', 'store_and_fwd_flag'], { stats: b })),
      ]);
      expect(ra.reduce((n, x) => n + x.numRows, 0)).toBe(51200);
      expect(rb.reduce((n, x) => n + x.numRows, 0)).toBe(51200);
      const rg0 = reader.info.rowGroups[0]!.columns;
      const rg1 = reader.info.rowGroups[1]!.columns;
      expect(a).toEqual({ requests: 1, bytesRead: rg0.get('tip_amount')!.compressedSize });
      expect(b.bytesRead).toBeGreaterThanOrEqual(rg1.get('pickup')!.compressedSize + rg1.get('store_and_fwd_flag')!.compressedSize);
      expect(b.bytesRead).toBeLessThan(rg1.get('pickup')!.compressedSize + rg1.get('store_and_fwd_flag')!.compressedSize + 256 * 1024);
    });
  });
});

describe('batches', () => {
  it('honours the batch size and names fields as requested, in the requested order, repeats included', async () => {
    await withReader(wide, async (reader) => {
      const names = ['total_amount', 'VendorID', 'store_and_fwd_flag', 'VendorID'];
      const fields = names.map((n) => reader.info.fields.find((f) => f.name === n)!);
      const batches = await collect(reader.readRowGroup(3, names, { batchSize: 10_000 }));
      const rows = reader.info.rowGroups[3]!.numRows;
      expect(rows).toBe(200_000 - 3 * 51_200);
      expect(batches.map((b) => b.numRows)).toEqual([10_000, 10_000, 10_000, 10_000, rows - 40_000]);
      for (const b of batches) checkBatch(b, fields, 10_000);
      const first = batches[0]!;
      const row: Scalar[] = fields.map((f, i) => scalarAt(batchColumn(first, i), f.type, 0));
      const i = 3 * 51200;
      expect(row[1]).toBe((i % 2) + 1);
      expect(row[3]).toBe(row[1]);
      expect(row[2]).toBe(i % 10 === 0 ? 'Y' : 'N');
    });
  });

  it('uses 65,536-row batches by default', async () => {
    const p = path.join(dir, 'one-group.parquet');
    await writeDuckFixture(oracle, p, { version: 'V1', compression: 'snappy' }, 'SELECT i FROM range(150000) t(i)', 200000);
    await withReader(p, async (reader) => {
      expect(reader.info.rowGroups.length).toBe(1);
      const batches = await collect(reader.readRowGroup(0, ['i']));
      expect(batches.map((b) => b.numRows)).toEqual([65536, 65536, 150000 - 131072]);
    });
  });

  it('yields row counts without reading data when no column is requested', async () => {
    await withReader(wide, async (reader) => {
      const stats = newIoStats();
      const batches = await collect(reader.readRowGroup(1, [], { stats, batchSize: 20_000 }));
      expect(batches.map((b) => [b.numRows, b.numCols])).toEqual([[20_000, 0], [20_000, 0], [11_200, 0]]);
      expect(stats).toEqual({ requests: 0, bytesRead: 0 });
    });
  });

  it('reads a file without rows', async () => {
    const p = path.join(dir, 'empty-table.parquet');
    await writeDuckFixture(oracle, p, { version: 'V2', compression: 'zstd' }, 'SELECT i::INTEGER AS i, i::VARCHAR AS s FROM range(0) t(i)');
    await withReader(p, async (reader) => {
      expect(reader.info.numRows).toBe(0);
      expect(reader.info.fields.map((f) => f.name)).toEqual(['i', 's']);
      for (const rg of reader.info.rowGroups) expect(await collect(reader.readRowGroup(rg.index, ['i', 's']))).toEqual([]);
    });
  });

  it('refuses unknown and skipped columns naming the file', async () => {
    const p = path.join(dir, 'skipped.parquet');
    await writeDuckFixture(oracle, p, { version: 'V1', compression: 'snappy' }, "SELECT i, TIME '12:00:00' AS l FROM range(3) t(i)");
    await withReader(p, async (reader) => {
      expect(reader.skippedColumns).toEqual([{ name: 'l', reason: 'type TIME is not supported yet' }]);
      const fail = async (cols: string[]): Promise<ShoalError> => {
        try {
          await collect(reader.readRowGroup(0, cols));
        } catch (e) {
          return e as ShoalError;
        }
        throw new Error('expected an error');
      };
      const unknown = await fail(['I']);
      expect(unknown.code).toBe('COLUMN_NOT_FOUND');
      expect(unknown.message).toBe(`Cannot read column 'I' of Parquet file ${p}`);
      const nested = await fail(['i', 'l']);
      expect(nested.code).toBe('NOT_SUPPORTED');
      expect(nested.message).toContain('type TIME is not supported yet');
    });
  });
});

describe('prefetched ranges', () => {
  test('a chunk fetched as many small requests is reassembled for the decoder, with no other read', async () => {
    const file = await fs.open(wide);
    const stats = newIoStats();
    const reader = await ParquetReader.open(file, { coalesce: { maxGapBytes: 0, maxRequestBytes: 4096 } });
    const chunk = reader.info.rowGroups[1]!.columns.get('total_amount')!;
    const batches = await collect(reader.readRowGroup(1, ['total_amount'], { stats }));
    expect(batches.reduce((n, b) => n + b.numRows, 0)).toBe(51200);
    expect(stats).toEqual({ requests: Math.ceil(chunk.compressedSize / 4096), bytesRead: chunk.compressedSize });
    expect(reader.unplannedReads).toBe(0);
    const whole = await withReader(wide, async (r) => collect(r.readRowGroup(1, ['total_amount'])));
    expect(scalarAt(batchColumn(batches[0]!, 0), reader.info.fields.find((f) => f.name === 'total_amount')!.type, 1234))
      .toBe(scalarAt(batchColumn(whole[0]!, 0), reader.info.fields.find((f) => f.name === 'total_amount')!.type, 1234));
    await reader.close();
    await file.close();
  });

  test('what the decoder reads outside the bytes it was given comes from the file, counted in the job', async () => {
    const file = await fs.open(wide);
    const reader = await ParquetReader.open(file);
    const tail = await file.readTail(8);
    const footerLength = new DataView(tail.buffer, tail.byteOffset).getUint32(0, true);
    const footerBytes = await file.readTail(footerLength + 8);
    const pool = new ParquetDecoderPool();
    let reads = 0;
    const stats = newIoStats();
    const source: DecodeSource = {
      id: 1_000_000, location: file.location, size: file.size, tail: footerBytes, tailOffset: file.size - footerBytes.length,
      read: (offset, length, o) => {
        reads++;
        return file.read(offset, length, o);
      },
    };
    const decoded = await pool.decode({ source, rowGroup: 2, columns: ['tip_amount'], batchSize: 65536, io: { stats } });
    expect(decoded.kind).toBe('arrays');
    expect(decoded.kind === 'arrays' ? decoded.data.byteLength : 0).toBeGreaterThanOrEqual(51200 * 8);
    expect(reads).toBeGreaterThan(0); // page indexes and the chunk: nothing was prefetched
    expect(stats.requests).toBe(reads);
    expect(stats.bytesRead).toBeGreaterThanOrEqual(reader.info.rowGroups[2]!.columns.get('tip_amount')!.compressedSize);
    await pool.close();
    await reader.close();
    await file.close();
  });
  test('prefetched bytes the reader owns move to the decoder; others are copied and stay intact', async () => {
    const file = await fs.open(wide);
    expect(file.ownsReads).toBe(true);
    const reader = await ParquetReader.open(file);
    const chunk = reader.info.rowGroups[0]!.columns.get('fare_amount')!;
    const footerBytes = await file.readTail(Math.min(file.size, 1 << 20));
    const pool = new ParquetDecoderPool();
    const source: DecodeSource = {
      id: 1_000_001, location: file.location, size: file.size, tail: footerBytes, tailOffset: file.size - footerBytes.length,
      read: (offset, length, o) => file.read(offset, length, o),
    };
    const decode = async (owned: boolean): Promise<{ bytes: Uint8Array; ipc: Uint8Array }> => {
      const bytes = await file.read(chunk.offset, chunk.compressedSize);
      const decoded = await pool.decode({ source, rowGroup: 0, columns: ['fare_amount'], batchSize: 65536, prefetched: [{ offset: chunk.offset, bytes, owned }] });
      return { bytes, ipc: new Uint8Array(decoded.kind === 'arrays' ? decoded.data : decoded.ipc) };
    };
    const moved = await decode(true);
    const copied = await decode(false);
    expect(moved.bytes.byteLength).toBe(0); // detached by the transfer
    expect(copied.bytes.byteLength).toBe(chunk.compressedSize);
    expect(moved.ipc).toEqual(copied.ipc);
    await pool.close();
    await reader.close();
    await file.close();
  });
});
