/** splitStatements: the REPL's view of a script as typed so far. It never throws. */
import { describe, expect, it } from 'vitest';
import { splitStatements } from '../../../src/sql/index.js';

const split = (sql: string): [string, boolean][] => splitStatements(sql).map((s) => [s.text, s.terminated]);

describe('splitStatements', () => {
  it('splits on ; and says whether the last statement is terminated', () => {
    expect(split('SELECT 1; SELECT 2;')).toEqual([['SELECT 1', true], ['SELECT 2', true]]);
    expect(split('SELECT 1; SELECT 2')).toEqual([['SELECT 1', true], ['SELECT 2', false]]);
    expect(split('SELECT 1;\n')).toEqual([['SELECT 1', true]]);
  });

  it('does not split inside strings, quoted identifiers or comments', () => {
    expect(split("SELECT ';', \"a;b\" -- c;\n/* ; */ FROM t;")).toEqual([["SELECT ';', \"a;b\" -- c;\n/* ; */ FROM t", true]]);
  });

  it('treats an open string, identifier or block comment as incomplete', () => {
    expect(split("SELECT 'abc;")).toEqual([["SELECT 'abc;", false]]);
    expect(split('SELECT "abc;')).toEqual([['SELECT "abc;', false]]);
    expect(split('SELECT 1; /* still typing;')).toEqual([['SELECT 1', true], ['/* still typing;', false]]);
    expect(split("SELECT 1;\nSELECT 'it''s")).toEqual([['SELECT 1', true], ["SELECT 'it''s", false]]);
  });

  it('skips empty statements and comment-only text', () => {
    expect(split(';;  ; -- nothing\n')).toEqual([]);
    expect(split('')).toEqual([]);
  });

  it('never throws, even on text that does not lex', () => {
    expect(split('SELECT ~ ` ?; SELECT 12abc')).toEqual([['SELECT ~ ` ?', true], ['SELECT 12abc', false]]);
  });

  it('gives spans in script coordinates', () => {
    const sql = 'SELECT 1;\n  SELECT\n  2';
    const [, second] = splitStatements(sql);
    expect(second?.span.start).toMatchObject({ offset: 12, line: 2, column: 3 });
    expect(second?.span.end).toMatchObject({ offset: sql.length, line: 3, column: 4 });
  });
});
