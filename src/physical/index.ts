export type { ExecutionPlan, TaskContext, QueryProgress, OperatorMetrics } from './execution-plan.js';
export { newProgress, layoutOf } from './execution-plan.js';
export { createPhysicalPlan, type PhysicalPlannerEnv } from './physical-planner.js';
export { explainPhysical } from './explain-physical.js';
export { ScanExec, formatBytes } from './scan-exec.js';
export { schemaOf, fieldsOf } from './batch-utils.js';
export { sortPermutation } from './sort-exec.js';
export { createFragmentPlan } from './physical-planner.js';
export type { FragmentCounters, FragmentEvent, FragmentLauncher, FragmentMode, FragmentRequest, OperatorSnapshot } from './fragment.js';
