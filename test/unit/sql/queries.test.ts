/**
 * Queries through the whole pipeline (rewrite → node-sql-parser → adapter), checked through the one-line
 * printer in ast-print.ts: precedence, literals, identifiers, joins, set operations, windows and the constructs
 * the grammar cannot parse on its own.
 */
import { describe, expect, it } from 'vitest';
import { parseStatement, type Expr, type Query, type Select } from '../../../src/sql/index.js';
import { checkSpans, expr, query } from './ast-print.js';

function parseQuery(sql: string): Query {
  const st = parseStatement(sql);
  if (st.kind !== 'query') throw new Error(`not a query: ${st.kind}`);
  expect(checkSpans(sql, st, st.span)).toEqual([]);
  return st.query;
}
const q = (sql: string): string => query(parseQuery(sql));
function select(sql: string): Select {
  const b = parseQuery(sql).body;
  if (b.kind !== 'select') throw new Error(`not a select: ${b.kind}`);
  return b;
}
function e(text: string): Expr {
  const item = select(`SELECT ${text}`).items[0];
  if (item?.kind !== 'expr') throw new Error('not an expression item');
  return item.expr;
}
const pe = (text: string): string => expr(e(text));

describe('boolean and operator precedence', () => {
  // node-sql-parser gives AND and OR equal precedence in WHERE and lets IN swallow a following OR; Shoal
  // parses the boolean layer itself.
  it.each([
    ['a = 1 OR b = 2 AND c = 3', '((a = integer:1) or ((b = integer:2) and (c = integer:3)))'],
    ['a = 1 AND b IN (1) OR c = 2', '(((a = integer:1) and (b in [integer:1])) or (c = integer:2))'],
    ['a AND NOT EXISTS (SELECT 1) OR c', '((a and (not exists {select integer:1})) or c)'],
    ['a OR b AND c OR d AND e', '((a or (b and c)) or (d and e))'],
    ['NOT a = b', '(not (a = b))'],
    ['NOT a AND b', '((not a) and b)'],
    ['x BETWEEN 1 AND 2 AND y BETWEEN 3 AND 4', '((x between integer:1 and integer:2) and (y between integer:3 and integer:4))'],
    ['a + b * c', '(a + (b * c))'],
    ['a - b - c', '((a - b) - c)'],
    ['-a * b', '((- a) * b)'],
    ['a + b || c', '((a + b) || c)'],
    ['a || b = c || d', '((a || b) = (c || d))'],
    ['a + 1 BETWEEN b - 1 AND c * 2', '((a + integer:1) between (b - integer:1) and (c * integer:2))'],
    ['a IS DISTINCT FROM b + 1', '(a is_distinct_from (b + integer:1))'],
    ['a IS NOT DISTINCT FROM b OR c', '((a is_not_distinct_from b) or c)'],
    ['(a, b) IN ((1, 2))', '(row(a, b) in [row(integer:1, integer:2)])'],
    ["x AT TIME ZONE 'UTC' + INTERVAL '1' HOUR", "((x at time zone 'UTC') + interval'1'hour)"],
    ['a::int + 1', '(cast(a as int) + integer:1)'],
  ])('%s', (text, want) => {
    expect(pe(text)).toBe(want);
    expect(expr(select(`SELECT 1 FROM t WHERE ${text}`).where ?? e('1'))).toBe(want);
  });

  it('CASE conditions get the same boolean parsing', () => {
    expect(pe('CASE WHEN a OR b AND c THEN 1 END')).toBe('case((a or (b and c)) => integer:1)');
    expect(pe('CASE WHEN a BETWEEN 1 AND 2 AND b THEN 1 ELSE 2 END')).toBe('case(((a between integer:1 and integer:2) and b) => integer:1; else integer:2)');
    expect(pe("CASE x WHEN 1 THEN 'a' WHEN 2 THEN 'b' END")).toBe("case(x; integer:1 => 'a', integer:2 => 'b')");
  });

  it('long AND/OR chains are left-deep binary nodes', () => {
    const w = select('SELECT 1 FROM t WHERE a AND b AND c').where;
    expect(w).toMatchObject({ kind: 'binary', op: 'and', left: { kind: 'binary', op: 'and' }, right: { kind: 'column' } });
  });
});

describe('literals', () => {
  it('types numbers by their text', () => {
    expect(pe('1, 1.50, .5, 1e3, 1.5E-2, 12345678901234567890')).toBe('integer:1');
    const items = select('SELECT 1, 1.50, .5, 1e3, 1.5E-2, 12345678901234567890').items;
    expect(items.map((i) => (i.kind === 'expr' && i.expr.kind === 'literal' ? i.expr.literal : undefined))).toEqual([
      { type: 'integer', text: '1' },
      { type: 'decimal', text: '1.50' },
      { type: 'decimal', text: '.5' },
      { type: 'double', text: '1e3' },
      { type: 'double', text: '1.5E-2' },
      { type: 'integer', text: '12345678901234567890' },
    ]);
  });

  it("keeps backslashes and decodes '' in strings", () => {
    expect(e("'\\t'")).toMatchObject({ kind: 'literal', literal: { type: 'string', value: '\\t' } });
    expect(e("'it''s'")).toMatchObject({ literal: { type: 'string', value: "it's" } });
  });

  it('reads typed literals and intervals', () => {
    expect(e("DECIMAL '1.5'")).toMatchObject({ literal: { type: 'typed', typeName: 'decimal', value: '1.5' } });
    expect(e("TIMESTAMP '2023-01-01 00:00:00'")).toMatchObject({ literal: { type: 'typed', typeName: 'timestamp', value: '2023-01-01 00:00:00' } });
    expect(e("INTERVAL '90' DAY")).toMatchObject({ literal: { type: 'interval', value: '90', negative: false, from: 'day' } });
    expect(e("INTERVAL '2 hours'")).toMatchObject({ literal: { type: 'interval', value: '2 hours', from: undefined } });
    expect(e("INTERVAL '1-2' YEAR TO MONTH")).toMatchObject({ literal: { type: 'interval', from: 'year', to: 'month' } });
    expect(e("INTERVAL -'3' DAY")).toMatchObject({ literal: { type: 'interval', negative: true } });
  });

  it('reads booleans and NULL, but not after IS', () => {
    expect(pe('true, false, NULL')).toBe('true');
    expect(pe('a IS NULL')).toBe('(a is null)');
    expect(pe('a IS NOT TRUE')).toBe('(a is_distinct_from true)');
  });
});

describe('identifiers', () => {
  it('folds unquoted names and keeps quoted ones', () => {
    expect(q('SELECT VendorID, "VendorID" FROM MyTable, "MyTable"')).toBe('select vendorid, "VendorID" from mytable, "MyTable"');
  });

  it('treats non-reserved keywords as names where they are names', () => {
    expect(q('SELECT year, month, day, date, zone, first, last, rows, value, key, filter, over, limit, offset, time FROM t WHERE year = 2023 ORDER BY year, month DESC')).toBe(
      'select year, month, day, date, zone, first, last, rows, value, key, filter, over, limit, offset, time from t where (year = integer:2023) order by year, month desc',
    );
    expect(q("SELECT date_trunc('month', ts) month, x day FROM t AS rows")).toBe("select date_trunc('month', ts) as month, x as day from t as rows");
  });

  it('keeps keyword uses of those words', () => {
    expect(pe("EXTRACT(year FROM ts) + EXTRACT(day_of_week FROM ts)")).toBe('(extract(year from ts) + extract(day_of_week from ts))');
    expect(pe("INTERVAL '1' DAY")).toBe("interval'1'day");
    expect(pe("CAST(x AS date)")).toBe('cast(x as date)');
  });

  it('gives every name an exact span', () => {
    const sql = 'SELECT t.year, "Zone" FROM lake.nyc.trips AS t';
    const st = parseStatement(sql);
    expect(checkSpans(sql, st, st.span)).toEqual([]);
  });
});

describe('FROM', () => {
  it('nests joins left-deep and keeps comma-separated items apart', () => {
    expect(q('SELECT x FROM t CROSS JOIN u NATURAL JOIN v, w LEFT JOIN z USING (k)')).toBe(
      'select x from [[t cross join u] natural inner join v], [w left join z using(k)]',
    );
    expect(q('SELECT 1 FROM a JOIN b ON a.x = b.x, c')).toBe('select integer:1 from [a inner join b on (a.x = b.x)], c');
    expect(q('SELECT 1 FROM a FULL OUTER JOIN b ON true RIGHT JOIN c ON false')).toBe('select integer:1 from [[a full join b on true] right join c on false]');
  });

  it('reads a path, a quoted table and a table function apart', () => {
    const s = select(`SELECT 1 FROM 's3://b/x.parquet' a, "s3://b/x.parquet" b, read_csv('x.csv', header => true) AS c (k, v)`);
    expect(s.from.map((f) => f.kind)).toEqual(['path', 'table', 'table_function']);
    expect(s.from[2]).toMatchObject({ args: [{ value: { kind: 'literal' } }, { name: { value: 'header' }, value: { literal: { type: 'boolean', value: true } } }], alias: { columns: [{ value: 'k' }, { value: 'v' }] } });
  });

  it('reads UNNEST, WITH ORDINALITY, LATERAL and parenthesised joins', () => {
    expect(q('SELECT * FROM UNNEST(ARRAY[1, 2]) WITH ORDINALITY AS t (x, n)')).toBe('select * from unnest(array[integer:1, integer:2]) with ordinality as t(x, n)');
    expect(q('SELECT x FROM t, LATERAL (SELECT * FROM u WHERE u.a = t.a) s')).toBe('select x from t, lateral {select * from u where (u.a = t.a)} as s');
    expect(q('SELECT * FROM (a CROSS JOIN b) JOIN c ON a.x = c.x')).toBe('select * from [[a cross join b] inner join c on (a.x = c.x)]');
  });

  it('reads VALUES in FROM and subqueries without an alias', () => {
    expect(q('SELECT * FROM (VALUES 1, 2) AS t (x)')).toBe('select * from values((integer:1), (integer:2)) as t(x)');
    expect(q('SELECT * FROM (SELECT 1)')).toBe('select * from {select integer:1}');
  });

  it('reads alias column lists on derived tables and CTEs (the TPC-H specification forms of Q13 and Q15)', () => {
    const derived = select('SELECT c_count FROM (SELECT c_custkey, count(o_orderkey) FROM customer GROUP BY c_custkey) AS c_orders (c_custkey, c_count)').from[0];
    if (derived?.kind !== 'subquery') throw new Error('not a subquery');
    expect(derived.alias?.name.value).toBe('c_orders');
    expect(derived.alias?.columns?.map((c) => c.value)).toEqual(['c_custkey', 'c_count']);
    const cte = parseQuery('WITH revenue0 (supplier_no, total_revenue) AS (SELECT l_suppkey, sum(l_extendedprice) FROM lineitem GROUP BY l_suppkey) SELECT * FROM revenue0').with?.ctes[0];
    expect(cte?.name.value).toBe('revenue0');
    expect(cte?.columns?.map((c) => c.value)).toEqual(['supplier_no', 'total_revenue']);
  });
});

describe('query structure', () => {
  it('reads set operations with INTERSECT binding tighter, and ALL/DISTINCT', () => {
    expect(q('SELECT 1 UNION SELECT 2 INTERSECT SELECT 3 EXCEPT ALL SELECT 4')).toBe(
      '((select integer:1 union (select integer:2 intersect select integer:3)) except all select integer:4)',
    );
    expect(q('SELECT 1 INTERSECT ALL SELECT 2 UNION DISTINCT SELECT 3')).toBe('((select integer:1 intersect all select integer:2) union select integer:3)');
  });

  it('puts ORDER BY/LIMIT of a parenthesised operand on that operand', () => {
    expect(q('(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL (SELECT b FROM u) ORDER BY 1 LIMIT 10')).toBe(
      '((select a from t order by a limit integer:1) union all select b from u) order by integer:1 limit integer:10',
    );
  });

  it('reads parenthesised set operations as query terms', () => {
    expect(q('((SELECT 1) UNION (SELECT 2)) UNION (SELECT 3)')).toBe('(((select integer:1 union select integer:2)) union select integer:3)');
    expect(q('SELECT 3 UNION (SELECT 1 UNION SELECT 2) ORDER BY 1')).toBe('(select integer:3 union ((select integer:1 union select integer:2))) order by integer:1');
  });

  it('reads LIMIT, OFFSET and FETCH in their forms', () => {
    expect(q('SELECT a FROM t OFFSET 2 ROWS FETCH NEXT 3 ROWS ONLY')).toBe('select a from t limit integer:3 offset integer:2');
    expect(q('SELECT a FROM t FETCH FIRST ROW ONLY')).toBe('select a from t limit integer:1');
    expect(q('SELECT a FROM t LIMIT ALL')).toBe('select a from t');
    expect(q('SELECT a FROM t OFFSET 5')).toBe('select a from t offset integer:5');
  });

  it('reads standalone VALUES, also in CTEs, set operations and IN', () => {
    expect(q('VALUES 1, 2')).toBe('values (integer:1), (integer:2)');
    expect(q("WITH a AS (VALUES (1, 'x')) SELECT * FROM a")).toBe("with a as (values (integer:1, 'x')) select * from a");
    expect(q('SELECT 1 UNION VALUES (2)')).toBe('(select integer:1 union values (integer:2))');
    expect(q('SELECT 1 FROM t WHERE a IN (VALUES 1, 2)')).toBe('select integer:1 from t where (a in {values (integer:1), (integer:2)})');
  });

  it('reads GROUP BY ordinals, expressions, ROLLUP, CUBE, GROUPING SETS, () and DISTINCT', () => {
    const s = select('SELECT a FROM t GROUP BY DISTINCT 1, a + b, ROLLUP (b, c), CUBE (d), GROUPING SETS ((a, b), a, ()), ()');
    expect(s.groupBy?.distinct).toBe(true);
    expect(s.groupBy?.elements.map((g) => g.kind)).toEqual(['expr', 'expr', 'rollup', 'cube', 'grouping_sets', 'grouping_sets']);
  });

  it('reads WINDOW clauses and named windows', () => {
    expect(q('SELECT count(*) OVER w, sum(x) OVER (w ORDER BY y ROWS 3 PRECEDING) FROM t WINDOW w AS (PARTITION BY z)')).toBe(
      'select count(*) over(w), sum(x) over(w order by y rows integer:3 preceding) from t window w as (partition by z)',
    );
  });

  it('reads TABLE t', () => {
    expect(q('TABLE nyc.trips')).toBe('select * from nyc.trips');
  });

  it('reads scalar, IN and EXISTS subqueries, also nested in select lists', () => {
    expect(q('SELECT (SELECT (SELECT 1)), (SELECT max(a) FROM u) AS m FROM t WHERE EXISTS (SELECT 1) AND b NOT IN (SELECT c FROM v)')).toBe(
      'select {select {select integer:1}}, {select max(a) from u} as m from t where ((exists {select integer:1}) and (b not in {select c from v}))',
    );
  });
});

describe('functions and special forms', () => {
  it('reads aggregates with DISTINCT, *, FILTER, ORDER BY and WITHIN GROUP', () => {
    expect(pe('count(DISTINCT a)')).toBe('count(distinct a)');
    expect(e('count(*)')).toMatchObject({ kind: 'function', star: true, args: [] });
    expect(pe('count(*) FILTER (WHERE a > 1 OR b)')).toBe('count(*) filter(((a > integer:1) or b))');
    expect(pe('array_agg(x ORDER BY y DESC NULLS FIRST)')).toBe('array_agg(x order by y desc nulls first)');
    expect(pe("listagg(x, ',') WITHIN GROUP (ORDER BY y)")).toBe("listagg(x, ',' order by y)");
  });

  it('reads OVER with frames, IGNORE NULLS and any function', () => {
    expect(pe('lag(x) IGNORE NULLS OVER (ORDER BY y)')).toBe('lag(x) ignore nulls over(order by y)');
    expect(pe('approx_percentile(x, 0.5) OVER (PARTITION BY a, b)')).toBe('approx_percentile(x, decimal:0.5) over(partition by a, b)');
    expect(pe("sum(x) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '1' DAY PRECEDING AND CURRENT ROW)")).toBe("sum(x) over(order by ts range interval'1'day preceding .. current_row)");
    expect(pe('avg(x) OVER (ORDER BY y GROUPS BETWEEN 1 + 1 PRECEDING AND UNBOUNDED FOLLOWING)')).toBe(
      'avg(x) over(order by y groups (integer:1 + integer:1) preceding .. unbounded_following)',
    );
    expect(pe('count(*) FILTER (WHERE a > 1) OVER (PARTITION BY b)')).toBe('count(*) filter((a > integer:1)) over(partition by b)');
  });

  it('reads casts, including TRY_CAST, :: and structured types', () => {
    expect(pe('CAST(x AS DECIMAL(10, 2))')).toBe('cast(x as decimal(10,2))');
    expect(e('TRY_CAST(x AS INTEGER)')).toMatchObject({ kind: 'cast', try: true, targetType: 'integer' });
    expect(pe('CAST(x AS ARRAY(VARCHAR))')).toBe('cast(x as array(varchar))');
    expect(pe('CAST(r AS ROW(a INT, b VARCHAR))')).toBe('cast(r as row(a int,b varchar))');
    expect(pe('z::timestamp(3) with time zone')).toBe('cast(z as timestamp(3) with time zone)');
    expect(pe('CAST(a AND b AS varchar)')).toBe('cast((a and b) as varchar)');
    expect(pe('x::int::varchar')).toBe('cast(cast(x as int) as varchar)');
    expect(pe('-x::int')).toBe('(- cast(x as int))');
    expect(expr(select('SELECT 1 FROM t WHERE a::int::bigint = 1').where ?? e('1'))).toBe('(cast(cast(a as int) as bigint) = integer:1)');
  });

  it('reads substring, position, trim and EXTRACT forms as calls', () => {
    expect(pe('substring(s FROM 2 FOR 3)')).toBe('substring(s, integer:2, integer:3)');
    expect(pe("position('a' IN s)")).toBe("position('a', s)");
    expect(pe("trim(LEADING 'x' FROM s)")).toBe("ltrim(s, 'x')");
    expect(pe('trim(TRAILING FROM s)')).toBe('rtrim(s)');
  });

  it('reads lambdas, named arrays, subscripts, rows and dereferences', () => {
    expect(pe('transform(xs, x -> x + 1)')).toBe('transform(xs, (x) -> (x + integer:1))');
    expect(pe('zip_with(a, b, (x, y) -> x * y)')).toBe('zip_with(a, b, (x, y) -> (x * y))');
    expect(pe("map(ARRAY['a'], ARRAY[1])['a']")).toBe("map(array['a'], array[integer:1])['a']");
    expect(pe('a[1][2]')).toBe('a[integer:1][integer:2]');
    expect(pe("ROW(1, 'a')")).toBe("row(integer:1, 'a')");
    expect(e('(r).f')).toMatchObject({ kind: 'dereference', field: { value: 'f' } });
    expect(pe('current_date')).toBe('current_date()');
  });

  it('reads s.t.* and 4-part column names', () => {
    expect(q('SELECT a.b.c.d, s.t.*, t.* FROM t')).toBe('select a.b.c.d, s.t.*, t.* from t');
  });
});

describe('spans', () => {
  it('points literals, calls, stars and subqueries at their text', () => {
    const sql = "SELECT *, count(*) AS n, 'x' FROM t WHERE a IN (SELECT b FROM u)";
    const s = select(sql);
    const text = (sp: { start: { offset: number }; end: { offset: number } }): string => sql.slice(sp.start.offset, sp.end.offset);
    expect(s.items.map((i) => text(i.span))).toEqual(['*', 'count(*) AS n', "'x'"]);
    expect(text(s.span)).toBe(sql);
    const w = s.where;
    expect(w?.kind).toBe('in_subquery');
    if (w?.kind !== 'in_subquery') return;
    expect(text(w.query.span)).toBe('SELECT b FROM u');
    expect(text(w.span)).toBe('a IN (SELECT b FROM u)');
  });

  it('gives unqualified stars their own spans, in order, also in subqueries', () => {
    const sql = 'SELECT *, (SELECT *, 1 FROM u), * FROM (SELECT * FROM v)';
    const st = parseStatement(sql);
    const spans: number[] = [];
    const visit = (n: unknown): void => {
      if (Array.isArray(n)) n.forEach(visit);
      else if (typeof n === 'object' && n !== null) {
        const o = n as Record<string, unknown>;
        if (o['kind'] === 'star') spans.push((o['span'] as { start: { offset: number } }).start.offset);
        Object.values(o).forEach(visit);
      }
    };
    visit(st);
    expect(spans.sort((a, b) => a - b)).toEqual([7, 18, 32, 47]);
    expect(spans.map((o) => sql[o])).toEqual(['*', '*', '*', '*']);
  });

  it('maps positions across lines', () => {
    const sql = 'SELECT a,\n       b + 1 AS c\nFROM t';
    const s = select(sql);
    const second = s.items[1];
    expect(second?.span.start).toMatchObject({ line: 2, column: 8 });
    expect(second?.span.end).toMatchObject({ line: 2, column: 18 });
  });
});
