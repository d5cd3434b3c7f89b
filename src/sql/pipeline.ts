/**
 * Query and expression parsing over a range of a statement's tokens: nesting check → rewrite → grammar →
 * adapter. Grammar failures become SYNTAX_ERRORs positioned on the user's token, with a hint when the context
 * makes the cause clear; stack exhaustion becomes a clear error instead of a crash.
 */
import { ShoalError } from '../common/index.js';
import type { Expr, Query } from './ast.js';
import { AdaptContext } from './adapter-context.js';
import { adaptExpr } from './adapter-expr.js';
import { adaptQueryRoot } from './adapter-query.js';
import { astify } from './grammar.js';
import { hintFor } from './hints.js';
import { isNode, list } from './node.js';
import { MAX_NESTING, rewriteExpression, rewriteQuery, type RewriteResult } from './rewrite.js';
import { nearMessage, syntaxError } from './syntax-error.js';
import type { Tokens } from './tokens.js';

export function parseQueryTokens(ts: Tokens, from: number, to: number): Query {
  return guarded(ts, from, to, () => {
    const rw = rewriteQuery(ts, from, to);
    return run(ts, from, to, rw, (cx, ast) => adaptQueryRoot(cx, ast));
  });
}

export function parseExprTokens(ts: Tokens, from: number, to: number): Expr {
  return guarded(ts, from, to, () => {
    const rw = rewriteExpression(ts, from, to);
    return run(ts, from, to, rw, (cx, ast) => {
      const root = Array.isArray(ast) ? (ast as readonly unknown[])[0] : ast;
      const cols = isNode(root) ? list(root, 'columns') : [];
      const only = cols[0];
      if (cols.length !== 1 || !isNode(only)) throw syntaxAt(ts, from, to, 'Expected one expression');
      const e = adaptExpr(cx, only['expr']);
      if (only['as'] !== null && only['as'] !== undefined) {
        const k = ts.indexAt(e.span.end.offset);
        throw syntaxAt(ts, k < to ? k : to, to, 'Expected the end of the expression');
      }
      return e;
    });
  });
}

function guarded<T>(ts: Tokens, from: number, to: number, f: () => T): T {
  checkNesting(ts, from, to);
  try {
    return f();
  } catch (e: unknown) {
    if (e instanceof RangeError) {
      throw new ShoalError('STACK_OVERFLOW', 'The statement is nested too deeply to parse', {
        span: ts.spanOf(from, Math.max(from, to - 1)),
        hint: 'Simplify the expression or split the query',
        cause: e,
      });
    }
    throw e;
  }
}

/**
 * Rejects bracket nesting, or CASE … END nesting, deeper than MAX_NESTING before the grammar (or the rewrite,
 * which rescans the rest of the range at each level) can exhaust the stack or take quadratic time.
 */
function checkNesting(ts: Tokens, from: number, to: number): void {
  const base = ts.depth[from] ?? 0;
  let cases = 0;
  for (let k = from; k < to; k++) {
    if ((ts.depth[k] ?? 0) - base > MAX_NESTING) {
      throw new ShoalError('QUERY_REJECTED', `The statement is nested too deeply (more than ${MAX_NESTING} levels of parentheses)`, {
        span: ts.spanOf(k - 1, k - 1),
        hint: 'Simplify the expression or split the query',
      });
    }
    if (ts.isKw(k, 'case')) cases++;
    else if (ts.isKw(k, 'end') && cases > 0) cases--;
    if (cases > MAX_NESTING) {
      throw new ShoalError('QUERY_REJECTED', `The statement is nested too deeply (more than ${MAX_NESTING} levels of CASE)`, {
        span: ts.spanOf(k, k),
        hint: 'Simplify the expression or split the query',
      });
    }
  }
}

function run<T>(ts: Tokens, from: number, to: number, rw: RewriteResult, adapt: (cx: AdaptContext, ast: unknown) => T): T {
  const g = astify(rw.rewritten.text);
  if (!g.ok) {
    if (g.stackOverflow) throw new RangeError('grammar stack overflow');
    throw grammarError(ts, from, to, rw, g.offset);
  }
  const cx = new AdaptContext(ts, rw, (a, b) => parseExprTokens(ts, a, b), (a, b) => parseQueryTokens(ts, a, b));
  return adapt(cx, g.ast);
}

function grammarError(ts: Tokens, from: number, to: number, rw: RewriteResult, offset: number | undefined): ShoalError {
  if (offset === undefined) return syntaxAt(ts, from, to);
  const ot = rw.rewritten.tokenAt(offset);
  if (ot === undefined) return syntaxAt(ts, to, to);
  const k = ts.indexAt(ot.start);
  return syntaxAt(ts, k < to ? Math.max(k, from) : to, to);
}

/**
 * "Syntax error at or near 'X'" on token k of the range ending at `to`. At the end of a range that is not the
 * end of the statement (a subquery, the query of a CREATE … AS) the error is on the token that follows it.
 */
export function syntaxAt(ts: Tokens, k: number, to: number, hint?: string): ShoalError {
  if (k >= to && to < ts.length) {
    k = to;
    to = ts.length;
  }
  const h = hint ?? hintFor(ts, k, to);
  if (k >= to) {
    const end = ts.end(to - 1);
    return syntaxError(ts.src, end, end, nearMessage(undefined), h);
  }
  const t = ts.tok(k);
  if (t === undefined) return syntaxError(ts.src, ts.end(to - 1), ts.end(to - 1), nearMessage(undefined), h);
  return syntaxError(ts.src, t.start, t.end, nearMessage(t.text), h);
}

