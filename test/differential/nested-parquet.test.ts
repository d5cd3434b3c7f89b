import { DuckDBInstance, type DuckDBConnection, type DuckDBInstance as Instance } from '@duckdb/node-api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { toJsValue, type Session } from '../../src/index.js';
import { sampleSession } from '../support/shoal-runner.js';

/**
 * Nested Parquet (LIST, MAP, STRUCT, a list of structs) written by DuckDB at test time, read by Shoal and by DuckDB
 * with the same SQL where the dialects agree. `duck` spells Trino's semantics in DuckDB's dialect where they
 * differ (Trino wins): `a[i]` beyond the array is an error in Trino (element_at gives NULL), DuckDB's `a[i]`
 * gives NULL; cardinality is len(); DuckDB's UNNEST of a map needs map_keys/map_values. DuckDB's `=` on lists and
 * structs treats NULL elements as equal; in Trino a value holding a NULL is never `=` to anything, so join cases
 * on such columns exclude them on DuckDB's side. `ordered` compares rows in order (the ORDER BY must be total).
 */
interface Case {
  readonly name: string;
  readonly sql: string;
  readonly duck?: string;
  readonly ordered?: boolean;
}

const ROWS = `SELECT * FROM (VALUES
  (1, [1, 2, 3], ['a', NULL, 'c'], MAP {'a': 1, 'b': 2}, {'x': 1, 'y': 'abc'}, [{'p': 1, 'q': 'z'}, {'p': 2, 'q': NULL}]),
  (2, NULL, [], MAP {}, NULL, []),
  (3, [], NULL, NULL, {'x': NULL, 'y': NULL}, NULL),
  (4, [7], [NULL], MAP {'k': NULL}, {'x': 4, 'y': 'd'}, [NULL, {'p': 5, 'q': 'w'}]),
  (5, [10, 20], ['e'], MAP {'a': 5}, {'x': 5, 'y': NULL}, [{'p': NULL, 'q': 'v'}])
) t(id, li, ls, m, s, ns)`;

const CASES: readonly Case[] = [
  { name: 'whole nested columns', sql: 'SELECT id, li, ls, m, s, ns FROM T' },
  { name: 'element_at and field access', sql: 'SELECT id, element_at(li, 1), element_at(li, 2), element_at(ls, 2), s.x, s.y, element_at(ns, 1).q FROM T', duck: 'SELECT id, li[1], li[2], ls[2], s.x, s.y, ns[1].q FROM T' },
  { name: 'element_at from the end', sql: 'SELECT id, element_at(li, -1) FROM T', duck: 'SELECT id, li[-1] FROM T' },
  { name: 'subscript within range', sql: 'SELECT id, li[1], ls[1] FROM T WHERE id IN (1, 5)' },
  { name: 'map lookup', sql: "SELECT id, element_at(m, 'a') FROM T", duck: "SELECT id, m['a'] FROM T" },
  { name: 'cardinality', sql: 'SELECT id, cardinality(li), cardinality(ls), cardinality(m) FROM T', duck: 'SELECT id, len(li), len(ls), cardinality(m) FROM T' },
  { name: 'IS NULL on nested values', sql: 'SELECT id, li IS NULL, m IS NULL, s IS NULL, ns IS NOT NULL FROM T' },
  { name: 'CROSS JOIN UNNEST', sql: 'SELECT id, x FROM T CROSS JOIN UNNEST(li) AS u(x)' },
  { name: 'UNNEST with NULL elements (comma form)', sql: 'SELECT id, x FROM T, UNNEST(ls) AS u(x)' },
  { name: 'UNNEST WITH ORDINALITY', sql: 'SELECT id, x, n FROM T CROSS JOIN UNNEST(li) WITH ORDINALITY AS u(x, n)' },
  { name: 'UNNEST of a map', sql: 'SELECT id, k, v FROM T CROSS JOIN UNNEST(m) AS u(k, v)', duck: 'SELECT id, unnest(map_keys(m)) AS k, unnest(map_values(m)) AS v FROM T' },
  { name: 'UNNEST of a list of structs spreads the fields', sql: 'SELECT id, p, q FROM T CROSS JOIN UNNEST(ns) AS u(p, q)', duck: 'SELECT id, e.p, e.q FROM (SELECT id, unnest(ns) AS e FROM T)' },
  { name: 'filter on an unnested column and an input column', sql: 'SELECT id, x FROM T CROSS JOIN UNNEST(li) AS u(x) WHERE x > 1 AND id < 5' },
  { name: 'aggregate over unnested values', sql: 'SELECT id, sum(x), count(*) FROM T CROSS JOIN UNNEST(li) AS u(x) GROUP BY id' },
  { name: 'array_agg with ORDER BY', sql: 'SELECT id, array_agg(x ORDER BY x DESC) FROM T CROSS JOIN UNNEST(li) AS u(x) GROUP BY id' },
  { name: 'ARRAY constructor over columns', sql: 'SELECT id, ARRAY[id, s.x] FROM T', duck: 'SELECT id, [id, s.x] FROM T' },
  { name: 'ROW constructor cast to a named row', sql: 'SELECT id, CAST(ROW(id, s.y) AS row(a integer, b varchar)) FROM T', duck: "SELECT id, {'a': id, 'b': s.y} FROM T" },
  { name: 'map constructor over columns', sql: 'SELECT id, map(ARRAY[id, id + 10], ARRAY[s.y, NULL]) FROM T', duck: 'SELECT id, map([id, id + 10], [s.y, NULL]) FROM T' },
  { name: 'join on arrays without NULL elements', sql: 'SELECT a.id, b.id FROM T a JOIN T b ON a.li = b.li' },
  {
    name: 'join on arrays with NULL elements (Trino: never equal)',
    sql: 'SELECT a.id, b.id FROM T a JOIN T b ON a.ls = b.ls',
    duck: 'SELECT a.id, b.id FROM T a JOIN T b ON a.ls = b.ls AND len(list_filter(a.ls, e -> e IS NULL)) = 0',
  },
  { name: 'join on rows without NULL fields', sql: 'SELECT a.id, b.id FROM T a JOIN T b ON a.s = b.s AND a.s.x IS NOT NULL AND a.s.y IS NOT NULL' },
  { name: 'GROUP BY an array with NULL elements', sql: 'SELECT ls, count(*) FROM T GROUP BY ls' },
  { name: 'GROUP BY a map and a row', sql: 'SELECT m, s, count(*) FROM T GROUP BY m, s' },
  { name: 'DISTINCT over a list of rows', sql: 'SELECT DISTINCT ns FROM T' },
  { name: 'count(DISTINCT) over nested values', sql: 'SELECT count(DISTINCT li), count(DISTINCT m), count(DISTINCT s), count(DISTINCT ns) FROM T' },
  { name: 'ORDER BY an array', sql: 'SELECT id, li FROM T ORDER BY li, id', ordered: true },
  { name: 'ORDER BY a row', sql: 'SELECT id FROM T WHERE id IN (1, 4, 5) AND s.y IS NOT NULL ORDER BY s DESC', ordered: true },
  { name: 'IN list of arrays', sql: 'SELECT id, li IN (ARRAY[7], ARRAY[10, 20]) FROM T', duck: 'SELECT id, li IN ([7], [10, 20]) FROM T' },
  { name: 'IS DISTINCT FROM on rows with NULL fields', sql: 'SELECT id, s IS NOT DISTINCT FROM CAST(ROW(5, NULL) AS row(x integer, y varchar)) FROM T', duck: "SELECT id, s IS NOT DISTINCT FROM {'x': 5, 'y': NULL} FROM T" },
  { name: 'map equality ignores entry order', sql: "SELECT id, m = map(ARRAY['b', 'a'], ARRAY[2, 1]) FROM T WHERE id <> 4", duck: "SELECT id, m = MAP {'a': 1, 'b': 2} FROM T WHERE id <> 4" },
  { name: 'LEFT JOIN UNNEST keeps empty and NULL arrays', sql: 'SELECT id, x FROM T LEFT JOIN UNNEST(li) AS u(x) ON true', duck: 'SELECT id, x FROM T LEFT JOIN LATERAL (SELECT unnest(li) AS x) u ON true' },
];

/** One cell as comparable text: leaves as strings, maps as DuckDB's [{key, value}] lists, rows as objects. */
function canon(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map(canon);
  if (v instanceof Map) return [...v].map(([key, value]) => ({ key: canon(key), value: canon(value) }));
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, canon(x)]));
  return String(v);
}

function sorted(rows: unknown[][]): string[] {
  return rows.map((r) => JSON.stringify(r.map(canon))).sort();
}

describe('nested Parquet: Shoal vs DuckDB', () => {
  let dir: string;
  let file: string;
  let duck: Instance;
  let conn: DuckDBConnection;
  let session: Session;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'shoal-nested-'));
    file = path.join(dir, 'nested.parquet');
    duck = await DuckDBInstance.create(':memory:', { threads: '1' });
    conn = await duck.connect();
    await conn.run(`COPY (${ROWS}) TO '${file}' (FORMAT PARQUET)`);
    session = await sampleSession();
  });

  afterAll(() => {
    conn?.closeSync();
    duck?.closeSync();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const c of CASES) {
    test(c.name, async () => {
      const from = (sql: string): string => sql.replace(/\b(FROM|JOIN) T\b/g, `$1 '${file}'`);
      const result = await session.query(from(c.sql));
      const shoal = (await result.rowsAsScalars()).map((r) => result.fields.map((f, i) => toJsValue(r[i]!, f.type)));
      const expected = (await conn.runAndReadAll(from(c.duck ?? c.sql))).getRowsJson() as unknown[][];
      if (c.ordered === true) expect(shoal.map((r) => JSON.stringify(r.map(canon)))).toEqual(expected.map((r) => JSON.stringify(r.map(canon))));
      else expect(sorted(shoal)).toEqual(sorted(expected));
    });
  }

  test('the nested columns have Trino type names', async () => {
    const result = await session.query(`SELECT li, ls, m, s, ns FROM '${file}'`);
    const { typeName } = await import('../../src/types/index.js');
    expect(result.fields.map((f) => typeName(f.type))).toEqual([
      'array(integer)', 'array(varchar)', 'map(varchar, integer)', 'row(x integer, y varchar)', 'array(row(p integer, q varchar))',
    ]);
  });

  test('maps and rows print as the Trino CLI prints them', async () => {
    const result = await session.query(`SELECT li, ls, m, s, ns FROM '${file}' WHERE id = 1`);
    const { formatScalar } = await import('../../src/types/index.js');
    const row = (await result.rowsAsScalars())[0]!;
    expect(result.fields.map((f, i) => formatScalar(row[i]!, f.type))).toEqual(['[1, 2, 3]', '[a, NULL, c]', '{a=1, b=2}', '{x=1, y=abc}', '[{p=1, q=z}, {p=2, q=NULL}]']);
  });

  test('a predicate on a scalar column prunes nothing wrongly next to nested columns', async () => {
    const result = await session.query(`SELECT id, cardinality(li) FROM '${file}' WHERE id >= 4 AND li IS NOT NULL`);
    expect((await result.rowsAsScalars()).map((r) => r.map(String))).toEqual([['4', '1'], ['5', '2']]);
  });
});
