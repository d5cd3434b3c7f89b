import { ShoalError } from '../common/index.js';
import { ScanExec, formatBytes, type ExecutionPlan } from '../physical/index.js';

/** What one planned scan will read, after partition, file and row-group pruning (no data read yet). */
export interface PlannedScan {
  /** The table's qualified name, or the path of a direct file query. */
  readonly table: string;
  /** Bytes of the selected column chunks (Parquet) or whole files (CSV); in-memory bytes for memory tables. */
  readonly bytes: number;
  readonly filesKept: number;
  readonly filesTotal: number;
  readonly rowGroupsKept: number;
  readonly rowGroupsTotal: number;
  readonly partitionsKept: number;
  readonly partitionsTotal: number;
  /** The files the scan will open, each once, in the order it reads them. */
  readonly files: readonly string[];
}

/** The scans of an operator tree, in plan order (depth first). */
export function plannedScans(plan: ExecutionPlan): PlannedScan[] {
  const out: PlannedScan[] = [];
  const walk = (p: ExecutionPlan): void => {
    if (p instanceof ScanExec) {
      const s = p.scanPlan.summary;
      const files = new Set<string>();
      for (const split of p.scanPlan.splits) if (split.kind !== 'memory') files.add(split.location);
      out.push({
        table: p.table.name, bytes: s.bytesToRead, filesKept: s.filesKept, filesTotal: s.filesTotal,
        rowGroupsKept: s.rowGroupsKept, rowGroupsTotal: s.rowGroupsTotal, partitionsKept: s.partitionsKept,
        partitionsTotal: s.partitionsTotal, files: [...files],
      });
    }
    for (const c of p.children) walk(c);
  };
  walk(plan);
  return out;
}

export function totalScanBytes(scans: readonly PlannedScan[]): number {
  return scans.reduce((a, s) => a + s.bytes, 0);
}

/** How many of the biggest scans an EXCEEDED_SCAN_LIMIT message names. */
const NAMED_SCANS = 3;

/**
 * Refuses a plan whose scans would read more than `limit` bytes (max_scan_bytes; 0 = no limit). Runs after
 * planning and before execution, so a refused query has read footers at most, never data.
 */
export function enforceScanLimit(plan: ExecutionPlan, limit: number, limitText: string): void {
  if (limit <= 0) return;
  const scans = plannedScans(plan);
  const total = totalScanBytes(scans);
  if (total <= limit) return;
  const biggest = [...scans].sort((a, b) => b.bytes - a.bytes).slice(0, NAMED_SCANS).map((s) => {
    const what = s.rowGroupsTotal > 0 ? `, ${s.rowGroupsKept} row groups` : '';
    return `${s.table} ${formatBytes(s.bytes)} (${s.filesKept} of ${s.filesTotal} files${what})`;
  });
  const keys = [...new Set(scans.filter((s) => s.partitionsTotal > 0 && s.partitionsKept > 1).map((s) => s.table))];
  const narrow = keys.length > 0 ? `Filter on the partition columns of ${keys.join(', ')} to read fewer partitions, or raise` : 'Select fewer columns or filter on partition columns, or raise';
  throw new ShoalError('EXCEEDED_SCAN_LIMIT', `Query would scan ${formatBytes(total)} (${total} bytes), more than max_scan_bytes = ${limitText}; largest scans: ${biggest.join('; ')}`, {
    hint: `${narrow} the limit with SET SESSION max_scan_bytes = '…' (or --session max_scan_bytes=…)`,
  });
}
