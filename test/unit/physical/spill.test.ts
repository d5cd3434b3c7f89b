import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Shoal, ShoalError, toJsValue, type Session } from '../../../src/index.js';
import { DuckOracle } from '../../support/duckdb-oracle.js';
import { firstDifference, normalizeCell, type Cell } from '../../support/normalize.js';
import { shoalRows } from '../../support/shoal-runner.js';

// Sorts, aggregations and joins over data several times query_max_memory = '256kB' spill to disk and give
// DuckDB's answer and the unlimited run's; the spill directory is empty afterwards whatever the outcome.
const ROWS = 20_000;
let dir: string;
let spillDir: string;
let duck: DuckOracle;
let shoal: Shoal;
let limited: Session;
let unlimited: Session;
let T: string;
let R: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'shoal-spill-test-'));
  spillDir = path.join(dir, 'spill');
  T = path.join(dir, 't.parquet');
  R = path.join(dir, 'r.parquet');
  duck = await DuckOracle.create();
  // Small row groups: the operators see many batches. Strings repeat (dictionary pages) and some are NULL.
  await duck.run(`COPY (SELECT i AS id, (i * 7919) % 20011 AS g, CASE WHEN i % 17 = 0 THEN NULL ELSE 'v' || ((i * 31) % 997) END AS s,
    (i % 1000) / 8.0 AS d FROM range(${ROWS}) t(i)) TO '${T}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
  await duck.run(`COPY (SELECT i * 3 AS k, CASE WHEN i % 11 = 0 THEN NULL ELSE 'v' || (i % 1009) END AS rs FROM range(${ROWS / 2}) t(i)) TO '${R}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
  await duck.run(`CREATE VIEW t AS SELECT * FROM '${T}'`);
  await duck.run(`CREATE VIEW r AS SELECT * FROM '${R}'`);
  await import('node:fs').then((fs) => fs.mkdirSync(spillDir));
  shoal = await Shoal.open({ spillPath: spillDir });
  limited = shoal.session({ properties: { query_max_memory: '256kB' } });
  unlimited = shoal.session({ properties: { query_max_memory: '10GB' } });
}, 60_000);

afterAll(() => {
  duck?.close();
  rmSync(dir, { recursive: true, force: true });
});

function shoalSql(sql: string): string {
  return sql.replace(/\b(FROM|JOIN) ([tr])\b/g, (_m, kw: string, name: string) => `${kw} '${name === 't' ? T : R}' AS ${name}`);
}

const NUMERIC_KINDS = new Set(['tinyint', 'smallint', 'integer', 'bigint', 'real', 'double', 'decimal']);

/** Rows (normalized as shoalRows does) and bytes spilled. */
async function spilledOf(session: Session, sql: string): Promise<{ rows: Cell[][]; spilled: number }> {
  const result = await session.query(shoalSql(sql));
  const numeric = result.fields.map((f) => NUMERIC_KINDS.has(f.type.kind));
  const rows = (await result.rowsAsScalars()).map((r) => result.fields.map((f, i) => normalizeCell(toJsValue(r[i]!, f.type), numeric[i]!)));
  return { rows, spilled: result.stats().progress.spilledBytes };
}

/** Rows in a canonical order (as sortRows, with each row's key computed once: results here have ~20k rows). */
function canonical(rows: readonly Cell[][]): Cell[][] {
  const keyed = rows.map((r) => ({ r, k: r.map((c) => (c === null ? '\u0000NULL' : typeof c === 'number' ? `n:${c}` : `s:${c}`)).join('\u0001') }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  return keyed.map((x) => x.r);
}

/** Same rows from DuckDB, Shoal without a limit and Shoal at 256kB (which must have spilled). */
async function expectSpilledSame(sql: string, ordered = false): Promise<void> {
  const small = await spilledOf(limited, sql);
  expect(small.spilled, 'the 256kB run spills').toBeGreaterThan(0);
  const big = await shoalRows(unlimited, shoalSql(sql));
  const theirs = await duck.query(sql);
  const norm = (rows: Cell[][]): Cell[][] => (ordered ? rows : canonical(rows));
  expect(small.rows.length).toBeGreaterThan(0);
  const d1 = firstDifference(norm(small.rows), norm(big.rows));
  expect(d1, `256kB vs unlimited: ${d1}`).toBeUndefined();
  const d2 = firstDifference(norm(small.rows), norm(theirs.rows));
  expect(d2, `256kB vs DuckDB: ${d2}`).toBeUndefined();
  expect(readdirSync(spillDir)).toEqual([]);
}

describe('spilling under query_max_memory', () => {
  test('ORDER BY: external merge sort', () => expectSpilledSame('SELECT id, s, d FROM t ORDER BY s DESC NULLS FIRST, d, id', true));
  test('ORDER BY a number', () => expectSpilledSame('SELECT g, id, d FROM t ORDER BY g, id DESC', true));
  test('GROUP BY with many groups (integer key)', () => expectSpilledSame('SELECT g, count(*), sum(id), min(s), max(d) FROM t GROUP BY g'));
  test('GROUP BY a string and a number', () => expectSpilledSame('SELECT s, id % 40, count(*), sum(d), avg(id) FROM t GROUP BY s, id % 40'));
  test('GROUP BY two sparse integers (packed, hashed)', () => expectSpilledSame('SELECT id * 1000, g, count(*), sum(d) FROM t GROUP BY id * 1000, g'));
  test('GROUP BY strings that outgrow packing mid-stream', () => expectSpilledSame("SELECT s || 'xxx', g % 50, count(*), sum(d) FROM t GROUP BY s || 'xxx', g % 50"));
  test('a CTE read twice, whose shared result is over the limit, is computed per reader', () => expectSpilledSame('WITH a AS (SELECT g, sum(id) AS s, count(*) AS n FROM t GROUP BY g) SELECT x.g, x.s, x.n, y.s, y.n FROM a x JOIN a y ON x.g = y.g + 1'));
  test('INNER JOIN', () => expectSpilledSame('SELECT t.id, t.s, r.rs FROM t JOIN r ON t.id = r.k'));
  test('INNER JOIN on strings with a residual condition', () => expectSpilledSame('SELECT t.id, r.k FROM t JOIN r ON t.s = r.rs AND t.id % 40 = r.k % 40'));
  test('LEFT JOIN', () => expectSpilledSame('SELECT t.id, r.rs FROM t LEFT JOIN r ON t.id = r.k'));
  test('FULL JOIN', () => expectSpilledSame('SELECT t.id, r.k, r.rs FROM t FULL JOIN r ON t.id = r.k - 30000'));
  // The left side is the smaller one: the join builds over it, as a RIGHT join over swapped inputs, and emits the
  // build rows nothing matched (NULL keys, keys t lacks, rows the residual condition refused) from each partition.
  test('LEFT JOIN built over its smaller left side, with NULL keys and a residual condition', async () => {
    const sql = 'SELECT r.k, r.rs, t.id, t.s FROM r LEFT JOIN t ON (CASE WHEN r.k % 5 = 0 THEN NULL ELSE r.k END) = t.id AND t.d > r.k / 1000.0 AND r.rs <> t.s';
    const plan = (await (await unlimited.query(`EXPLAIN ${shoalSql(sql)}`)).toArray()).map((x) => Object.values(x).join('\n')).join('\n');
    expect(plan).toMatch(/HashJoin RIGHT/);
    await expectSpilledSame(sql);
  });
  test('semi join (EXISTS)', () => expectSpilledSame('SELECT id, s FROM t WHERE EXISTS (SELECT 1 FROM r WHERE r.k = t.id + 3)'));
  test('anti join (NOT EXISTS)', () => expectSpilledSame('SELECT id, s FROM t WHERE NOT EXISTS (SELECT 1 FROM r WHERE r.k = t.id)'));
  test('IN with NULLs on the probe side', () => expectSpilledSame("SELECT id, s IN (SELECT rs FROM r) FROM t"));
  test('NOT IN over a subquery holding NULLs', () => expectSpilledSame("SELECT id, s NOT IN (SELECT rs FROM r WHERE k < 30000) FROM t"));
  // The outer side is the smaller one: the mark join builds over it (OuterBuildMarkJoinExec) and spills the same way.
  test('IN built over the outer rows', () => expectSpilledSame('SELECT k, rs, k IN (SELECT id FROM t) FROM r'));
  test('NOT IN built over the outer rows, NULLs on both sides', () => expectSpilledSame('SELECT k, rs NOT IN (SELECT s FROM t WHERE id > 10) FROM r'));
  test('EXISTS with a residual condition built over the outer rows', () => expectSpilledSame('SELECT k FROM r WHERE EXISTS (SELECT 1 FROM t WHERE t.id = r.k AND t.d > 5)'));
  test('LEFT JOIN to an aggregation its probe keys filter (runtime filter): the read-ahead probe replays into the grace join', () =>
    expectSpilledSame('SELECT t.id, a.n, a.m FROM t LEFT JOIN (SELECT k, count(*) AS n, max(rs) AS m FROM r GROUP BY k) a ON a.k = t.id'));
  test('NOT IN over a subquery without NULLs', () => expectSpilledSame('SELECT id FROM t WHERE id NOT IN (SELECT k FROM r)'));
});

describe('failures and cleanup', () => {
  test('a canceled spilling query leaves no spill files', async () => {
    const result = await limited.query(shoalSql('SELECT id, s, d, g FROM t ORDER BY s, id'));
    for await (const b of result) {
      expect(b.numRows).toBeGreaterThan(0);
      break;
    }
    expect(result.stats().progress.spilledBytes).toBeGreaterThan(0);
    expect(readdirSync(spillDir)).toEqual([]);
  });

  test('a query failing after it spilled leaves no spill files', async () => {
    const run = spilledOf(limited, 'SELECT g, count(*) FROM t GROUP BY g HAVING 100 / (min(id) - 7) > -1000');
    await expect(run).rejects.toMatchObject({ code: 'DIVISION_BY_ZERO' });
    expect(readdirSync(spillDir)).toEqual([]);
  });

  test('what cannot spill fails with EXCEEDED_MEMORY_LIMIT naming the operator, the limit and the way out', async () => {
    for (const sql of ['SELECT array_agg(d), array_agg(id), array_agg(g) FROM t', 'SELECT id, g, s, d, row_number() OVER (ORDER BY d) FROM t']) {
      const err = await spilledOf(limited, sql).then((r) => r.rows, (e: unknown) => e);
      expect(err).toBeInstanceOf(ShoalError);
      const e = err as ShoalError;
      expect(e.code).toBe('EXCEEDED_MEMORY_LIMIT');
      expect(e.message).toMatch(/256kB/);
      expect(e.message).toMatch(/HashAggregate|Window/);
      expect(e.hint).toMatch(/query_max_memory/);
    }
    expect(readdirSync(spillDir)).toEqual([]);
  });

  test('a global aggregate holds only its states (no key table), so a tight limit does not refuse it', async () => {
    const result = await limited.query(shoalSql('SELECT count(*), sum(d), min(s) FROM t'));
    await result.rowsAsScalars();
    expect(result.stats().progress.peakMemoryBytes).toBeLessThan(4096);
  });

  test('EXPLAIN ANALYZE shows peak memory and spilled bytes per operator', async () => {
    const rows = await (await limited.query(shoalSql('EXPLAIN ANALYZE SELECT g, count(*), sum(id), min(s), max(d) FROM t GROUP BY g'))).rowsAsScalars();
    const text = String(rows[0]![0]);
    expect(text).toMatch(/HashAggregate .*peak_memory=[\d.]+ [KM]iB spilled=[\d.]+ [KM]iB/);
    expect(text).toMatch(/Peak memory of operators: .* \(limit 256kB\); spilled [\d.]+ [KM]iB/);
  });
});

describe('query_max_memory', () => {
  test('SET SESSION validates and SHOW SESSION reports it', async () => {
    const s = shoal.session();
    await expect(s.query("SET SESSION query_max_memory = 'lots'")).rejects.toMatchObject({ code: 'INVALID_SESSION_PROPERTY' });
    await expect(s.query("SET SESSION query_max_memory = '10B'")).rejects.toMatchObject({ code: 'INVALID_SESSION_PROPERTY' });
    await (await s.query("SET SESSION query_max_memory = '512MB'")).toArray();
    const rows = await (await s.query("SHOW SESSION LIKE 'query_max_memory'")).rowsAsScalars();
    expect(rows[0]!.slice(0, 2)).toEqual(['query_max_memory', '512MB']);
  });

  test('the engine setting is the starting value and the cap', async () => {
    const capped = await Shoal.open({ maxQueryMemory: '256kB', spillPath: spillDir });
    const s = capped.session();
    await (await s.query("SET SESSION query_max_memory = '10GB'")).toArray();
    const r = await s.query(shoalSql('SELECT g, count(*), sum(id), min(s), max(d) FROM t GROUP BY g'));
    for await (const _ of r) { /* drain */ }
    expect(r.stats().progress.spilledBytes).toBeGreaterThan(0);
    await expect(Shoal.open({ maxQueryMemory: 'much' })).rejects.toMatchObject({ code: 'INVALID_SESSION_PROPERTY' });
  });
});
