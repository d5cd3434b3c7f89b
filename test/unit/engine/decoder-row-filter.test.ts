/**
 * Rows the Parquet decoder workers drop before the main thread sees them (catalog/decoder-row-filter.ts): a
 * scan's integer and date comparisons and IN lists and the armed probe filters of the joins above it. The answers must be
 * DuckDB's on the same files (NULLs in every tested column, row groups the filters empty, cut or keep whole),
 * and EXPLAIN ANALYZE must show the decoder dropped rows, so the path is known to be taken.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Shoal, type Session } from '../../../src/index.js';
import { DuckOracle } from '../../support/duckdb-oracle.js';
import { firstDifference } from '../../support/normalize.js';
import { shoalRows } from '../../support/shoal-runner.js';

let dir: string;
let duck: DuckOracle;
let session: Session;

/**
 * 60,000 rows in row groups of 10,000, sorted by id; k, d, d2 and id2 hold NULLs; s is text with NULLs and
 * empty strings, v a decimal, b a boolean (the gathers of every layout).
 */
const FACTS = `SELECT i AS id, CASE WHEN i % 11 = 0 THEN NULL ELSE (hash(i) % 500)::INTEGER END AS k,
  CASE WHEN i % 13 = 0 THEN NULL ELSE DATE '1995-01-01' + (hash(i * 3) % 1000)::INTEGER END AS d,
  CASE WHEN i % 17 = 0 THEN NULL ELSE DATE '1995-01-01' + (hash(i * 5) % 1000)::INTEGER END AS d2,
  CASE WHEN i % 7 = 0 THEN NULL ELSE (i * 3)::BIGINT END AS id2,
  CASE WHEN i % 19 = 0 THEN NULL WHEN i % 5 = 0 THEN '' ELSE 'text ' || (hash(i) % 1000) END AS s,
  ((hash(i * 7) % 100000) / 100.0)::DECIMAL(15,2) AS v, CASE WHEN i % 23 = 0 THEN NULL ELSE i % 3 = 0 END AS b
  FROM range(60000) t(i)`;
/** 500 keys (and bigint keys id2), a third of them flagged, one row with NULL keys. */
const DIM = `SELECT i::INTEGER AS k, i % 3 = 0 AS flag, 'key ' || i AS name, (i * 21)::BIGINT AS id2 FROM range(500) t(i)
  UNION ALL SELECT NULL::INTEGER, true, 'null key', NULL::BIGINT`;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'shoal-decoder-filter-'));
  duck = await DuckOracle.create();
  await duck.run(`COPY (${FACTS}) TO '${path.join(dir, 'facts.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 10000)`);
  await duck.run(`COPY (${DIM}) TO '${path.join(dir, 'dim.parquet')}' (FORMAT parquet)`);
  await duck.run(`CREATE VIEW facts AS SELECT * FROM '${path.join(dir, 'facts.parquet')}'`);
  await duck.run(`CREATE VIEW dim AS SELECT * FROM '${path.join(dir, 'dim.parquet')}'`);
  const shoal = await Shoal.open({ cwd: dir, threads: 1 });
  session = shoal.session();
});

afterAll(() => {
  duck.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Shoal reads the files by path; DuckDB through views of the same names. */
function shoalSql(sql: string): string {
  return sql.replace(/\b(FROM|JOIN) (facts|dim)\b/g, "$1 '$2.parquet'");
}

/** Both engines' rows, in order (each query's ORDER BY is total, or it returns one row), the same. */
async function expectSameRows(sql: string): Promise<number> {
  const [ours, theirs] = await Promise.all([shoalRows(session, shoalSql(sql)), duck.query(sql)]);
  const diff = firstDifference(ours.rows, theirs.rows);
  expect(diff, diff).toBeUndefined();
  return ours.rows.length;
}

/** The decoder's dropped rows on the facts scan, from EXPLAIN ANALYZE (0 when it dropped none). */
async function droppedInDecoder(sql: string): Promise<number> {
  const rows = await (await session.query(`EXPLAIN ANALYZE ${shoalSql(sql)}`)).toArray();
  const text = rows.map((r) => Object.values(r).join('\n')).join('\n');
  const scan = text.split('\n').find((l) => l.includes('Scan') && l.includes('facts.parquet'));
  expect(scan).toBeDefined();
  return Number(/dropped_in_decoder=(\d+)/.exec(scan!)?.[1] ?? 0);
}

const CASES: readonly { readonly name: string; readonly sql: string }[] = [
  {
    name: 'date ranges, a date compared with another, <> on an integer (NULLs in each)',
    sql: `SELECT id, k, d, d2, s, v, b FROM facts WHERE d >= DATE '1995-06-01' AND d < DATE '1996-01-01' AND d2 > d AND k <> 7 ORDER BY id`,
  },
  {
    name: 'a bigint range that empties some row groups, cuts one and keeps others whole',
    sql: `SELECT count(*), sum(v), min(s), max(d), count(b) FROM facts WHERE id2 BETWEEN 45000 AND 120000`,
  },
  {
    name: 'constants on the left, and equality',
    sql: `SELECT id, s FROM facts WHERE 100 = k AND DATE '1995-03-01' <= d ORDER BY id`,
  },
  {
    name: 'an IN list as key bits (a NULL in the list)',
    sql: `SELECT id, k, id2, s FROM facts WHERE k IN (3, 17, 250, NULL, 499) ORDER BY id`,
  },
  {
    name: 'a bigint IN list too wide for bits, as its [min, max]',
    sql: `SELECT id, id2, s FROM facts WHERE id2 IN (303, 3000, 150000, 99999999999) ORDER BY id`,
  },
  {
    name: 'an IN list of dates',
    sql: `SELECT count(*), min(id), max(s) FROM facts WHERE d IN (DATE '1995-01-01', DATE '1995-02-14', DATE '1997-09-26')`,
  },
  {
    name: 'a join whose build keys filter the scan (NULL keys on both sides)',
    sql: `SELECT f.id, f.k, f.s, x.name FROM facts f JOIN dim x ON f.k = x.k WHERE x.flag AND x.k < 40 ORDER BY f.id`,
  },
  {
    name: 'a join on a bigint key whose build keys filter the scan',
    sql: `SELECT count(*), sum(f.v), min(f.s), max(x.name) FROM facts f JOIN dim x ON f.id2 = x.id2 WHERE x.flag`,
  },
];

describe('the decoder drops rows the filters above the scan would drop', () => {
  for (const c of CASES) {
    test(c.name, async () => {
      expect(await expectSameRows(c.sql)).toBeGreaterThan(0);
      expect(await droppedInDecoder(c.sql)).toBeGreaterThan(0);
    });
  }

  test('filters the decoder cannot test (OR, a function, a cast, a decimal) still give DuckDB\'s answer and drop nothing there', async () => {
    const sql = `SELECT count(*), sum(v) FROM facts WHERE (k < 10 OR k > 490) AND length(s) > 7 AND v > 500.00 AND CAST(id AS DOUBLE) > 10 AND k NOT IN (12, 13)`;
    expect(await expectSameRows(sql)).toBe(1);
    expect(await droppedInDecoder(sql)).toBe(0);
  });
});
