export * from './logical-plan.js';
export { outputOf, inputsOf, withInputs, IdGen } from './plan-output.js';
export { explainLogical, describeNode, describeWindow } from './explain-logical.js';
export { mapNodeExprs, nodeExprs } from './plan-exprs.js';
