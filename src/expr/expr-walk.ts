import { assertNever } from '../common/index.js';
import type { Expr } from './expr.js';

/** Direct children of an expression, in evaluation order. */
export function children(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'column':
    case 'literal':
      return [];
    case 'compare':
    case 'arith':
      return [e.left, e.right];
    case 'negate':
    case 'not':
    case 'is_null':
    case 'cast':
    case 'try':
      return [e.operand];
    case 'and':
    case 'or':
    case 'coalesce':
    case 'call':
      return e.args;
    case 'in_list':
      return [e.operand, ...e.list];
    case 'case':
      return [...e.whens.flatMap((w) => [w.when, w.then]), ...(e.else === undefined ? [] : [e.else])];
    case 'like':
      return [e.operand, e.pattern];
    default:
      return assertNever(e, 'expression');
  }
}

/**
 * Rebuilds `e` with each child replaced by `f(child)`; returns `e` itself when no child changed, so rules can
 * detect "nothing changed" by identity.
 */
export function mapChildren(e: Expr, f: (c: Expr) => Expr): Expr {
  switch (e.kind) {
    case 'column':
    case 'literal':
      return e;
    case 'compare':
    case 'arith': {
      const l = f(e.left), r = f(e.right);
      return l === e.left && r === e.right ? e : { ...e, left: l, right: r };
    }
    case 'negate':
    case 'not':
    case 'is_null':
    case 'cast':
    case 'try': {
      const o = f(e.operand);
      return o === e.operand ? e : { ...e, operand: o };
    }
    case 'and':
    case 'or':
    case 'coalesce':
    case 'call': {
      const args = mapList(e.args, f);
      return args === e.args ? e : { ...e, args };
    }
    case 'in_list': {
      const o = f(e.operand);
      const list = mapList(e.list, f);
      return o === e.operand && list === e.list ? e : { ...e, operand: o, list };
    }
    case 'case': {
      let changed = false;
      const whens = e.whens.map((w) => {
        const when = f(w.when), then = f(w.then);
        if (when !== w.when || then !== w.then) changed = true;
        return when === w.when && then === w.then ? w : { when, then };
      });
      const els = e.else === undefined ? undefined : f(e.else);
      if (els !== e.else) changed = true;
      return changed ? { ...e, whens, else: els } : e;
    }
    case 'like': {
      const o = f(e.operand), p = f(e.pattern);
      return o === e.operand && p === e.pattern ? e : { ...e, operand: o, pattern: p };
    }
    default:
      return assertNever(e, 'expression');
  }
}

function mapList(list: readonly Expr[], f: (c: Expr) => Expr): readonly Expr[] {
  let out: Expr[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    const n = f(c);
    if (n !== c && out === undefined) out = list.slice(0, i);
    if (out !== undefined) out.push(n);
  }
  return out ?? list;
}

/** Bottom-up rewrite: children first, then `f` on the rebuilt node. */
export function transformUp(e: Expr, f: (e: Expr) => Expr): Expr {
  return f(mapChildren(e, (c) => transformUp(c, f)));
}

/** Every symbol id the expression reads. */
export function referencedIds(e: Expr, into: Set<number> = new Set()): Set<number> {
  if (e.kind === 'column') into.add(e.id);
  else for (const c of children(e)) referencedIds(c, into);
  return into;
}

export function isConstant(e: Expr): boolean {
  if (e.kind === 'column') return false;
  if (e.kind === 'call' && !e.resolved.deterministic) return false;
  return children(e).every(isConstant);
}

/** Substitutes column references by id (used when moving expressions through projections). */
export function replaceColumns(e: Expr, map: ReadonlyMap<number, Expr>): Expr {
  return transformUp(e, (x) => (x.kind === 'column' ? (map.get(x.id) ?? x) : x));
}
