import type { RecordBatch, Schema } from 'apache-arrow';
import { exprToString, materialize, selectTrue, type Expr, type PhysicalExpr } from '../expr/index.js';
import type { OutCol } from '../plan/index.js';
import { takeColumn, type Column, type SqlType } from '../types/index.js';
import { chunkColumns, columnsOf, concatBatches, evaluateAll, inputOf, schemaOf } from './batch-utils.js';
import { newMetrics, type ExecutionPlan, type TaskContext } from './execution-plan.js';
import { bufferBuildSide, graceJoin, type JoinSpillLevel } from './grace-join.js';
import { instrument } from './instrument.js';
import { JoinHashTable } from './join-hash-table.js';
import { PairBuffer, markColumn } from './join-emitter.js';
import type { ProbeKeyFilter } from './probe-key-filter.js';

/**
 * A mark join (IN / EXISTS) whose outer (left) input is the smaller one: the hash table is built over the outer
 * rows and the subquery's rows stream through it, marking the outer rows they match (TPC-H Q4: 57k orders
 * against 3.8M lineitems). Same output as HashJoinExec's MARK mode: every left row once, in input order, with
 * the mark; `nullAware` gives IN's three-valued answer (the single key pair compares NULL-aware).
 */
export class OuterBuildMarkJoinExec implements ExecutionPlan {
  readonly metrics = newMetrics();
  readonly output: readonly OutCol[];
  readonly children: readonly ExecutionPlan[];
  private readonly schema: Schema;

  constructor(
    readonly left: ExecutionPlan,
    readonly right: ExecutionPlan,
    mark: OutCol,
    private readonly nullAware: boolean,
    private readonly leftKeys: readonly PhysicalExpr[],
    private readonly rightKeys: readonly PhysicalExpr[],
    private readonly keyTypes: readonly SqlType[],
    /** Over [left columns, right columns], evaluated on candidate pairs. */
    private readonly filter: PhysicalExpr | undefined,
    private readonly texts: { readonly keys: readonly [Expr, Expr][]; readonly filter?: Expr | undefined },
    /** A copy joining one spill partition pair (grace-join.ts). */
    private readonly spillLevel?: JoinSpillLevel | undefined,
    /** Armed with the outer keys once they are built, for the scans under the subquery (probe-key-filter.ts). */
    private readonly probeFilter?: ProbeKeyFilter | undefined,
  ) {
    this.output = [...left.output, mark];
    this.children = [left, right];
    this.schema = schemaOf(this.output);
  }

  execute(ctx: TaskContext): AsyncIterable<RecordBatch> {
    return instrument(this.metrics, ctx, this.run(ctx));
  }

  private async *run(ctx: TaskContext): AsyncIterable<RecordBatch> {
    const metrics = this.spillLevel?.metrics ?? this.metrics;
    const memory = ctx.memory.reservation('HashJoin MARK (build: left)', metrics);
    const rest = this.left.execute(ctx)[Symbol.asyncIterator]();
    try {
      const depth = this.spillLevel?.depth ?? 0;
      const build = await bufferBuildSide(memory, rest, this.keyTypes.length, depth);
      if (!build.fits) {
        yield* graceJoin(ctx, memory, {
          mode: 'mark', buildSide: 'left', probe: this.right, build: this.left, probeKeys: this.rightKeys, buildKeys: this.leftKeys,
          keyTypes: this.keyTypes, depth, metrics,
          join: (probe, build, level) => new OuterBuildMarkJoinExec(build, probe, this.output.at(-1)!, this.nullAware, this.leftKeys, this.rightKeys, this.keyTypes, this.filter, this.texts, level),
        }, build.batches, rest);
        return;
      }
      yield* this.join(ctx, build.batches);
    } finally {
      memory.release();
      await rest.return?.();
    }
  }

  /** The in-memory join over the outer rows' batches. */
  private async *join(ctx: TaskContext, batches: RecordBatch[]): AsyncIterable<RecordBatch> {
    const nL = batches.reduce((a, b) => a + b.numRows, 0);
    const leftCols = concatBatches(this.left.output, batches);
    batches.length = 0;
    const buildKeys = evaluateAll(this.leftKeys, { columns: leftCols, rows: nL });
    const hash = new JoinHashTable(this.keyTypes, buildKeys, nL);
    this.probeFilter?.arm(this.keyTypes, buildKeys, nL);
    const { offsets, rows: buildRows } = hash;
    // Probe with the subquery's rows; an outer row once matched needs no more pairs.
    const matched = new Uint8Array(nL);
    let rightRows = 0;
    let rightNullKey = false;
    const pairs = new PairBuffer();
    for await (const batch of this.right.execute(ctx)) {
      const n = batch.numRows;
      if (n === 0) continue;
      rightRows += n;
      const { groups, nullKey } = hash.probe(evaluateAll(this.rightKeys, inputOf(batch)), n);
      pairs.reset();
      for (let i = 0; i < n; i++) {
        if (nullKey[i] === 1) {
          rightNullKey = true;
          continue;
        }
        const g = groups[i]!;
        if (g < 0) continue;
        for (let p = offsets[g]!, end = offsets[g + 1]!; p < end; p++) {
          const l = buildRows[p]!;
          if (matched[l] === 1) continue;
          if (this.filter === undefined) matched[l] = 1;
          else pairs.push(l, i);
        }
      }
      if (this.filter !== undefined && pairs.count > 0) this.markFiltered(leftCols, columnsOf(batch), pairs, matched);
    }
    let nullIfUnmatched: Uint8Array | undefined;
    // A NULL outer key, or a NULL among the subquery's keys, makes an unmatched IN NULL; a spill partition
    // answers for the whole subquery.
    const level = this.spillLevel;
    if (this.nullAware && (rightRows > 0 || (level?.rightRows ?? 0) > 0)) {
      nullIfUnmatched = rightNullKey || level?.rightHasNullKey === true ? new Uint8Array(nL).fill(1) : hash.buildNullKey;
    }
    if (nL > 0) yield* chunkColumns(this.schema, [...leftCols, markColumn(matched, nL, nullIfUnmatched)], nL, ctx.batchSize);
  }

  /** Marks the outer rows of the pairs that pass the residual filter. */
  private markFiltered(leftCols: readonly Column[], rightCols: readonly Column[], pairs: PairBuffer, matched: Uint8Array): void {
    const m = pairs.count;
    const li = pairs.left.subarray(0, m), ri = pairs.right.subarray(0, m);
    const cols = [...leftCols.map((c) => takeColumn(c, li, m)), ...rightCols.map((c) => takeColumn(c, ri, m))];
    const keep = selectTrue(materialize(this.filter!.evaluate({ columns: cols, rows: m }), this.filter!.type, m));
    if (keep === null) {
      for (let j = 0; j < m; j++) matched[li[j]!] = 1;
      return;
    }
    for (let j = 0; j < keep.count; j++) matched[li[keep.sel[j]!]!] = 1;
  }

  describe(): string {
    const on = this.texts.keys.map(([l, r]) => `${exprToString(l)} = ${exprToString(r)}`);
    if (this.texts.filter !== undefined) on.push(exprToString(this.texts.filter));
    return `HashJoin MARK${this.nullAware ? ' (null-aware)' : ''} on [${on.join(' AND ')}] (build: left)`;
  }
}
