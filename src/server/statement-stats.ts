import type { QueryState, StageStats, StatementStats } from './protocol-types.js';

/** The counters of a query at one moment (from the engine's QueryProgress and IoStats, plus the server's clock). */
export interface QueryCounters {
  readonly state: QueryState;
  readonly splitsTotal: number;
  readonly splitsDone: number;
  readonly rowsRead: number;
  readonly bytesRead: number;
  readonly peakMemoryBytes: number;
  readonly spilledBytes: number;
  readonly queuedMs: number;
  readonly elapsedMs: number;
  readonly runningMs: number;
}

/**
 * Trino's StatementStats. A split is a file or row group the scan planned; Shoal runs on one node in one stage,
 * so the root stage carries the same counters. progressPercentage only once scheduled with splits, as Trino.
 */
export function statementStats(c: QueryCounters): StatementStats {
  const done = c.state === 'FINISHED' || c.state === 'FAILED';
  const scheduled = c.state !== 'QUEUED';
  const running = c.state === 'RUNNING' ? Math.max(0, c.splitsTotal - c.splitsDone) : 0;
  const completed = c.state === 'FINISHED' ? c.splitsTotal : c.splitsDone;
  const ms = Math.round(c.runningMs);
  const rootStage: StageStats = {
    stageId: '0', state: c.state, done, nodes: 1, totalSplits: c.splitsTotal, queuedSplits: 0, runningSplits: running,
    completedSplits: completed, cpuTimeMillis: ms, wallTimeMillis: ms, processedRows: c.rowsRead, processedBytes: c.bytesRead,
    physicalInputBytes: c.bytesRead, failedTasks: c.state === 'FAILED' ? 1 : 0, coordinatorOnly: true, subStages: [],
  };
  return {
    state: c.state,
    queued: c.state === 'QUEUED',
    scheduled,
    progressPercentage: scheduled && c.splitsTotal > 0 ? Math.min(100, (completed * 100) / c.splitsTotal) : undefined,
    nodes: 1,
    totalSplits: c.splitsTotal,
    queuedSplits: 0,
    runningSplits: running,
    completedSplits: completed,
    cpuTimeMillis: ms,
    wallTimeMillis: ms,
    queuedTimeMillis: Math.round(c.queuedMs),
    elapsedTimeMillis: Math.round(c.elapsedMs),
    processedRows: c.rowsRead,
    processedBytes: c.bytesRead,
    physicalInputBytes: c.bytesRead,
    peakMemoryBytes: c.peakMemoryBytes,
    spilledBytes: c.spilledBytes,
    rootStage,
  };
}
