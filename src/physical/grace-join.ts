import type { RecordBatch } from 'apache-arrow';
import type { PhysicalExpr } from '../expr/index.js';
import type { OutCol } from '../plan/index.js';
import { validity, type Column, type SqlType } from '../types/index.js';
import { columnsOf, evaluateAll, inputOf, schemaOf } from './batch-utils.js';
import type { ExecutionPlan, OperatorMetrics, TaskContext } from './execution-plan.js';
import type { JoinMode } from './join-emitter.js';
import type { MemoryReservation } from './query-memory.js';
import { KeyHasher } from './spill-key-hash.js';
import { MAX_SPILL_DEPTH, PartitionedSpill, SPILL_PARTITIONS } from './spill-partition.js';
import { SpillSourceExec } from './spill-source-exec.js';

/**
 * What a hash join joining one spill partition pair needs to know about the whole join: its level and the metrics
 * it reports to, and, for NULL-aware IN (whose answer depends on the whole subquery, the right input), whether the
 * right input had rows and whether one had a NULL key.
 */
export interface JoinSpillLevel {
  readonly depth: number;
  readonly metrics: OperatorMetrics;
  readonly rightRows: number;
  readonly rightHasNullKey: boolean;
}

export interface GraceJoinSpec {
  readonly mode: JoinMode;
  /** Which input is the build side: the right (HashJoinExec) or the left (OuterBuildMarkJoinExec). */
  readonly buildSide: 'left' | 'right';
  readonly probe: ExecutionPlan;
  readonly build: { readonly output: readonly OutCol[] };
  readonly probeKeys: readonly PhysicalExpr[];
  readonly buildKeys: readonly PhysicalExpr[];
  readonly keyTypes: readonly SqlType[];
  readonly depth: number;
  readonly metrics: OperatorMetrics;
  /** The hash join over one partition pair, one level down. */
  readonly join: (probe: ExecutionPlan, build: ExecutionPlan, level: JoinSpillLevel) => ExecutionPlan;
}

/** Whether a further level may spill (else the join fails with EXCEEDED_MEMORY_LIMIT). */
/**
 * Reads a join's build side from `rest` into memory, reserving its batches plus an estimate of the hash table.
 * `fits: false` when the reservation was refused once the operator holds enough to be worth spilling: the
 * caller then hands `batches` and the rest of `rest` to graceJoin. Throws EXCEEDED_MEMORY_LIMIT when the join is
 * already at its deepest spill level.
 */
export async function bufferBuildSide(
  memory: MemoryReservation, rest: AsyncIterator<RecordBatch>, keyCount: number, depth: number,
): Promise<{ readonly batches: RecordBatch[]; readonly fits: boolean }> {
  const batches: RecordBatch[] = [];
  const perRow = 8 * keyCount + 40;
  for (;;) {
    const r = await rest.next();
    if (r.done === true) return { batches, fits: true };
    const b = r.value;
    if (b.numRows === 0) continue;
    batches.push(b);
    const bytes = b.data.byteLength + b.numRows * perRow;
    if (memory.tryGrow(bytes)) continue;
    if (!memory.worthSpilling) {
      memory.forceGrow(bytes); // small so far: spill when refused again
      continue;
    }
    if (!canSpillJoin(depth)) throw memory.exceeded(bytes, 'build side rows');
    return { batches, fits: false };
  }
}

export function canSpillJoin(depth: number): boolean {
  return depth < MAX_SPILL_DEPTH;
}

/**
 * Grace hash join, for a build side past query_max_memory: the build rows (those already held, then the rest of
 * the stream) and then the probe rows are written to SPILL_PARTITIONS file pairs by key hash, so rows with equal
 * keys land in the same pair, and the pairs are joined one at a time by a copy of the hash join (which spills
 * again, with a new hash slice, if a partition's build side still does not fit). Every join mode stays exact:
 * matches happen only within a pair; unmatched probe rows (LEFT, MARK) and build rows (FULL) are found in their
 * pair, NULL keys included; a probe row's matches are all in one pair (scalar subqueries' single-match check);
 * NULL-aware IN gets the right input's row count and NULL-key flag through JoinSpillLevel.
 */
export async function* graceJoin(
  ctx: TaskContext, memory: MemoryReservation, spec: GraceJoinSpec, held: RecordBatch[], rest: AsyncIterator<RecordBatch>,
): AsyncIterable<RecordBatch> {
  const hasher = new KeyHasher(spec.keyTypes, true);
  const partitioned = (input: readonly OutCol[], tag: string): PartitionedSpill =>
    new PartitionedSpill(ctx.memory.spill, memory, schemaOf(input), input.map((c) => c.type), tag, spec.depth);
  const build = partitioned(spec.build.output, 'join-build');
  const probe = partitioned(spec.probe.output, 'join-probe');
  try {
    let rightRows = 0;
    let rightHasNullKey = false;
    const noteRight = (keys: readonly Column[], n: number): void => {
      rightRows += n;
      if (!rightHasNullKey && keys.some((k) => validity(k) !== null)) rightHasNullKey = true;
    };
    const writeBuild = async (b: RecordBatch): Promise<void> => {
      const n = b.numRows;
      if (n === 0) return;
      const keys = evaluateAll(spec.buildKeys, inputOf(b));
      if (spec.buildSide === 'right') noteRight(keys, n);
      await build.write(columnsOf(b), hasher.hash(keys, n), null, n);
    };
    for (const b of held) await writeBuild(b);
    held.length = 0;
    memory.release();
    for (;;) {
      const r = await rest.next();
      if (r.done === true) break;
      await writeBuild(r.value);
    }
    await build.finish();
    for await (const b of spec.probe.execute(ctx)) {
      const n = b.numRows;
      if (n === 0) continue;
      const keys = evaluateAll(spec.probeKeys, inputOf(b));
      if (spec.buildSide === 'left') noteRight(keys, n);
      await probe.write(columnsOf(b), hasher.hash(keys, n), null, n);
    }
    await probe.finish();
    const level: JoinSpillLevel = { depth: spec.depth + 1, metrics: spec.metrics, rightRows, rightHasNullKey };
    for (let p = 0; p < SPILL_PARTITIONS; p++) {
      const bf = build.files[p], pf = probe.files[p];
      // A pair yields rows only for the rows of the input every row of which is emitted (the left: probe rows,
      // or build rows when the left input is the build side), or for FULL and RIGHT joins for build rows too.
      const needed = spec.buildSide === 'left' ? bf !== undefined : pf !== undefined || (bf !== undefined && (spec.mode === 'full' || spec.mode === 'right'));
      if (needed) {
        const sub = spec.join(new SpillSourceExec(spec.probe.output, pf), new SpillSourceExec(spec.build.output, bf), level);
        yield* sub.execute(ctx);
      }
      await Promise.all([bf?.delete(), pf?.delete()]);
      build.files[p] = undefined;
      probe.files[p] = undefined;
    }
  } finally {
    await rest.return?.();
    await Promise.all([build.delete(), probe.delete()]);
  }
}
