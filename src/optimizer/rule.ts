import type { EvalContext } from '../expr/index.js';
import type { LogicalPlan } from '../plan/index.js';

export interface OptimizerContext {
  readonly evalCtx: EvalContext;
}

/** A rewrite of the whole plan. Must keep the root's output (ids and types) and return `plan` itself when nothing changed. */
export interface OptimizerRule {
  readonly name: string;
  apply(plan: LogicalPlan, ctx: OptimizerContext): LogicalPlan;
}
