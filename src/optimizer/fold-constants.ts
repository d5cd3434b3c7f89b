import { BOOLEAN } from '../types/index.js';
import { and, evaluateConstant, isConstant, literal, or, transformUp, type EvalContext, type Expr } from '../expr/index.js';
import { inputsOf, mapNodeExprs, withInputs, type LogicalPlan } from '../plan/index.js';
import type { OptimizerRule } from './rule.js';

/**
 * Evaluates constant subexpressions once at planning time and simplifies boolean logic around constants
 * (x AND true → x, x OR true → true). A constant that fails to evaluate (1/0 inside a CASE branch) is left for
 * run time, where lazy evaluation may never reach it. Filters that are constantly true disappear.
 */
export const foldConstants: OptimizerRule = {
  name: 'fold_constants',
  apply(plan, ctx) {
    return foldPlan(plan, ctx.evalCtx);
  },
};

function foldPlan(p: LogicalPlan, ctx: EvalContext): LogicalPlan {
  const inputs = inputsOf(p).map((i) => foldPlan(i, ctx));
  let node = mapNodeExprs(withInputs(p, inputs), (e) => foldExpr(e, ctx));
  if (node.kind === 'filter' && node.predicate.kind === 'literal' && node.predicate.value === true) node = node.input;
  return node;
}

export function foldExpr(e: Expr, ctx: EvalContext): Expr {
  return transformUp(e, (x) => {
    if (x.kind === 'and' || x.kind === 'or') return x.args.some((a) => a.kind === 'literal') ? simplifyLogic(x.kind, x.args) : x;
    if (x.kind === 'literal' || x.kind === 'column' || !isConstant(x)) return x;
    try {
      return literal(evaluateConstant(x, ctx), x.type, x.span);
    } catch {
      return x;
    }
  });
}

function simplifyLogic(kind: 'and' | 'or', args: readonly Expr[]): Expr {
  const absorbing = kind === 'or'; // true absorbs OR, false absorbs AND
  const kept: Expr[] = [];
  let sawNull = false;
  for (const a of args) {
    if (a.kind === 'literal') {
      if (a.value === absorbing) return literal(absorbing, BOOLEAN);
      if (a.value === null) sawNull = true;
      continue; // the identity element
    }
    kept.push(a);
  }
  if (sawNull) kept.push(literal(null, BOOLEAN));
  if (kept.length === 0) return literal(!absorbing, BOOLEAN);
  return kind === 'and' ? and(kept) : or(kept);
}
