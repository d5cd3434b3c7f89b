import { and, columnRef, conjuncts, referencedIds, type Expr } from '../expr/index.js';
import { inputsOf, outputOf, withInputs, type EquiCondition, type LogicalPlan } from '../plan/index.js';
import { BOOLEAN } from '../types/index.js';
import { equiKey } from './push-down-filter.js';
import type { OptimizerRule } from './rule.js';

/**
 * Comma joins are written in any order (TPC-H Q8: `FROM part, supplier, lineitem, …` where part and supplier
 * share no condition). After filter pushdown, a tree of inner joins that still contains a cross product is
 * rebuilt left-deep, adding at each step the first relation (in written order) that a condition connects to
 * those already joined, so a connected join graph never builds a cross product. Trees without a cross product
 * keep the written order. The output columns keep their order (a projection restores it).
 */
export const reorderJoins: OptimizerRule = {
  name: 'reorder_joins',
  apply(plan) {
    return rewrite(plan);
  },
};

function isInnerJoin(p: LogicalPlan): p is Extract<LogicalPlan, { kind: 'join' }> {
  return p.kind === 'join' && (p.joinType === 'inner' || p.joinType === 'cross');
}

function flatten(p: LogicalPlan, leaves: LogicalPlan[], conds: Expr[]): boolean {
  if (!isInnerJoin(p)) {
    leaves.push(p);
    return false;
  }
  const crossL = flatten(p.left, leaves, conds);
  const crossR = flatten(p.right, leaves, conds);
  for (const e of p.equi) conds.push({ kind: 'compare', op: '=', left: e.left, right: e.right, type: BOOLEAN });
  if (p.filter !== undefined) conds.push(...conjuncts(p.filter));
  return crossL || crossR || (p.equi.length === 0 && p.filter === undefined);
}

function idsOf(p: LogicalPlan): Set<number> {
  return new Set(outputOf(p).map((c) => c.id));
}

function rewrite(p: LogicalPlan): LogicalPlan {
  if (!isInnerJoin(p)) return withInputs(p, inputsOf(p).map(rewrite));
  const leaves: LogicalPlan[] = [];
  const conds: Expr[] = [];
  const hasCross = flatten(p, leaves, conds);
  const rewritten = leaves.map(rewrite);
  if (!hasCross || leaves.length < 3) return withInputs(p, inputsOf(p).map(rewrite));

  let cur = rewritten[0]!;
  let curIds = idsOf(cur);
  const remaining = rewritten.slice(1);
  let pending = conds.map((c) => ({ c, ids: referencedIds(c) }));
  /** A condition over the joined set and `leafIds`, touching both. */
  const connects = (ids: ReadonlySet<number>, leafIds: ReadonlySet<number>): boolean => {
    let inLeaf = false, inCur = false;
    for (const id of ids) {
      if (leafIds.has(id)) inLeaf = true;
      else if (curIds.has(id)) inCur = true;
      else return false;
    }
    return inLeaf && inCur;
  };
  while (remaining.length > 0) {
    let idx = remaining.findIndex((leaf) => {
      const leafIds = idsOf(leaf);
      return pending.some((x) => connects(x.ids, leafIds));
    });
    if (idx < 0) idx = 0; // nothing connects: a real cross product
    const leaf = remaining.splice(idx, 1)[0]!;
    const leafIds = idsOf(leaf);
    const all = new Set([...curIds, ...leafIds]);
    const now = pending.filter((x) => [...x.ids].every((id) => all.has(id)));
    pending = pending.filter((x) => !now.includes(x));
    const equi: EquiCondition[] = [];
    const rest: Expr[] = [];
    for (const { c } of now) {
      const k = equiKey(c, curIds, leafIds);
      if (k !== undefined) equi.push(k);
      else rest.push(c);
    }
    cur = {
      kind: 'join', joinType: equi.length > 0 || rest.length > 0 ? 'inner' : 'cross', left: cur, right: leaf, equi,
      filter: rest.length === 0 ? undefined : and(rest),
    };
    curIds = all;
  }
  if (pending.length > 0) cur = { kind: 'filter', input: cur, predicate: and(pending.map((x) => x.c)) };
  const want = outputOf(p);
  const got = outputOf(cur);
  if (got.every((c, i) => c.id === want[i]!.id)) return cur;
  return { kind: 'project', input: cur, items: want.map((c) => ({ col: c, expr: columnRef(c.id, c.name, c.type) })) };
}
