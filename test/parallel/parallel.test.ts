import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Shoal, ShoalError, type Session } from '../../src/index.js';
import { DuckOracle } from '../support/duckdb-oracle.js';
import { firstDifference, sortRows } from '../support/normalize.js';
import { shoalRows } from '../support/shoal-runner.js';
import { TABLE_NAMES } from '../tpch/gen/scale.js';
import { ensureTpch } from '../tpch/gen/generate.js';
import { TPCH_DATA_ROOT } from '../tpch/gen/paths.js';
import { TPCH_QUERIES } from '../tpch/queries.js';

/**
 * Parallel execution (task_concurrency 2) gives the rows one thread gives. The TPC-H SF 0.01 tables are
 * rewritten with small row groups so that every scan has many splits, and parallel_min_rows = 0 sends every
 * eligible fragment to the workers. Numbers compare to 9 significant digits (double sums may differ in their
 * last bits when workers add in another order); rows in order where the ORDER BY is total, and always for
 * plain scans (the Gather keeps the scan's order).
 */
const run = promisify(execFile);

let dir: string;
let serial: Session;
let parallel: Session;
let names: { readonly catalog: string; readonly schema: string };
let shoal: Shoal;

beforeAll(async () => {
  const data = await ensureTpch(0.01, { root: TPCH_DATA_ROOT });
  dir = await mkdtemp(path.join(tmpdir(), 'shoal-parallel-'));
  const duck = await DuckOracle.create();
  try {
    // Same layout as the generator's: <dir>/<table>/part-0.parquet next to <dir>/catalog.
    for (const t of TABLE_NAMES) {
      await mkdir(path.join(dir, t));
      await duck.run(`COPY (SELECT * FROM read_parquet('${data.dir}/${t}/*.parquet')) TO '${dir}/${t}/part-0.parquet' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
    }
  } finally {
    duck.close();
  }
  await cp(data.catalogDir, path.join(dir, 'catalog'), { recursive: true });
  shoal = await Shoal.open({ catalogDir: path.join(dir, 'catalog') });
  names = { catalog: data.catalog, schema: data.schema };
  serial = shoal.session({ catalog: data.catalog, schema: data.schema, properties: { task_concurrency: '1' } });
  parallel = shoal.session({ catalog: data.catalog, schema: data.schema, properties: { task_concurrency: '2', parallel_min_rows: '0' } });
}, 120_000);

afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

async function explain(session: Session, sql: string): Promise<string> {
  const rows = await (await session.query(`EXPLAIN ANALYZE ${sql}`)).toArray();
  return rows.map((r) => Object.values(r).join('\n')).join('\n');
}

describe('TPC-H with task_concurrency 2 equals one thread', () => {
  for (const q of TPCH_QUERIES) {
    test(q.name, async () => {
      const [a, b] = await Promise.all([shoalRows(parallel, q.sql), shoalRows(serial, q.sql)]);
      const diff = firstDifference(q.totalOrder === true ? a.rows : sortRows(a.rows), q.totalOrder === true ? b.rows : sortRows(b.rows));
      expect(diff, diff).toBeUndefined();
    });
  }
});

describe('parallel plans', () => {
  test('partial aggregation runs on the workers and EXPLAIN ANALYZE counts their rows', async () => {
    const q01 = TPCH_QUERIES.find((q) => q.name === 'q01')!.sql;
    const text = await explain(parallel, q01);
    expect(text).toMatch(/Gather workers=2 partial=\[/);
    const one = await explain(serial, q01);
    expect(one).not.toMatch(/Gather/);
    // The same input as on one thread, counted by the workers.
    expect(/Input: (\d+) rows from (\d+) splits/.exec(text)?.slice(1)).toEqual(/Input: (\d+) rows from (\d+) splits/.exec(one)?.slice(1));
  });

  test('a date range over a Parquet scan is estimated from its row groups\' min/max: TPC-H q14 builds its month of lineitem, not part', async () => {
    const q14 = TPCH_QUERIES.find((q) => q.name === 'q14')!.sql;
    const text = await explain(serial, q14);
    expect(text, text).toMatch(/HashJoin INNER on \[p_partkey = l_partkey\] \(build: right\)/);
    // Its probe filter (the month's part keys) then drops most parts in the decoder.
    expect(text).toMatch(/Scan tpch\.sf0_01\.part .*dropped_in_decoder=[1-9]/);
  });

  test('join probes against a small build side run on the workers (each builds it)', async () => {
    // (TPC-H q14's month of lineitem is now estimated from its row groups' statistics: smaller than part, it is
    // the build side, and part, the probe, is too small a scan to share.)
    const sql = 'SELECT sum(l_extendedprice * (1 - l_discount)), count(*) FROM lineitem JOIN part ON l_partkey = p_partkey WHERE p_size = 7 AND l_quantity > 10';
    const text = await explain(parallel, sql);
    const gather = text.indexOf('Gather workers=2 partial=');
    expect(gather, text).toBeGreaterThanOrEqual(0);
    expect(text.indexOf('HashJoin', gather)).toBeGreaterThan(gather);
    const [a, b] = await Promise.all([shoalRows(parallel, sql), shoalRows(serial, sql)]);
    expect(Number(a.rows[0]![1])).toBeGreaterThan(0);
    expect(firstDifference(a.rows, b.rows)).toBeUndefined();
  });

  test('an aggregation whose input a join filters at run time (TPC-H q17) stays on the calling thread, filtered', async () => {
    const q17 = TPCH_QUERIES.find((q) => q.name === 'q17')!.sql;
    const text = await explain(parallel, q17);
    const filter = text.split('\n').findIndex((l) => /RuntimeFilter \[/.test(l));
    expect(filter, text).toBeGreaterThan(0);
    // The aggregation right above it is a whole one, not the final step of a Gather's partials.
    expect(text.split('\n')[filter - 1], text).toMatch(/HashAggregate/);
    expect(text, text).not.toMatch(/Gather workers=2 partial=\[sum\(l_quantity\), count\(l_quantity\)\]/);
  });

  test('each worker holds a share of query_max_memory, and the bytes workers spill count in the query', async () => {
    // Each worker builds all of partsupp (4 batches, ~690 KiB) itself: it fits the whole limit, not half of it.
    const sql = 'SELECT sum(ps_supplycost * l_quantity), count(*) FROM lineitem JOIN partsupp ON l_partkey = ps_partkey AND l_suppkey = ps_suppkey';
    const limit = { query_max_memory: '1MB' };
    const one = shoal.session({ ...names, properties: { ...limit, task_concurrency: '1' } });
    const two = shoal.session({ ...names, properties: { ...limit, task_concurrency: '2', parallel_min_rows: '0' } });
    const spilled = async (s: Session): Promise<{ rows: unknown[][]; spilled: number }> => {
      const r = await s.query(sql);
      const rows = await r.rowsAsScalars();
      return { rows, spilled: r.stats().progress.spilledBytes };
    };
    const a = await spilled(one);
    const b = await spilled(two);
    expect(await explain(two, sql)).toMatch(/Gather workers=2 partial=.*\n.*HashJoin/);
    expect(a.spilled).toBe(0);
    expect(b.spilled).toBeGreaterThan(0);
    expect(b.rows).toEqual(a.rows);
  });

  test('a filtered scan gathers rows in the scan order, and LIMIT stops the workers', async () => {
    // The workers' own work: the decimal and string conjuncts (the decoder workers test the date one themselves).
    const sql = "SELECT l_orderkey, l_linenumber, l_comment FROM lineitem WHERE l_quantity > 10 AND l_discount > 0.02 AND l_tax > 0.01 AND l_shipmode <> 'NONE' AND l_shipdate > DATE '1993-01-01'";
    const [a, b] = await Promise.all([shoalRows(parallel, sql), shoalRows(serial, sql)]);
    expect(a.rows.length).toBeGreaterThan(20_000);
    expect(firstDifference(a.rows, b.rows)).toBeUndefined();
    const limited = `${sql} LIMIT 7`;
    expect((await shoalRows(parallel, limited)).rows).toEqual((await shoalRows(serial, limited)).rows);
    expect(await explain(parallel, sql)).toMatch(/Gather workers=2 order=splits/);
  });

  test('NULL groups, empty input and avg over integers, decimals and doubles', async () => {
    const sql = `SELECT CASE WHEN l_quantity > 40 THEN NULL ELSE l_returnflag END AS f, count(*), count(l_tax), sum(l_quantity), avg(l_quantity),
      avg(l_linenumber), avg(CAST(l_extendedprice AS double)), min(l_shipdate), max(l_comment), bool_and(l_quantity > 0),
      count_if(l_discount > 0.05), sum(l_quantity) FILTER (WHERE l_tax > 0.02)
      FROM lineitem GROUP BY 1`;
    const [a, b] = await Promise.all([shoalRows(parallel, sql), shoalRows(serial, sql)]);
    expect(firstDifference(sortRows(a.rows), sortRows(b.rows))).toBeUndefined();
    // Calls that do not split (DISTINCT, real sums) aggregate on the main thread over the gathered rows.
    const unsplit = "SELECT l_linestatus, count(DISTINCT l_suppkey), sum(CAST(l_tax AS real)) FROM lineitem WHERE l_quantity > 5 AND l_tax > 0.01 AND l_discount > 0.01 AND l_shipmode <> 'NONE' AND l_shipdate > DATE '1992-06-01' GROUP BY 1";
    const [c, d] = await Promise.all([shoalRows(parallel, unsplit), shoalRows(serial, unsplit)]);
    expect(firstDifference(sortRows(c.rows), sortRows(d.rows))).toBeUndefined();
    expect(await explain(parallel, unsplit)).toMatch(/Gather workers=2 order=splits/);
    const empty = 'SELECT count(*), sum(l_quantity), avg(l_discount), min(l_orderkey) FROM lineitem WHERE l_quantity > 1000';
    expect((await shoalRows(parallel, empty)).rows).toEqual((await shoalRows(serial, empty)).rows);
  });

  test('grouping by a key the splits hold in disjoint ranges (lineitem by l_orderkey) finishes each group where it was aggregated', async () => {
    // Row groups of 2048 lines split some orders between two row groups: those keys are merged, the rest not.
    const sql = `SELECT l_orderkey, count(*), sum(l_quantity), avg(l_extendedprice), avg(l_linenumber), min(l_shipdate), max(l_comment),
      count_if(l_discount > 0.05), bool_and(l_tax > 0.01) FROM lineitem GROUP BY l_orderkey`;
    const text = await explain(parallel, sql);
    const ranges = Number(/FinalAggregate clustered on l_orderkey: (\d+) shared key ranges/.exec(text)?.[1]);
    expect(ranges, text).toBeGreaterThan(0);
    expect(text).toMatch(/Gather workers=2 partial=/);
    const [a, b] = await Promise.all([shoalRows(parallel, sql), shoalRows(serial, sql)]);
    expect(a.rows.length).toBe(15_000);
    expect(firstDifference(sortRows(a.rows), sortRows(b.rows))).toBeUndefined();
    // A key with no order across row groups (l_partkey) is merged as usual.
    expect(await explain(parallel, 'SELECT l_partkey, sum(l_quantity) FROM lineitem GROUP BY l_partkey')).not.toMatch(/clustered/);
  });

  test('a clustered key with NULLs and keys shared by several row groups gives DuckDB\'s groups', async () => {
    const file = path.join(dir, 'clustered', 'part-0.parquet');
    await mkdir(path.dirname(file), { recursive: true });
    const duck = await DuckOracle.create();
    try {
      // k rises with i (runs of 3, and one long run of 3000 spanning three row groups); every 97th k is NULL.
      await duck.run(`COPY (SELECT CASE WHEN i % 97 = 0 THEN NULL WHEN i < 5000 THEN i // 3 WHEN i < 8000 THEN 1667 ELSE 1668 + (i - 8000) // 3 END::BIGINT AS k,
        i::INTEGER AS v, (i % 7)::DECIMAL(9, 2) AS d FROM range(20000) t(i) ORDER BY i) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 1000)`);
      const sql = `SELECT k, count(*) AS n, sum(v) AS s, avg(v) AS a, sum(d) AS sd, min(v) AS lo, max(d) AS hi FROM read_parquet('${file}') GROUP BY k`;
      const text = await explain(parallel, sql);
      expect(text).toMatch(/FinalAggregate clustered on k/);
      const got = await shoalRows(parallel, sql);
      const want = await duck.query(sql);
      expect(got.rows.length).toBe(want.rows.length);
      expect(firstDifference(sortRows(got.rows), sortRows(want.rows))).toBeUndefined();
    } finally {
      duck.close();
    }
  });

  test('a filter that keeps a half or a quarter of the rows stays on this thread (sending them back costs more than it saves)', async () => {
    for (const where of ['l_quantity > 10', 'l_quantity > 10 AND l_discount > 0.02']) {
      expect(await explain(parallel, `SELECT l_orderkey, l_comment FROM lineitem WHERE ${where}`)).not.toMatch(/Gather/);
    }
    // A join against one region of five keeps a fifth (the estimate counts an equality as one row of the table's
    // five, not a flat tenth): it stays too.
    const region = "SELECT l_orderkey FROM lineitem JOIN supplier ON l_suppkey = s_suppkey JOIN nation ON s_nationkey = n_nationkey JOIN region ON n_regionkey = r_regionkey WHERE r_name = 'ASIA'";
    expect(await explain(parallel, region)).not.toMatch(/Gather/);
    // Integer and date comparisons keep few rows too, but the decoder workers test those before any thread that
    // runs operators sees a row.
    const dates = "SELECT l_orderkey, l_comment FROM lineitem WHERE l_shipdate > DATE '1992-03-01' AND l_receiptdate < DATE '1998-10-01' AND l_commitdate > DATE '1992-02-01' AND l_orderkey > 100";
    expect(await explain(parallel, dates)).not.toMatch(/Gather/);
    expect(await explain(parallel, `${dates} AND l_quantity > 10 AND l_discount > 0.02 AND l_tax > 0.01 AND l_shipmode <> 'NONE'`)).toMatch(/Gather workers=2 order=splits/);
    // A build side's integer comparisons drop rows of that side, not of the driving scan: a join whose key has no
    // key bits (a varchar) against it keeps few rows, and the workers do that work.
    const cast = "SELECT l_orderkey, l_linenumber FROM lineitem JOIN part ON CAST(l_partkey AS varchar) = CAST(p_partkey AS varchar) WHERE p_size = 7 AND p_partkey < 1500";
    expect(await explain(parallel, cast)).toMatch(/Gather workers=2 order=splits/);
    const [c, d] = await Promise.all([shoalRows(parallel, cast), shoalRows(serial, cast)]);
    expect(c.rows.length).toBeGreaterThan(0);
    expect(firstDifference(sortRows(c.rows), sortRows(d.rows))).toBeUndefined();
    // A join against a filtered build side keeps few rows, but its probe filter's key bits drop the others in the
    // decoder workers, on one thread as on two: workers would only add their start-up and their own builds.
    const joined = "SELECT l_orderkey FROM lineitem JOIN part ON l_partkey = p_partkey WHERE p_brand = 'Brand#23' AND p_size > 3";
    expect(await explain(parallel, joined)).not.toMatch(/Gather/);
    expect(await explain(parallel, joined)).toMatch(/dropped_in_decoder=[1-9]/);
    const [a, b] = await Promise.all([shoalRows(parallel, joined), shoalRows(serial, joined)]);
    expect(firstDifference(a.rows, b.rows)).toBeUndefined();
  });

  test('no fragment is cut below a join whose build keys filter a scan in it (TPC-H q08, q10): the scans keep one thread\'s filters', async () => {
    const probeFilters = (text: string): string[] => text.split('\n').filter((l) => l.includes('ProbeFilter [')).map((l) => /ProbeFilter \[[^\]]*\]/.exec(l)![0]).sort();
    for (const name of ['q08', 'q10']) {
      const sql = TPCH_QUERIES.find((q) => q.name === name)!.sql;
      const one = probeFilters(await explain(serial, sql));
      expect(one.length, name).toBeGreaterThan(0);
      expect(probeFilters(await explain(parallel, sql)), name).toEqual(one);
    }
  });

  test('a LEFT JOIN built over its smaller left side emits the unmatched build rows once (no fragment holds it)', async () => {
    // count(*) is 1 for a nation nothing matched: twice if two workers each emitted it.
    const sql = 'SELECT n_nationkey, count(l_orderkey) AS c, count(*) AS n FROM nation LEFT JOIN lineitem ON l_suppkey = n_nationkey * 5 + 1 AND l_linenumber = 7 GROUP BY 1';
    const text = await explain(parallel, sql);
    expect(text).toMatch(/HashJoin RIGHT/);
    const [a, b] = await Promise.all([shoalRows(parallel, sql), shoalRows(serial, sql)]);
    expect(a.rows.length).toBe(25);
    expect(a.rows.some((r) => Number(r[1]) === 0 && Number(r[2]) === 1), JSON.stringify(a.rows)).toBe(true);
    expect(firstDifference(sortRows(a.rows), sortRows(b.rows))).toBeUndefined();
  });

  test('a scan that reads no column (count(*)) stays on this thread', async () => {
    const sql = 'SELECT count(*) FROM lineitem';
    expect(await explain(parallel, sql)).not.toMatch(/Gather/);
    expect(await explain(parallel, 'SELECT count(l_quantity) FROM lineitem')).toMatch(/Gather workers=2/);
    expect((await shoalRows(parallel, sql)).rows).toEqual((await shoalRows(serial, sql)).rows);
  });

  test('parallel_min_rows counts the rows a fragment\'s operators see: after the decoder\'s date ranges, and a partial step must shrink them', async () => {
    // lineitem holds 60,175 rows over 1992-01-02..1998-12-01; the threshold sits between a year of them and all.
    const gated = shoal.session({ ...names, properties: { task_concurrency: '2', parallel_min_rows: '12000' } });
    const all = 'SELECT l_returnflag, sum(l_quantity), count(*) FROM lineitem GROUP BY 1';
    expect(await explain(gated, all)).toMatch(/Gather workers=2 partial=/);
    // x >= a AND x < b keeps the rows between a and b (about 8,600 here), not the product of each bound's share
    // (about 19,000).
    const year = "SELECT l_returnflag, sum(l_quantity), count(*) FROM lineitem WHERE l_shipdate >= DATE '1995-01-01' AND l_shipdate < DATE '1996-01-01' GROUP BY 1";
    expect(await explain(gated, year)).not.toMatch(/Gather/);
    expect(await explain(gated, year.replace("DATE '1996-01-01'", "DATE '1998-01-01'"))).toMatch(/Gather workers=2 partial=/);
    const [a, b] = await Promise.all([shoalRows(gated, year), shoalRows(serial, year)]);
    expect(a.rows.length).toBe(3);
    expect(firstDifference(sortRows(a.rows), sortRows(b.rows))).toBeUndefined();
    // An id-like key (every row group spans as many l_orderkey values as it has rows) could leave a group per few
    // rows: the workers would send back nearly what they read. l_suppkey's hundred values shrink them.
    expect(await explain(gated, 'SELECT l_orderkey, sum(l_quantity) FROM lineitem GROUP BY 1')).not.toMatch(/Gather/);
    expect(await explain(gated, 'SELECT l_suppkey, sum(l_quantity) FROM lineitem GROUP BY 1')).toMatch(/Gather workers=2 partial=/);
    // parallel_min_rows = 0 sends every such fragment to the workers, as the tests above rely on.
    expect(await explain(parallel, 'SELECT l_orderkey, sum(l_quantity) FROM lineitem GROUP BY 1')).toMatch(/Gather workers=2 partial=/);
  });

  test('each statement is planned afresh in the workers: a new time zone or a changed file shows', async () => {
    shoal = await Shoal.open({ catalogDir: path.join(dir, 'catalog') });
    const props = { task_concurrency: '2', parallel_min_rows: '0' };
    const s = shoal.session({ ...names, properties: props });
    const one = shoal.session({ ...names, properties: { task_concurrency: '1' } });
    // A date becomes midnight in the session's zone: the count differs between UTC and +10:00.
    const sql = "SELECT count(*), sum(l_quantity) FROM lineitem WHERE CAST(l_shipdate AS timestamp with time zone) < TIMESTAMP '1995-01-01 00:00:00 UTC'";
    expect(await explain(s, sql)).toMatch(/Gather workers=2 partial=/);
    const counts: unknown[] = [];
    for (const zone of ['UTC', '+10:00', 'UTC']) {
      await s.query(`SET TIME ZONE '${zone}'`);
      await one.query(`SET TIME ZONE '${zone}'`);
      const [a, b] = await Promise.all([shoalRows(s, sql), shoalRows(one, sql)]);
      expect(a.rows).toEqual(b.rows);
      counts.push(a.rows[0]);
    }
    expect(counts[0]).toEqual(counts[2]);
    expect(counts[1]).not.toEqual(counts[0]);
    // The same text over a file rewritten in between.
    const file = path.join(dir, 'changing', 'part-0.parquet');
    await mkdir(path.dirname(file));
    const byFile = `SELECT count(*), sum(l_quantity) FROM read_parquet('${file}') WHERE l_discount > 0.01`;
    const duck = await DuckOracle.create();
    try {
      for (const limit of [30_000, 50_000]) {
        await duck.run(`COPY (SELECT * FROM read_parquet('${dir}/lineitem/*.parquet') LIMIT ${limit}) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
        const [a, b] = await Promise.all([shoalRows(s, byFile), shoalRows(one, byFile)]);
        expect(a.rows).toEqual(b.rows);
      }
    } finally {
      duck.close();
    }
  });

  test('idle fragment workers and decoder threads do not keep the process alive', async () => {
    const child = path.join(import.meta.dirname, 'idle-exit-child.ts');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', child, path.join(dir, 'catalog'), names.catalog, names.schema], { timeout: 60_000 });
    expect(JSON.parse(stdout.trim()) as string[]).toHaveLength(3);
  }, 90_000);

  test('task_concurrency is checked', async () => {
    await expect(parallel.query('SET SESSION task_concurrency = 100')).rejects.toMatchObject({ code: 'INVALID_SESSION_PROPERTY' });
  });

  test('cancellation mid-query stops the workers; the next query runs', async () => {
    const controller = new AbortController();
    const sql = "SELECT * FROM lineitem WHERE l_quantity > 1 AND l_tax >= 0 AND l_discount >= 0 AND l_shipmode <> 'NONE' AND l_shipdate > DATE '1992-01-01'";
    expect(await explain(parallel, sql)).toMatch(/Gather workers=2 order=splits/);
    const result = await parallel.query(sql, { signal: controller.signal });
    const it = result[Symbol.asyncIterator]();
    await it.next();
    controller.abort();
    await expect(async () => {
      for (;;) if ((await it.next()).done === true) break;
    }).rejects.toMatchObject({ code: 'USER_CANCELED' });
    const count = 'SELECT count(*) FROM lineitem WHERE l_quantity > 1';
    expect((await shoalRows(parallel, count)).rows).toEqual((await shoalRows(serial, count)).rows);
  });

  test('an error inside a worker arrives as the same ShoalError (CORRUPT_FILE naming the file)', async () => {
    const file = path.join(dir, 'lineitem', 'part-0.parquet');
    const bad = path.join(dir, 'broken', 'part-0.parquet');
    await mkdir(path.dirname(bad));
    await cp(file, bad);
    const size = (await stat(bad)).size;
    const h = await open(bad, 'r+');
    // Garbage over the middle of the data pages; the footer stays readable.
    await h.write(Buffer.alloc(64 * 1024, 0x5a), 0, 64 * 1024, Math.floor(size / 2));
    await h.close();
    const sql = `SELECT sum(l_quantity), count(*) FROM read_parquet('${bad}') WHERE l_discount > 0.01`;
    const failure = async (s: Session): Promise<ShoalError> => {
      try {
        await shoalRows(s, sql);
      } catch (e) {
        if (e instanceof ShoalError) return e;
        throw e;
      }
      throw new Error('the query did not fail');
    };
    const [p, s] = await Promise.all([failure(parallel), failure(serial)]);
    expect(s.code).toBe('CORRUPT_FILE');
    expect(p.code).toBe(s.code);
    expect(p.message).toContain(bad);
  });
});
