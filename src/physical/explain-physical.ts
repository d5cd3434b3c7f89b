import type { ExecutionPlan } from './execution-plan.js';

/** The operator tree, one line per operator; with `analyze`, each line adds rows, batches and time. */
export function explainPhysical(p: ExecutionPlan, analyze = false, indent = 0): string {
  const m = p.metrics;
  const stats = analyze ? `  (rows=${m.rowsOut} batches=${m.batchesOut} time=${m.elapsedMs.toFixed(1)}ms)` : '';
  return [`${'  '.repeat(indent)}${p.describe()}${stats}`, ...p.children.map((c) => explainPhysical(c, analyze, indent + 1))].join('\n');
}
