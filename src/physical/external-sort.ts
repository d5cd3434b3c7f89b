import type { RecordBatch, Schema } from 'apache-arrow';
import type { PhysicalExpr } from '../expr/index.js';
import { concatColumns, takeColumn, type Column, type SqlType } from '../types/index.js';
import { chunkColumns, columnsByteLength, columnsOf, evaluateAll } from './batch-utils.js';
import type { MemoryReservation } from './query-memory.js';
import { deleteAll, SpillFile } from './spill-file.js';
import type { SpillSpace } from './spill-space.js';
import { rowComparator, sortPermutation, type SortSpec } from './sort-exec.js';

/** One sorted run being merged: its current batch, that batch's key columns and the next row to take. */
interface Cursor {
  readonly it: AsyncIterator<RecordBatch>;
  cols: Column[];
  keys: Column[];
  n: number;
  pos: number;
  /** Bytes of `cols` and `keys`, counted in the sort's reservation while the batch is loaded. */
  bytes: number;
}

/**
 * External merge sort for ORDER BY without LIMIT: when the sort buffer cannot grow, SortExec sorts what it holds
 * and writes it here as a run; at the end the runs (and the last, in-memory one) are merged. The merge works on
 * batches, not rows: the smallest last key among the runs' current batches bounds what can be emitted now, every
 * run contributes its rows up to that bound (binary search), and those rows are sorted together and emitted. Each
 * round empties at least one current batch, so memory stays at one batch per run plus the round's rows. The
 * loaded batches are counted in the sort's reservation past the limit (`force`): the merge cannot spill further,
 * and its fan-in (one batch per run) is what any external merge needs.
 */
export class SortRuns {
  private readonly files: SpillFile[] = [];

  constructor(
    private readonly space: SpillSpace,
    private readonly reservation: MemoryReservation,
    private readonly schema: Schema,
    private readonly types: readonly SqlType[],
    private readonly keys: readonly PhysicalExpr[],
    private readonly specs: readonly SortSpec[],
    private readonly batchSize: number,
  ) {}

  get count(): number {
    return this.files.length;
  }

  /** Writes `n` sorted rows as a run. */
  async spillRun(cols: readonly Column[], n: number): Promise<void> {
    const f = SpillFile.create(this.space, 'sort-run', this.reservation);
    this.files.push(f);
    for (const b of chunkColumns(this.schema, cols, n, this.batchSize)) await f.append(b);
    await f.finish();
  }

  /** Merges the spilled runs with a last sorted run held in memory; deletes the files when done or abandoned. */
  async *merge(lastCols: readonly Column[], lastN: number): AsyncIterable<RecordBatch> {
    const sources: AsyncIterator<RecordBatch>[] = this.files.map((f) => f.read()[Symbol.asyncIterator]());
    if (lastN > 0) sources.push(memoryRun(this.schema, lastCols, lastN, this.batchSize));
    const cursors: Cursor[] = sources.map((it) => ({ it, cols: [], keys: [], n: 0, pos: 0, bytes: 0 }));
    try {
      let live = cursors;
      for (;;) {
        const next: Cursor[] = [];
        for (const c of live) if (await this.fill(c)) next.push(c);
        live = next;
        if (live.length === 0) return;
        if (live.length === 1) {
          const c = live[0]!;
          yield* chunkColumns(this.schema, c.cols.map((col) => slice(col, c.pos, c.n)), c.n - c.pos, this.batchSize);
          c.pos = c.n;
          continue;
        }
        yield* this.round(live);
      }
    } finally {
      await Promise.all(cursors.map((c) => c.it.return?.()));
      await this.dispose();
    }
  }

  async dispose(): Promise<void> {
    await deleteAll(this.files);
    this.files.length = 0;
  }

  /** Loads the cursor's next batch when its current one is used up; false once the run is exhausted. */
  private async fill(c: Cursor): Promise<boolean> {
    while (c.pos >= c.n) {
      const r = await c.it.next();
      if (r.done === true) {
        this.recount(c, 0);
        return false;
      }
      c.cols = columnsOf(r.value);
      c.n = r.value.numRows;
      c.pos = 0;
      c.keys = evaluateAll(this.keys, { columns: c.cols, rows: c.n });
      this.recount(c, columnsByteLength(c.cols) + columnsByteLength(c.keys));
    }
    return true;
  }

  /** Replaces the cursor's counted bytes with `bytes` in the reservation. */
  private recount(c: Cursor, bytes: number): void {
    this.reservation.force(this.reservation.bytes - c.bytes + bytes);
    c.bytes = bytes;
  }

  /** Emits every row not after the smallest of the current batches' last keys. */
  private *round(live: readonly Cursor[]): Iterable<RecordBatch> {
    const lastRows = live.map((c) => this.keyRow(c, c.n - 1));
    const lastKeys = this.keys.map((_, k) => concatColumns(lastRows.map((r) => r[k]!), this.specs[k]!.type));
    const order = sortPermutation(lastKeys, this.specs, live.length);
    const bound = lastRows[order[0]!]!;
    const parts: Column[][] = [];
    let total = 0;
    for (const c of live) {
      const end = this.upTo(c, bound);
      if (end === c.pos) continue;
      parts.push(c.cols.map((col) => slice(col, c.pos, end)));
      total += end - c.pos;
      c.pos = end;
    }
    const cols = this.types.map((t, i) => concatColumns(parts.map((p) => p[i]!), t));
    const keys = evaluateAll(this.keys, { columns: cols, rows: total });
    const perm = sortPermutation(keys, this.specs, total);
    yield* chunkColumns(this.schema, cols.map((c) => takeColumn(c, perm, total)), total, this.batchSize);
  }

  /** Key columns of one row of the cursor's batch. */
  private keyRow(c: Cursor, row: number): Column[] {
    return c.keys.map((k) => slice(k, row, row + 1));
  }

  /** The first row at or after c.pos whose key sorts after `bound` (the batch is sorted). */
  private upTo(c: Cursor, bound: readonly Column[]): number {
    const keys = bound.map((b, k) => concatColumns([b, c.keys[k]!], this.specs[k]!.type));
    const cmp = rowComparator(keys, this.specs);
    let lo = c.pos, hi = c.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cmp(mid + 1, 0) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function slice(col: Column, start: number, end: number): Column {
  const sel = new Int32Array(end - start);
  for (let i = 0; i < sel.length; i++) sel[i] = start + i;
  return takeColumn(col, sel, sel.length);
}

async function* memoryRunGen(schema: Schema, cols: readonly Column[], n: number, size: number): AsyncGenerator<RecordBatch> {
  yield* chunkColumns(schema, cols, n, size);
}

function memoryRun(schema: Schema, cols: readonly Column[], n: number, size: number): AsyncIterator<RecordBatch> {
  return memoryRunGen(schema, cols, n, size)[Symbol.asyncIterator]();
}
