export * from './function.js';
export { FunctionRegistry } from './registry.js';
export { builtinFunctions } from './builtins.js';
export { EXTRACT_FIELDS } from './datetime.js';
export { requireZone } from './datetime-zone.js';
export { arrayConstructorFunction, subscriptFunction, rowFieldFunction, resolveRowField } from './nested.js';
export { rowConstructorFunction } from './nested-constructors.js';
export { EXACT_SUM_LIMIT } from './aggregate/state.js';
export { BatchGroupRuns } from './aggregate/group-runs.js';
