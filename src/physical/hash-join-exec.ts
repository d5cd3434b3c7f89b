import type { RecordBatch, Schema } from 'apache-arrow';
import { exprToString, materialize, selectTrue, type Expr, type PhysicalExpr } from '../expr/index.js';
import type { OutCol } from '../plan/index.js';
import { makeBatch, takeColumn, type Column, type SqlType } from '../types/index.js';
import { columnsOf, concatBatches, evaluateAll, inputOf, schemaOf } from './batch-utils.js';
import { newMetrics, trackMemory, type ExecutionPlan, type TaskContext } from './execution-plan.js';
import { GroupTable, KeyEncoder, StringInterner, hashWords } from './hashing/index.js';
import { instrument } from './instrument.js';

/** Growable pair list of (left row, right row) indices. */
export class PairBuffer {
  left = new Int32Array(1024);
  right = new Int32Array(1024);
  count = 0;

  push(l: number, r: number): void {
    if (this.count === this.left.length) {
      const nl = new Int32Array(this.left.length * 2);
      nl.set(this.left);
      this.left = nl;
      const nr = new Int32Array(this.right.length * 2);
      nr.set(this.right);
      this.right = nr;
    }
    this.left[this.count] = l;
    this.right[this.count] = r;
    this.count++;
  }

  reset(): void {
    this.count = 0;
  }
}

export interface JoinEmitter {
  readonly schema: Schema;
  readonly filter: PhysicalExpr | undefined;
  readonly leftJoin: boolean;
  readonly batchSize: number;
}

/**
 * Emits the joined rows for one probe batch: applies the residual filter to candidate pairs, then (for LEFT
 * joins) adds unmatched left rows with NULLs on the right. Output batches hold at most `batchSize` rows.
 */
export function* emitPairs(e: JoinEmitter, leftCols: readonly Column[], leftRows: number, rightCols: readonly Column[], pairs: PairBuffer): Iterable<RecordBatch> {
  const matched = e.leftJoin ? new Uint8Array(leftRows) : undefined;
  for (let start = 0; start < pairs.count; start += e.batchSize) {
    const n = Math.min(e.batchSize, pairs.count - start);
    let li = pairs.left.subarray(start, start + n);
    let ri = pairs.right.subarray(start, start + n);
    let m = n;
    let cols = [...leftCols.map((c) => takeColumn(c, li, m)), ...rightCols.map((c) => takeColumn(c, ri, m))];
    if (e.filter !== undefined) {
      const keep = selectTrue(materialize(e.filter.evaluate({ columns: cols, rows: m }), e.filter.type, m));
      if (keep !== null) {
        li = keep.sel.subarray(0, keep.count).map((j) => li[j]!);
        ri = keep.sel.subarray(0, keep.count).map((j) => ri[j]!);
        m = keep.count;
        cols = cols.map((c) => takeColumn(c, keep.sel, keep.count));
      }
    }
    if (matched !== undefined) for (let j = 0; j < m; j++) matched[li[j]!] = 1;
    if (m > 0) yield makeBatch(e.schema, cols, m);
  }
  if (matched !== undefined) {
    const un: number[] = [];
    for (let i = 0; i < leftRows; i++) if (matched[i] === 0) un.push(i);
    for (let start = 0; start < un.length; start += e.batchSize) {
      const n = Math.min(e.batchSize, un.length - start);
      const li = Int32Array.from(un.slice(start, start + n));
      const ri = new Int32Array(n).fill(-1);
      yield makeBatch(e.schema, [...leftCols.map((c) => takeColumn(c, li, n)), ...rightCols.map((c) => takeColumn(c, ri, n))], n);
    }
  }
}

/**
 * Equi-join: builds a hash table over the right input's keys (NULL keys never match), then streams the left
 * input through it. Duplicate build keys chain through `next`. INNER and LEFT joins; the rest of the ON
 * condition is a filter on candidate pairs.
 */
export class HashJoinExec implements ExecutionPlan {
  readonly metrics = newMetrics();
  readonly output: readonly OutCol[];
  readonly children: readonly ExecutionPlan[];
  private readonly schema: Schema;

  constructor(
    readonly left: ExecutionPlan,
    readonly right: ExecutionPlan,
    private readonly joinType: 'inner' | 'left',
    private readonly leftKeys: readonly PhysicalExpr[],
    private readonly rightKeys: readonly PhysicalExpr[],
    private readonly keyTypes: readonly SqlType[],
    private readonly filter: PhysicalExpr | undefined,
    private readonly texts: { readonly keys: readonly [Expr, Expr][]; readonly filter?: Expr | undefined },
  ) {
    this.output = [...left.output, ...right.output];
    this.children = [left, right];
    this.schema = schemaOf(this.output);
  }

  execute(ctx: TaskContext): AsyncIterable<RecordBatch> {
    return instrument(this.metrics, ctx, this.run(ctx));
  }

  private async *run(ctx: TaskContext): AsyncIterable<RecordBatch> {
    // Build.
    const batches: RecordBatch[] = [];
    for await (const b of this.right.execute(ctx)) if (b.numRows > 0) batches.push(b);
    const nR = batches.reduce((a, b) => a + b.numRows, 0);
    if (nR === 0 && this.joinType === 'inner') return;
    const rightCols = concatBatches(this.right.output, batches);
    batches.length = 0;
    const enc = new KeyEncoder(this.keyTypes, new StringInterner());
    const W = enc.width;
    const words = new Int32Array(nR * W);
    enc.encode(evaluateAll(this.rightKeys, { columns: rightCols, rows: nR }), nR, words, true);
    const hashes = new Int32Array(nR);
    hashWords(words, W, nR, hashes);
    const table = new GroupTable(W, Math.max(16, nR));
    const ids = new Int32Array(nR);
    table.findOrInsert(words, hashes, nR, ids);
    const head = new Int32Array(table.size).fill(-1);
    const tail = new Int32Array(table.size);
    const next = new Int32Array(nR).fill(-1);
    for (let r = 0; r < nR; r++) {
      if (words[r * W] !== 0) continue; // a NULL key never matches
      const g = ids[r]!;
      if (head[g] === -1) head[g] = r;
      else next[tail[g]!] = r;
      tail[g] = r;
    }
    const held = rightCols.reduce((a, c) => a + c.byteLength, 0) + table.memoryBytes() + next.byteLength * 3;
    trackMemory(ctx, held);
    try {
      // Probe.
      const emitter: JoinEmitter = { schema: this.schema, filter: this.filter, leftJoin: this.joinType === 'left', batchSize: ctx.batchSize };
      const pairs = new PairBuffer();
      for await (const batch of this.left.execute(ctx)) {
        const n = batch.numRows;
        if (n === 0) continue;
        const lw = new Int32Array(n * W);
        enc.encode(evaluateAll(this.leftKeys, inputOf(batch)), n, lw, false);
        const lh = new Int32Array(n);
        hashWords(lw, W, n, lh);
        const found = new Int32Array(n);
        table.find(lw, lh, n, found);
        pairs.reset();
        for (let i = 0; i < n; i++) {
          if (lw[i * W] !== 0) continue;
          const g = found[i]!;
          if (g < 0) continue;
          for (let r = head[g]!; r >= 0; r = next[r]!) pairs.push(i, r);
        }
        yield* emitPairs(emitter, columnsOf(batch), n, rightCols, pairs);
      }
    } finally {
      trackMemory(ctx, -held);
    }
  }

  describe(): string {
    const on = this.texts.keys.map(([l, r]) => `${exprToString(l)} = ${exprToString(r)}`);
    if (this.texts.filter !== undefined) on.push(exprToString(this.texts.filter));
    return `HashJoin ${this.joinType.toUpperCase()} on [${on.join(' AND ')}] (build: right)`;
  }
}

/** Joins without equality keys: every left row against every right row (CROSS JOIN, non-equi ON). */
export class NestedLoopJoinExec implements ExecutionPlan {
  readonly metrics = newMetrics();
  readonly output: readonly OutCol[];
  readonly children: readonly ExecutionPlan[];
  private readonly schema: Schema;

  constructor(
    readonly left: ExecutionPlan,
    readonly right: ExecutionPlan,
    private readonly joinType: 'inner' | 'left' | 'cross',
    private readonly filter: PhysicalExpr | undefined,
    private readonly filterText: Expr | undefined,
  ) {
    this.output = [...left.output, ...right.output];
    this.children = [left, right];
    this.schema = schemaOf(this.output);
  }

  execute(ctx: TaskContext): AsyncIterable<RecordBatch> {
    return instrument(this.metrics, ctx, this.run(ctx));
  }

  private async *run(ctx: TaskContext): AsyncIterable<RecordBatch> {
    const batches: RecordBatch[] = [];
    for await (const b of this.right.execute(ctx)) if (b.numRows > 0) batches.push(b);
    const nR = batches.reduce((a, b) => a + b.numRows, 0);
    const rightCols = concatBatches(this.right.output, batches);
    const leftJoin = this.joinType === 'left';
    if (nR === 0 && !leftJoin) return;
    const emitter: JoinEmitter = { schema: this.schema, filter: this.filter, leftJoin, batchSize: ctx.batchSize };
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
  }

  describe(): string {
    return `NestedLoopJoin ${this.joinType.toUpperCase()}${this.filterText === undefined ? '' : ` on [${exprToString(this.filterText)}]`}`;
  }
}
