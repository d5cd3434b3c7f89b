import type { ExpandOptions } from '../fs/index.js';
import { inputsOf, type LogicalPlan } from '../plan/index.js';
import { splitRows } from '../physical/index.js';

function isInnerJoin(p: LogicalPlan): boolean {
  return p.kind === 'join' && (p.joinType === 'inner' || p.joinType === 'cross');
}

/** Relations under the inner-join tree rooted at `p` (1 when `p` is no inner join). */
function joinLeaves(p: LogicalPlan): number {
  return p.kind === 'join' && isInnerJoin(p) ? joinLeaves(p.left) + joinLeaves(p.right) : 1;
}

/**
 * Whether some tree of inner joins has three or more relations (join ordering has a choice to make), or a mark
 * join (IN, EXISTS) sits on a join it may move below (push_down_mark_join weighs the move).
 */
function hasJoinTree(p: LogicalPlan): boolean {
  if (isInnerJoin(p) && joinLeaves(p) >= 3) return true;
  if (p.kind === 'join' && p.joinType === 'mark' && p.left.kind === 'join') return true;
  return inputsOf(p).some(hasJoinTree);
}

function scans(p: LogicalPlan, out: Map<string, Extract<LogicalPlan, { kind: 'scan' }>>): void {
  if (p.kind === 'scan' && !out.has(p.table.name)) out.set(p.table.name, p);
  for (const i of inputsOf(p)) scans(i, out);
}

/**
 * The unfiltered row counts of the tables a statement scans (by TableProvider.name), for join ordering and mark
 * join placement (OptimizerContext.tableRows); undefined when the plan has neither to choose. Planning the scans
 * lists the files and reads the Parquet footers (cached: the physical planner's own planning reuses them); no rows
 * are read.
 */
export async function tableRowCounts(plan: LogicalPlan, o: ExpandOptions): Promise<Map<string, number> | undefined> {
  if (!hasJoinTree(plan)) return undefined;
  const byName = new Map<string, Extract<LogicalPlan, { kind: 'scan' }>>();
  scans(plan, byName);
  const out = new Map<string, number>();
  for (const [name, s] of byName) {
    const planned = await s.table.planScan({ projection: [], filters: [] }, o);
    out.set(name, splitRows(planned.splits));
  }
  return out;
}
