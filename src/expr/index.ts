export * from './expr.js';
export * from './expr-walk.js';
export { exprToString, exprKey } from './expr-text.js';
export { compileExpr, evaluateConstant, materialize, selectInput, type EvalInput, type PhysicalExpr } from './evaluate.js';
export { castColumn, valueToText } from './kernels/cast-kernel.js';
export { selectTrue } from './kernels/boolean-kernel.js';
export { formatDoubleAsTrino } from './kernels/format-double.js';
export { compareBytes, stringAccess, type StringAccess } from './kernels/string-access.js';
export { nestedOrder } from './kernels/nested-compare.js';

export { compileLike, type LikeMatcher } from './kernels/like-kernel.js';
// Function types travel with expressions (calls and aggregates refer to them); layers that may not import
// functions/ directly get them here.
export type { EvalContext, AggregateFunction, ResolvedAggregate, GroupedAccumulator, ScalarFunction, WindowFunction, ResolvedWindow, WindowInput } from '../functions/index.js';
export { canFail } from './can-fail.js';
