import { describe, expect, it } from 'vitest';
import { lex } from '../../../src/sql/lexer.js';
import { SourceText } from '../../../src/sql/source.js';
import { positionAt } from '../../../src/common/index.js';

const kinds = (sql: string): string[] => lex(sql).tokens.map((t) => `${t.kind}:${t.value}`);

describe('lexer', () => {
  it('reads strings with only the doubled quote as an escape', () => {
    const r = lex(`SELECT 'it''s', '\\t', 'C:\\temp', 'a\\'`);
    expect(r.problems).toEqual([]);
    expect(r.tokens.filter((t) => t.kind === 'string').map((t) => t.value)).toEqual(["it's", '\\t', 'C:\\temp', 'a\\']);
    // Backslashes stay literally in the value: two characters, backslash and t.
    expect(r.tokens[3]?.value).toHaveLength(2);
  });

  it('reads quoted identifiers with "" as the escape and keeps their case', () => {
    const r = lex('SELECT "Weird ""Col""", "select", x FROM "s3://b/x"');
    expect(r.problems).toEqual([]);
    expect(kinds('SELECT "Weird ""Col""", "select", x')).toEqual(['word:SELECT', 'qident:Weird "Col"', 'op:,', 'qident:select', 'op:,', 'word:x']);
    expect(r.tokens.at(-1)).toMatchObject({ kind: 'qident', value: 's3://b/x', text: '"s3://b/x"' });
  });

  it('reads numbers in all their forms', () => {
    expect(kinds('1 1.5 .5 1. 1e3 1.5E-2 12345678901234567890')).toEqual([
      'number:1', 'number:1.5', 'number:.5', 'number:1.', 'number:1e3', 'number:1.5E-2', 'number:12345678901234567890',
    ]);
  });

  it('reads operators, including multi-character ones', () => {
    expect(kinds('a<>b!=c<=d>=e||f::g->h=>i.j')).toEqual([
      'word:a', 'op:<>', 'word:b', 'op:!=', 'word:c', 'op:<=', 'word:d', 'op:>=', 'word:e', 'op:||', 'word:f', 'op:::',
      'word:g', 'op:->', 'word:h', 'op:=>', 'word:i', 'op:.', 'word:j',
    ]);
  });

  it('skips line and block comments but not comment markers inside literals', () => {
    const r = lex("SELECT 1 -- one\n, '--x' /* two ; */, \"/*y*/\" -- end");
    expect(r.problems).toEqual([]);
    expect(r.tokens.map((t) => t.value)).toEqual(['SELECT', '1', ',', '--x', ',', '/*y*/']);
  });

  it('gives offsets that map to line and column, across lines', () => {
    const sql = 'SELECT a,\n  "B"\r\n  FROM t';
    const src = new SourceText(sql);
    const toks = lex(sql).tokens;
    const from = toks.find((t) => t.value === 'FROM');
    expect(from).toBeDefined();
    expect(src.position(from?.start ?? 0)).toEqual(positionAt(sql, from?.start ?? 0));
    expect(src.position(from?.start ?? 0)).toMatchObject({ line: 3, column: 3 });
    const b = toks.find((t) => t.value === 'B');
    expect(src.span(b?.start ?? 0, b?.end ?? 0)).toMatchObject({ start: { line: 2, column: 3 }, end: { line: 2, column: 6 } });
  });

  it('reports an unterminated string at its opening quote', () => {
    const r = lex("SELECT 'abc FROM t");
    expect(r.problems[0]).toMatchObject({ kind: 'unterminated_string', start: 7, message: 'Unterminated string literal' });
    expect(r.openConstruct?.kind).toBe('unterminated_string');
  });

  it('reports unterminated quoted identifiers and block comments', () => {
    expect(lex('SELECT "abc').problems[0]).toMatchObject({ kind: 'unterminated_identifier', start: 7 });
    expect(lex('SELECT 1 /* x').problems[0]).toMatchObject({ kind: 'unterminated_comment', start: 9, message: 'Unterminated block comment' });
  });

  it('reports characters the grammar cannot handle where they are', () => {
    const r = lex('SELECT a ~ b, c ? d, `e`');
    expect(r.problems.map((p) => [p.kind, p.start])).toEqual([
      ['invalid_character', 9],
      ['invalid_character', 16],
      ['invalid_character', 21],
      ['invalid_character', 23],
    ]);
    expect(r.problems[0]?.message).toBe("Unexpected character '~'");
  });

  it('rejects a number run into a name', () => {
    expect(lex('SELECT 12abc').problems[0]).toMatchObject({ kind: 'bad_number', start: 7, end: 12 });
  });

  it('rejects an empty quoted identifier', () => {
    expect(lex('SELECT ""').problems[0]?.kind).toBe('empty_identifier');
  });

  it('accepts Unicode letters in names', () => {
    expect(kinds('SELECT café, 名前')).toEqual(['word:SELECT', 'word:café', 'op:,', 'word:名前']);
  });
});
