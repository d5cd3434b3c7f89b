import { ShoalError, type SourceSpan } from '../common/index.js';
import { exprKey, literal, type Expr } from '../expr/index.js';
import type { OutCol } from '../plan/index.js';
import type * as ast from '../sql/index.js';
import { BIGINT, BOOLEAN, INTEGER } from '../types/index.js';

/** More sets than this is almost surely a mistake (CUBE over 13+ columns) and would multiply every input row. */
const MAX_GROUPING_SETS = 4096;

/** The grouping keys of a GROUP BY clause and the sets over them (indices into `exprs`). */
export interface ExpandedGroupBy {
  /** Distinct key expressions in order of first appearance. */
  readonly exprs: readonly Expr[];
  /** Undefined for a plain GROUP BY (one set holding every key). */
  readonly sets: readonly (readonly number[])[] | undefined;
}

/**
 * Expands GROUP BY elements the way Trino does: each element stands for a list of sets (a plain expression for
 * one set of itself, ROLLUP(a, b) for (a, b), (a), (), CUBE for every subset, GROUPING SETS for its sets), and
 * the clause is the cross product of its elements, each product set the union of its parts. GROUP BY DISTINCT
 * drops repeated sets; without it a repeated set yields its rows again. A clause that comes down to one set is
 * a plain GROUP BY over that set's keys.
 */
export function expandGroupBy(gb: ast.GroupBy, bindOne: (e: ast.Expr) => Expr): ExpandedGroupBy {
  const exprs: Expr[] = [];
  const indexByKey = new Map<string, number>();
  const indexOf = (e: ast.Expr): number => {
    const bound = bindOne(e);
    const key = exprKey(bound);
    let i = indexByKey.get(key);
    if (i === undefined) {
      i = exprs.length;
      exprs.push(bound);
      indexByKey.set(key, i);
    }
    return i;
  };
  let product: number[][] = [[]];
  let plain = true;
  for (const el of gb.elements) {
    const parts = elementSets(el, indexOf);
    if (el.kind !== 'expr') plain = false;
    const next: number[][] = [];
    for (const left of product) {
      for (const right of parts) {
        next.push([...new Set([...left, ...right])]);
        if (next.length > MAX_GROUPING_SETS) {
          throw new ShoalError('NOT_SUPPORTED', `GROUP BY has more than ${MAX_GROUPING_SETS} grouping sets`, { span: gb.span });
        }
      }
    }
    product = next;
  }
  if (gb.distinct) {
    const seen = new Set<string>();
    product = product.filter((s) => {
      const key = [...s].sort((a, b) => a - b).join(',');
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
  if (plain) return { exprs, sets: undefined };
  if (product.length === 1) return { exprs: product[0]!.map((i) => exprs[i]!), sets: undefined };
  return { exprs, sets: product };
}

function elementSets(el: ast.GroupingElement, indexOf: (e: ast.Expr) => number): number[][] {
  switch (el.kind) {
    case 'expr': return [[indexOf(el.expr)]];
    case 'rollup': {
      const keys = el.exprs.map(indexOf);
      const out: number[][] = [];
      for (let n = keys.length; n >= 0; n--) out.push(keys.slice(0, n));
      return out;
    }
    case 'cube': {
      const keys = el.exprs.map(indexOf);
      if (keys.length > 12) throw new ShoalError('NOT_SUPPORTED', `CUBE over ${keys.length} expressions is not supported (at most 12)`, { span: el.span });
      const out: number[][] = [];
      // Largest sets first, as Trino lists them: (a, b), (a), (b), ().
      for (let m = (1 << keys.length) - 1; m >= 0; m--) out.push(keys.filter((_, k) => ((m >> (keys.length - 1 - k)) & 1) === 1));
      return out;
    }
    case 'grouping_sets': return el.sets.map((s) => s.map(indexOf));
    default: {
      const never: never = el;
      return never;
    }
  }
}

/** A grouping(…) call found while binding, standing for `col` until the grouping sets are known. */
export interface GroupingCall {
  readonly col: OutCol;
  readonly args: readonly Expr[];
  readonly span: SourceSpan;
}

/**
 * grouping(a, b, …) as an expression over the aggregate's output: a bigint whose bit for each argument (the
 * first argument the most significant) is 1 when that key is rolled up (absent from the row's grouping set).
 * Arguments must be GROUP BY keys (`keyIndex` by exprKey).
 */
export function groupingExpr(call: GroupingCall, keyIndex: ReadonlyMap<string, number>, sets: readonly (readonly number[])[] | undefined, idCol: Expr | undefined): Expr {
  const idx = call.args.map((a) => {
    const i = keyIndex.get(exprKey(a));
    if (i === undefined) {
      throw new ShoalError('INVALID_ARGUMENTS', 'The arguments to GROUPING() must be expressions referenced by the GROUP BY at the associated query level', { span: a.span ?? call.span });
    }
    return i;
  });
  const maskOf = (set: readonly number[]): number => idx.reduce((m, i) => m * 2 + (set.includes(i) ? 0 : 1), 0);
  if (sets === undefined || idCol === undefined) return literal(0n, BIGINT, call.span);
  const masks = sets.map(maskOf);
  const distinct = [...new Set(masks)];
  if (distinct.length === 1) return literal(BigInt(distinct[0]!), BIGINT, call.span);
  // One branch per distinct mask (the last one as ELSE): WHEN id IN (sets with that mask) THEN mask.
  const whens = distinct.slice(0, -1).map((m) => {
    const ids = masks.flatMap((x, s) => (x === m ? [s] : []));
    const when: Expr = { kind: 'in_list', operand: idCol, list: ids.map((s) => literal(s, INTEGER)), negated: false, type: BOOLEAN };
    return { when, then: literal(BigInt(m), BIGINT) as Expr };
  });
  return { kind: 'case', whens, else: literal(BigInt(distinct[distinct.length - 1]!), BIGINT), type: BIGINT, span: call.span };
}
