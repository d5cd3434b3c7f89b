/**
 * Where the physical planner cuts fragments for worker threads (fragment.ts):
 *  - an aggregation over a chain of filters and projections over one file scan, whose calls split into partial
 *    and final steps (partial-aggregate.ts): the workers aggregate partially, the main thread finishes;
 *  - otherwise, a chain with a filter over one file scan: the workers filter and project, the main thread
 *    gathers the rows in the scan's order.
 * Only scans that read at least two splits and parallel_min_rows rows go to workers. The main thread still
 * plans the fragment itself (listing, footers, pruning): its splits are what the workers share.
 */
import { internalError } from '../common/index.js';
import { columnRef, compileExpr } from '../expr/index.js';
import { FileTable } from '../catalog/index.js';
import type { EvalContext } from '../functions/index.js';
import { outputOf, type AggregateNode, type LogicalPlan, type ScanNode } from '../plan/index.js';
import { splitRows } from './estimate-rows.js';
import { layoutOf, type ExecutionPlan } from './execution-plan.js';
import type { FragmentLauncher } from './fragment.js';
import { GatherExec } from './gather-exec.js';
import { HashAggregateExec, type PhysicalAggregate } from './hash-aggregate-exec.js';
import { partialColumn, splitAggregate, type SplitAggregate } from './partial-aggregate.js';
import type { PhysicalPlannerEnv, PlanSubtree } from './physical-planner.js';
import { ScanExec } from './scan-exec.js';

/** The scan under a chain of filters and projections, when workers can read it (a file table, no LIMIT). */
function chainScan(p: LogicalPlan): ScanNode | undefined {
  let at = p;
  while (at.kind === 'filter' || at.kind === 'project') at = at.input;
  return at.kind === 'scan' && at.limit === undefined && at.table instanceof FileTable ? at : undefined;
}

function chainHasFilter(p: LogicalPlan): boolean {
  for (let at = p; at.kind === 'filter' || at.kind === 'project'; at = at.input) if (at.kind === 'filter') return true;
  return false;
}

function worthWorkers(local: ExecutionPlan, launcher: FragmentLauncher): boolean {
  let at: ExecutionPlan | undefined = local;
  while (at !== undefined && !(at instanceof ScanExec)) at = at.children[0];
  if (at === undefined) return false;
  const splits = at.scanPlan.splits;
  return splits.length >= 2 && splitRows(splits) >= launcher.minRows;
}

/**
 * The parallel plan of `plan` when it is a fragment's root (see above), else undefined (plan it as usual).
 * `aggregate` plans an aggregation on one thread over an already planned input.
 */
export async function planParallel(
  plan: LogicalPlan, env: PhysicalPlannerEnv, path: readonly number[], sub: PlanSubtree,
  aggregate: (plan: AggregateNode, input: ExecutionPlan, ctx: EvalContext) => ExecutionPlan,
): Promise<ExecutionPlan | undefined> {
  const launcher = env.parallel;
  if (launcher === undefined) return undefined;
  const serial: PhysicalPlannerEnv = { ...env, parallel: undefined };
  if (plan.kind === 'aggregate') {
    const split = chainScan(plan.input) === undefined ? undefined : splitAggregate(plan);
    if (split === undefined) return undefined;
    const local = await sub(plan.input, serial, [...path, 0]);
    if (!worthWorkers(local, launcher)) return aggregate(plan, local, env.evalCtx);
    const gather = new GatherExec(split.partialOutput, local, launcher, path, 'partial', split.partials.map((p) => p.text).join(', '));
    return finalAggregate(plan, split, gather, env.evalCtx);
  }
  if ((plan.kind === 'filter' || plan.kind === 'project') && chainHasFilter(plan) && chainScan(plan) !== undefined) {
    const local = await sub(plan, serial, path);
    return worthWorkers(local, launcher) ? new GatherExec(local.output, local, launcher, path, 'rows', '') : local;
  }
  return undefined;
}

/** The main thread's step over the workers' partial rows: groups by the group columns, merges the partials. */
function finalAggregate(plan: AggregateNode, split: SplitAggregate, input: ExecutionPlan, ctx: EvalContext): ExecutionPlan {
  const layout = layoutOf(input.output);
  const groups = plan.groups.map((g) => compileExpr(columnRef(g.col.id, g.col.name, g.col.type), layout, ctx));
  const aggs: PhysicalAggregate[] = split.finals.map((f) => {
    const args = f.inputs.map((i) => partialColumn(split, i));
    return {
      name: f.text, resolved: f.resolved, args: args.map((a) => compileExpr(a, layout, ctx)), argTypes: args.map((a) => a.type),
      star: false, distinct: false, text: f.text,
    };
  });
  return new HashAggregateExec(input, outputOf(plan), groups, plan.groups.map((g) => g.expr), aggs);
}

/** A worker's partial step of `node` over its planned input (the same split the main thread made). */
export function planPartialAggregate(node: AggregateNode, input: ExecutionPlan, ctx: EvalContext): ExecutionPlan {
  const split = splitAggregate(node);
  if (split === undefined) throw internalError('a worker could not split an aggregation the main thread split');
  const layout = layoutOf(input.output);
  const aggs: PhysicalAggregate[] = split.partials.map((p) => ({
    name: p.text, resolved: p.resolved, args: p.args.map((a) => compileExpr(a, layout, ctx)), argTypes: p.args.map((a) => a.type),
    star: p.star, distinct: false, filter: p.filter === undefined ? undefined : compileExpr(p.filter, layout, ctx), text: p.text,
  }));
  const groups = node.groups.map((g) => compileExpr(g.expr, layout, ctx));
  return new HashAggregateExec(input, split.partialOutput, groups, node.groups.map((g) => g.expr), aggs);
}
