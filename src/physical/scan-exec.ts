import type { RecordBatch, Schema } from 'apache-arrow';
import type { ScanKeyBits, ScanPlan, ScanRequest, Split, SplitReader, TableProvider } from '../catalog/index.js';
import { throwIfAborted } from '../common/index.js';
import { exprToString, type Expr } from '../expr/index.js';
import { RequestGate, newIoStats, type IoStats } from '../fs/index.js';
import type { OutCol } from '../plan/index.js';
import { makeBatch } from '../types/index.js';
import { columnsOf, schemaOf } from './batch-utils.js';
import { newMetrics, type ExecutionPlan, type TaskContext } from './execution-plan.js';
import { instrument } from './instrument.js';
import type { ProbeFilterTarget } from './probe-key-filter.js';

/** Splits loading ahead of the one being consumed. */
const PREFETCH = 2;

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** How a scan does its I/O (from session properties). */
export interface ScanIoSettings {
  /** Requests in flight for the scan. */
  readonly parallelRequests?: number | undefined;
  /** Files the scan holds open at once. */
  readonly maxOpenFiles?: number | undefined;
}

/**
 * IoStats that pass every change on to a second one as well: readers do `stats.bytesRead += n`, so the scan's
 * own counters (EXPLAIN ANALYZE per scan) and the query's (progress, totals) stay live together.
 */
function teeStats(own: IoStats, total: IoStats): IoStats {
  return {
    get bytesRead() {
      return own.bytesRead;
    },
    set bytesRead(v: number) {
      total.bytesRead += v - own.bytesRead;
      own.bytesRead = v;
    },
    get requests() {
      return own.requests;
    },
    set requests(v: number) {
      total.requests += v - own.requests;
      own.requests = v;
    },
  };
}

/** Reads the splits a provider planned, one after another, as batches of the scan's output columns. */
export class ScanExec implements ExecutionPlan {
  readonly children: readonly ExecutionPlan[] = [];
  readonly metrics = newMetrics();
  private readonly schema: Schema;
  private planningCounted = false;
  /** The probe filters of a ProbeFilterExec over this scan (their `column`: an output position). */
  private readonly probeTargets: ProbeFilterTarget[] = [];

  constructor(
    readonly output: readonly OutCol[],
    readonly table: TableProvider,
    readonly request: ScanRequest,
    readonly scanPlan: ScanPlan,
    /** Filters over the scan's own output, for EXPLAIN. */
    private readonly filters: readonly Expr[],
    /** What planning the scan (listing, footers) read. */
    planningIo: IoStats = newIoStats(),
    private readonly settings: ScanIoSettings = {},
  ) {
    this.schema = schemaOf(output);
    this.metrics.io = { planning: planningIo, reading: newIoStats() };
  }

  execute(ctx: TaskContext): AsyncIterable<RecordBatch> {
    return instrument(this.metrics, ctx, this.run(ctx));
  }

  /**
   * The filters of a ProbeFilterExec over this scan: the key bits armed when a split starts loading go to the
   * provider, which may drop the rows they would drop (SplitReader.read).
   */
  addProbeFilters(targets: readonly ProbeFilterTarget[]): void {
    this.probeTargets.push(...targets);
  }

  /** The armed key bits, on table columns. */
  private keyBits(): ScanKeyBits[] {
    return this.probeTargets.flatMap((t) => {
      const b = t.filter.bitsOf(t.side, t.key);
      const column = this.request.projection[t.column];
      return b === null || column === undefined ? [] : [{ column, min: b.min, range: b.range, bits: b.bits }];
    });
  }

  /** All batches of one split (a row group or a file: bounded by the writer's row-group size). */
  private async load(split: Split, read: (s: Split) => AsyncIterable<RecordBatch>): Promise<RecordBatch[]> {
    const out: RecordBatch[] = [];
    for await (const batch of read(split)) out.push(batch);
    return out;
  }

  /**
   * Parquet splits are read ahead: while the operators above work on split i, the next PREFETCH row groups are
   * fetched and decoded (decoding runs on worker threads), so I/O and decoding overlap with computation; at most
   * PREFETCH + 1 row groups are held. CSV splits are whole files, so they stream batch by batch instead.
   */
  private async *run(ctx: TaskContext): AsyncIterable<RecordBatch> {
    const splits = this.scanPlan.splits;
    const io = this.metrics.io!;
    ctx.progress.splitsTotal += splits.length;
    ctx.progress.bytesPlanned += this.scanPlan.summary.bytesToRead;
    if (!this.planningCounted) {
      this.planningCounted = true;
      ctx.io.bytesRead += io.planning.bytesRead;
      ctx.io.requests += io.planning.requests;
    }
    const stats = teeStats(io.reading, ctx.io);
    const onRowsDropped = (rows: number): void => {
      this.metrics.rowsDropped = (this.metrics.rowsDropped ?? 0) + rows;
      ctx.progress.rowsRead += rows;
    };
    const reader: SplitReader | undefined = this.table.openScan?.(this.request, {
      signal: ctx.signal, stats, gate: new RequestGate(this.settings.parallelRequests), maxOpenFiles: this.settings.maxOpenFiles, onRowsDropped,
    });
    const read = (split: Split): AsyncIterable<RecordBatch> =>
      reader !== undefined ? reader.read(split, this.keyBits()) : this.table.readSplit(split, this.request, { signal: ctx.signal, stats });
    const start = (i: number): Promise<RecordBatch[]> | undefined => {
      const split = splits[i];
      if (split === undefined || split.kind !== 'parquet') return undefined;
      const p = this.load(split, read);
      p.catch(() => undefined); // observed below; abandoned when the consumer stops early
      return p;
    };
    try {
      const inFlight: (Promise<RecordBatch[]> | undefined)[] = [];
      for (let k = 0; k <= PREFETCH; k++) inFlight.push(start(k));
      for (let i = 0; i < splits.length; i++) {
        throwIfAborted(ctx.signal);
        const loading = inFlight.shift();
        inFlight.push(start(i + 1 + PREFETCH));
        const batches = loading !== undefined ? await loading : read(splits[i]!);
        for await (const batch of batches) {
          ctx.progress.rowsRead += batch.numRows;
          // Re-label with the plan's output names (the provider names columns after the table).
          yield makeBatch(this.schema, columnsOf(batch), batch.numRows);
        }
        ctx.progress.splitsDone++;
      }
    } finally {
      await reader?.close();
    }
  }

  describe(): string {
    const s = this.scanPlan.summary;
    const parts = [`Scan ${this.table.name}`, `columns=[${this.output.map((c) => c.name).join(', ')}]`];
    if (this.filters.length > 0) parts.push(`filters=[${this.filters.map((f) => exprToString(f)).join(' AND ')}]`);
    if (s.partitionsTotal > 0) parts.push(`partitions=${s.partitionsKept}/${s.partitionsTotal}`);
    if (s.filesTotal > 0) parts.push(`files=${s.filesKept}/${s.filesTotal}`);
    if (s.rowGroupsTotal > 0) parts.push(`row_groups=${s.rowGroupsKept}/${s.rowGroupsTotal}`);
    if (s.bytesToRead > 0) parts.push(`bytes=${formatBytes(s.bytesToRead)}`);
    if (this.request.limit !== undefined) parts.push(`limit=${this.request.limit}`);
    return parts.join(' ');
  }
}

export { formatBytes };
