import type { RecordBatch, Schema } from 'apache-arrow';
import type { Split } from '../catalog/index.js';
import { throwIfAborted } from '../common/index.js';
import type { OutCol } from '../plan/index.js';
import { makeBatch, typeName } from '../types/index.js';
import { columnsOf, schemaOf } from './batch-utils.js';
import { newMetrics, type ExecutionPlan, type TaskContext } from './execution-plan.js';
import type { FragmentCounters, FragmentEvent, FragmentLauncher, FragmentMode, OperatorSnapshot } from './fragment.js';
import { instrument } from './instrument.js';
import { splitRows } from './estimate-rows.js';
import type { ScanExec } from './scan-exec.js';

/**
 * The exchange above a fragment that runs on worker threads: split i of the fragment's driving scan goes to worker
 * i mod N, and the workers' streams are merged here.
 *
 * 'rows' mode restores the scan's order exactly (split 0 from worker 0, split 1 from worker 1, …), so a query
 * sees the same rows in the same order as on one thread; each worker runs at most a few splits ahead (credits,
 * engine/parallel), which bounds what waits here. 'partial' mode takes batches as they come.
 *
 * `local` is the fragment as the main thread planned it: it is never executed, but it holds the scan plan
 * (splits), shows in EXPLAIN, and receives the workers' operator counters for EXPLAIN ANALYZE.
 */
export class GatherExec implements ExecutionPlan {
  readonly metrics = newMetrics();
  readonly children: readonly ExecutionPlan[];
  private readonly schema: Schema;
  private readonly mode: FragmentMode;

  constructor(
    readonly output: readonly OutCol[],
    private readonly local: ExecutionPlan,
    /** The fragment's driving scan (inside `local`): its splits are shared out. */
    private readonly scan: ScanExec,
    private readonly launcher: FragmentLauncher,
    private readonly at: { readonly path: readonly number[]; readonly scanPath: readonly number[]; readonly mode: FragmentMode; readonly filterRows?: number | undefined },
    /** For EXPLAIN: what the workers compute above `local` ('partial' mode). */
    private readonly label: string,
  ) {
    this.children = [local];
    this.schema = schemaOf(output);
    this.mode = at.mode;
  }

  execute(ctx: TaskContext): AsyncIterable<RecordBatch> {
    return instrument(this.metrics, ctx, this.run(ctx));
  }

  private workerCount(): number {
    // A global partial aggregation over no splits still needs one worker to yield its one row.
    return Math.max(1, Math.min(this.launcher.workers, this.scan.scanPlan.splits.length));
  }

  private async *run(ctx: TaskContext): AsyncIterable<RecordBatch> {
    const splits = this.scan.scanPlan.splits;
    const n = this.workerCount();
    ctx.progress.splitsTotal += splits.length;
    ctx.progress.bytesPlanned += this.scan.scanPlan.summary.bytesToRead;
    const planning = this.scan.metrics.io!.planning;
    ctx.io.bytesRead += planning.bytesRead;
    ctx.io.requests += planning.requests;
    const expect = this.output.map((c) => ({ id: c.id, type: typeName(c.type) }));
    const totalRows = splitRows(splits);
    const streams: AsyncIterator<FragmentEvent>[] = [];
    try {
      for (let w = 0; w < n; w++) {
        const share: Split[] = splits.filter((_, i) => i % n === w);
        streams.push(this.launcher.run({ ...this.at, splits: share, totalRows, expect }, ctx.signal)[Symbol.asyncIterator]());
      }
      const events = this.mode === 'rows' ? inSplitOrder(streams, splits.length) : asTheyCome(streams);
      for await (const e of events) {
        throwIfAborted(ctx.signal);
        this.count(ctx, e.counters);
        if (e.kind === 'batch') yield makeBatch(this.schema, columnsOf(e.batch), e.batch.numRows);
        else if (e.kind === 'done') this.addOperators(e.operators);
      }
    } finally {
      // Cancels the workers still running (an early LIMIT, an error elsewhere, an abort).
      await Promise.all(streams.map((s) => s.return?.()));
    }
  }

  private count(ctx: TaskContext, c: FragmentCounters): void {
    ctx.io.bytesRead += c.io.bytesRead;
    ctx.io.requests += c.io.requests;
    ctx.progress.rowsRead += c.rowsRead;
    ctx.progress.splitsDone += c.splitsDone;
    ctx.progress.spilledBytes += c.spilledBytes;
    if (c.peakMemoryBytes > 0) ctx.progress.peakMemoryBytes = Math.max(ctx.progress.peakMemoryBytes, ctx.progress.memoryBytes + c.peakMemoryBytes);
  }

  /** Adds a worker's operator counters into the local fragment's operators (same tree, depth-first). */
  private addOperators(ops: readonly OperatorSnapshot[]): void {
    const local: ExecutionPlan[] = [];
    const walk = (p: ExecutionPlan): void => {
      local.push(p);
      p.children.forEach(walk);
    };
    walk(this.local);
    if (local.length !== ops.length) return;
    local.forEach((p, i) => {
      const o = ops[i]!;
      p.metrics.rowsOut += o.rowsOut;
      p.metrics.batchesOut += o.batchesOut;
      // Workers run side by side: the slowest one is the operator's wall time.
      p.metrics.elapsedMs = Math.max(p.metrics.elapsedMs, o.elapsedMs);
      if (o.io !== undefined && p.metrics.io !== undefined) {
        p.metrics.io.reading.bytesRead += o.io.bytesRead;
        p.metrics.io.reading.requests += o.io.requests;
      }
    });
  }

  describe(): string {
    return `Gather workers=${this.workerCount()} ${this.mode === 'rows' ? 'order=splits' : `partial=[${this.label}]`}`;
  }
}

/** Worker w holds splits w, w+n, w+2n…: reads each worker up to its next split end, in turn. */
async function* inSplitOrder(streams: readonly AsyncIterator<FragmentEvent>[], splits: number): AsyncIterable<FragmentEvent> {
  const n = streams.length;
  for (let i = 0; i < splits; i++) {
    const s = streams[i % n]!;
    for (;;) {
      const r = await s.next();
      if (r.done === true) break;
      yield r.value;
      if (r.value.kind === 'split') break;
    }
  }
  // Every worker ends with its 'done' (counters, operator metrics).
  for (const s of streams) {
    for (;;) {
      const r = await s.next();
      if (r.done === true) break;
      yield r.value;
    }
  }
}

/** Every stream's events, interleaved in arrival order. */
async function* asTheyCome(streams: readonly AsyncIterator<FragmentEvent>[]): AsyncIterable<FragmentEvent> {
  const pending = new Map<number, Promise<{ w: number; r: IteratorResult<FragmentEvent> }>>();
  const pull = (w: number): void => {
    const p = streams[w]!.next().then((r) => ({ w, r }));
    p.catch(() => undefined); // observed by the race below, or abandoned after an early exit
    pending.set(w, p);
  };
  streams.forEach((_, w) => pull(w));
  while (pending.size > 0) {
    const { w, r } = await Promise.race(pending.values());
    if (r.done === true) {
      pending.delete(w);
      continue;
    }
    pull(w);
    yield r.value;
  }
}
