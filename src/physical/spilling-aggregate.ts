import type { RecordBatch } from 'apache-arrow';
import type { OutCol } from '../plan/index.js';
import { makeBatch, takeColumn, type Column, type SqlType } from '../types/index.js';
import { columnsOf, schemaOf } from './batch-utils.js';
import type { ExecutionPlan, TaskContext } from './execution-plan.js';
import type { MemoryReservation } from './query-memory.js';
import { KeyHasher } from './spill-key-hash.js';
import { MAX_SPILL_DEPTH, PartitionedSpill } from './spill-partition.js';
import { SpillSourceExec } from './spill-source-exec.js';

/**
 * Hash aggregation past query_max_memory (hybrid hash aggregation). When the group table cannot grow, the groups
 * already in memory stay there and keep taking their rows; rows whose key is not in the table are written, whole,
 * to SPILL_PARTITIONS files by key hash. A key is either in memory or spilled for the whole input, so the
 * in-memory groups are complete when the input ends and are emitted; then each partition is aggregated by a fresh
 * copy of the operator over its file, which spills again (a new hash slice) if it still does not fit. Needs no
 * merging of partial states, so every aggregate function works. The states of the groups kept in memory may still
 * grow (see `tolerates`); what cannot be helped — groups whose states outgrow twice the limit (array_agg of
 * everything, DISTINCT or ordered aggregates over huge groups) — fails with EXCEEDED_MEMORY_LIMIT.
 */
export class AggregateSpiller {
  private spill: PartitionedSpill | undefined;
  private readonly hasher: KeyHasher;

  constructor(
    private readonly ctx: TaskContext,
    private readonly reservation: MemoryReservation,
    private readonly input: readonly OutCol[],
    keyTypes: readonly SqlType[],
    readonly depth: number,
  ) {
    this.hasher = new KeyHasher(keyTypes, false);
  }

  get active(): boolean {
    return this.spill !== undefined;
  }

  /**
   * Whether the operator may hold `bytes` past the limit and go on (spilling new keys): on the first overflow
   * when a further level may spill; once spilling, while the groups in memory (whose states may still grow: min and
   * max of strings, array_agg) stay within twice the limit. Else the operator fails with EXCEEDED_MEMORY_LIMIT.
   */
  tolerates(bytes: number): boolean {
    if (this.spill === undefined) return this.depth < MAX_SPILL_DEPTH;
    const limit = this.ctx.memory.settings.limitBytes;
    return limit > 0 && bytes <= 2 * limit;
  }

  start(): void {
    this.spill ??= new PartitionedSpill(this.ctx.memory.spill, this.reservation, schemaOf(this.input), this.input.map((c) => c.type), 'agg', this.depth);
  }

  /**
   * Writes the rows whose key (`keys`) is not in memory (`found[i] < 0`) to their partitions; returns the others,
   * or undefined when none is left.
   */
  async divert(batch: RecordBatch, keys: readonly Column[], found: Int32Array): Promise<RecordBatch | undefined> {
    const n = batch.numRows;
    const out = new Int32Array(n);
    const keep = new Int32Array(n);
    let nOut = 0, nKeep = 0;
    for (let i = 0; i < n; i++) {
      if (found[i]! < 0) out[nOut++] = i;
      else keep[nKeep++] = i;
    }
    const cols = columnsOf(batch);
    if (nOut > 0) await this.spill!.write(cols, this.hasher.hash(keys, n), out, nOut);
    if (nKeep === n) return batch;
    if (nKeep === 0) return undefined;
    return makeBatch(batch.schema, cols.map((c) => takeColumn(c, keep, nKeep)), nKeep);
  }

  /** Aggregates the partitions one by one with `level` (a copy of the operator over a spill file, one level down). */
  async *drain(level: (source: ExecutionPlan, depth: number) => ExecutionPlan): AsyncIterable<RecordBatch> {
    const spill = this.spill;
    if (spill === undefined) return;
    await spill.finish();
    for (let p = 0; p < spill.files.length; p++) {
      const f = spill.files[p];
      if (f === undefined) continue;
      yield* level(new SpillSourceExec(this.input, f), this.depth + 1).execute(this.ctx);
      await f.delete();
      spill.files[p] = undefined;
    }
  }

  async dispose(): Promise<void> {
    await this.spill?.delete();
  }
}
