/**
 * Every type, encoding and compression DuckDB writes, read by ParquetReader and compared value by value, and
 * statistic by statistic, with what DuckDB reads from the same file.
 *
 *   V1 + snappy        dictionary pages (RLE_DICTIONARY), PLAIN pages, data page v1
 *   V2 + zstd          data page v2, DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, BYTE_STREAM_SPLIT
 *   V1 + gzip, V1 + uncompressed, V2 + lz4_raw, V2 + brotli: the other codecs
 * Each file: TYPE_ROWS rows in row groups of 2048 (three row groups), all columns of fixtures.typesSelect().
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParquetDecoderPool, type RowFilterAtom } from '../../../../src/formats/index.js';
import { typeName } from '../../../../src/types/index.js';
import { expectStatisticsMatchDuckDB, expectValuesMatchDuckDB } from './support/compare.js';
import { openOracle, type Oracle } from './support/duckdb-oracle.js';
import { SKIPPED_COLUMNS, TYPE_ROWS, writeDuckFixture, type DuckFixture } from './support/fixtures.js';
import { readAll } from './support/read-all.js';

const EXPECTED_TYPES: Readonly<Record<string, string>> = {
  b: 'boolean', ti: 'tinyint', si: 'smallint', i32: 'integer', i64: 'bigint',
  ut: 'smallint', us: 'integer', ui: 'bigint', ub: 'decimal(20,0)',
  r: 'real', d: 'double', d_special: 'double',
  dec_4_2: 'decimal(4,2)', dec_9_3: 'decimal(9,3)', dec_18_6: 'decimal(18,6)', dec_38_10: 'decimal(38,10)', dec_22_0: 'decimal(22,0)',
  dt: 'date', ts: 'timestamp(6)', ts_ms: 'timestamp(3)', ts_ns: 'timestamp(9)', ts_s: 'timestamp(6)', ts_tz: 'timestamp(6) with time zone',
  s_low: 'varchar', s_high: 'varchar', s_empty: 'varchar', bl: 'varchar', js: 'varchar', en: 'varchar',
  all_null: 'integer', sparse: 'bigint', MixedCase: 'bigint',
  lst: 'array(bigint)', st: 'row(a bigint, b varchar)', mp: 'map(varchar, bigint)',
};

const VARIANTS: readonly DuckFixture[] = [
  { version: 'V1', compression: 'snappy' },
  { version: 'V2', compression: 'zstd' },
  { version: 'V1', compression: 'gzip' },
  { version: 'V1', compression: 'uncompressed' },
  { version: 'V2', compression: 'lz4_raw' },
  { version: 'V2', compression: 'brotli' },
];

/** A decoder pool that records how each row group came back from its worker. */
class RecordingPool extends ParquetDecoderPool {
  readonly kinds: string[] = [];
  override async decode(job: Parameters<ParquetDecoderPool['decode']>[0]): ReturnType<ParquetDecoderPool['decode']> {
    const decoded = await super.decode(job);
    this.kinds.push(decoded.kind);
    return decoded;
  }
}

let dir: string;
let oracle: Oracle;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'shoal-parquet-'));
  oracle = await openOracle();
});

afterAll(() => {
  oracle.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.each(VARIANTS)('DuckDB $version $compression', (variant) => {
  const file = (): string => path.join(dir, `types-${variant.version}-${variant.compression}.parquet`);
  beforeAll(() => writeDuckFixture(oracle, file(), variant));

  it('maps every column to the expected SQL type and skips nested/unsupported ones', async () => {
    const { reader } = await readAll(file(), { batchSize: 1000 });
    expect(Object.fromEntries(reader.info.fields.map((f) => [f.name, typeName(f.type)]))).toEqual(EXPECTED_TYPES);
    expect(reader.info.numRows).toBe(TYPE_ROWS);
    expect(reader.info.rowGroups.map((rg) => rg.numRows)).toEqual([2048, 2048, TYPE_ROWS - 4096]);
    expect(reader.skippedColumns.map((s) => s.name)).toEqual(Object.keys(SKIPPED_COLUMNS));
    for (const s of reader.skippedColumns) expect(s.reason).toContain(SKIPPED_COLUMNS[s.name as keyof typeof SKIPPED_COLUMNS]);
    expect(reader.info.createdBy).toMatch(/DuckDB/i);
  });

  it('decodes every value as DuckDB does', async () => {
    const read = await readAll(file(), { batchSize: 1000 });
    await expectValuesMatchDuckDB(oracle, file(), read);
  });

  it('decodes the flat columns from the buffers the decoder copies out (no IPC) as DuckDB does', async () => {
    const pool = new RecordingPool();
    try {
      const read = await readAll(file(), { batchSize: 1000, flatOnly: true, decoderPool: pool });
      expect(pool.kinds).toEqual(['arrays', 'arrays', 'arrays']);
      // Decimals whose every value is an exact double come back as doubles; the others (18 digits and up, here
      // past 2^53) as Decimal128 words.
      expect([...read.asDoubles].sort()).toEqual(['dec_4_2', 'dec_9_3']);
      await expectValuesMatchDuckDB(oracle, file(), read);
    } finally {
      await pool.close();
    }
  });

  it('copies out only the rows a row filter keeps, every type as DuckDB reads them; ignores atoms of another format', async () => {
    // MixedCase = i (bigint); dt a date with NULLs; i32 is Int32, so an Int64 atom on it must be ignored.
    const bits = new Uint8Array(Math.ceil(TYPE_ROWS / 8));
    for (let i = 0; i < TYPE_ROWS; i++) if (i % 3 !== 0) bits[i >> 3]! |= 1 << (i & 7);
    const rowFilter: RowFilterAtom[] = [
      { kind: 'range', column: 'MixedCase', format: 'l', lo: 1500, hi: 2600 },
      { kind: 'notEqual', column: 'MixedCase', format: 'l', value: 1999 },
      { kind: 'keyBits', column: 'MixedCase', format: 'l', min: 0, range: TYPE_ROWS, bits },
      { kind: 'range', column: 'dt', format: 'tdD', lo: -60000, hi: 90000 },
      { kind: 'differenceRange', left: 'dt', right: 'dt', format: 'tdD', lo: 0, hi: 0 },
      { kind: 'range', column: 'i32', format: 'l', lo: 0, hi: 0 },
    ];
    const where = `"MixedCase" BETWEEN 1500 AND 2600 AND "MixedCase" <> 1999 AND "MixedCase" % 3 <> 0
      AND (dt - DATE '1970-01-01') BETWEEN -60000 AND 90000`;
    const pool = new RecordingPool();
    try {
      const read = await readAll(file(), { batchSize: 1000, flatOnly: true, decoderPool: pool, rowFilter });
      expect(pool.kinds).toEqual(['arrays', 'arrays', 'arrays']);
      expect([...read.asDoubles].sort()).toEqual(['dec_4_2', 'dec_9_3']);
      // Row group 0 keeps part of rows 1500..2047, row group 1 part of 2048..2600, row group 2 nothing.
      expect(read.values.get('MixedCase')!.map((rg) => rg.length)).toEqual([expect.any(Number), expect.any(Number), 0]);
      await expectValuesMatchDuckDB(oracle, file(), read, [], where);
    } finally {
      await pool.close();
    }
  });

  it('copies the runs of a dense row filter whole, and tests Int64 key bits whose minimum lies below zero', async () => {
    // min −10: the key − min of 0..4999 borrows from the high word in the worker's int32 arithmetic.
    const min = -10;
    const bits = new Uint8Array(Math.ceil((TYPE_ROWS - min) / 8));
    for (let k = 0; k < TYPE_ROWS; k++) if (k % 500 !== 7) bits[(k - min) >> 3]! |= 1 << ((k - min) & 7);
    const rowFilter: RowFilterAtom[] = [
      { kind: 'keyBits', column: 'MixedCase', format: 'l', min, range: TYPE_ROWS - min, bits },
      { kind: 'range', column: 'MixedCase', format: 'l', lo: 100, hi: 4900 },
      { kind: 'notEqual', column: 'MixedCase', format: 'l', value: 2500 },
    ];
    // Dropped: below 100; 107, 607, …, 4507; 2500; above 4900.
    const where = `"MixedCase" BETWEEN 100 AND 4900 AND "MixedCase" <> 2500 AND "MixedCase" % 500 <> 7`;
    const pool = new RecordingPool();
    try {
      const read = await readAll(file(), { batchSize: 1000, flatOnly: true, decoderPool: pool, rowFilter });
      expect(read.values.get('MixedCase')!.map((rg) => rg.length)).toEqual([2048 - 100 - 4, 2048 - 4 - 1, 4901 - 4096 - 1]);
      await expectValuesMatchDuckDB(oracle, file(), read, [], where);
    } finally {
      await pool.close();
    }
  });

  it('falls back to IPC for a row group with nested columns, and IPC alone reads the same values', async () => {
    const nested = new RecordingPool();
    const ipc = new RecordingPool({ transport: 'ipc' });
    try {
      await readAll(file(), { batchSize: 1000, decoderPool: nested });
      expect(nested.kinds).toEqual(['ipc', 'ipc', 'ipc']);
      const read = await readAll(file(), { batchSize: 1000, flatOnly: true, decoderPool: ipc });
      expect(ipc.kinds).toEqual(['ipc', 'ipc', 'ipc']);
      await expectValuesMatchDuckDB(oracle, file(), read);
    } finally {
      await nested.close();
      await ipc.close();
    }
  });

  it('reports statistics as DuckDB parquet_metadata() does, and they bound the data', async () => {
    const read = await readAll(file());
    await expectStatisticsMatchDuckDB(oracle, file(), read);
  });
});
