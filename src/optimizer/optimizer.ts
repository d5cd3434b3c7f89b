import { internalError } from '../common/index.js';
import { outputOf, type LogicalPlan } from '../plan/index.js';
import { typeName } from '../types/index.js';
import { foldConstants } from './fold-constants.js';
import { pushDownFilter } from './push-down-filter.js';
import { pushDownLimit } from './push-down-limit.js';
import { pushDownMarkJoin } from './push-down-mark-join.js';
import { pushDownProjection } from './push-down-projection.js';
import { reorderJoins } from './reorder-joins.js';
import type { OptimizerContext, OptimizerRule } from './rule.js';

/**
 * The rules, in order. Folding runs again after filter pushdown has moved predicates next to constants; join
 * reordering needs the join conditions that filter pushdown put into the joins. Mark joins move down once the join
 * conditions are in place (and push filter pushdown again, so that the filters on their marks follow them).
 */
export const DEFAULT_RULES: readonly OptimizerRule[] = [
  foldConstants, pushDownFilter, pushDownMarkJoin, reorderJoins, foldConstants, pushDownProjection, pushDownLimit,
];

/** Applies the rules; after each, the root must still produce the same columns with the same types. */
export function optimize(plan: LogicalPlan, ctx: OptimizerContext, rules: readonly OptimizerRule[] = DEFAULT_RULES): LogicalPlan {
  const before = outputOf(plan).map((c) => `${c.id}:${typeName(c.type)}`).join(',');
  let p = plan;
  for (const rule of rules) {
    p = rule.apply(p, ctx);
    const after = outputOf(p).map((c) => `${c.id}:${typeName(c.type)}`).join(',');
    if (after !== before) throw internalError(`optimizer rule ${rule.name} changed the plan's output from [${before}] to [${after}]`);
  }
  return p;
}
