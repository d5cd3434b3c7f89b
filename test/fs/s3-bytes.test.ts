/**
 * Byte accounting over S3 (issue 4): selecting 1 column of an 18-column Parquet file transfers a small part of
 * the file. Measured twice: the query's own I/O counters, and the response bytes a loopback proxy between Shoal
 * and the S3 server actually forwarded (footer reads during planning included).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Shoal } from '../../src/index.js';
import { FaultProxy } from '../support/fault-proxy.js';
import { useS3Server } from '../support/s3-server.js';
import { shoalRows } from '../support/shoal-runner.js';
import { DuckOracle } from '../support/duckdb-oracle.js';
import { taxiSelect, writeTaxiFiles, type TaxiFiles } from '../support/taxi-fixtures.js';

const s3 = useS3Server(['lake']);
let dir: string;
let files: TaxiFiles;
let proxy: FaultProxy;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'shoal-s3-bytes-'));
  files = await writeTaxiFiles(dir, 200_000, 50_000);
  await s3().putFile('lake', 'wide/taxi.parquet', files.parquet);
  proxy = await FaultProxy.start(s3().endpoint);
});

afterAll(async () => {
  await proxy?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

test('selecting 1 of 18 columns of a Parquet file in S3 transfers under 15% of the file', async () => {
  const size = statSync(files.parquet).size;
  const shoal = await Shoal.open({ cwd: dir, storage: { s3: { endpoint: proxy.url } } });
  const session = shoal.session();
  proxy.reset();
  const result = await session.query("SELECT sum(fare_amount) FROM 's3://lake/wide/taxi.parquet'");
  const rows = await result.toArray();
  const io = result.stats().io;
  const transferred = proxy.bodyBytes;
  const local = await shoalRows(session, `SELECT sum(fare_amount) FROM '${files.parquet}'`);
  expect(Number(Object.values(rows[0]!)[0])).toBeCloseTo(Number(local.rows[0]![0]), 4);
  // Reported for the record (bench numbers, not assertions on time).
  console.log(`file ${size} B; query io ${io.bytesRead} B in ${io.requests} requests (${((100 * io.bytesRead) / size).toFixed(1)}%); ` +
    `proxy saw ${transferred} B in ${proxy.requests.length} requests (${((100 * transferred) / size).toFixed(1)}%)`);
  expect(io.bytesRead).toBeGreaterThan(0);
  expect(io.bytesRead).toBeLessThan(0.15 * size);
  // On the wire: listing, the footer once (64 KiB tail, cached for the splits) and the column's four chunks.
  expect(transferred).toBeLessThan(0.15 * size);
});

async function duckRows(sql: string): Promise<unknown[][]> {
  const duck = await DuckOracle.create();
  try {
    return (await duck.query(sql)).rows;
  } finally {
    duck.close();
  }
}

/** Keys of the objects whose bytes (GET, not listing) went through the proxy since the last reset. */
function objectsRead(): string[] {
  const keys = proxy.requests.filter((r) => r.method === 'GET' && r.range !== undefined).map((r) => decodeURIComponent(new URL(r.url, 'http://x').pathname));
  return [...new Set(keys)].sort();
}

test('a query filtered to one of twelve monthly partitions in S3 reads only that partition\'s file', async () => {
  const duck = await DuckOracle.create();
  const months = path.join(dir, 'months');
  try {
    await duck.run(`COPY (SELECT * EXCLUDE (i), 2023 AS year, (i % 12 + 1) AS month FROM (${taxiSelect(24_000).replace('FROM range(24000) t(i)', ', i FROM range(24000) t(i)')}))
                    TO '${months}' (FORMAT parquet, PARTITION_BY (year, month))`);
  } finally {
    duck.close();
  }
  expect(await s3().putFolder('lake', 'monthly', months)).toBe(12);
  const shoal = await Shoal.open({ cwd: dir, storage: { s3: { endpoint: proxy.url } } });
  const session = shoal.session();
  const from = "read_parquet('s3://lake/monthly/**/*.parquet', hive_partitioning => true)";
  // The schema comes from the first file's footer; once it is known, only month 7 is read.
  await shoalRows(session, `SELECT * FROM ${from} LIMIT 0`);
  proxy.reset();
  const got = await shoalRows(session, `SELECT count(*), sum(fare_amount) FROM ${from} WHERE month = 7`);
  expect(objectsRead()).toEqual(['/lake/monthly/year=2023/month=7/data_0.parquet']);
  const want = await duckRows(`SELECT count(*), sum(fare_amount) FROM read_parquet('${months}/**/*.parquet', hive_partitioning = true) WHERE month = 7`);
  expect(Number(got.rows[0]![0])).toBe(2000);
  expect(Number(got.rows[0]![1])).toBeCloseTo(Number(want[0]![1]), 6);
  const plan = await shoalRows(session, `EXPLAIN SELECT sum(fare_amount) FROM ${from} WHERE month BETWEEN 7 AND 8`);
  expect(plan.rows.map((r) => String(r[0])).join('\n')).toMatch(/partitions=2\/12/);
});

test('a selective filter on a sorted column in S3 skips row groups', async () => {
  const sorted = path.join(dir, 'sorted.parquet');
  const duck = await DuckOracle.create();
  try {
    await duck.run(`COPY (SELECT * FROM read_parquet('${files.parquet}') ORDER BY tpep_pickup_datetime) TO '${sorted}' (FORMAT parquet, ROW_GROUP_SIZE 20000)`);
  } finally {
    duck.close();
  }
  await s3().putFile('lake', 'sorted/taxi.parquet', sorted);
  const shoal = await Shoal.open({ cwd: dir, storage: { s3: { endpoint: proxy.url } } });
  const session = shoal.session();
  const sql = "SELECT count(*), sum(fare_amount) FROM 's3://lake/sorted/taxi.parquet' WHERE tpep_pickup_datetime < TIMESTAMP '2024-01-01 01:00:00'";
  const plan = await shoalRows(session, `EXPLAIN ${sql}`);
  expect(plan.rows.map((r) => String(r[0])).join('\n')).toMatch(/row_groups=1\/10/);
  proxy.reset();
  const got = await shoalRows(session, sql);
  const ranges = proxy.requests.filter((r) => r.method === 'GET' && r.range !== undefined);
  // Footer cached by the EXPLAIN: the only ranged reads are the kept row group's two column chunks (coalesced).
  expect(ranges.length).toBe(1);
  expect(proxy.bodyBytes).toBeLessThan(statSync(sorted).size / 10);
  const want = await duckRows(`SELECT count(*), sum(fare_amount) FROM read_parquet('${sorted}') WHERE tpep_pickup_datetime < TIMESTAMP '2024-01-01 01:00:00'`);
  expect(Number(got.rows[0]![0])).toBe(Number(want[0]![0]));
  expect(Number(got.rows[0]![1])).toBeCloseTo(Number(want[0]![1]), 6);
});
