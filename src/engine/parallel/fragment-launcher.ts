import type { Split } from '../../catalog/index.js';
import type { FragmentLauncher, MemorySettings } from '../../physical/index.js';
import type { Query } from '../../sql/index.js';
import type { StatementContext } from '../query-context.js';
import { fragmentPool } from './fragment-pool.js';
import type { StatementSpec } from './fragment-protocol.js';

/** A split without what does not cross threads: a Parquet footer object (the worker reads or caches its own). */
function plainSplit(s: Split): Split {
  return s.kind === 'parquet' && s.footer !== undefined ? { ...s, footer: undefined } : s;
}

/**
 * What each of `workers` fragment workers may hold: an equal share of the query's limit, so that the workers
 * together stay within it (the main thread's final steps hold their state under the full limit, as on one thread).
 */
export function workerMemory(m: MemorySettings, workers: number): MemorySettings {
  if (m.limitBytes <= 0 || workers < 2) return m;
  return { ...m, limitBytes: Math.max(1, Math.floor(m.limitBytes / workers)), limitText: `${m.limitText} (a 1/${workers} share for each worker thread)` };
}

/** Statements planned with workers in this process (StatementSpec.key). */
let statements = 0;

/**
 * The launcher the physical planner uses for one statement's fragments, or undefined on one thread. Each run
 * carries the statement (its parse tree and the settings that shape its plan), so that the worker binds and
 * optimizes it into the same logical plan and finds the fragment by its path.
 */
export function fragmentLauncher(query: Query, ctx: StatementContext, tableRows: ReadonlyMap<string, number> | undefined): FragmentLauncher | undefined {
  const p = ctx.parallel;
  if (p === undefined || p.threads < 2) return undefined;
  const statement: StatementSpec = {
    key: String(++statements), open: p.open, query, access: ctx.access, catalog: ctx.catalog, schema: ctx.schema,
    timeZone: ctx.evalCtx.timeZone, queryStartMicros: ctx.evalCtx.queryStartMicros.toString(),
    batchSize: ctx.batchSize, scanParallelRequests: ctx.scanParallelRequests, listingMaxAgeMs: ctx.listingMaxAgeMs,
    memory: workerMemory(ctx.memory, p.threads), tableRows: tableRows === undefined ? undefined : [...tableRows],
  };
  return {
    workers: p.threads,
    minRows: p.minRows,
    run: (req, signal) => fragmentPool().run({ statement, ...req, splits: req.splits.map(plainSplit) }, p.threads, signal),
  };
}
