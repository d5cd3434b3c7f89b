import { and, columnRef, conjuncts, referencedIds, type Expr } from '../expr/index.js';
import { inputsOf, outputOf, withInputs, type EquiCondition, type LogicalPlan } from '../plan/index.js';
import { BOOLEAN } from '../types/index.js';
import { estimateCardinality, joinDomain, joinRows, type Cardinality } from './estimate-cardinality.js';
import { equiKey } from './push-down-filter.js';
import type { OptimizerRule } from './rule.js';

/**
 * Comma joins are written in any order (TPC-H Q8: `FROM part, supplier, lineitem, …` where part and supplier
 * share no condition). After filter pushdown, a tree of three or more inner joined relations is rebuilt:
 * - with the tables' row counts (OptimizerContext.tableRows): greedily, joining at each step the two connected
 *   subtrees whose join is estimated smallest (estimate-cardinality.ts), so that a filtered dimension meets its
 *   own dimensions before the fact table (a bushy tree: lineitem ⋈ (supplier ⋈ σ nation)); the larger input
 *   goes left (the probe side), the smaller right (built);
 * - without them (or past GREEDY_MAX_RELATIONS relations), only a tree containing a cross product, left-deep, adding at each step the first relation (in
 *   written order) that a condition connects to those already joined.
 * Either way a connected join graph never builds a cross product. The output columns keep their order (a
 * projection restores it).
 */
/** The greedy ordering weighs every pair at every step (cubic): larger trees take the written-order rebuild. */
const GREEDY_MAX_RELATIONS = 16;

export const reorderJoins: OptimizerRule = {
  name: 'reorder_joins',
  apply(plan, ctx) {
    return rewrite(plan, ctx.tableRows);
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

function rewrite(p: LogicalPlan, tableRows: ReadonlyMap<string, number> | undefined): LogicalPlan {
  const again = (x: LogicalPlan): LogicalPlan => rewrite(x, tableRows);
  if (!isInnerJoin(p)) return withInputs(p, inputsOf(p).map(again));
  const leaves: LogicalPlan[] = [];
  const conds: Expr[] = [];
  const hasCross = flatten(p, leaves, conds);
  const rewritten = leaves.map(again);
  if (leaves.length >= 3 && leaves.length <= GREEDY_MAX_RELATIONS && tableRows !== undefined) {
    const cards = rewritten.map((l) => estimateCardinality(l, tableRows));
    if (cards.every((c) => c !== undefined)) return restoreOutput(p, greedy(rewritten, cards, conds));
  }
  if (!hasCross || leaves.length < 3) return withInputs(p, inputsOf(p).map(again));

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
  return restoreOutput(p, cur);
}

/** `cur` with the columns of `p` in their order. */
function restoreOutput(p: LogicalPlan, cur: LogicalPlan): LogicalPlan {
  const want = outputOf(p);
  const got = outputOf(cur);
  if (got.length === want.length && got.every((c, i) => c.id === want[i]!.id)) return cur;
  return { kind: 'project', input: cur, items: want.map((c) => ({ col: c, expr: columnRef(c.id, c.name, c.type) })) };
}

interface Tree {
  readonly plan: LogicalPlan;
  readonly ids: ReadonlySet<number>;
  readonly card: Cardinality;
}

/** Whether condition `ids` lie within a ∪ b and touch both. */
function spans(ids: ReadonlySet<number>, a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  let inA = false, inB = false;
  for (const id of ids) {
    if (a.has(id)) inA = true;
    else if (b.has(id)) inB = true;
    else return false;
  }
  return inA && inB;
}

/**
 * Greedy operator ordering: repeatedly joins the pair of subtrees with the smallest estimated result among the
 * pairs an equality connects (else a pair another condition connects, else the two smallest: a cross product).
 * Ties keep the written order.
 */
function greedy(leaves: readonly LogicalPlan[], cards: readonly Cardinality[], conds: readonly Expr[]): LogicalPlan {
  let trees: Tree[] = leaves.map((plan, i) => ({ plan, ids: idsOf(plan), card: cards[i]! }));
  let pending = conds.map((c) => ({ c, ids: referencedIds(c) }));
  while (trees.length > 1) {
    let best: { i: number; j: number; rows: number; rank: number } | undefined;
    for (let i = 0; i < trees.length; i++) {
      for (let j = i + 1; j < trees.length; j++) {
        const a = trees[i]!, b = trees[j]!;
        const now = pending.filter((x) => spans(x.ids, a.ids, b.ids));
        const keys: (readonly [Expr, Expr])[] = [];
        const rest: Expr[] = [];
        for (const { c } of now) {
          const k = equiKey(c, a.ids, b.ids);
          if (k !== undefined) keys.push([k.left, k.right]);
          else rest.push(c);
        }
        // 0: an equi join, 1: another condition, 2: a cross product.
        const rank = keys.length > 0 ? 0 : rest.length > 0 ? 1 : 2;
        const rows = rank === 2 ? a.card.rows * b.card.rows : joinRows(a.card, b.card, keys, rest.length === 0 ? undefined : and(rest));
        if (best === undefined || rank < best.rank || (rank === best.rank && rows < best.rows)) best = { i, j, rows, rank };
      }
    }
    const { i, j, rows } = best!;
    // The larger input probes, the smaller is built (the physical planner's convention: build the right input).
    const [l, r] = trees[i]!.card.rows >= trees[j]!.card.rows ? [trees[i]!, trees[j]!] : [trees[j]!, trees[i]!];
    const now = pending.filter((x) => spans(x.ids, l.ids, r.ids));
    pending = pending.filter((x) => !now.includes(x));
    const equi: EquiCondition[] = [];
    const rest: Expr[] = [];
    for (const { c } of now) {
      const k = equiKey(c, l.ids, r.ids);
      if (k !== undefined) equi.push(k);
      else rest.push(c);
    }
    const plan: LogicalPlan = {
      kind: 'join', joinType: equi.length > 0 || rest.length > 0 ? 'inner' : 'cross', left: l.plan, right: r.plan, equi,
      filter: rest.length === 0 ? undefined : and(rest),
    };
    const domain = joinDomain(l.card, r.card, equi.map((e) => [e.left, e.right] as const));
    const merged: Tree = { plan, ids: new Set([...l.ids, ...r.ids]), card: { rows, domain } };
    trees = [...trees.filter((_, k) => k !== i && k !== j)];
    trees.splice(Math.min(i, j), 0, merged);
  }
  let cur = trees[0]!.plan;
  // Conditions over a single relation were pushed below the joins; any left here apply on top.
  if (pending.length > 0) cur = { kind: 'filter', input: cur, predicate: and(pending.map((x) => x.c)) };
  return cur;
}
