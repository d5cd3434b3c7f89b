import { and, children, columnRef, conjuncts, exprKey, isConstant, or, referencedIds, replaceColumns, type Expr } from '../expr/index.js';
import { commonSuperType } from '../types/index.js';
import { inputsOf, outputOf, withInputs, type EquiCondition, type JoinNode, type LogicalPlan } from '../plan/index.js';
import type { OptimizerRule } from './rule.js';

/**
 * Moves filter conjuncts as close to the data as they can go: through projections (substituting the projected
 * expressions), below sorts, into the group keys of aggregations, into each side of joins and each input of
 * UNION ALL, and finally into scans, where they prune partitions and row groups (a Filter stays above the
 * scan: pruning is not exact). An equality between the two sides of an inner or cross join becomes a hash-join
 * key, so `FROM a, b WHERE a.x = b.y` never builds a cross product.
 */
export const pushDownFilter: OptimizerRule = {
  name: 'push_down_filter',
  apply(plan) {
    return rewrite(plan);
  },
};

function rewrite(p: LogicalPlan): LogicalPlan {
  if (p.kind === 'filter') return push(rewrite(p.input), conjuncts(p.predicate).flatMap(factorDisjunction));
  if (p.kind === 'join' && p.filter !== undefined && p.joinType !== 'cross') {
    // ON conditions are filters too: push what only concerns one side.
    return pushJoinCondition(p);
  }
  return withInputs(p, inputsOf(p).map(rewrite));
}

/**
 * Rewrites an OR of conjunctions so that more of it can move down:
 * - conjuncts common to every branch become conjuncts of their own: `(a AND b) OR (a AND c)` → `a AND (b OR c)`,
 *   so a join condition repeated in each branch (TPC-H Q19) becomes a hash-join key;
 * - for each column that every branch restricts on its own, the OR of those restrictions is added as an implied
 *   conjunct (TPC-H Q7: `(n1 = 'FRANCE' AND n2 = 'GERMANY') OR (n1 = 'GERMANY' AND n2 = 'FRANCE')` implies
 *   `n1 = 'FRANCE' OR n1 = 'GERMANY'`), which reaches the scan of that column's table. The OR itself stays.
 */
export function factorDisjunction(e: Expr): Expr[] {
  if (e.kind !== 'or') return [e];
  const branches = e.args.map((a) => conjuncts(a));
  const keysOf = branches.map((b) => new Set(b.map(exprKey)));
  const common = branches[0]!.filter((c) => keysOf.every((k) => k.has(exprKey(c))));
  const commonKeys = new Set(common.map(exprKey));
  const rests = branches.map((b) => b.filter((c) => !commonKeys.has(exprKey(c))));
  // A branch that is all common makes the OR true whenever the common part holds.
  if (rests.some((r) => r.length === 0)) return common;
  const rest = common.length === 0 ? e : or(rests.map((r) => and(r)));
  // (An OR over one column implies only itself.)
  const implied = impliedPerColumn(rests).filter((x) => exprKey(x) !== exprKey(rest));
  return [...common, ...implied, rest];
}

/** For each column restricted alone in every branch, the OR over branches of those restrictions. */
function impliedPerColumn(branches: readonly (readonly Expr[])[]): Expr[] {
  const single = (c: Expr): number | undefined => {
    const ids = referencedIds(c);
    return ids.size === 1 && deterministic(c) ? [...ids][0] : undefined;
  };
  const perBranch = branches.map((b) => {
    const m = new Map<number, Expr[]>();
    for (const c of b) {
      const id = single(c);
      if (id !== undefined) m.set(id, [...(m.get(id) ?? []), c]);
    }
    return m;
  });
  const out: Expr[] = [];
  for (const id of perBranch[0]!.keys()) {
    if (!perBranch.every((m) => m.has(id))) continue;
    out.push(or(perBranch.map((m) => and(m.get(id)!))));
  }
  return out;
}

/** `p` under a Filter of `preds`; a deterministic conjunct met twice (a second pass re-deriving it) is kept once. */
function wrap(p: LogicalPlan, preds: readonly Expr[]): LogicalPlan {
  if (preds.length === 0) return p;
  const seen = new Set<string>();
  const kept = preds.filter((x) => {
    if (!deterministic(x)) return true;
    const k = exprKey(x);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return { kind: 'filter', input: p, predicate: and(kept) };
}

function deterministic(e: Expr): boolean {
  if (e.kind === 'call' && !e.resolved.deterministic) return false;
  return children(e).every(deterministic);
}

export function subset(ids: ReadonlySet<number>, of: ReadonlySet<number>): boolean {
  for (const i of ids) if (!of.has(i)) return false;
  return true;
}

/** Pushes conjuncts (over p's output) into p; what cannot go lower stays in a Filter on top. */
function push(p: LogicalPlan, preds: readonly Expr[]): LogicalPlan {
  if (preds.length === 0) return p;
  const movable = preds.filter(deterministic);
  const stuck = preds.filter((x) => !deterministic(x));
  switch (p.kind) {
    case 'scan': {
      // A second pass (after push_down_mark_join) meets the filters it pushed already: keep one of each.
      const filters = [...p.filters];
      const have = new Set(filters.map(exprKey));
      for (const f of movable) {
        if (isConstant(f) || have.has(exprKey(f))) continue;
        have.add(exprKey(f));
        filters.push(f);
      }
      return wrap({ ...p, filters }, preds);
    }
    case 'filter':
      return push(p.input, [...conjuncts(p.predicate), ...preds]);
    case 'project': {
      const map = new Map(p.items.map((i) => [i.col.id, i.expr]));
      const below = movable.map((x) => replaceColumns(x, map));
      return wrap({ ...p, input: push(p.input, below) }, stuck);
    }
    case 'sort':
      if (p.fetch !== undefined) return wrap(p, preds);
      return wrap({ ...p, input: push(p.input, movable) }, stuck);
    case 'aggregate': {
      // With grouping sets, only keys present in every set keep their input values in every output row.
      const sets = p.groupingSets?.sets;
      const groupIds = new Set(p.groups.filter((_, i) => sets === undefined || sets.every((s) => s.includes(i))).map((g) => g.col.id));
      const map = new Map(p.groups.map((g) => [g.col.id, g.expr]));
      const down: Expr[] = [];
      const keep: Expr[] = [...stuck];
      for (const x of movable) {
        const ids = referencedIds(x);
        // Without groups, the aggregate always yields one row: a filter cannot move below it.
        if (groupIds.size > 0 && subset(ids, groupIds)) down.push(replaceColumns(x, map));
        else keep.push(x);
      }
      return wrap({ ...p, input: push(p.input, down) }, keep);
    }
    case 'union': {
      const inputs = p.inputs.map((input) => {
        const cols = outputOf(input);
        const map = new Map(p.output.map((o, i) => [o.id, columnRef(cols[i]!.id, cols[i]!.name, cols[i]!.type) as Expr]));
        return push(input, movable.map((x) => replaceColumns(x, map)));
      });
      return wrap({ ...p, inputs }, stuck);
    }
    case 'join':
      return pushIntoJoin(p, movable, stuck);
    case 'unnest': {
      // Conjuncts over the input's columns alone filter input rows before they are unnested.
      const inputIds = new Set(outputOf(p.input).map((c) => c.id));
      const down = movable.filter((x) => subset(referencedIds(x), inputIds));
      const keep = [...stuck, ...movable.filter((x) => !down.includes(x))];
      return wrap({ ...p, input: push(p.input, down) }, keep);
    }
    case 'window': {
      // Only a filter on partition keys removes whole partitions, leaving the other rows' windows unchanged.
      const keyIds = new Set(p.partitionBy.flatMap((e) => (e.kind === 'column' ? [e.id] : [])));
      const down: Expr[] = [];
      const keep: Expr[] = [...stuck];
      for (const x of movable) {
        const ids = referencedIds(x);
        if (ids.size > 0 && subset(ids, keyIds)) down.push(x);
        else keep.push(x);
      }
      return wrap({ ...p, input: push(p.input, down) }, keep);
    }
    case 'limit':
    case 'values':
      return wrap(p, preds);
  }
}

function pushIntoJoin(p: JoinNode, preds: readonly Expr[], stuck: readonly Expr[]): LogicalPlan {
  const leftIds = new Set(outputOf(p.left).map((c) => c.id));
  const rightIds = new Set(outputOf(p.right).map((c) => c.id));
  const toLeft: Expr[] = [], toRight: Expr[] = [], above: Expr[] = [...stuck];
  const equi: EquiCondition[] = [...p.equi];
  const joinFilter: Expr[] = p.filter === undefined ? [] : [...conjuncts(p.filter)];
  // Above an inner or cross join a conjunct may move into either side or into the join; above LEFT and MARK
  // joins only into the preserved (left) side; above FULL joins nowhere.
  const inner = p.joinType === 'inner' || p.joinType === 'cross';
  const leftPreserving = inner || p.joinType === 'left' || p.joinType === 'mark';
  for (const x of preds) {
    const ids = referencedIds(x);
    if (ids.size > 0 && subset(ids, leftIds) && leftPreserving) toLeft.push(x);
    else if (ids.size > 0 && subset(ids, rightIds) && inner) toRight.push(x);
    else if (inner && ids.size > 0) {
      const key = equiKey(x, leftIds, rightIds);
      if (key !== undefined) equi.push(key);
      else joinFilter.push(x);
    } else above.push(x);
  }
  const joinType = p.joinType === 'cross' && (equi.length > 0 || joinFilter.length > 0) ? 'inner' : p.joinType;
  const node: JoinNode = {
    ...p,
    joinType,
    left: push(p.left, toLeft),
    right: push(p.right, toRight),
    equi,
    filter: joinFilter.length === 0 ? undefined : and(joinFilter),
  };
  return wrap(node, above);
}

/** `l = r` with l over one side and r over the other, as a join key pair (left, right) of a common type. */
export function equiKey(x: Expr, leftIds: ReadonlySet<number>, rightIds: ReadonlySet<number>): EquiCondition | undefined {
  if (x.kind !== 'compare' || x.op !== '=') return undefined;
  const a = referencedIds(x.left), b = referencedIds(x.right);
  if (a.size === 0 || b.size === 0) return undefined;
  let l: Expr, r: Expr;
  if (subset(a, leftIds) && subset(b, rightIds)) [l, r] = [x.left, x.right];
  else if (subset(a, rightIds) && subset(b, leftIds)) [l, r] = [x.right, x.left];
  else return undefined;
  // The binder already coerced both sides of `=` to one type.
  if (commonSuperType(l.type, r.type) === undefined) return undefined;
  return { left: l, right: r };
}

/** For a join with an ON filter: conjuncts on one side move into that side where that is equivalent. */
function pushJoinCondition(p: JoinNode): LogicalPlan {
  const left = rewrite(p.left), right = rewrite(p.right);
  const leftIds = new Set(outputOf(left).map((c) => c.id));
  const rightIds = new Set(outputOf(right).map((c) => c.id));
  const keep: Expr[] = [];
  const toLeft: Expr[] = [], toRight: Expr[] = [];
  const equi = [...p.equi];
  for (const c of conjuncts(p.filter!)) {
    const ids = referencedIds(c);
    if (!deterministic(c) || ids.size === 0) keep.push(c);
    else if (subset(ids, rightIds) && p.joinType !== 'full') toRight.push(c); // for INNER, LEFT and MARK it only restricts the build side
    else if (p.joinType === 'inner' && subset(ids, leftIds)) toLeft.push(c);
    else {
      const key = equiKey(c, leftIds, rightIds);
      if (key !== undefined) equi.push(key);
      else keep.push(c);
    }
  }
  return { ...p, left: push(left, toLeft), right: push(right, toRight), equi, filter: keep.length === 0 ? undefined : and(keep) };
}
