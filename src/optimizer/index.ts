export { optimize, DEFAULT_RULES } from './optimizer.js';
export type { OptimizerRule, OptimizerContext } from './rule.js';
export { foldConstants } from './fold-constants.js';
export { pushDownFilter } from './push-down-filter.js';
export { pushDownProjection } from './push-down-projection.js';
export { pushDownLimit } from './push-down-limit.js';
export { selectivity } from './estimate-cardinality.js';
