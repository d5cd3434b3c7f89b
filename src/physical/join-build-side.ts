/**
 * Which input of an equi-join the hash join builds: the right one, unless the left is estimated smaller and the
 * join may build it. An INNER join then swaps its inputs; a LEFT join (not a scalar subquery's, which must see
 * each left row's matches together) runs as a RIGHT join over the swapped inputs, building its preserved side and
 * emitting the build rows nothing matched at the end (join-emitter.ts). TPC-H q13's customer LEFT JOIN orders then
 * builds 150k customers instead of 1.5M orders. Both the physical planner and the fragment planner
 * (parallel-planning.ts, which must know which side a fragment probes) decide it here.
 */
import type { LogicalPlan } from '../plan/index.js';

type JoinNode = Extract<LogicalPlan, { kind: 'join' }>;

/** Whether the hash join of `plan` builds its left input; `smallerLeft`: the left input is estimated smaller. */
export function buildsLeft(plan: JoinNode, smallerLeft: boolean): boolean {
  if (!smallerLeft) return false;
  return plan.joinType === 'inner' || (plan.joinType === 'left' && plan.singleMatch !== true);
}
