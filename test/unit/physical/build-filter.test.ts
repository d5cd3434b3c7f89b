import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Shoal, type Session } from '../../../src/index.js';
import { DuckOracle } from '../../support/duckdb-oracle.js';
import { firstDifference, sortRows } from '../../support/normalize.js';
import { shoalRows } from '../../support/shoal-runner.js';

// A join whose right input is a bare scan reads its (small) probe input first and drops, in the scan's decoder,
// the build rows whose key no probe row has (physical-planner.ts buildFilterFor). `a` is 400k rows whose filter
// on a decimal (through abs: no row group is pruned) keeps 19, estimated at half: no smaller than `b`'s
// 200k rows, so the join builds `b`.
let dir: string;
let duck: DuckOracle;
let session: Session;
let A: string;
let B: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'shoal-build-filter-'));
  A = path.join(dir, 'a.parquet');
  B = path.join(dir, 'b.parquet');
  duck = await DuckOracle.create();
  await duck.run(`COPY (SELECT i AS id, (i * 7919) % 200003 AS k, ((i * 7919) % 400000) / 2000.0 AS x FROM range(400000) t(i)) TO '${A}' (FORMAT parquet, ROW_GROUP_SIZE 16384)`);
  await duck.run(`COPY (SELECT i AS k, CASE WHEN i % 13 = 0 THEN NULL ELSE i % 1000 END AS v, 'r' || i AS s FROM range(200000) t(i)) TO '${B}' (FORMAT parquet, ROW_GROUP_SIZE 16384)`);
  await duck.run(`CREATE VIEW a AS SELECT * FROM '${A}'`);
  await duck.run(`CREATE VIEW b AS SELECT * FROM '${B}'`);
  session = (await Shoal.open()).session();
}, 60_000);

afterAll(() => {
  duck?.close();
  rmSync(dir, { recursive: true, force: true });
});

const sql = (a: string, b: string): string => `SELECT a.id, a.k, b.v, b.s FROM (SELECT * FROM ${a} WHERE abs(x) > 199.99) a JOIN ${b} b ON b.k = a.k`;

describe('build filter: the probe keys filter a bare build scan', () => {
  test('the build scan keeps the rows the probe keys name, and the rows are DuckDB\'s', async () => {
    const shoalSql = sql(`'${A}'`, `'${B}'`);
    const rows = await (await session.query(`EXPLAIN ANALYZE ${shoalSql}`)).toArray();
    const lines = String(Object.values(rows[0]!)[0]).split('\n');
    const scanB = lines.find((l) => l.includes('b.parquet'))!;
    // Built over b: the probe input (a) comes first under the join, the build input second.
    expect(lines.findIndex((l) => l.includes('b.parquet')), lines.join('\n')).toBeGreaterThan(lines.findIndex((l) => l.includes('a.parquet')));
    expect(Number(/\(rows=(\d+) /.exec(scanB)?.[1]), scanB).toBeLessThanOrEqual(19);
    const ours = await shoalRows(session, shoalSql);
    const theirs = await duck.query(sql('a', 'b'));
    expect(ours.rows.length).toBeGreaterThan(10);
    expect(ours.rows.length).toBe(theirs.rows.length);
    expect(firstDifference(sortRows(ours.rows), sortRows(theirs.rows))).toBeUndefined();
  });

  test('a probe input of most rows (read whole, then replayed) gives DuckDB\'s answer', async () => {
    const wide = `SELECT count(*), sum(b.v), count(b.s) FROM (SELECT * FROM '${A}' WHERE x > 100.5) a JOIN '${B}' b ON b.k = a.k`;
    const ours = await shoalRows(session, wide);
    const theirs = await duck.query(`SELECT count(*), sum(b.v), count(b.s) FROM (SELECT * FROM a WHERE x > 100.5) a JOIN b ON b.k = a.k`);
    expect(firstDifference(ours.rows, theirs.rows)).toBeUndefined();
  });
});
