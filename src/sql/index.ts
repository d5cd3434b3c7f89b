/**
 * Shoal's SQL front end (Trino's dialect). The only module that sees node-sql-parser; everything it returns is
 * Shoal's own AST (ast.ts) with spans in coordinates of the text passed in.
 */
import { ShoalError, type SourceSpan } from '../common/index.js';
import type { ParsedStatement, Statement } from './ast.js';
import { lex } from './lexer.js';
import { routeStatement } from './router.js';
import { SourceText } from './source.js';
import { splitLexed, type RawStatement } from './split.js';
import { syntaxError } from './syntax-error.js';
import { Tokens } from './tokens.js';

export * from './ast.js';
export { substituteParameters, sqlStringLiteral, PARAMETER_NAME, type ParameterSubstitution } from './parameters.js';

/**
 * Splits a script on `;` (respecting strings, quoted identifiers and comments) and parses every statement.
 * Spans are in coordinates of `sql`. Empty statements are skipped. Throws a ShoalError (SYNTAX_ERROR with a
 * span, or NOT_SUPPORTED / QUERY_REJECTED) for the first statement that fails.
 */
export function parseScript(sql: string): ParsedStatement[] {
  const src = new SourceText(sql);
  return splitLexed(lex(sql)).map((raw) => parseRaw(src, raw));
}

/** Exactly one statement (a trailing `;` is fine); more than one, or none, is a SYNTAX_ERROR. */
export function parseStatement(sql: string): Statement {
  const src = new SourceText(sql);
  const raws = splitLexed(lex(sql));
  const first = raws[0];
  if (first === undefined) throw syntaxError(src, sql.length, sql.length, 'Empty statement', 'Expected a SQL statement');
  const second = raws[1];
  if (second !== undefined) {
    const t = second.tokens[0];
    const start = t?.start ?? second.problems[0]?.start ?? 0;
    throw syntaxError(src, start, t?.end ?? start, 'Expected one statement but found more than one', 'Run one statement at a time');
  }
  return parseRaw(src, first).statement;
}

/**
 * For the REPL: the statements of `sql` with their text and span, and whether each is terminated by `;`.
 * A statement is incomplete while inside a string, quoted identifier or block comment, or before its `;`.
 * Never throws.
 */
export function splitStatements(sql: string): { text: string; span: SourceSpan; terminated: boolean }[] {
  const src = new SourceText(sql);
  const lexed = lex(sql);
  const out: { text: string; span: SourceSpan; terminated: boolean }[] = [];
  for (const raw of splitLexed(lexed)) {
    const first = raw.tokens[0];
    const last = raw.tokens[raw.tokens.length - 1];
    const open = raw.terminator === undefined ? lexed.openConstruct : undefined;
    const start = Math.min(first?.start ?? Infinity, open?.start ?? Infinity);
    const end = open !== undefined ? sql.length : (last?.end ?? start);
    if (!Number.isFinite(start)) continue;
    out.push({ text: sql.slice(start, end), span: src.span(start, end), terminated: raw.terminator !== undefined });
  }
  return out;
}

function parseRaw(src: SourceText, raw: RawStatement): ParsedStatement {
  const problem = raw.problems[0];
  if (problem !== undefined) throw syntaxError(src, problem.start, problem.end, problem.message, problem.hint);
  const first = raw.tokens[0];
  const last = raw.tokens[raw.tokens.length - 1];
  if (first === undefined || last === undefined) throw new ShoalError('SYNTAX_ERROR', 'Empty statement', { span: src.span(0, 0) });
  const ts = Tokens.create(src, raw.tokens);
  const statement = routeStatement(ts, 0, ts.length);
  return { statement, text: src.slice(first.start, last.end), span: src.span(first.start, last.end) };
}
