import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ParquetEncoder, ParquetFileWriter, checkParquetTypes } from '../../../../src/formats/index.js';
import { LocalFileSystem } from '../../../../src/fs/index.js';
import { BIGINT, INTERVAL_DAY_TIME, VARCHAR, columnFromScalars, makeBatch, type ColumnField } from '../../../../src/types/index.js';
import { DuckOracle } from '../../../support/duckdb-oracle.js';

const dir = mkdtempSync(path.join(tmpdir(), 'shoal-parquet-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fs = new LocalFileSystem();
const fields: ColumnField[] = [{ name: 'id', type: BIGINT, nullable: true }, { name: 'name', type: VARCHAR, nullable: true }];
const batch = (from: number, n: number) => makeBatch(fields, [
  columnFromScalars(BIGINT, Array.from({ length: n }, (_, i) => BigInt(from + i))),
  columnFromScalars(VARCHAR, Array.from({ length: n }, (_, i) => ((from + i) % 3 === 0 ? null : `n${(from + i) % 7}`))),
], n);
const options = { compression: 'snappy' as const, rowGroupRows: 1000, rowGroupBytes: 0 };

describe('ParquetFileWriter', () => {
  test('one encoder writes several files at once; row groups hold at most rowGroupRows rows; DuckDB reads them', async () => {
    const encoder = new ParquetEncoder();
    try {
      const a = new ParquetFileWriter(encoder, await fs.create(path.join(dir, 'a.parquet')), fields, options);
      const b = new ParquetFileWriter(encoder, await fs.create(path.join(dir, 'b.parquet')), fields, options);
      for (let k = 0; k < 5; k++) {
        await a.write(batch(k * 700, 700));
        await b.write(batch(100_000 + k * 10, 10));
      }
      const sb = await b.close();
      const sa = await a.close();
      expect(sa.size).toBe(a.bytesWritten);
      expect(sb.size).toBe(b.bytesWritten);
      expect([a.rows, b.rows]).toEqual([3500, 50]);
    } finally {
      await encoder.close();
    }
    const duck = await DuckOracle.create();
    try {
      expect((await duck.query(`SELECT count(*), sum(id), count(name) FROM '${dir}/a.parquet'`)).rows).toEqual([[3500, 6123250, 2333]]);
      expect((await duck.query(`SELECT row_group_num_rows FROM parquet_metadata('${dir}/a.parquet') WHERE path_in_schema = 'id' ORDER BY row_group_id`)).rows)
        .toEqual([[1000], [1000], [1000], [500]]);
      expect((await duck.query(`SELECT min(id), max(id) FROM '${dir}/b.parquet'`)).rows).toEqual([[100000, 100049]]);
    } finally {
      duck.close();
    }
  });

  test('abort leaves no file; closing the encoder fails a file still open', async () => {
    const encoder = new ParquetEncoder();
    const file = path.join(dir, 'gone.parquet');
    const w = new ParquetFileWriter(encoder, await fs.create(file), fields, options);
    await w.write(batch(0, 10));
    await w.abort();
    expect(existsSync(file)).toBe(false);
    const open = new ParquetFileWriter(encoder, await fs.create(path.join(dir, 'open.parquet')), fields, options);
    await open.write(batch(0, 10));
    await encoder.close();
    await expect(open.close()).rejects.toMatchObject({ code: 'GENERIC_INTERNAL_ERROR' });
    expect(existsSync(path.join(dir, 'open.parquet'))).toBe(false);
  });

  test('types Parquet cannot hold are refused naming the column', () => {
    expect(() => checkParquetTypes([{ name: 'wait', type: INTERVAL_DAY_TIME, nullable: true }])).toThrow("Column 'wait' of type interval day to second cannot be written to Parquet");
  });
});
