/**
 * Partition and row-group pruning from WHERE, asserted through EXPLAIN's kept counts, with every answer checked
 * against DuckDB (a wrong skip would lose rows). Data: 12 monthly hive partitions, one file each, 4 row groups
 * of 2,048 rows sorted by id; n is NULL in all of row group 0, in none of row group 1, in half of 2 and 3.
 * A second table is written without statistics: nothing can be skipped there. Row groups are counted out of
 * those of the files partition pruning kept.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as A from 'apache-arrow';
import { EnabledStatistics, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Shoal, type Session } from '../../../src/index.js';
import { expectSameRows } from '../../support/differential.js';
import { DuckOracle } from '../../support/duckdb-oracle.js';

let dir: string;
let duck: DuckOracle;
let session: Session;

const T = "read_parquet('p/**/*.parquet', hive_partitioning => true)";

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'shoal-pruning-'));
  duck = await DuckOracle.create();
  await duck.run(`COPY (SELECT m AS month, m * 10000 + j AS id, j * 0.5 AS v, 'k' || lpad(j::VARCHAR, 5, '0') AS s,
      DATE '2024-01-01' + (j // 100)::INTEGER AS d,
      CASE WHEN j < 2048 THEN NULL WHEN j < 4096 THEN j WHEN j % 2 = 0 THEN NULL ELSE j END AS n
      FROM range(1, 13) a(m), range(8192) b(j) ORDER BY m, j)
    TO '${dir}/p' (FORMAT parquet, PARTITION_BY (month), ROW_GROUP_SIZE 2048)`);
  await duck.run(`CREATE VIEW p AS SELECT * FROM read_parquet('${dir}/p/**/*.parquet', hive_partitioning = true)`);
  // The same id values, written without statistics (parquet-wasm), 4 row groups.
  const ids = BigInt64Array.from({ length: 4000 }, (_, j) => BigInt(31000 + j));
  const table = new A.Table({ id: A.makeVector(ids) });
  const props = new WriterPropertiesBuilder().setMaxRowGroupSize(1000).setStatisticsEnabled(EnabledStatistics.None).build();
  writeFileSync(path.join(dir, 'nostats.parquet'), writeParquet(WasmTable.fromIPCStream(A.tableToIPC(table, 'stream')), props));
  await duck.run(`CREATE VIEW nostats AS SELECT * FROM read_parquet('${dir}/nostats.parquet')`);
  session = (await Shoal.open({ cwd: dir })).session();
}, 60_000);

afterAll(() => {
  duck.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Kept {
  partitions?: string;
  files: string;
  rowGroups: string;
}

async function kept(from: string, where: string): Promise<Kept> {
  const r = await session.query(`EXPLAIN SELECT count(*) FROM ${from} WHERE ${where}`);
  const plan = String(Object.values((await r.toArray())[0]!)[0]);
  const scan = plan.split('\n').find((l) => /Scan /.test(l))!;
  const m = (re: RegExp): string | undefined => re.exec(scan)?.[1];
  const out: Kept = { files: m(/ files=(\d+\/\d+)/)!, rowGroups: m(/ row_groups=(\d+\/\d+)/) ?? `0/${m(/ row_groups=\d+\/(\d+)/) ?? '?'}` };
  const partitions = m(/ partitions=(\d+\/\d+)/);
  return partitions === undefined ? out : { partitions, ...out };
}

async function check(from: string, duckFrom: string, where: string): Promise<void> {
  await expectSameRows({ duck, session }, {
    name: where, sql: `SELECT count(*), sum(id) FROM ${from} WHERE ${where}`, duck: `SELECT count(*), sum(id) FROM ${duckFrom} WHERE ${where}`,
  });
}

describe('partition pruning', () => {
  const cases: [string, string][] = [
    ['month = 3', '1/12'],
    ['month < 3', '2/12'],
    ['month <= 3', '3/12'],
    ['month > 10', '2/12'],
    ['month >= 10', '3/12'],
    ['month BETWEEN 4 AND 6', '3/12'],
    ['month IN (1, 5, 12)', '3/12'],
    ['month <> 5', '11/12'],
    ['NOT (month = 5)', '11/12'],
    ['month NOT BETWEEN 2 AND 11', '2/12'],
    ['month = 3 OR month = 7', '2/12'],
    ['month + 0 = 3', '1/12'], // not a bare column: statistics cannot tell, the exact evaluation on each file's values does
    ['month * 2 > 20 OR month IS NULL', '2/12'],
    ["CAST(month AS varchar) LIKE '1%'", '4/12'],
  ];
  for (const [where, partitions] of cases) {
    test(where, async () => {
      const k = await kept(T, where);
      expect(k.partitions, where).toBe(partitions);
      expect(k.files).toBe(partitions);
      await check(T, 'p', where);
    });
  }
});

describe('partition filters that can fail', () => {
  // 10 / (month - 3) divides by zero on month 3 only. Files are pruned with it where it evaluates, but it stays in
  // the Filter: whether it raises depends on the rows the other conjuncts leave it, as without partitions.
  test('prunes the files where it is FALSE and still filters the rows', async () => {
    const where = 'month <> 3 AND 10 / (month - 3) > 1'; // TRUE for months 4 … 8 (integer division)
    expect((await kept(T, where)).partitions).toBe('5/12');
    const rows = await (await session.query(`SELECT count(*) AS n FROM ${T} WHERE ${where}`)).toArray();
    expect(Number(rows[0]!['n'])).toBe(5 * 8192);
  });

  test('raises only when a row reaches it', async () => {
    const none = await (await session.query(`SELECT count(*) AS n FROM ${T} WHERE id < 0 AND 10 / (month - 3) > 1`)).toArray();
    expect(Number(none[0]!['n'])).toBe(0);
    await expect(async () => (await session.query(`SELECT count(*) FROM ${T} WHERE 10 / (month - 3) > 1`)).toArray())
      .rejects.toThrow(/Division by zero/);
  });
});

describe('row-group pruning', () => {
  // Month 3 holds ids 30000 … 38191; its row group g holds 30000 + 2048g … 32047 + 2048g.
  const cases: [string, string][] = [
    ['id = 33000', '1/48'],
    ['month = 3 AND id < 32048', '1/4'],
    ['month = 3 AND id <= 32048', '2/4'],
    ['month = 3 AND id > 36143', '1/4'],
    ['month = 3 AND id >= 36143', '2/4'],
    ['id BETWEEN 33000 AND 33100', '1/48'],
    ['id IN (30001, 38191)', '2/48'],
    ['month = 3 AND n IS NULL', '3/4'],
    ['month = 3 AND n IS NOT NULL', '3/4'],
    ["month = 3 AND d = DATE '2024-01-05'", '1/4'],
    ["month = 3 AND d > DATE '2024-03-22'", '0/4'],
    ["month = 3 AND s = 'k03000'", '1/4'],
    ["month = 3 AND s >= 'k06200'", '1/4'],
    ['v > 5000', '0/48'],
    ['month = 3 AND id > 32047.5', '3/4'], // compared as decimal: the cast of id is monotonic
    ['month = 3 AND id * 2 = 64000', '4/4'], // an expression of the column: kept
  ];
  for (const [where, rowGroups] of cases) {
    test(where, async () => {
      expect((await kept(T, where)).rowGroups, where).toBe(rowGroups);
      await check(T, 'p', where);
    });
  }

  test('a file without statistics keeps every row group', async () => {
    for (const where of ['id = 31500', 'id IS NULL', 'id < 0', 'id > 40000']) {
      expect((await kept("'nostats.parquet'", where)).rowGroups, where).toBe('4/4');
      await expectSameRows({ duck, session }, { name: where, sql: `SELECT count(*) FROM 'nostats.parquet' WHERE ${where}`, duck: `SELECT count(*) FROM nostats WHERE ${where}` });
    }
  });
});
