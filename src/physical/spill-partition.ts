import type { Schema } from 'apache-arrow';
import { concatColumns, makeBatch, takeColumn, type Column, type SqlType } from '../types/index.js';
import { columnsByteLength } from './batch-utils.js';
import type { MemoryReservation } from './query-memory.js';
import { SpillFile } from './spill-file.js';
import type { SpillSpace } from './spill-space.js';

/** Partitions per spill level: each level splits what did not fit 16 ways by a fresh slice of the key hash. */
export const SPILL_PARTITIONS = 16;
/** Levels of re-partitioning before giving up (16^6 partitions: only a single huge key gets that far). */
export const MAX_SPILL_DEPTH = 6;

/** The partition of a key hash at a spill level: a different mix per level, so re-partitioning splits again. */
export function partitionOf(hash: number, depth: number): number {
  let h = Math.imul(hash ^ Math.imul(depth + 1, 0x27d4eb2f), 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 13;
  return h & (SPILL_PARTITIONS - 1);
}

/** Rows a partition buffers before it writes them as one batch (each write has a fixed cost of a few ms). */
const FLUSH_ROWS = 32_768;

/**
 * SPILL_PARTITIONS spill files written by key hash: `write` sends each selected row of a batch to its partition's
 * file. A partition gathers its pieces while the reservation lets it hold them (up to FLUSH_ROWS rows), so that
 * small pieces do not become small writes. Files are made on first use; `finish` writes what is buffered;
 * `delete` removes them all (call it in `finally`).
 */
export class PartitionedSpill {
  readonly files: (SpillFile | undefined)[] = new Array<SpillFile | undefined>(SPILL_PARTITIONS).fill(undefined);
  private readonly pending: Column[][][] = Array.from({ length: SPILL_PARTITIONS }, () => []);
  private readonly pendingRows = new Int32Array(SPILL_PARTITIONS);
  private readonly pendingBytes = new Float64Array(SPILL_PARTITIONS);

  constructor(
    private readonly space: SpillSpace,
    private readonly reservation: MemoryReservation,
    private readonly schema: Schema,
    private readonly types: readonly SqlType[],
    private readonly tag: string,
    private readonly depth: number,
  ) {}

  /** Writes rows `rows[0..count)` of `cols` (all rows when `rows` is null) by their hashes. */
  async write(cols: readonly Column[], hashes: Int32Array, rows: Int32Array | null, count: number): Promise<void> {
    const sizes = new Int32Array(SPILL_PARTITIONS);
    const part = new Uint8Array(count);
    for (let j = 0; j < count; j++) {
      const i = rows === null ? j : rows[j]!;
      const p = partitionOf(hashes[i]!, this.depth);
      part[j] = p;
      sizes[p] = sizes[p]! + 1;
    }
    const sels = Array.from(sizes, (s) => new Int32Array(s));
    const fill = new Int32Array(SPILL_PARTITIONS);
    for (let j = 0; j < count; j++) {
      const p = part[j]!;
      sels[p]![fill[p]!] = rows === null ? j : rows[j]!;
      fill[p] = fill[p]! + 1;
    }
    for (let p = 0; p < SPILL_PARTITIONS; p++) {
      const m = sizes[p]!;
      if (m === 0) continue;
      const piece = cols.map((c) => takeColumn(c, sels[p]!, m));
      this.pending[p]!.push(piece);
      this.pendingRows[p] = this.pendingRows[p]! + m;
      const bytes = columnsByteLength(piece);
      if (this.pendingRows[p]! < FLUSH_ROWS && this.reservation.tryGrow(bytes)) this.pendingBytes[p] = this.pendingBytes[p]! + bytes;
      else await this.flush(p);
    }
  }

  /** Writes partition p's buffered rows as one batch. */
  private async flush(p: number): Promise<void> {
    const pieces = this.pending[p]!;
    const n = this.pendingRows[p]!;
    if (n === 0) return;
    const cols = pieces.length === 1 ? pieces[0]! : this.types.map((t, i) => concatColumns(pieces.map((x) => x[i]!), t));
    this.pending[p] = [];
    this.pendingRows[p] = 0;
    this.reservation.tryGrow(-this.pendingBytes[p]!);
    this.pendingBytes[p] = 0;
    const f = (this.files[p] ??= SpillFile.create(this.space, `${this.tag}-d${this.depth}-p${p}`, this.reservation));
    await f.append(makeBatch(this.schema, cols, n));
  }

  async finish(): Promise<void> {
    for (let p = 0; p < SPILL_PARTITIONS; p++) await this.flush(p);
    for (const f of this.files) await f?.finish();
  }

  async delete(): Promise<void> {
    await Promise.all(this.files.map((f) => f?.delete().catch(() => undefined)));
  }
}
