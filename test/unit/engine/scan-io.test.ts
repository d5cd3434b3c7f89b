/**
 * What scans ask of storage, counted exactly (IoStats and a counting FileSystem over local files): only the
 * selected column chunks, coalesced into one request per row group where they are close; the footer once per
 * file and not again in later queries; one open file per file however many row groups it has; LIMIT reads the
 * footer and the first row group only; listings kept between queries but one per location within a query;
 * bounded requests in flight; per-scan bytes and requests in EXPLAIN ANALYZE.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Shoal, type Session } from '../../../src/index.js';
import { ParquetFooter } from '../../../src/formats/index.js';
import { LocalFileSystem } from '../../../src/fs/index.js';
import { CountingFileSystem } from '../../support/counting-fs.js';
import { DuckOracle } from '../../support/duckdb-oracle.js';

let dir: string;
let duck: DuckOracle;
let wide: string;
let footer: ParquetFooter;
let fileSize: number;

/** 200,000 rows, 18 columns, 4 row groups of 51,200 rows, sorted by id. */
const WIDE = `SELECT i AS id, (i % 2 + 1)::INTEGER AS vendor, make_timestamp(1704067200000000 + i * 333333) AS pickup,
  CASE WHEN i % 50 = 0 THEN NULL ELSE (1 + hash(i) % 4)::BIGINT END AS passengers, (hash(i * 7) % 2000) / 100.0 AS distance,
  (1 + hash(i * 3) % 6)::BIGINT AS ratecode, CASE WHEN i % 10 = 0 THEN 'Y' ELSE 'N' END AS flag,
  (1 + hash(i * 11) % 265)::INTEGER AS pu, (1 + hash(i * 13) % 265)::INTEGER AS do_, (hash(i * 17) % 5)::BIGINT AS payment,
  (hash(i * 19) % 6000) / 100.0 AS fare, (hash(i * 23) % 3)::DOUBLE AS extra, (hash(i * 29) % 1000) / 100.0 AS tip,
  (hash(i * 31) % 9000) / 100.0 AS total, 'note ' || (hash(i * 37) % 100000) AS note, (hash(i * 41) % 1000)::DOUBLE AS a1,
  (hash(i * 43) % 1000)::DOUBLE AS a2, (hash(i * 47) % 1000)::DOUBLE AS a3
  FROM range(200000) t(i)`;

async function open(latencyMs = 0): Promise<{ session: Session; fs: CountingFileSystem }> {
  const shoal = await Shoal.open({ cwd: dir });
  const fs = new CountingFileSystem(new LocalFileSystem(), latencyMs);
  shoal.fs.register(fs);
  return { session: shoal.session(), fs };
}

/** Runs a query to the end; `rows` holds the result rows when there are a few, else only their count matters. */
async function run(session: Session, sql: string): Promise<{ rows: unknown[]; count: number; requests: number; bytes: number }> {
  const r = await session.query(sql);
  let count = 0;
  const batches = [];
  for await (const b of r) {
    count += b.numRows;
    if (count <= 100) batches.push(b);
  }
  const rows = count <= 100 ? batches.flatMap((b) => b.toArray().map((row) => row.toJSON() as unknown)) : [];
  const { io } = r.stats();
  return { rows, count, requests: io.requests, bytes: io.bytesRead };
}

function chunkBytes(rowGroup: number, columns: readonly string[]): number {
  return columns.reduce((n, c) => n + footer.info.rowGroups[rowGroup]!.columns.get(c)!.compressedSize, 0);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'shoal-scan-io-'));
  duck = await DuckOracle.create();
  wide = path.join(dir, 'wide.parquet');
  await duck.run(`COPY (${WIDE}) TO '${wide}' (FORMAT parquet, ROW_GROUP_SIZE 51200)`);
  const f = await new LocalFileSystem().open(wide);
  footer = await ParquetFooter.read(f);
  fileSize = f.size;
  await f.close();
  expect(footer.info.rowGroups).toHaveLength(4);
  expect(footer.info.fields).toHaveLength(18);
});

afterAll(() => {
  duck.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('column chunks', () => {
  test('1 of 18 columns reads exactly its chunks, one request per row group, under 15% of the file', async () => {
    const { session, fs } = await open();
    await run(session, "SELECT count(*) FROM 'wide.parquet'"); // footer now cached
    fs.reset();
    const r = await run(session, "SELECT sum(fare) FROM 'wide.parquet'");
    const expected = [0, 1, 2, 3].reduce((n, g) => n + chunkBytes(g, ['fare']), 0);
    expect(r).toMatchObject({ requests: 4, bytes: expected });
    expect(r.bytes).toBeLessThan(fileSize * 0.15);
    expect(fs.counts.reads.every((x) => !x.tail)).toBe(true);
  });

  test('all columns: one request per row group (its chunks are contiguous)', async () => {
    const { session } = await open();
    await run(session, "SELECT count(*) FROM 'wide.parquet'");
    const r = await run(session, "SELECT * FROM 'wide.parquet'");
    const names = footer.info.fields.map((f) => f.name);
    expect(r.requests).toBe(4);
    expect(r.bytes).toBe([0, 1, 2, 3].reduce((n, g) => n + chunkBytes(g, names), 0));
  });

  test('columns far apart: one request each, and never more in flight than scan_parallel_requests', async () => {
    const { session, fs: slow } = await open(15);
    await run(session, "SELECT count(*) FROM 'wide.parquet'");
    await session.query('SET SESSION scan_parallel_requests = 2');
    slow.reset();
    const r = await run(session, "SELECT sum(id), sum(a3) FROM 'wide.parquet'");
    expect(r.requests).toBe(8);
    expect(r.bytes).toBe([0, 1, 2, 3].reduce((n, g) => n + chunkBytes(g, ['id', 'a3']), 0));
    expect(slow.counts.peakReads).toBeLessThanOrEqual(2);
  });
});

describe('footers and open files', () => {
  test('the footer is read once per file, counted in the query, and not again in later queries', async () => {
    const { session, fs } = await open();
    const first = await run(session, "SELECT sum(tip) FROM 'wide.parquet'");
    const tails = fs.counts.reads.filter((x) => x.tail);
    expect(tails).toHaveLength(1);
    expect(first.requests).toBe(1 + 4);
    expect(first.bytes).toBe(tails[0]!.length + [0, 1, 2, 3].reduce((n, g) => n + chunkBytes(g, ['tip']), 0));
    fs.reset();
    const second = await run(session, "SELECT sum(tip) FROM 'wide.parquet' WHERE id > 10");
    expect(fs.counts.reads.filter((x) => x.tail)).toHaveLength(0);
    expect(second.requests).toBe(8); // tip and id are far apart: two requests per row group
    expect(second.bytes).toBe([0, 1, 2, 3].reduce((n, g) => n + chunkBytes(g, ['tip', 'id']), 0));
  });

  test('one open file (given its listed status) for all row groups of a file', async () => {
    const { session, fs } = await open();
    await run(session, "SELECT count(*) FROM 'wide.parquet'");
    fs.reset();
    await run(session, "SELECT sum(total) FROM 'wide.parquet'");
    expect(fs.counts.opens).toBe(1);
    expect(fs.counts.opensWithStatus).toBe(1);
    expect(fs.counts.openNow).toBe(0);
  });

  test('count(*) is answered from the footer without opening the file', async () => {
    const { session, fs } = await open();
    await run(session, "SELECT count(*) FROM 'wide.parquet'");
    fs.reset();
    const r = await run(session, "SELECT count(*) AS n FROM 'wide.parquet'");
    expect(r.rows).toEqual([{ n: 200000n }]);
    expect(fs.counts.opens).toBe(0);
    expect(r.requests).toBe(0);
  });
});

describe('LIMIT', () => {
  test('SELECT * … LIMIT 10 reads the footer and the first row group only', async () => {
    const { session, fs } = await open();
    const r = await run(session, "SELECT * FROM 'wide.parquet' LIMIT 10");
    expect(r.rows).toHaveLength(10);
    const names = footer.info.fields.map((f) => f.name);
    const tail = fs.counts.reads.find((x) => x.tail)!;
    expect(r.requests).toBe(2);
    expect(r.bytes).toBe(tail.length + chunkBytes(0, names));
    expect(r.bytes).toBeLessThan(fileSize / 3);
  });
});

describe('EXPLAIN', () => {
  test('shows per scan what it keeps, and EXPLAIN ANALYZE what each scan read', async () => {
    const { session } = await open();
    const sql = `SELECT count(*) FROM 'wide.parquet' WHERE id < 1000 UNION ALL SELECT count(*) FROM 'wide.parquet' WHERE id >= 160000 OR id < 10`;
    const plan = String(Object.values((await (await session.query(`EXPLAIN ${sql}`)).toArray())[0]!)[0]).split('\n');
    const scans = plan.filter((l) => /Scan /.test(l));
    expect(scans).toHaveLength(2);
    expect(scans.some((l) => /row_groups=1\/4/.test(l))).toBe(true); // id < 1000: the first row group
    expect(scans.some((l) => /row_groups=2\/4/.test(l))).toBe(true); // id >= 160000 OR id < 10: the first and the last
    const text = String(Object.values((await (await session.query(`EXPLAIN ANALYZE ${sql}`)).toArray())[0]!)[0]);
    const perScan = [...text.matchAll(/read=([\d.]+ \w+) requests=(\d+) planning_read=[\d.]+ \w+ planning_requests=(\d+)/g)];
    expect(perScan).toHaveLength(2);
    const requests = perScan.reduce((n, m) => n + Number(m[2]) + Number(m[3]), 0);
    expect(requests).toBe(3); // 1 + 2 row groups, footer cached
    expect(text).toMatch(/in 3 requests/);
  });
});

describe('listing', () => {
  test('kept between queries for listing_cache_max_age (default 0s: listed afresh), one listing per location within a query', async () => {
    const tdir = path.join(dir, 'table');
    mkdirSync(tdir);
    const part = readFileSync(wide);
    writeFileSync(path.join(tdir, 'a.parquet'), part);
    const { session, fs } = await open();
    const count = async (): Promise<unknown> => (await run(session, "SELECT count(*) AS n FROM 'table'")).rows[0];
    expect(await count()).toEqual({ n: 200000n });
    writeFileSync(path.join(tdir, 'b.parquet'), part);
    fs.reset();
    expect(await count()).toEqual({ n: 400000n }); // by default every query lists: a new file is seen at once
    expect(fs.counts.lists).toBe(1);
    await session.query("SET SESSION listing_cache_max_age = '10s'");
    expect(await count()).toEqual({ n: 400000n });
    writeFileSync(path.join(tdir, 'c.parquet'), part);
    fs.reset();
    expect(await count()).toEqual({ n: 400000n }); // within 10 s: the kept listing, no request
    expect(fs.counts.lists + fs.counts.isDirectory).toBe(0);
    await session.query("SET SESSION listing_cache_max_age = '0s'");
    fs.reset();
    expect(await count()).toEqual({ n: 600000n });
    expect(fs.counts.lists).toBe(1);
    fs.reset();
    await run(session, "SELECT count(*) FROM 'table' UNION ALL SELECT count(*) FROM 'table'");
    expect(fs.counts.lists).toBe(1);
  });
});
