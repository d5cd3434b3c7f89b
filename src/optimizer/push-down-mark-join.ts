import { columnRef, referencedIds } from '../expr/index.js';
import { inputsOf, outputOf, withInputs, type JoinNode, type LogicalPlan } from '../plan/index.js';
import { estimateCardinality } from './estimate-cardinality.js';
import { pushDownFilter, subset } from './push-down-filter.js';
import type { OptimizerRule } from './rule.js';

/**
 * Moves a mark join (IN / EXISTS subqueries) below the inner joins under it, to the input its keys come from:
 * `(A ⋈ B) MARK R on b = r` becomes `A ⋈ (B MARK R on b = r)`. A mark join keeps every left row once and only
 * appends a column computed from that row's own key, so each joined row gets the mark its B part would get:
 * the rows and marks are the same. What it buys: the filter on the mark (a semi or anti join) then moves down
 * with it (push_down_filter runs again), so TPC-H q18's `o_orderkey IN (…)` keeps 57 of 1.5M orders before they
 * meet customer and lineitem, instead of marking 6M joined rows. Through LEFT joins it moves only into the
 * preserved side. The output keeps its column order (a projection puts the mark last again when it went left).
 * Needs the tables' row counts (OptimizerContext.tableRows) to weigh the move; without them nothing moves.
 */
export const pushDownMarkJoin: OptimizerRule = {
  name: 'push_down_mark_join',
  apply(plan, ctx) {
    const tableRows = ctx.tableRows;
    if (tableRows === undefined) return plan;
    const moved = rewrite(plan, tableRows);
    // The filters on the marks follow them down.
    return moved === plan ? plan : pushDownFilter.apply(moved, ctx);
  },
};

function rewrite(p: LogicalPlan, tableRows: ReadonlyMap<string, number>): LogicalPlan {
  const q = withInputs(p, inputsOf(p).map((i) => rewrite(i, tableRows)));
  return q.kind === 'join' && q.joinType === 'mark' ? sink(q, tableRows) : q;
}

/**
 * The mark join moved as far down its left input as its keys allow (or `m` itself), while the input it moves to
 * is estimated to carry no more rows than the join above it: marking costs a probe per row, and where the joins
 * above filter more than the mark does (TPC-H q21's EXISTS over lineitem, whose joins keep one nation's
 * suppliers), it stays above them.
 */
function sink(m: JoinNode, tableRows: ReadonlyMap<string, number>): LogicalPlan {
  const below = m.left;
  if (below.kind !== 'join' || m.mark === undefined) return m;
  const rowsOf = (p: LogicalPlan): number => estimateCardinality(p, tableRows)?.rows ?? Number.POSITIVE_INFINITY;
  const here = rowsOf(below);
  const canRight = below.joinType === 'inner' || below.joinType === 'cross';
  const canLeft = canRight || below.joinType === 'left';
  if (!canLeft) return m;
  const used = leftRefs(m);
  if (used.size === 0) return m;
  const inLeft = new Set(outputOf(below.left).map((c) => c.id));
  const inRight = new Set(outputOf(below.right).map((c) => c.id));
  if (canRight && subset(used, inRight) && rowsOf(below.right) <= here) {
    // [A…, B…, mark] either way.
    return { ...below, right: sink({ ...m, left: below.right }, tableRows) };
  }
  if (subset(used, inLeft) && rowsOf(below.left) <= here) {
    const moved: JoinNode = { ...below, left: sink({ ...m, left: below.left }, tableRows) };
    // The join now yields [A…, mark, B…]: put the mark last again.
    const want = [...outputOf(below), m.mark];
    return { kind: 'project', input: moved, items: want.map((c) => ({ col: c, expr: columnRef(c.id, c.name, c.type) })) };
  }
  return m;
}

/** Columns of the mark join's left input that its keys and ON filter read. */
function leftRefs(m: JoinNode): Set<number> {
  const left = new Set(outputOf(m.left).map((c) => c.id));
  const out = new Set<number>();
  for (const e of m.equi) for (const id of referencedIds(e.left)) out.add(id);
  if (m.filter !== undefined) for (const id of referencedIds(m.filter)) if (left.has(id)) out.add(id);
  return out;
}
