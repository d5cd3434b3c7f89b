/** Syntax errors: message, position (never node-sql-parser's raw text), hints; and the nesting guards. */
import { describe, expect, it } from 'vitest';
import { ShoalError, formatError } from '../../../src/common/index.js';
import { parseScript, parseStatement } from '../../../src/sql/index.js';

function error(run: () => unknown): ShoalError {
  try {
    run();
  } catch (e) {
    if (e instanceof ShoalError) return e;
    throw e;
  }
  throw new Error('no error');
}
const err = (sql: string): ShoalError => error(() => parseStatement(sql));

/** [message, line:column, text under the span, hint substring] */
function summary(sql: string, e: ShoalError): [string, string, string, string | undefined] {
  const s = e.span;
  return [e.message, s === undefined ? '-' : `${s.start.line}:${s.start.column}`, s === undefined ? '' : sql.slice(s.start.offset, s.end.offset), e.hint];
}

describe('syntax errors', () => {
  it.each([
    ['SELECT a, FROM t', 'FROM', 'trailing comma'],
    ['SELECT FROM t', 'FROM', 'select list is empty'],
    ['SELECT * FROM WHERE x = 1', 'WHERE', 'after FROM'],
    ['SELECT a b c FROM t', 'c', 'Missing comma'],
    ['SELEC * FROM t', 'SELEC', 'A statement starts with'],
    ['SELECT order FROM t', 'order', 'reserved word'],
    ['SELECT a FROM t WHERE x == 1', '=', 'Use ='],
    ['SELECT f(a,) FROM t', ')', 'trailing comma'],
    ['SELECT count(*) FROM t LIMIT x', 'x', 'LIMIT n'],
    ['SELECT CAST(a) FROM t', ')', 'CAST(value AS type)'],
    ['SELECT x -> x FROM t', '->', 'lambda'],
    ['SELECT a FROM t t2 t3', 't3', undefined],
  ])('%s', (sql, near, hint) => {
    const e = err(sql);
    expect(e.code).toBe('SYNTAX_ERROR');
    const [message, , text, h] = summary(sql, e);
    expect(message).toBe(`Syntax error at or near '${near}'`);
    expect(text).toBe(near);
    if (hint !== undefined) expect(h).toContain(hint);
  });

  it('reports the end of input', () => {
    const sql = 'SELECT * FROM t WHERE';
    const e = err(sql);
    expect(summary(sql, e)).toEqual(['Syntax error at end of input', '1:22', '', 'Expected a condition after WHERE']);
    expect(err('SELECT 1 +').hint).toContain('incomplete');
  });

  it('never shows node-sql-parser messages', () => {
    for (const sql of ['SELECT a FROM t WHERE a IN ()', 'SELECT 1 2 3', 'SELECT * FROM t GROUP x', 'SELECT (1 +) FROM t', 'SELECT a FROM t WHERE x BETWEEN 1', 'SELECT CASE WHEN END']) {
      const e = err(sql);
      expect(e.code).toBe('SYNTAX_ERROR');
      expect(e.message).toMatch(/^Syntax error|^CASE/);
      expect(e.message).not.toMatch(/Expected .* but/);
      expect(e.span).toBeDefined();
    }
  });

  it('positions errors in multi-line statements', () => {
    const sql = 'SELECT a,\n       b\nFROM t\nWHERE a =\nGROUP BY 1';
    const e = err(sql);
    expect(summary(sql, e).slice(0, 3)).toEqual(["Syntax error at or near 'GROUP'", '5:1', 'GROUP']);
    expect(formatError(e, sql)).toBe("line 5:1: Syntax error at or near 'GROUP'. The expression is incomplete after '='\nGROUP BY 1\n^~~~~");
  });

  it('positions errors in a statement that is not the first of a script', () => {
    const sql = 'SELECT 1;\nSELECT 2;\n  SELECT x FROM t WHERE (a = 1';
    const e = error(() => parseScript(sql));
    expect(e.message).toBe('Syntax error at end of input');
    expect(e.span?.start).toMatchObject({ line: 3, column: 31, offset: sql.length });
    expect(e.hint).toContain("the '(' at line 3, column 25 is never closed");
    const e2 = error(() => parseScript('SELECT 1;\nSELECT a FROM t;\nSELECT a,, b'));
    expect(e2.span?.start).toMatchObject({ line: 3, column: 10 });
  });

  it('reports lexer problems at the opening character', () => {
    expect(summary("SELECT 'abc FROM t", err("SELECT 'abc FROM t")).slice(0, 3)).toEqual(['Unterminated string literal', '1:8', "'"]);
    expect(err('SELECT "abc').message).toBe('Unterminated quoted identifier');
    expect(err('SELECT 1 /* x').message).toBe('Unterminated block comment');
    expect(summary('SELECT a ~ b', err('SELECT a ~ b')).slice(0, 3)).toEqual(["Unexpected character '~'", '1:10', '~']);
    expect(err('SELECT a FROM t)').hint).toContain('Unbalanced');
  });

  it('rejects a comma in WHERE (the grammar would read a list there)', () => {
    const sql = 'SELECT a FROM t WHERE b = 1, c = 2';
    expect(summary(sql, err(sql)).slice(0, 1)).toEqual(['Syntax error: a comma is not allowed in WHERE']);
  });

  it('requires a join condition except for CROSS JOIN', () => {
    expect(err('SELECT a FROM t JOIN u').message).toBe('JOIN requires an ON or USING clause');
  });
});

// Timing is never asserted (DESIGN.md §8): the depths here would take years if parsing were exponential again,
// so a regression shows as a test hitting this timeout, not as a flaky time bound.
const HANG_GUARD_MS = 30_000;

describe('nesting guards', () => {

  it('parses left-nested parenthesised AND/OR chains in bounded time', () => {
    // Plain node-sql-parser: 7.8 s at depth 20, doubling per level. The rewrite makes this linear.
    let e = 'a0 = 1';
    for (let i = 1; i <= 60; i++) e = `(${e}) ${i % 2 === 0 ? 'AND' : 'OR'} a${i} = ${i}`;
    expect(parseStatement(`SELECT 1 FROM t WHERE ${e}`).kind).toBe('query');
  }, HANG_GUARD_MS);

  it('parses nested CASTs of boolean expressions and nested scalar subqueries in bounded time', () => {
    let c = 'a0';
    for (let i = 1; i <= 40; i++) c = `CAST(${c} AND b AS VARCHAR) = a${i}`;
    let s = '1';
    for (let i = 1; i <= 40; i++) s = `(SELECT ${s})`;
    expect(parseStatement(`SELECT ${c}`).kind).toBe('query');
    expect(parseStatement(`SELECT ${s}`).kind).toBe('query');
  }, HANG_GUARD_MS);

  it('rejects too deep nesting with QUERY_REJECTED and a hint', () => {
    const e = err(`SELECT ${'('.repeat(500)}1${')'.repeat(500)}`);
    expect(e.code).toBe('QUERY_REJECTED');
    expect(e.hint).toContain('Simplify');
    expect(e.span).toBeDefined();
    let c = 'x';
    for (let i = 0; i < 300; i++) c = `CASE WHEN ${c} THEN 1 END = 1`;
    expect(err(`SELECT ${c}`).code).toBe('QUERY_REJECTED');
    expect(err(`SELECT ${'NOT '.repeat(1000)} a`).code).toBe('QUERY_REJECTED');
  });

  it('turns stack exhaustion into a ShoalError', () => {
    const e = err(`SELECT ${'- '.repeat(20000)} a`);
    expect(['STACK_OVERFLOW', 'QUERY_REJECTED']).toContain(e.code);
  }, HANG_GUARD_MS);

  it('handles long flat chains and lists', () => {
    parseStatement(`SELECT 1 FROM t WHERE ${Array.from({ length: 2000 }, (_, i) => `a = ${i}`).join(' OR ')}`);
    parseStatement(`SELECT 1 FROM t WHERE a IN (${Array.from({ length: 5000 }, (_, i) => i).join(', ')})`);
  }, HANG_GUARD_MS);
});
