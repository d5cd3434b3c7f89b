import { RecordBatch, Table, tableToIPC } from 'apache-arrow';
import { ShoalError, internalError } from '../../common/index.js';
import { ListingScope, newIoStats, type IoStats } from '../../fs/index.js';
import { optimize } from '../../optimizer/index.js';
import type { LogicalPlan } from '../../plan/index.js';
import { QueryMemory, createFragmentPlan, newProgress, type ExecutionPlan, type FragmentCounters, type OperatorSnapshot, type TaskContext } from '../../physical/index.js';
import { typeName } from '../../types/index.js';
import type { StatementContext } from '../query-context.js';
import { binderFor } from '../run-query.js';
import { Shoal } from '../shoal.js';
import type { FragmentSpec, FromWorker } from './fragment-protocol.js';

/** 'rows' runs: splits a worker may finish before the main thread has taken the earlier ones. */
const SPLITS_AHEAD = 2;

const engines = new Map<string, Promise<Shoal>>();

/** One engine per set of open options per worker, kept for later fragments (catalogs, metadata caches). */
function engineFor(spec: FragmentSpec): Promise<Shoal> {
  const key = JSON.stringify(spec.statement.open);
  let e = engines.get(key);
  if (e === undefined) {
    // One decoder thread per fragment worker: the workers together read ahead as much as the main thread's pool.
    e = Shoal.open({ ...spec.statement.open, threads: 1, decoderThreads: 1 });
    e.catch(() => engines.delete(key));
    engines.set(key, e);
  }
  return e;
}

/** A statement bound and optimized in this worker, shared by the runs of its fragments. */
interface PlannedStatement {
  readonly optimized: LogicalPlan;
  /** The statement's listings, for planning each fragment's other scans (one listing per statement, as on the main thread). */
  readonly listing: ListingScope;
  /** What binding read; counted by the statement's first run only. */
  readonly bindIo: IoStats;
  counted: boolean;
}

/** The last few statements this worker planned, by StatementSpec.key. */
const planned = new Map<string, Promise<PlannedStatement>>();
const PLANNED_KEPT = 4;

async function bindAndOptimize(ctx: StatementContext, spec: FragmentSpec): Promise<PlannedStatement> {
  const bindIo = newIoStats();
  const listing = new ListingScope(ctx.listingMaxAgeMs);
  const relation = await binderFor(ctx, { stats: bindIo, listing }).bindQuery(spec.statement.query, new Map());
  // The main thread's table row counts: join order depends on them, and the fragments must match its plan.
  const tableRows = spec.statement.tableRows === undefined ? undefined : new Map(spec.statement.tableRows);
  return { optimized: optimize(relation.plan, { evalCtx: ctx.evalCtx, tableRows }), listing, bindIo, counted: false };
}

/**
 * The statement's plan: bound by the first of its runs to arrive, awaited by the others. A run whose own signal
 * is live binds again when that shared binding failed because another run was canceled.
 */
async function statementPlan(ctx: StatementContext, spec: FragmentSpec): Promise<PlannedStatement> {
  const key = spec.statement.key;
  let p = planned.get(key);
  if (p === undefined) {
    const mine = bindAndOptimize(ctx, spec);
    mine.catch(() => {
      if (planned.get(key) === mine) planned.delete(key);
    });
    planned.set(key, mine);
    for (const old of planned.keys()) {
      if (planned.size <= PLANNED_KEPT) break;
      planned.delete(old);
    }
    return mine;
  }
  try {
    return await p;
  } catch (e) {
    if (ctx.signal.aborted || !(e instanceof ShoalError && e.code === 'USER_CANCELED')) throw e;
    p = bindAndOptimize(ctx, spec);
    return p;
  }
}

function statementContext(shoal: Shoal, spec: FragmentSpec, signal: AbortSignal): StatementContext {
  const st = spec.statement;
  return {
    catalogs: shoal.catalogs, functions: shoal.functions, fs: shoal.fs, cwd: shoal.cwd, pathRoots: shoal.pathRoots, access: st.access,
    catalog: st.catalog, schema: st.schema, signal,
    evalCtx: { timeZone: st.timeZone, queryStartMicros: BigInt(st.queryStartMicros) },
    batchSize: st.batchSize, maxScanBytes: 0, maxScanBytesText: '', scanParallelRequests: st.scanParallelRequests, listingMaxAgeMs: st.listingMaxAgeMs,
    write: { existingPartitions: 'error', targetFileBytes: 0, rowGroupBytes: 0 },
    abort: () => undefined, parallel: undefined, memory: st.memory,
  };
}

/** How the worker talks back: post a message (with transfers), and wait for the main thread's next credit. */
export interface FragmentChannel {
  send(m: FromWorker, transfer?: ArrayBuffer[]): void;
  /** Resolves once the main thread has taken `splits` of this run's splits (or the run was canceled). */
  credited(splits: number): Promise<void>;
}

function ipcOf(batch: RecordBatch): ArrayBuffer {
  const bytes = tableToIPC(new Table(batch), 'stream');
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer as ArrayBuffer : bytes.slice().buffer;
}

function snapshots(local: ExecutionPlan): OperatorSnapshot[] {
  const out: OperatorSnapshot[] = [];
  const walk = (p: ExecutionPlan): void => {
    const m = p.metrics;
    out.push({ rowsOut: m.rowsOut, batchesOut: m.batchesOut, elapsedMs: m.elapsedMs, io: m.io === undefined ? undefined : { ...m.io.reading } });
    p.children.forEach(walk);
  };
  walk(local);
  return out;
}

/**
 * Runs one fragment in this worker: binds and optimizes the statement as the main thread did (once per statement,
 * see statementPlan), plans the fragment
 * at the spec's path over the spec's splits, and streams its batches (Arrow IPC, buffers transferred), a 'split'
 * event after each split's last batch, and 'done' with the counters and operator metrics.
 */
export async function runFragment(id: number, spec: FragmentSpec, signal: AbortSignal, channel: FragmentChannel): Promise<void> {
  const shoal = await engineFor(spec);
  const ctx = statementContext(shoal, spec, signal);
  const plan = await statementPlan(ctx, spec);
  const { optimized, listing, bindIo } = plan;
  const { exec, local } = await createFragmentPlan(optimized, spec, spec, {
    evalCtx: ctx.evalCtx, signal, listing, scanIo: { parallelRequests: ctx.scanParallelRequests },
  });
  const got = exec.output.map((c) => `${c.id}:${typeName(c.type)}`).join(',');
  const want = spec.expect.map((c) => `${c.id}:${c.type}`).join(',');
  if (got !== want) throw internalError(`a worker planned a different fragment (${got} instead of ${want})`);
  const progress = newProgress();
  const task: TaskContext = { signal, evalCtx: ctx.evalCtx, io: newIoStats(), progress, batchSize: ctx.batchSize, memory: new QueryMemory(spec.statement.memory, progress) };
  if (!plan.counted) {
    plan.counted = true;
    task.io.bytesRead += bindIo.bytesRead;
    task.io.requests += bindIo.requests;
  }
  const sent = { bytesRead: 0, requests: 0, rowsRead: 0, splitsDone: 0, spilledBytes: 0 };
  const counters = (): FragmentCounters => {
    const c = {
      io: { bytesRead: task.io.bytesRead - sent.bytesRead, requests: task.io.requests - sent.requests },
      rowsRead: task.progress.rowsRead - sent.rowsRead, splitsDone: task.progress.splitsDone - sent.splitsDone,
      peakMemoryBytes: task.progress.peakMemoryBytes, spilledBytes: task.progress.spilledBytes - sent.spilledBytes,
    };
    sent.spilledBytes = task.progress.spilledBytes;
    sent.bytesRead = task.io.bytesRead;
    sent.requests = task.io.requests;
    sent.rowsRead = task.progress.rowsRead;
    sent.splitsDone = task.progress.splitsDone;
    return c;
  };
  let splitsSent = 0;
  // The scan counts a split done when the operators above ask for more after its last batch, so every batch
  // that comes out after the count moved belongs to a later split: the 'split' events go first.
  const splitsUpTo = async (done: number): Promise<void> => {
    while (splitsSent < done) {
      channel.send({ t: 'split', id, counters: counters() });
      splitsSent++;
      if (spec.mode === 'rows') await channel.credited(splitsSent - SPLITS_AHEAD + 1);
    }
  };
  try {
    for await (const batch of exec.execute(task)) {
      await splitsUpTo(task.progress.splitsDone);
      if (batch.numRows === 0) continue;
      const ipc = ipcOf(batch);
      channel.send({ t: 'batch', id, ipc, counters: counters() }, [ipc]);
    }
    await splitsUpTo(spec.splits.length);
    channel.send({ t: 'done', id, counters: counters(), operators: snapshots(local) });
  } finally {
    task.memory.dispose();
  }
}
