/**
 * The 86-statement corpus from the parser study: 64 taxi-analytics and statement entries kept in
 * fixtures/sql-corpus.sql, plus the 22 TPC-H queries read from test/tpch/queries/ (the one copy of them, which
 * the TPC-H differential test also runs). Every entry must either parse into a well-formed AST or fail with a
 * ShoalError; the list below says which must parse.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ShoalError } from '../../../src/common/index.js';
import { parseScript, parseStatement, type Query, type Statement } from '../../../src/sql/index.js';
import { checkSpans, from, query, statement } from './ast-print.js';

interface Entry {
  readonly id: string;
  readonly sql: string;
}

const corpusPath = fileURLToPath(new URL('./fixtures/sql-corpus.sql', import.meta.url));
const fixtureEntries: Entry[] = readFileSync(corpusPath, 'utf8')
  .split(/^-- @id /m)
  .slice(1)
  .map((chunk) => {
    const nl = chunk.indexOf('\n');
    return { id: chunk.slice(0, nl).trim(), sql: chunk.slice(nl + 1) };
  });

/** test/tpch/queries/qNN.sql becomes entry tpch-qNN. */
const tpchDir = fileURLToPath(new URL('../../tpch/queries/', import.meta.url));
const tpchEntries: Entry[] = readdirSync(tpchDir)
  .filter((f) => /^q\d\d\.sql$/.test(f))
  .sort()
  .map((f) => ({ id: `tpch-${f.slice(0, -'.sql'.length)}`, sql: readFileSync(tpchDir + f, 'utf8') }));

const entries: Entry[] = [...tpchEntries, ...fixtureEntries];

/** Hive-style CREATE EXTERNAL TABLE is not Trino's dialect; it is rejected with a hint. */
const REJECTED = new Set(['stmt-12-create-external-parquet', 'stmt-13-create-external-csv', 'stmt-14-create-external-minimal']);

const byId = new Map(entries.map((e) => [e.id, e.sql]));
function parsed(id: string): Statement {
  const sql = byId.get(id);
  if (sql === undefined) throw new Error(`no corpus entry ${id}`);
  return parseStatement(sql);
}
function q(id: string): Query {
  const st = parsed(id);
  if (st.kind !== 'query') throw new Error(`${id} is not a query`);
  return st.query;
}

describe('corpus', () => {
  it('has all 86 entries', () => {
    expect(entries).toHaveLength(86);
    expect(tpchEntries.map((e) => e.id)).toEqual(Array.from({ length: 22 }, (_, i) => `tpch-q${String(i + 1).padStart(2, '0')}`));
    expect(fixtureEntries.filter((e) => e.id.startsWith('tpch-'))).toHaveLength(0);
    expect(new Set(entries.map((e) => e.id)).size).toBe(86);
  });

  it.each(entries.map((e) => [e.id, e.sql] as const))('%s parses or fails with a ShoalError', (id, sql) => {
    let statements;
    try {
      statements = parseScript(sql);
    } catch (e) {
      expect(e).toBeInstanceOf(ShoalError);
      expect(REJECTED.has(id), `${id} failed: ${(e as Error).message}`).toBe(true);
      expect((e as ShoalError).code).toBe('NOT_SUPPORTED');
      expect((e as ShoalError).span).toBeDefined();
      return;
    }
    expect(REJECTED.has(id), `${id} should be rejected`).toBe(false);
    expect(statements).toHaveLength(1);
    const [p] = statements;
    if (p === undefined) return;
    expect(checkSpans(sql, p.statement, p.span)).toEqual([]);
    expect(statement(p.statement).length).toBeGreaterThan(0);
  });

  it('parses 83 of 86 (all TPC-H, all taxi queries, all Trino statements)', () => {
    const ok = entries.filter((e) => {
      try {
        parseStatement(e.sql);
        return true;
      } catch {
        return false;
      }
    });
    expect(ok).toHaveLength(83);
  });
});

describe('corpus ASTs', () => {
  it('TPC-H Q1: typed literals, interval, count(*), ordering', () => {
    expect(query(q('tpch-q01'))).toContain("(l_shipdate <= (date'1998-12-01' - interval'90'day))");
    expect(query(q('tpch-q01'))).toContain('count(*) as count_order');
  });

  it('TPC-H Q13: LEFT OUTER JOIN inside an aliased derived table', () => {
    const body = q('tpch-q13').body;
    expect(body.kind).toBe('select');
    if (body.kind !== 'select') return;
    const item = body.from[0];
    expect(item?.kind).toBe('subquery');
    if (item?.kind !== 'subquery') return;
    expect(item.alias?.name.value).toBe('c_orders');
    expect(query(item.query)).toContain('count(o_orderkey) as c_count');
    expect(query(item.query)).toContain("from [customer left join orders on ((c_custkey = o_custkey) and (o_comment not like '%special%requests%'))]");
  });

  it('TPC-H Q15: a CTE used twice, once in a scalar subquery', () => {
    const x = q('tpch-q15');
    expect(x.with?.ctes.map((c) => c.name.value)).toEqual(['revenue0']);
    expect(query(x)).toContain('l_suppkey as supplier_no');
    expect(query(x)).toContain('(total_revenue = {select max(total_revenue) from revenue0})');
  });

  it('TPC-H Q22: substring(x FROM a FOR b) and NOT EXISTS', () => {
    const text = query(q('tpch-q22'));
    expect(text).toContain('substring(c_phone, integer:1, integer:2) as cntrycode');
    expect(text).toContain('(not exists {select * from orders where (o_custkey = c_custkey)})');
  });

  it('TPC-H Q19: OR of parenthesised AND groups keeps its structure', () => {
    const body = q('tpch-q19').body;
    if (body.kind !== 'select') throw new Error('not a select');
    expect(body.where?.kind).toBe('binary');
    if (body.where?.kind !== 'binary') return;
    expect(body.where.op).toBe('or');
    expect(body.where.left.kind === 'binary' && body.where.left.op).toBe('or');
  });

  it('taxi-05: TRY_CAST', () => {
    expect(query(q('taxi-05-try-cast-coalesce-nullif'))).toContain('try_cast(passenger_count as integer) as passengers');
  });

  it('taxi-06: IS [NOT] DISTINCT FROM keeps its right operand as an expression', () => {
    const body = q('taxi-06-is-distinct-from').body;
    if (body.kind !== 'select' || body.where?.kind !== 'binary') throw new Error('unexpected shape');
    const [l, r] = [body.where.left, body.where.right];
    expect(l).toMatchObject({ kind: 'binary', op: 'is_distinct_from', right: { kind: 'column' } });
    expect(r).toMatchObject({ kind: 'binary', op: 'is_not_distinct_from', right: { kind: 'literal', literal: { type: 'string', value: 'N' } } });
  });

  it('taxi-09/11: window frames', () => {
    expect(query(q('taxi-09-running-sum-rows-frame'))).toContain('over(partition by vendorid order by tpep_pickup_datetime rows unbounded_preceding .. current_row)');
    const t11 = query(q('taxi-11-moving-avg-frame'));
    expect(t11).toContain('over(order by day rows integer:6 preceding .. current_row) as ma7');
    expect(t11).toContain('over(order by day range unbounded_preceding .. unbounded_following) as grand_total');
  });

  it('taxi-12: FILTER (WHERE …)', () => {
    expect(query(q('taxi-12-filter-where-aggregate'))).toContain('count(*) filter((payment_type = integer:1)) as card_trips');
  });

  it('taxi-13/14/15: GROUPING SETS, ROLLUP, CUBE', () => {
    const gs = q('taxi-13-grouping-sets').body;
    if (gs.kind !== 'select') throw new Error('not a select');
    expect(gs.groupBy?.elements[0]).toMatchObject({ kind: 'grouping_sets' });
    expect(query(q('taxi-13-grouping-sets'))).toContain('group by sets((vendorid, payment_type), (vendorid), ())');
    expect(query(q('taxi-14-rollup'))).toContain('group by rollup(vendorid, payment_type)');
    expect(query(q('taxi-15-cube-grouping'))).toContain('group by cube(vendorid, payment_type)');
  });

  it('taxi-16: NULLS LAST / NULLS FIRST', () => {
    const o = q('taxi-16-having-nulls-last').orderBy;
    expect(o.map((x) => [x.descending, x.nullsFirst])).toEqual([[true, false], [false, true]]);
  });

  it('taxi-17/18/19: LIMIT/OFFSET and OFFSET … ROWS FETCH FIRST … ROWS ONLY', () => {
    for (const id of ['taxi-17-limit-offset', 'taxi-18-offset-fetch-first']) {
      const x = q(id);
      expect(x.limit).toMatchObject({ kind: 'literal', literal: { type: 'integer', text: '10' } });
      expect(x.offset).toMatchObject({ kind: 'literal', literal: { type: 'integer', text: '20' } });
    }
    const f = q('taxi-19-fetch-first-only');
    expect(f.limit).toMatchObject({ literal: { text: '10' } });
    expect(f.offset).toBeUndefined();
  });

  it('taxi-21/22: VALUES in FROM with an alias column list, and standalone VALUES', () => {
    const body = q('taxi-21-values-in-from').body;
    if (body.kind !== 'select') throw new Error('not a select');
    const join = body.from[0];
    if (join?.kind !== 'join') throw new Error('not a join');
    expect(join.right).toMatchObject({ kind: 'values', alias: { name: { value: 'p' } } });
    if (join.right.kind !== 'values') return;
    expect(join.right.values.rows).toHaveLength(3);
    expect(join.right.alias?.columns?.map((c) => c.value)).toEqual(['payment_type', 'name']);
    expect(q('taxi-22-values-standalone').body).toMatchObject({ kind: 'values', rows: [[{}, {}], [{}, {}], [{}, {}]] });
  });

  it('taxi-23: quoted identifiers keep case, unquoted ones fold', () => {
    expect(query(q('taxi-23-quoted-identifiers'))).toBe('select "Weird Col", t."Pickup Zone" as "Zone Name", "select" from "Taxi Zones" as t where ("Weird Col" > integer:0)');
    expect(query(q('taxi-24-three-part-names'))).toContain('from [awsdatacatalog.nyc_taxi.yellow_tripdata as y inner join hive.reference.taxi_zone_lookup as z');
  });

  it("taxi-26/27: FROM 'path' is a path, FROM \"path\" is a table name", () => {
    const path = q('taxi-26-bare-quoted-path').body;
    const table = q('taxi-27-double-quoted-path').body;
    if (path.kind !== 'select' || table.kind !== 'select') throw new Error('not selects');
    expect(path.from[0]).toMatchObject({ kind: 'path', path: 's3://my-bucket/yellow/yellow_tripdata_2023-01.parquet' });
    expect(table.from[0]).toMatchObject({ kind: 'table', name: { parts: [{ value: 'gs://my-bucket/green/green_tripdata_2023-01.parquet', quoted: true }] } });
  });

  it('taxi-25: table function', () => {
    const body = q('taxi-25-read-parquet-tvf').body;
    if (body.kind !== 'select') throw new Error('not a select');
    expect(from(body.from[0] ?? fail())).toBe("read_parquet('s3://my-bucket/yellow/2023/*.parquet')");
  });

  it('taxi-28/33: CROSS JOIN is a cross join, not an alias named cross', () => {
    const body = q('taxi-28-unnest-cross-join').body;
    if (body.kind !== 'select') throw new Error('not a select');
    expect(body.from).toHaveLength(1);
    expect(body.from[0]).toMatchObject({ kind: 'join', joinType: 'cross', left: { kind: 'table', alias: { name: { value: 't' } } }, right: { kind: 'unnest' } });
    expect(query(q('taxi-33-joins-using-outer'))).toContain('full join');
    expect(query(q('taxi-33-joins-using-outer'))).toContain('using(pulocationid)');
    expect(query(q('taxi-33-joins-using-outer'))).toContain('cross join {select max(tpep_pickup_datetime) as max_ts from yellow_tripdata} as m]');
  });

  it("taxi-35: LIKE … ESCAPE '\\' keeps the backslash", () => {
    const body = q('taxi-35-like-escape-in-list').body;
    if (body.kind !== 'select' || body.where?.kind !== 'binary' || body.where.left.kind !== 'binary') throw new Error('unexpected shape');
    const like = body.where.left.left;
    expect(like).toMatchObject({ kind: 'like', pattern: { literal: { value: '%\\_%' } }, escape: { literal: { value: '\\' } } });
  });

  it('taxi-37: lambdas', () => {
    expect(query(q('taxi-37-lambda-and-map'))).toContain('transform(tags, (x) -> upper(x)) as upper_tags');
  });

  it('statements the router handles', () => {
    expect(statement(parsed('stmt-03-show-schemas-from'))).toBe("show schemas from awsdatacatalog like 'nyc%'");
    expect(statement(parsed('stmt-05-show-tables-from-like'))).toBe("show tables from nyc_taxi like 'yellow%'");
    expect(statement(parsed('stmt-06-show-columns'))).toBe('show columns from yellow_tripdata');
    expect(statement(parsed('stmt-07-describe'))).toBe('show columns from yellow_tripdata');
    expect(parsed('stmt-09-explain-analyze')).toMatchObject({ kind: 'explain', analyze: true, statement: { kind: 'query' } });
    expect(statement(parsed('stmt-11-ctas-with-props'))).toContain("with (format = 'PARQUET', external_location = 's3://my-bucket/out/monthly/', partitioned_by = array['month']) as select");
    expect(statement(parsed('stmt-24-use-catalog-schema'))).toBe('use awsdatacatalog.nyc_taxi');
    expect(statement(parsed('stmt-26-set-session-catalog-prop'))).toBe('set session hive.parquet_use_column_names = true');
  });
});

function fail(): never {
  throw new Error('missing');
}
