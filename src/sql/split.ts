/**
 * Splitting a script into statements on `;` tokens: the lexer already knows strings, quoted identifiers and
 * comments, so a `;` inside them never splits. Empty statements (`;;`, comment-only text) are skipped.
 */
import type { LexProblem, LexResult, Token } from './lexer.js';

export interface RawStatement {
  readonly tokens: readonly Token[];
  /** Offset of the terminating `;`, or undefined for the last statement without one. */
  readonly terminator: number | undefined;
  /** Lexer problems that belong to this statement (before its `;`, or anywhere after for the last one). */
  readonly problems: readonly LexProblem[];
}

export function splitLexed(lexed: LexResult): RawStatement[] {
  const out: RawStatement[] = [];
  let current: Token[] = [];
  let from = 0;
  const problemsIn = (a: number, b: number): LexProblem[] => lexed.problems.filter((p) => p.start >= a && p.start < b);
  for (const t of lexed.tokens) {
    if (t.kind === 'op' && t.text === ';') {
      if (current.length > 0) out.push({ tokens: current, terminator: t.start, problems: problemsIn(from, t.start) });
      current = [];
      from = t.end;
      continue;
    }
    current.push(t);
  }
  const rest = problemsIn(from, Infinity);
  if (current.length > 0 || rest.length > 0) out.push({ tokens: current, terminator: undefined, problems: rest });
  return out;
}
