import { assertNever } from '../common/index.js';
import { compileExpr, transformUp, type Expr } from '../expr/index.js';
import type { EvalContext } from '../functions/index.js';
import { outputOf, type LogicalPlan } from '../plan/index.js';
import { layoutOf, type ExecutionPlan } from './execution-plan.js';
import { FilterExec } from './filter-exec.js';
import { HashAggregateExec } from './hash-aggregate-exec.js';
import { HashJoinExec, NestedLoopJoinExec } from './hash-join-exec.js';
import { LimitExec } from './limit-exec.js';
import { ProjectExec } from './project-exec.js';
import { ScanExec } from './scan-exec.js';
import { SortExec } from './sort-exec.js';
import { UnionExec } from './union-exec.js';
import { ValuesExec } from './values-exec.js';
import { WindowExec } from './window-exec.js';

export interface PhysicalPlannerEnv {
  readonly evalCtx: EvalContext;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Turns an optimized logical plan into operators. Scans are planned here (listing, footers, pruning), so the
 * result knows which files and row groups it will read before any row is read.
 */
export async function createPhysicalPlan(plan: LogicalPlan, env: PhysicalPlannerEnv): Promise<ExecutionPlan> {
  const ctx = env.evalCtx;
  switch (plan.kind) {
    case 'scan': {
      const byId = new Map(plan.columns.map((c) => [c.col.id, c.index]));
      const filters = plan.filters.map((f) =>
        transformUp(f, (e): Expr => (e.kind === 'column' && byId.has(e.id) ? { ...e, id: byId.get(e.id)! } : e)),
      );
      const request = { projection: plan.columns.map((c) => c.index), filters, limit: plan.limit };
      const scanPlan = await plan.table.planScan(request, { signal: env.signal });
      return new ScanExec(plan.columns.map((c) => c.col), plan.table, request, scanPlan, plan.filters);
    }
    case 'values':
      return new ValuesExec(plan.output, plan.rows);
    case 'filter': {
      const input = await createPhysicalPlan(plan.input, env);
      return new FilterExec(input, compileExpr(plan.predicate, layoutOf(input.output), ctx), plan.predicate);
    }
    case 'project': {
      const input = await createPhysicalPlan(plan.input, env);
      const layout = layoutOf(input.output);
      return new ProjectExec(input, plan.items.map((i) => i.col), plan.items.map((i) => compileExpr(i.expr, layout, ctx)), plan.items.map((i) => i.expr));
    }
    case 'aggregate': {
      const input = await createPhysicalPlan(plan.input, env);
      const layout = layoutOf(input.output);
      const aggs = plan.aggregates.map((a) => ({
        name: a.fn.name,
        resolved: a.resolved,
        args: a.args.map((x) => compileExpr(x, layout, ctx)),
        argTypes: a.args.map((x) => x.type),
        star: a.star,
        distinct: a.distinct,
        filter: a.filter === undefined ? undefined : compileExpr(a.filter, layout, ctx),
        text: `${a.col.name}(${a.distinct ? 'DISTINCT ' : ''}${a.star ? '*' : a.args.map((x) => (x.kind === 'column' ? x.name : '…')).join(', ')})`,
      }));
      return new HashAggregateExec(input, outputOf(plan), plan.groups.map((g) => compileExpr(g.expr, layout, ctx)), plan.groups.map((g) => g.expr), aggs);
    }
    case 'sort': {
      const input = await createPhysicalPlan(plan.input, env);
      const layout = layoutOf(input.output);
      return new SortExec(input, plan.keys.map((k) => ({ expr: compileExpr(k.expr, layout, ctx), text: k.expr, descending: k.descending, nullsFirst: k.nullsFirst })), plan.fetch);
    }
    case 'limit':
      return new LimitExec(await createPhysicalPlan(plan.input, env), plan.offset, plan.fetch);
    case 'join': {
      const left = await createPhysicalPlan(plan.left, env);
      const right = await createPhysicalPlan(plan.right, env);
      const both = layoutOf([...left.output, ...right.output]);
      const filter = plan.filter === undefined ? undefined : compileExpr(plan.filter, both, ctx);
      if (plan.equi.length === 0 || plan.joinType === 'cross') return new NestedLoopJoinExec(left, right, plan.joinType, filter, plan.filter);
      const ll = layoutOf(left.output), rl = layoutOf(right.output);
      return new HashJoinExec(
        left, right, plan.joinType,
        plan.equi.map((e) => compileExpr(e.left, ll, ctx)),
        plan.equi.map((e) => compileExpr(e.right, rl, ctx)),
        plan.equi.map((e) => e.left.type),
        filter,
        { keys: plan.equi.map((e) => [e.left, e.right] as [Expr, Expr]), filter: plan.filter },
      );
    }
    case 'union':
      return new UnionExec(await Promise.all(plan.inputs.map((i) => createPhysicalPlan(i, env))), plan.output);
    case 'window': {
      const input = await createPhysicalPlan(plan.input, env);
      const layout = layoutOf(input.output);
      return new WindowExec(
        input,
        plan.partitionBy.map((e) => compileExpr(e, layout, ctx)),
        plan.orderBy.map((k) => ({ expr: compileExpr(k.expr, layout, ctx), type: k.expr.type, descending: k.descending, nullsFirst: k.nullsFirst })),
        plan.calls.map((c) => ({ call: c, args: c.args.map((a) => compileExpr(a, layout, ctx)) })),
        { partitionBy: plan.partitionBy, orderBy: plan.orderBy },
      );
    }
    default:
      return assertNever(plan, 'plan node');
  }
}
