import { describe, expect, test } from 'vitest';
import { parseScript, substituteParameters } from '../../../src/sql/index.js';
import { errorOfCall } from '../../support/errors.js';

const sub = (sql: string, values: Record<string, string>): string => substituteParameters(sql, new Map(Object.entries(values))).text;

/** The one string literal of `SELECT <literal>`, as the parser sees it. */
function literalOf(sql: string): unknown {
  const [st] = parseScript(sql);
  if (st?.statement.kind !== 'query' || st.statement.query.body.kind !== 'select') throw new Error('not a SELECT');
  const item = st.statement.query.body.items[0];
  if (item?.kind !== 'expr' || item.expr.kind !== 'literal' || item.expr.literal.type !== 'string') throw new Error(`not a string literal: ${sql}`);
  return item.expr.literal.value;
}

describe('${name} parameters', () => {
  test('in SQL code a parameter becomes a quoted varchar literal', () => {
    expect(sub('SELECT * FROM t WHERE d = DATE ${run_date} AND n = CAST(${n} AS integer)', { run_date: '2024-03-01', n: '5' }))
      .toBe("SELECT * FROM t WHERE d = DATE '2024-03-01' AND n = CAST('5' AS integer)");
  });

  test('inside a string literal the value is spliced into the string, which is re-quoted', () => {
    expect(sub("SELECT * FROM read_parquet('data/dt=${run_date}/*.parquet') WHERE d = DATE '${run_date}'", { run_date: '2024-03-01' }))
      .toBe("SELECT * FROM read_parquet('data/dt=2024-03-01/*.parquet') WHERE d = DATE '2024-03-01'");
    expect(sub("SELECT 'it''s ${who}'", { who: "O'Brien" })).toBe("SELECT 'it''s O''Brien'");
  });

  test('injection attempts stay one literal holding exactly the value', () => {
    const evil = "1'; DROP TABLE t; --";
    const code = sub('SELECT ${x}', { x: evil });
    expect(code).toBe("SELECT '1''; DROP TABLE t; --'");
    expect(parseScript(code)).toHaveLength(1);
    expect(literalOf(code)).toBe(evil);
    const inString = sub("SELECT 'v=${x}'", { x: evil });
    expect(parseScript(inString)).toHaveLength(1);
    expect(literalOf(inString)).toBe(`v=${evil}`);
    for (const v of ["'", "''", "\\'", "*/", "\n;DROP TABLE t", '${x}', '"']) {
      expect(literalOf(sub('SELECT ${x}', { x: v }))).toBe(v);
      expect(literalOf(sub("SELECT '${x}'", { x: v }))).toBe(v);
    }
  });

  test('comments and quoted identifiers are not substituted; $${ writes a literal ${ in a string', () => {
    const sql = '-- for ${run_date}\n/* ${run_date} */ SELECT 1 AS "${run_date}", \'$${run_date}\'';
    const r = substituteParameters(sql, new Map([['run_date', '2024-03-01']]));
    expect(r.text).toBe('-- for ${run_date}\n/* ${run_date} */ SELECT 1 AS "${run_date}", \'${run_date}\'');
    expect(r.used.size).toBe(0);
  });

  test('a missing parameter is named with its line and column and a hint; all missing ones are listed', () => {
    const e = errorOfCall(() => substituteParameters('SELECT 1;\nSELECT ${a}, ${b}, ${a}', new Map([['c', '1']])));
    expect(e.code).toBe('INVALID_PARAMETER_USAGE');
    expect(e.message).toBe("No value for parameter 'a' (also missing: b)");
    expect(e.span?.start).toMatchObject({ line: 2, column: 8 });
    expect(e.span?.end).toMatchObject({ line: 2, column: 12 });
    expect(e.hint).toBe('Pass --param a=VALUE --param b=VALUE; given: c');
  });

  test('a missing parameter inside a string is found too', () => {
    const e = errorOfCall(() => substituteParameters("SELECT 'x ${a}'", new Map()));
    expect(e.span?.start.column).toBe(11);
  });

  test('a malformed parameter is an error at its position', () => {
    for (const [sql, column] of [['SELECT ${ a }', 8], ['SELECT ${1a}', 8], ["SELECT 'p${a'", 10], ['SELECT ${a', 8]] as const) {
      const e = errorOfCall(() => substituteParameters(sql, new Map([['a', '1']])));
      expect(e.code).toBe('INVALID_PARAMETER_USAGE');
      expect(e.message).toMatch(/^Malformed parameter/);
      expect(e.span?.start.column).toBe(column);
    }
  });

  test('used names are reported, so the caller can warn about unused ones', () => {
    const r = substituteParameters("SELECT ${a}, '${b}'", new Map([['a', '1'], ['b', '2'], ['c', '3']]));
    expect([...r.used].sort()).toEqual(['a', 'b']);
  });

  test('spans in the substituted text map back to the job file', () => {
    const script = "SELECT ${long_name},\n  nosuch, '${p}' AS s\nFROM t";
    const r = substituteParameters(script, new Map([['long_name', 'a much longer value than the name'], ['p', 'x']]));
    const at = r.text.indexOf('nosuch');
    const span = { start: { offset: at, line: 2, column: 3 }, end: { offset: at + 6, line: 2, column: 9 } };
    const mapped = r.originalSpan(span);
    expect(script.slice(mapped.start.offset, mapped.end.offset)).toBe('nosuch');
    expect(mapped.start).toMatchObject({ line: 2, column: 3 });
    // A span inside a substituted literal covers the whole ${…} it came from.
    const lit = r.text.indexOf("'a much");
    const inLit = r.originalSpan({ start: { offset: lit + 3, line: 1, column: 1 }, end: { offset: lit + 5, line: 1, column: 1 } });
    expect(script.slice(inLit.start.offset, inLit.end.offset)).toBe('${long_name}');
    const from = r.text.indexOf('FROM');
    expect(r.originalSpan({ start: { offset: from, line: 3, column: 1 }, end: { offset: from + 4, line: 3, column: 5 } }).start).toMatchObject({ line: 3, column: 1, offset: script.indexOf('FROM') });
  });

  test('without parameters the text is unchanged', () => {
    const sql = "SELECT 'a$b', x$y FROM t";
    expect(sub(sql, {})).toBe(sql);
  });
});
