export { Binder, type CteScope } from './binder.js';
export type { BinderEnv, Relation } from './binder-env.js';
export { Scope } from './scope.js';
export { bindExpr, coerce } from './bind-expr.js';
