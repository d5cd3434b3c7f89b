/**
 * Short hints for the usual causes of a syntax error, from the tokens around it. A hint names a likely fix;
 * when nothing is clear, there is none (a wrong hint is worse than no hint).
 */
import { RESERVED } from './keywords.js';
import type { Tokens } from './tokens.js';

const CLAUSE_WORDS = ['from', 'where', 'group', 'having', 'order', 'limit', 'union', 'intersect', 'except', 'window', 'on', 'join'];

/** A short hint for the usual causes of a syntax error at token k. */
export function hintFor(ts: Tokens, k: number, to: number): string | undefined {
  const prev = ts.tok(k - 1);
  if (k >= to) {
    if (prev === undefined) return undefined;
    if (ts.isOp(k - 1, ',')) return 'Remove the trailing comma';
    if (prev.kind === 'op' && prev.text !== ')' && prev.text !== ']' && prev.text !== '*') return `The statement ends after '${prev.text}'; it is incomplete`;
    if (ts.isKw(k - 1, 'from', 'join')) return 'Expected a table after ' + prev.text.toUpperCase();
    if (ts.isKw(k - 1, 'select', 'where', 'and', 'or', 'not', 'by', 'having', 'on', 'when', 'then', 'else', 'as', 'in')) return `The statement ends after '${prev.text}'; it is incomplete`;
    return undefined;
  }
  const t = ts.tok(k);
  if (t === undefined) return undefined;
  const w = ts.kw(k);
  if (ts.isOp(k - 1, ',') && (CLAUSE_WORDS.includes(w) || ts.isOp(k, ')'))) return `Remove the trailing comma before '${t.text}'`;
  if (w === 'from' && ts.isKw(k - 1, 'select', 'distinct')) return 'The select list is empty';
  if (ts.isKw(k - 1, 'from', 'join') && (CLAUSE_WORDS.includes(w) || t.kind === 'op')) return `Expected a table after ${prev?.text.toUpperCase() ?? 'FROM'}`;
  if (t.kind === 'qident') return 'Use single quotes for strings; double quotes are identifiers';
  if (ts.isOp(k, '=') && ts.isOp(k - 1, '=')) return 'Use = (not ==) to compare';
  if (RESERVED.has(w) && (ts.isOp(k - 1, ',') || ts.isOp(k - 1, '.') || ts.isKw(k - 1, 'select'))) {
    return `'${t.text}' is a reserved word; write "${t.text}" to use it as a name`;
  }
  if (ts.isKw(k - 1, 'where', 'and', 'or', 'on', 'having') && CLAUSE_WORDS.includes(w)) return `Expected a condition after ${prev?.text.toUpperCase() ?? ''}`;
  if (ts.isName(k) && ts.isName(k - 1) && ts.isName(k - 2) && !RESERVED.has(ts.kw(k - 1)) && !RESERVED.has(ts.kw(k - 2))) return 'Missing comma between expressions?';
  return undefined;
}
