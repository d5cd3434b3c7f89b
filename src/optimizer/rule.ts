import type { EvalContext } from '../expr/index.js';
import type { LogicalPlan } from '../plan/index.js';

export interface OptimizerContext {
  readonly evalCtx: EvalContext;
  /**
   * Unfiltered row counts of the scanned tables, by TableProvider.name (join ordering's estimates). A worker
   * re-planning a statement gets the main thread's counts, so that both derive the same plan.
   */
  readonly tableRows?: ReadonlyMap<string, number> | undefined;
}

/** A rewrite of the whole plan. Must keep the root's output (ids and types) and return `plan` itself when nothing changed. */
export interface OptimizerRule {
  readonly name: string;
  apply(plan: LogicalPlan, ctx: OptimizerContext): LogicalPlan;
}
