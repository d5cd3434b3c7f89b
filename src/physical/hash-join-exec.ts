import type { RecordBatch, Schema } from 'apache-arrow';
import { exprToString, type Expr, type PhysicalExpr } from '../expr/index.js';
import type { OutCol } from '../plan/index.js';
import { concatColumns, nullColumn, takeColumn, type Column, type SqlType } from '../types/index.js';
import { chunkColumns, columnsOf, concatBatches, evaluateAll, inputOf, schemaOf } from './batch-utils.js';
import { newMetrics, type ExecutionPlan, type TaskContext } from './execution-plan.js';
import { bufferBuildSide, graceJoin, type JoinSpillLevel } from './grace-join.js';
import { instrument } from './instrument.js';
import type { MemoryReservation } from './query-memory.js';
import { JoinHashTable } from './join-hash-table.js';
import { ReplayExec, type RuntimeKeyFilter } from './runtime-key-filter.js';
import type { ProbeKeyFilter } from './probe-key-filter.js';
import { PairBuffer, emitPairs, subqueryMultipleRows, type JoinEmitter, type JoinMode } from './join-emitter.js';

/** A join reads at most this many probe rows ahead to arm its runtime filter (runtime-key-filter.ts). */
const RUNTIME_FILTER_MAX_ROWS = 1 << 17;
/**
 * A join reads at most this many probe rows ahead to arm its build filter: TPC-H q09's 321k lineitems (about
 * 20 MB) then cut its orders build from 1.5M rows to the 300k they name.
 */
const BUILD_FILTER_MAX_ROWS = 1 << 19;

/** Options shared by the join operators. */
export interface JoinOptions {
  readonly mode: JoinMode;
  /** mark joins: the boolean column appended after the left columns. */
  readonly mark?: OutCol | undefined;
  /** mark joins for `x IN (subquery)`: the single key compares three-valued (NULL when nothing matched but a NULL took part). */
  readonly nullAware?: boolean | undefined;
  /** scalar subqueries: a left row matching two right rows is an error. */
  readonly singleMatch?: boolean | undefined;
}

function joinOutput(left: ExecutionPlan, right: ExecutionPlan, o: JoinOptions): OutCol[] {
  return o.mode === 'mark' ? [...left.output, o.mark!] : [...left.output, ...right.output];
}

function describeJoin(name: string, o: JoinOptions): string {
  const extra = [o.nullAware === true ? 'null-aware' : '', o.singleMatch === true ? 'single match' : ''].filter((x) => x !== '');
  return `${name} ${o.mode.toUpperCase()}${extra.length > 0 ? ` (${extra.join(', ')})` : ''}`;
}

/** FULL joins: the right rows no left row matched, with NULLs on the left. */
function* unmatchedRight(schema: Schema, left: readonly OutCol[], rightCols: readonly Column[], matched: Uint8Array, batchSize: number): Iterable<RecordBatch> {
  const idx: number[] = [];
  for (let r = 0; r < matched.length; r++) if (matched[r] === 0) idx.push(r);
  if (idx.length === 0) return;
  const sel = Int32Array.from(idx);
  const cols = [...left.map((c) => nullColumn(c.type, sel.length)), ...rightCols.map((c) => takeColumn(c, sel))];
  yield* chunkColumns(schema, cols, sel.length, batchSize);
}

/**
 * Equi-join: builds a hash table over the right input's keys (NULL keys never match), then streams the left
 * input through it. The build rows of each key lie together (JoinHashTable's offsets / rows). The rest of the
 * ON condition is a filter on candidate pairs. INNER, LEFT, FULL and MARK (semi/anti joins and IN/EXISTS
 * subqueries) joins.
 */
export class HashJoinExec implements ExecutionPlan {
  readonly metrics = newMetrics();
  readonly output: readonly OutCol[];
  readonly children: readonly ExecutionPlan[];
  private readonly schema: Schema;

  constructor(
    readonly left: ExecutionPlan,
    readonly right: ExecutionPlan,
    private readonly options: JoinOptions,
    private readonly leftKeys: readonly PhysicalExpr[],
    private readonly rightKeys: readonly PhysicalExpr[],
    private readonly keyTypes: readonly SqlType[],
    private readonly filter: PhysicalExpr | undefined,
    private readonly texts: { readonly keys: readonly [Expr, Expr][]; readonly filter?: Expr | undefined },
    /** A copy joining one spill partition pair (grace-join.ts). */
    private readonly spillLevel?: JoinSpillLevel | undefined,
    /** Armed with the probe keys before the build side runs, when the probe input is small (runtime-key-filter.ts). */
    private readonly runtimeFilter?: RuntimeKeyFilter | undefined,
    /** Armed with the build keys once the hash table is built, for the scans under the probe side (probe-key-filter.ts). */
    private readonly probeFilter?: ProbeKeyFilter | undefined,
    /**
     * Read the probe input's first batch before the build side: the joins under the probe side build first, and
     * their filters reach scans under the build side (physical-planner.ts transitiveFilters).
     */
    private readonly primeProbe = false,
    /**
     * Armed with the probe keys, when the probe input is small enough to read whole before the build side, for
     * the scans under the build side (physical-planner.ts, an unfiltered build scan).
     */
    private readonly buildFilter?: ProbeKeyFilter | undefined,
  ) {
    this.output = joinOutput(left, right, options);
    this.children = [left, right];
    this.schema = schemaOf(this.output);
  }

  execute(ctx: TaskContext): AsyncIterable<RecordBatch> {
    return instrument(this.metrics, ctx, this.run(ctx));
  }

  private async *run(ctx: TaskContext): AsyncIterable<RecordBatch> {
    const metrics = this.spillLevel?.metrics ?? this.metrics;
    const memory = ctx.memory.reservation(describeJoin('HashJoin', this.options), metrics);
    const rest = this.right.execute(ctx)[Symbol.asyncIterator]();
    let probe: ExecutionPlan = this.left;
    let probeRest: AsyncIterator<RecordBatch> | undefined;
    try {
      const rf = this.runtimeFilter, bf = this.buildFilter;
      if (rf !== undefined) {
        ({ probe, rest: probeRest } = await this.readProbeAhead(ctx, memory, RUNTIME_FILTER_MAX_ROWS, (keys, rows) => {
          rf.table = new JoinHashTable(this.keyTypes, keys, rows);
          rf.bits.arm(this.keyTypes, keys, rows);
        }));
      } else if (bf !== undefined) {
        ({ probe, rest: probeRest } = await this.readProbeAhead(ctx, memory, BUILD_FILTER_MAX_ROWS, (keys, rows) => bf.arm(this.keyTypes, keys, rows)));
      } else if (this.primeProbe) {
        ({ probe, rest: probeRest } = await this.readProbeAhead(ctx, memory, 0, undefined));
      }
      const depth = this.spillLevel?.depth ?? 0;
      const build = await bufferBuildSide(memory, rest, this.keyTypes.length, depth);
      if (!build.fits) {
        yield* graceJoin(ctx, memory, {
          mode: this.options.mode, buildSide: 'right', probe, build: this.right, probeKeys: this.leftKeys, buildKeys: this.rightKeys,
          keyTypes: this.keyTypes, depth, metrics,
          join: (p, b, level) => new HashJoinExec(p, b, this.options, this.leftKeys, this.rightKeys, this.keyTypes, this.filter, this.texts, level),
        }, build.batches, rest);
        return;
      }
      yield* this.join(ctx, build.batches, probe);
    } finally {
      memory.release();
      await rest.return?.();
      await probeRest?.return?.();
    }
  }

  /**
   * Reads the probe input ahead before the build side: up to its first non-empty batch (`primeProbe`), or up to
   * `maxRows` rows (and what query memory grants) to arm `arm` with all its keys when that is the whole input.
   * The probe side then replays what was read (and the rest).
   */
  private async readProbeAhead(
    ctx: TaskContext, memory: MemoryReservation, maxRows: number, arm: ((keys: readonly Column[], rows: number) => void) | undefined,
  ): Promise<{ probe: ExecutionPlan; rest: AsyncIterator<RecordBatch> }> {
    const it = this.left.execute(ctx)[Symbol.asyncIterator]();
    const head: RecordBatch[] = [];
    let rows = 0;
    let complete = false;
    for (;;) {
      const r = await it.next();
      if (r.done === true) {
        complete = true;
        break;
      }
      if (r.value.numRows === 0) continue;
      head.push(r.value);
      rows += r.value.numRows;
      if (arm === undefined) {
        memory.forceGrow(r.value.data.byteLength);
        break;
      }
      if (!memory.tryGrow(r.value.data.byteLength) || rows > maxRows) break;
    }
    if (complete && arm !== undefined) {
      const parts = head.map((b) => evaluateAll(this.leftKeys, inputOf(b)));
      arm(this.keyTypes.map((t, k) => concatColumns(parts.map((p) => p[k]!), t)), rows);
    }
    return { probe: new ReplayExec(this.left.output, head, complete ? undefined : it), rest: it };
  }

  /** The in-memory hash join over the build side's batches. */
  private async *join(ctx: TaskContext, batches: RecordBatch[], probe: ExecutionPlan): AsyncIterable<RecordBatch> {
    const o = this.options;
    const nR = batches.reduce((a, b) => a + b.numRows, 0);
    if (nR === 0 && (o.mode === 'inner' || o.mode === 'right')) return;
    const rightCols = concatBatches(this.right.output, batches);
    batches.length = 0;
    const buildKeys = evaluateAll(this.rightKeys, { columns: rightCols, rows: nR });
    const hash = new JoinHashTable(this.keyTypes, buildKeys, nR);
    this.probeFilter?.arm(this.keyTypes, buildKeys, nR);
    const { offsets, rows: buildRows } = hash;
    // Probe.
    const rightMatched = o.mode === 'full' || o.mode === 'right' ? new Uint8Array(nR) : undefined;
    const emitter: JoinEmitter = { schema: this.schema, filter: this.filter, mode: o.mode, singleMatch: o.singleMatch === true, batchSize: ctx.batchSize, rightMatched };
    // A mark join without a residual filter only needs to know whether a key matched.
    const firstOnly = o.mode === 'mark' && this.filter === undefined;
    const pairs = new PairBuffer();
    for await (const batch of probe.execute(ctx)) {
      const n = batch.numRows;
      if (n === 0) continue;
      const { groups, nullKey } = hash.probe(evaluateAll(this.leftKeys, inputOf(batch)), n);
      pairs.reset();
      for (let i = 0; i < n; i++) {
        const g = groups[i]!;
        if (g < 0) continue;
        const end = firstOnly ? offsets[g]! + 1 : offsets[g + 1]!;
        for (let p = offsets[g]!; p < end; p++) pairs.push(i, buildRows[p]!);
      }
      let nullIfUnmatched: Uint8Array | undefined;
      // NULL-aware IN answers for the whole subquery, also when this is one spill partition of it.
      const level = this.spillLevel;
      if (o.nullAware === true && (nR > 0 || (level?.rightRows ?? 0) > 0)) {
        nullIfUnmatched = hash.hasNullKey || level?.rightHasNullKey === true ? new Uint8Array(n).fill(1) : nullKey;
      }
      yield* emitPairs(emitter, columnsOf(batch), n, rightCols, pairs, nullIfUnmatched);
    }
    if (rightMatched !== undefined) yield* unmatchedRight(this.schema, this.left.output, rightCols, rightMatched, ctx.batchSize);
  }

  describe(): string {
    const on = this.texts.keys.map(([l, r]) => `${exprToString(l)} = ${exprToString(r)}`);
    if (this.texts.filter !== undefined) on.push(exprToString(this.texts.filter));
    return `${describeJoin('HashJoin', this.options)} on [${on.join(' AND ')}] (build: right)`;
  }
}

/**
 * Joins without equality keys: every left row against every right row (CROSS JOIN, non-equi ON, uncorrelated
 * EXISTS and scalar subqueries).
 */
export class NestedLoopJoinExec implements ExecutionPlan {
  readonly metrics = newMetrics();
  readonly output: readonly OutCol[];
  readonly children: readonly ExecutionPlan[];
  private readonly schema: Schema;

  constructor(
    readonly left: ExecutionPlan,
    readonly right: ExecutionPlan,
    private readonly options: JoinOptions,
    private readonly filter: PhysicalExpr | undefined,
    private readonly filterText: Expr | undefined,
  ) {
    this.output = joinOutput(left, right, options);
    this.children = [left, right];
    this.schema = schemaOf(this.output);
  }

  execute(ctx: TaskContext): AsyncIterable<RecordBatch> {
    return instrument(this.metrics, ctx, this.run(ctx));
  }

  private async *run(ctx: TaskContext): AsyncIterable<RecordBatch> {
    const o = this.options;
    // Does not spill: the right side must fit in query_max_memory.
    const memory = ctx.memory.reservation(describeJoin('NestedLoopJoin', o), this.metrics);
    try {
      yield* this.join(ctx, memory);
    } finally {
      memory.release();
    }
  }

  private async *join(ctx: TaskContext, memory: MemoryReservation): AsyncIterable<RecordBatch> {
    const o = this.options;
    const batches: RecordBatch[] = [];
    for await (const b of this.right.execute(ctx)) {
      if (b.numRows === 0) continue;
      batches.push(b);
      memory.grow(b.data.byteLength, 'right side rows');
    }
    const nR = batches.reduce((a, b) => a + b.numRows, 0);
    const rightCols = concatBatches(this.right.output, batches);
    if (nR === 0 && (o.mode === 'inner' || o.mode === 'right')) return;
    // An uncorrelated scalar subquery: more than one row is an error whatever the outer rows.
    if (o.singleMatch === true && this.filter === undefined && nR > 1) throw subqueryMultipleRows();
    const rightMatched = o.mode === 'full' || o.mode === 'right' ? new Uint8Array(nR) : undefined;
    const emitter: JoinEmitter = { schema: this.schema, filter: this.filter, mode: o.mode, singleMatch: o.singleMatch === true, batchSize: ctx.batchSize, rightMatched };
    const pairs = new PairBuffer();
    for await (const batch of this.left.execute(ctx)) {
      const n = batch.numRows;
      // Left rows per round so that a round makes at most about one batch of pairs.
      const step = Math.max(1, Math.floor(ctx.batchSize / Math.max(nR, 1)));
      for (let start = 0; start < n; start += step) {
        const end = Math.min(n, start + step);
        pairs.reset();
        for (let i = start; i < end; i++) for (let r = 0; r < nR; r++) pairs.push(i - start, r);
        const sel = new Int32Array(end - start);
        for (let i = start; i < end; i++) sel[i - start] = i;
        const leftCols = columnsOf(batch).map((c) => takeColumn(c, sel, end - start));
        yield* emitPairs(emitter, leftCols, end - start, rightCols, pairs);
      }
    }
    if (rightMatched !== undefined) yield* unmatchedRight(this.schema, this.left.output, rightCols, rightMatched, ctx.batchSize);
  }

  describe(): string {
    return `${describeJoin('NestedLoopJoin', this.options)}${this.filterText === undefined ? '' : ` on [${exprToString(this.filterText)}]`}`;
  }
}
