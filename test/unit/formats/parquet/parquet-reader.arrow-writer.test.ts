/**
 * A file written by arrow-rs with an ARROW:schema hint (as pyarrow writes one): parquet-wasm then decodes Arrow
 * layouts Shoal does not use (Dictionary<Int8|Int16>, LargeUtf8, LargeBinary, Date64, Timestamp in seconds
 * with a named zone, Float16, unsigned integers, Duration), which arrow-normalize must turn into the layouts of
 * the types declared from the Parquet schema alone (as DuckDB and Trino read it, ignoring the hint).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ParquetFile } from 'parquet-wasm';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typeName } from '../../../../src/types/index.js';
import { expectStatisticsMatchDuckDB, expectValuesMatchDuckDB } from './support/compare.js';
import { openOracle, type Oracle } from './support/duckdb-oracle.js';
import { writeArrowFixture } from './support/fixtures.js';
import { readAll, type FileValues } from './support/read-all.js';
import { openAsBlob } from 'node:fs';

let dir: string;
let file: string;
let oracle: Oracle;
let read: FileValues;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'shoal-parquet-arrow-'));
  file = path.join(dir, 'arrow.parquet');
  writeArrowFixture(file);
  oracle = await openOracle();
  read = await readAll(file, { batchSize: 700 });
});

afterAll(() => {
  oracle.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a file with an ARROW:schema hint', () => {
  it('decodes to non-canonical Arrow layouts (so this test exercises arrow-normalize)', async () => {
    const pf = await ParquetFile.fromFile(await openAsBlob(file));
    const table = tableFromIPC((await pf.read({ rowGroups: [0], batchSize: 1000 })).intoIPCStream());
    const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
    expect(types).toMatchObject({
      dict8: 'Dictionary<Int8, Utf8>', large_utf8: 'LargeUtf8', large_binary: 'LargeBinary', date64: 'Date64<MILLISECOND>',
      ts_s_ny: 'Timestamp<SECOND, America/New_York>', f16: 'Float16', u64: 'Uint64', dur_ms: 'Duration<MILLISECOND>',
    });
    pf.free();
  });

  it('declares types from the Parquet schema, ignoring the hint as DuckDB and Trino do', () => {
    expect(Object.fromEntries(read.reader.info.fields.map((f) => [f.name, typeName(f.type)]))).toEqual({
      dict8: 'varchar', dict16: 'varchar', dict32: 'varchar', large_utf8: 'varchar', large_binary: 'varchar',
      date64: 'bigint', ts_s_ny: 'bigint', ts_ms: 'timestamp(3)', ts_us_utc: 'timestamp(6) with time zone',
      ts_ns: 'timestamp(9)', f16: 'real', u8: 'smallint', u16: 'integer', u32: 'bigint', u64: 'decimal(20,0)',
      i8: 'tinyint', dur_ms: 'bigint', dec_5_2: 'decimal(5,2)',
    });
    expect(read.reader.info.rowGroups.map((rg) => rg.numRows)).toEqual([1000, 1000, 500]);
  });

  it('decodes every value as DuckDB does', async () => {
    await expectValuesMatchDuckDB(oracle, file, read);
  });

  it('reports statistics as DuckDB does', async () => {
    await expectStatisticsMatchDuckDB(oracle, file, read);
  });
});
