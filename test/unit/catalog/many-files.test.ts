/**
 * A table of 1,000 small Parquet files (hive-partitioned, written by DuckDB): it plans and runs with bounded
 * parallelism — never more than 8 files open at once, while planning (footers) or reading — and returns what
 * DuckDB returns. The planning time over the warm metadata cache is printed, not asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Shoal, type Session } from '../../../src/index.js';
import { LocalFileSystem } from '../../../src/fs/index.js';
import { CountingFileSystem } from '../../support/counting-fs.js';
import { expectSameRows } from '../../support/differential.js';
import { DuckOracle } from '../../support/duckdb-oracle.js';

const FILES = 1000;
let dir: string;
let duck: DuckOracle;
let session: Session;
let fs: CountingFileSystem;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'shoal-many-files-'));
  duck = await DuckOracle.create();
  await duck.run(`COPY (SELECT i % ${FILES} AS part, i AS id, (i * 7) % 13 AS g, (hash(i) % 1000) / 10.0 AS x,
      CASE WHEN i % 9 = 0 THEN NULL ELSE 'v' || (i % 5) END AS s FROM range(${FILES * 40}) t(i))
    TO '${dir}/t' (FORMAT parquet, PARTITION_BY (part))`);
  await duck.run(`CREATE VIEW t AS SELECT * FROM read_parquet('${dir}/t/**/*.parquet', hive_partitioning = true)`);
  const shoal = await Shoal.open({ cwd: dir });
  fs = new CountingFileSystem(new LocalFileSystem());
  shoal.fs.register(fs);
  session = shoal.session();
}, 60_000);

afterAll(() => {
  duck.close();
  rmSync(dir, { recursive: true, force: true });
});

const T = `read_parquet('t/**/*.parquet', hive_partitioning => true)`;

describe('a table of 1,000 small files', () => {
  test('plans and runs with at most 8 files open at once, as DuckDB answers', async () => {
    await expectSameRows({ duck, session }, { name: 'count', sql: `SELECT count(*), sum(x), count(s) FROM ${T}`, duck: 'SELECT count(*), sum(x), count(s) FROM t' });
    expect(fs.counts.opens).toBeGreaterThanOrEqual(FILES);
    expect(fs.counts.peakOpen).toBeLessThanOrEqual(8);
    expect(fs.counts.openNow).toBe(0);
    fs.reset();
    await expectSameRows({ duck, session }, {
      name: 'group by', sql: `SELECT g, count(*), sum(x), min(s), max(id) FROM ${T} GROUP BY g`, duck: 'SELECT g, count(*), sum(x), min(s), max(id) FROM t GROUP BY g',
    });
    expect(fs.counts.peakOpen).toBeLessThanOrEqual(8);
    expect(fs.counts.reads.filter((r) => r.tail)).toHaveLength(0); // every footer came from the cache
    expect(fs.counts.openNow).toBe(0);
  }, 60_000);

  test('partition pruning opens only the kept partitions', async () => {
    fs.reset();
    await expectSameRows({ duck, session }, {
      name: 'pruned', sql: `SELECT part, sum(x) FROM ${T} WHERE part BETWEEN 10 AND 19 GROUP BY part`, duck: 'SELECT part, sum(x) FROM t WHERE part BETWEEN 10 AND 19 GROUP BY part',
    });
    expect(fs.counts.opens).toBe(10);
  });

  test('planning over the warm metadata cache (time printed)', async () => {
    fs.reset();
    const t0 = performance.now();
    const r = await session.query(`EXPLAIN SELECT sum(x) FROM ${T}`);
    const plan = String(Object.values((await r.toArray())[0]!)[0]);
    const ms = performance.now() - t0;
    expect(plan).toMatch(new RegExp(`files=${FILES}/${FILES} row_groups=${FILES}/${FILES}`));
    expect(fs.counts.opens).toBe(0);
    console.log(`planning ${FILES} files with a warm metadata cache: ${ms.toFixed(1)} ms`);
  });
});
