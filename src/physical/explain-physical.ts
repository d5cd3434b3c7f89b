import type { ExecutionPlan, OperatorMetrics } from './execution-plan.js';
import { ProbeFilterExec } from './probe-key-filter.js';
import { formatBytes } from './scan-exec.js';

/** Storage I/O of a scan for EXPLAIN ANALYZE: bytes and requests reading, then planning's (footers, listing). */
function ioText(io: NonNullable<OperatorMetrics['io']>): string {
  const { planning: p, reading: r } = io;
  return ` read=${formatBytes(r.bytesRead)} requests=${r.requests} planning_read=${formatBytes(p.bytesRead)} planning_requests=${p.requests}`;
}

/** The operator tree, one line per operator; with `analyze`, each line adds rows, batches and time (scans: I/O). */
export function explainPhysical(p: ExecutionPlan, analyze = false, indent = 0): string {
  if (p instanceof ProbeFilterExec && !p.active) return explainPhysical(p.input, analyze, indent);
  const m = p.metrics;
  const io = m.io === undefined ? '' : ioText(m.io);
  const mem = m.peakMemoryBytes === undefined ? '' : ` peak_memory=${formatBytes(m.peakMemoryBytes)}`;
  const spilled = m.spilledBytes === undefined ? '' : ` spilled=${formatBytes(m.spilledBytes)}`;
  const dropped = m.rowsDropped === undefined ? '' : ` dropped_in_decoder=${m.rowsDropped}`;
  const stats = analyze ? `  (rows=${m.rowsOut} batches=${m.batchesOut} time=${m.elapsedMs.toFixed(1)}ms${mem}${spilled}${dropped}${io})` : '';
  return [`${'  '.repeat(indent)}${p.describe()}${stats}`, ...p.children.map((c) => explainPhysical(c, analyze, indent + 1))].join('\n');
}
