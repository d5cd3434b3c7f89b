/**
 * Window frames, parsed from the user's tokens (the rewrite hid them from the grammar, which only accepts
 * integer-literal bounds and glues offset and direction into one string):
 *
 *   {ROWS | RANGE | GROUPS} bound | {ROWS | RANGE | GROUPS} BETWEEN bound AND bound
 *   bound := UNBOUNDED PRECEDING | UNBOUNDED FOLLOWING | CURRENT ROW | expr PRECEDING | expr FOLLOWING
 *
 * Bound expressions (`INTERVAL '1' DAY PRECEDING`, `(1 + 1) PRECEDING`) are parsed as ordinary expressions.
 */
import type { Expr, FrameBound, WindowFrame } from './ast.js';
import type { AdaptContext } from './adapter-context.js';
import { numberLiteral } from './rewrite-literals.js';
import type { FrameEntry } from './tables.js';

const BOUND_HINT = 'A frame bound is UNBOUNDED PRECEDING, n PRECEDING, CURRENT ROW, n FOLLOWING or UNBOUNDED FOLLOWING';

export function parseFrame(cx: AdaptContext, entry: FrameEntry): WindowFrame {
  const ts = cx.ts;
  const { from, to } = entry;
  const unit = ts.kw(from);
  if (unit !== 'rows' && unit !== 'range' && unit !== 'groups') throw cx.bug('frame without a unit');
  const exclude = ts.findTop(from, to, (k) => ts.isKw(k, 'exclude'));
  if (exclude < to) throw cx.unsupported('EXCLUDE in window frames is not supported', ts.spanOf(exclude, to - 1));
  if (ts.isKw(from + 1, 'between')) {
    // The AND that separates the bounds follows PRECEDING, FOLLOWING or ROW.
    const and = ts.findTop(from + 2, to, (k) => ts.isKw(k, 'and') && ts.isKw(k - 1, 'preceding', 'following', 'row'));
    if (and >= to) throw syntaxAt(cx, to, 'Expected BETWEEN bound AND bound');
    const start = bound(cx, from + 2, and);
    const end = bound(cx, and + 1, to);
    return { unit, start, end, span: entry.span };
  }
  return { unit, start: bound(cx, from + 1, to), span: entry.span };
}

function bound(cx: AdaptContext, a: number, b: number): FrameBound {
  const ts = cx.ts;
  if (a >= b) throw syntaxAt(cx, a, BOUND_HINT);
  if (b === a + 2 && ts.isKw(a, 'unbounded') && ts.isKw(a + 1, 'preceding', 'following')) {
    return { kind: ts.kw(a + 1) === 'preceding' ? 'unbounded_preceding' : 'unbounded_following' };
  }
  if (b === a + 2 && ts.isKw(a, 'current') && ts.isKw(a + 1, 'row')) return { kind: 'current_row' };
  const dir = ts.kw(b - 1);
  if ((dir !== 'preceding' && dir !== 'following') || b - 1 <= a) throw syntaxAt(cx, b - 1 > a ? b - 1 : a, BOUND_HINT);
  const offset = offsetExpr(cx, a, b - 1);
  return dir === 'preceding' ? { kind: 'preceding', offset } : { kind: 'following', offset };
}

function offsetExpr(cx: AdaptContext, a: number, b: number): Expr {
  const t = cx.ts.tok(a);
  if (b === a + 1 && t !== undefined && t.kind === 'number') {
    return { kind: 'literal', literal: numberLiteral(t.text), span: cx.ts.spanOf(a, a) };
  }
  return cx.parseExprRange(a, b);
}

function syntaxAt(cx: AdaptContext, i: number, hint: string): never {
  const t = cx.ts.tok(i);
  const span = t === undefined ? undefined : cx.ts.spanOf(i, i);
  throw cx.syntax(t === undefined ? 'Syntax error in window frame' : `Syntax error at or near '${t.text}'`, span, hint);
}
