/** Statements parsed by the router (catalog, session, DDL, DML) and the public entry points. */
import { describe, expect, it } from 'vitest';
import { ShoalError } from '../../../src/common/index.js';
import { parseScript, parseStatement, type Statement } from '../../../src/sql/index.js';
import { checkSpans, statement } from './ast-print.js';

function st(sql: string): Statement {
  const s = parseStatement(sql);
  expect(checkSpans(sql, s, s.span)).toEqual([]);
  return s;
}
const p = (sql: string): string => statement(st(sql));

function error(sql: string): ShoalError {
  try {
    parseStatement(sql);
  } catch (e) {
    if (e instanceof ShoalError) return e;
    throw e;
  }
  throw new Error(`no error for ${sql}`);
}

describe('catalog and session statements', () => {
  it.each([
    ['SHOW CATALOGS', 'show catalogs'],
    ["SHOW CATALOGS LIKE 'l%'", "show catalogs like 'l%'"],
    ['SHOW SCHEMAS', 'show schemas'],
    ["SHOW SCHEMAS IN lake LIKE 'n%'", "show schemas from lake like 'n%'"],
    ['SHOW TABLES', 'show tables'],
    ["SHOW TABLES FROM lake.nyc LIKE 'y%'", "show tables from lake.nyc like 'y%'"],
    ['SHOW COLUMNS IN lake.nyc.trips', 'show columns from lake.nyc.trips'],
    ['DESCRIBE trips', 'show columns from trips'],
    ['DESC "My Table"', 'show columns from "My Table"'],
    ["SHOW FUNCTIONS LIKE 'date%'", "show functions like 'date%'"],
    ['SHOW CREATE TABLE a.b.c', 'show create table a.b.c'],
    ['USE nyc', 'use nyc'],
    ['USE lake.nyc', 'use lake.nyc'],
    ["SET SESSION query_max_run_time = '10m'", "set session query_max_run_time = '10m'"],
    ['SET SESSION lake.x = 10 * 2', 'set session lake.x = (integer:10 * integer:2)'],
    ['RESET SESSION hive.y', 'reset session hive.y'],
  ])('%s', (sql, want) => {
    expect(p(sql)).toBe(want);
  });

  it('reads USE into catalog and schema', () => {
    expect(st('USE lake.nyc')).toMatchObject({ kind: 'use', catalog: { value: 'lake' }, schema: { value: 'nyc' } });
    const plain = st('USE nyc');
    expect(plain).toMatchObject({ kind: 'use', schema: { value: 'nyc' } });
    expect(plain.kind === 'use' ? plain.catalog : 'x').toBeUndefined();
  });

  it('reads EXPLAIN with ANALYZE and options', () => {
    expect(st('EXPLAIN (TYPE LOGICAL, FORMAT JSON) SELECT 1')).toMatchObject({
      kind: 'explain',
      analyze: false,
      options: [{ name: 'type', value: 'logical' }, { name: 'format', value: 'json' }],
      statement: { kind: 'query' },
    });
    expect(st('EXPLAIN ANALYZE SELECT 1')).toMatchObject({ kind: 'explain', analyze: true, options: [] });
    expect(st('EXPLAIN (SELECT 1)')).toMatchObject({ kind: 'explain', options: [], statement: { kind: 'query' } });
    expect(st('EXPLAIN SHOW TABLES')).toMatchObject({ statement: { kind: 'show_tables' } });
  });
});

describe('DDL and DML', () => {
  it('reads CREATE TABLE with columns, comments and properties', () => {
    const s = st("CREATE TABLE IF NOT EXISTS lake.nyc.t (id BIGINT NOT NULL COMMENT 'the id', name VARCHAR(32), amount DECIMAL(10, 2), ts timestamp(6) with time zone) COMMENT 'tbl' WITH (format = 'PARQUET', partitioned_by = ARRAY['month'])");
    expect(statement(s)).toBe(
      "create table if not exists lake.nyc.t (id bigint not null comment 'the id', name varchar(32), amount decimal(10,2), ts timestamp(6) with time zone) comment 'tbl' with (format = 'PARQUET', partitioned_by = array['month'])",
    );
  });

  it('reads CREATE TABLE AS with column names, properties and WITH [NO] DATA', () => {
    expect(st("CREATE TABLE t (a, b) WITH (format = 'CSV') AS SELECT 1, 2 WITH NO DATA")).toMatchObject({
      kind: 'create_table_as',
      columns: [{ value: 'a' }, { value: 'b' }],
      properties: [{ name: { value: 'format' } }],
      withData: false,
    });
    expect(st('CREATE TABLE t AS (SELECT 1) WITH DATA')).toMatchObject({ kind: 'create_table_as', withData: true, columns: undefined });
  });

  it('keeps the text of a view query exactly as written', () => {
    const sql = 'CREATE OR REPLACE VIEW v AS  SELECT a -- the a\n FROM t ';
    const s = st(sql);
    expect(s).toMatchObject({ kind: 'create_view', orReplace: true, queryText: 'SELECT a -- the a\n FROM t' });
  });

  it('reads DROP and INSERT', () => {
    expect(p('DROP TABLE IF EXISTS a.b')).toBe('drop table if exists a.b');
    expect(p('DROP VIEW v')).toBe('drop view v');
    expect(p('INSERT INTO t (a, b) VALUES (1, 2), (3, 4)')).toBe('insert into t(a, b) values (integer:1, integer:2), (integer:3, integer:4)');
    expect(p('INSERT INTO t (SELECT 1)')).toBe('insert into t select integer:1');
    expect(p('INSERT INTO t SELECT * FROM u')).toBe('insert into t select * from u');
  });

  it('reads UNLOAD (query) TO location WITH (properties)', () => {
    expect(p("UNLOAD (SELECT a, b FROM t WHERE a > 1) TO 'out/run-1/' WITH (format = 'PARQUET', partitioned_by = ARRAY['b'])"))
      .toBe("unload (select a, b from t where (a > integer:1)) to 'out/run-1/' with (format = 'PARQUET', partitioned_by = array['b'])");
    expect(st("UNLOAD (SELECT 1) TO 's3://bucket/p/'")).toMatchObject({ kind: 'unload', location: 's3://bucket/p/', properties: [] });
    expect(error("UNLOAD SELECT 1 TO 'x'").describe()).toMatch(/Expected UNLOAD \(query\) TO 'location'/);
    expect(error("UNLOAD (SELECT 1) 'x'").describe()).toMatch(/Expected TO 'location'/);
    expect(error('UNLOAD (SELECT 1) TO x').describe()).toMatch(/Expected a location string/);
  });

  it('rejects what Shoal does not support, with a span', () => {
    for (const [sql, msg] of [
      ['CREATE EXTERNAL TABLE t (a INT) LOCATION \'x\'', 'CREATE EXTERNAL TABLE is not supported'],
      ['UPDATE t SET a = 1', 'UPDATE statements are not supported'],
      ['SHOW PARTITIONS t', 'SHOW PARTITIONS is not supported'],
      ['SELECT * FROM t WHERE a = ANY (SELECT 1)', 'Quantified comparisons (ANY (subquery)) are not supported'],
      ['SELECT a FROM t FETCH FIRST 1 ROWS WITH TIES', 'FETCH ... WITH TIES is not supported'],
    ] as const) {
      const e = error(sql);
      expect(e.code).toBe('NOT_SUPPORTED');
      expect(e.message).toBe(msg);
      expect(e.span).toBeDefined();
    }
  });
});

describe('scripts', () => {
  it('splits on ; outside strings, identifiers and comments, with spans in script coordinates', () => {
    const sql = "SELECT ';' AS \"a;b\"; -- c;\n/* d; */ SELECT 2;\n\n;SHOW TABLES";
    const stmts = parseScript(sql);
    expect(stmts.map((s) => s.text)).toEqual(['SELECT \';\' AS "a;b"', 'SELECT 2', 'SHOW TABLES']);
    const second = stmts[1];
    expect(second?.span.start).toMatchObject({ offset: sql.indexOf('SELECT 2'), line: 2, column: 10 });
    const stmt = second?.statement;
    if (stmt?.kind !== 'query' || stmt.query.body.kind !== 'select') throw new Error('unexpected');
    const item = stmt.query.body.items[0];
    expect(item?.span.start).toMatchObject({ offset: sql.indexOf('2;'), line: 2, column: 17 });
  });

  it('skips empty statements and accepts a trailing semicolon in parseStatement', () => {
    expect(parseScript(';; ;')).toEqual([]);
    expect(parseStatement('SELECT 1;').kind).toBe('query');
    expect(parseStatement('SELECT 1;;  -- done').kind).toBe('query');
  });

  it('parseStatement rejects none or several statements', () => {
    expect(error('').code).toBe('SYNTAX_ERROR');
    expect(error('-- nothing').message).toBe('Empty statement');
    const e = error('SELECT 1; SELECT 2');
    expect(e.code).toBe('SYNTAX_ERROR');
    expect(e.span?.start.offset).toBe(10);
  });
});
