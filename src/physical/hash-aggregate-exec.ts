import type { RecordBatch, Schema } from 'apache-arrow';
import { exprToString, materialize, type Expr, type PhysicalExpr } from '../expr/index.js';
import { BatchGroupRuns, type GroupedAccumulator, type ResolvedAggregate } from '../functions/index.js';
import type { OutCol } from '../plan/index.js';
import { INTEGER, makeColumn, newBitmap, nullColumn, setBit, validity, type Column, type SqlType } from '../types/index.js';
import { chunkColumns, evaluateAll, inputOf, schemaOf } from './batch-utils.js';
import { newMetrics, type ExecutionPlan, type OperatorMetrics, type TaskContext } from './execution-plan.js';
import {
  DistinctPairs, GroupTable, IntegerKeyGroups, KeyEncoder, PackedKeyGroups, StringInterner, encodedGroupIds, encodedLookup,
} from './hashing/index.js';
import { instrument } from './instrument.js';
import { OrderedAggregateInput } from './ordered-aggregate-input.js';
import type { MemoryReservation } from './query-memory.js';
import type { PhysicalSortKey } from './sort-exec.js';
import { AggregateSpiller } from './spilling-aggregate.js';

export interface PhysicalAggregate {
  readonly name: string;
  readonly resolved: ResolvedAggregate;
  readonly args: readonly PhysicalExpr[];
  readonly argTypes: readonly SqlType[];
  readonly star: boolean;
  readonly distinct: boolean;
  readonly filter?: PhysicalExpr | undefined;
  /** Rows are fed to the accumulator in this order within each group (ordered aggregates). */
  readonly orderBy?: readonly PhysicalSortKey[] | undefined;
  readonly text: string;
}

/**
 * Hash aggregation: group keys are encoded as integer tuples (strings interned) and mapped to dense group ids
 * by an open-addressing table; accumulators keep per-group state in typed arrays. DISTINCT aggregates keep a
 * second table over (group id, argument) and feed only first occurrences. Without GROUP BY the output is one
 * row, even for empty input.
 *
 * With grouping sets, each batch is grouped once per set: the keys absent from the set are replaced by NULL
 * columns and a last key column holds the set's index, so the same table keeps every set's groups apart (as
 * Trino's GroupId step does, without copying the aggregate arguments). Empty sets get their group up front, so
 * they yield a row on empty input.
 */
export class HashAggregateExec implements ExecutionPlan {
  readonly metrics = newMetrics();
  readonly children: readonly ExecutionPlan[];
  private readonly schema: Schema;

  constructor(
    readonly input: ExecutionPlan,
    readonly output: readonly OutCol[],
    private readonly groupExprs: readonly PhysicalExpr[],
    private readonly groupTexts: readonly Expr[],
    private readonly aggregates: readonly PhysicalAggregate[],
    private readonly groupingSets?: readonly (readonly number[])[] | undefined,
    /** A copy aggregating one spill partition (spilling-aggregate.ts): its level, and the metrics it reports to. */
    private readonly spillLevel?: { readonly depth: number; readonly metrics: OperatorMetrics } | undefined,
  ) {
    this.children = [input];
    this.schema = schemaOf(output);
  }

  execute(ctx: TaskContext): AsyncIterable<RecordBatch> {
    return instrument(this.metrics, ctx, this.run(ctx));
  }

  private async *run(ctx: TaskContext): AsyncIterable<RecordBatch> {
    const metrics = this.spillLevel?.metrics ?? this.metrics;
    const memory = ctx.memory.reservation('HashAggregate', metrics);
    // GROUP BY without grouping sets spills; global aggregates and grouping sets must fit.
    const spiller = this.groupExprs.length > 0 && this.groupingSets === undefined
      ? new AggregateSpiller(ctx, memory, this.input.output, this.groupExprs.map((e) => e.type), this.spillLevel?.depth ?? 0) : undefined;
    try {
      yield* this.aggregate(ctx, memory, spiller);
      memory.release();
      if (spiller !== undefined) {
        yield* spiller.drain((source, depth) => new HashAggregateExec(source, this.output, this.groupExprs, this.groupTexts, this.aggregates, undefined, { depth, metrics }));
      }
    } finally {
      memory.release();
      await spiller?.dispose();
    }
  }

  /** The in-memory aggregation; with a spiller, rows of keys that no longer fit go to spill files. */
  private async *aggregate(ctx: TaskContext, memory: MemoryReservation, spiller: AggregateSpiller | undefined): AsyncIterable<RecordBatch> {
    const sets = this.groupingSets;
    const groupTypes = this.groupExprs.map((e) => e.type);
    const keyTypes = sets === undefined ? groupTypes : [...groupTypes, INTEGER];
    const grouped = keyTypes.length > 0;
    const encoder = new KeyEncoder(keyTypes, new StringInterner());
    const table = new GroupTable(encoder.width);
    // One integer-like key: grouped by its own words, without the encoder. Other keys with key codes (integers,
    // booleans, short strings): packed into one number per row while they fit, else the encoder.
    const intKey = keyTypes.length === 1 && IntegerKeyGroups.handles(keyTypes[0]!) ? new IntegerKeyGroups(keyTypes[0]!) : undefined;
    const packed = intKey === undefined && sets === undefined && PackedKeyGroups.handles(keyTypes) ? new PackedKeyGroups(keyTypes, encoder, table) : undefined;
    const groupCount = (): number => (!grouped ? 1 : intKey !== undefined ? intKey.size : packed !== undefined ? packed.size : table.size);
    const accs: GroupedAccumulator[] = this.aggregates.map((a) => a.resolved.create());
    const distinctState = this.aggregates.map((a) => (a.distinct ? new DistinctPairs(a.argTypes) : undefined));
    const ordered = this.aggregates.map((a) => (a.orderBy === undefined ? undefined
      : new OrderedAggregateInput(a.argTypes, a.orderBy.map((k) => ({ type: k.expr.type, descending: k.descending, nullsFirst: k.nullsFirst })))));
    /** Group ids of `n` rows keyed by `keys`. */
    const groupIds = (keys: readonly Column[], n: number): Int32Array => {
      const gids = new Int32Array(n);
      if (intKey !== undefined) intKey.groupIds(keys[0]!, n, gids);
      else if (packed !== undefined) packed.groupIds(keys, n, gids);
      else encodedGroupIds(encoder, table, keys, n, gids);
      return gids;
    };
    /** Group ids of keys already in the table (-1: not there), inserting nothing (no strings either). */
    const lookup = (keys: readonly Column[], n: number): Int32Array => {
      const found = new Int32Array(n);
      if (intKey !== undefined) intKey.lookup(keys[0]!, n, found);
      else if (packed !== undefined) packed.lookup(keys, n, found);
      else encodedLookup(encoder, table, keys, n, found);
      return found;
    };
    if (sets !== undefined) {
      sets.forEach((set, s) => {
        if (set.length === 0) groupIds([...groupTypes.map((t) => nullColumn(t, 1)), makeColumn(INTEGER, 1, Int32Array.of(s))], 1);
      });
    }
    for await (const raw of this.input.execute(ctx)) {
      if (raw.numRows === 0) continue;
      let batch = raw;
      if (spiller?.active === true) {
        // Spilling: only rows of groups already in the table are aggregated here.
        const keys = evaluateAll(this.groupExprs, inputOf(raw));
        const kept = await spiller.divert(raw, keys, lookup(keys, raw.numRows));
        if (kept === undefined) continue;
        batch = kept;
      }
      const n = batch.numRows;
      const input = inputOf(batch);
      const keys = grouped ? evaluateAll(this.groupExprs, input) : [];
      const perSet: Int32Array[] = sets === undefined
        ? [grouped ? groupIds(keys, n) : new Int32Array(n)]
        : sets.map((set, s) => groupIds([...keys.map((k, i) => (set.includes(i) ? k : nullColumn(groupTypes[i]!, n))), makeColumn(INTEGER, n, new Int32Array(n).fill(s))], n));
      const numGroups = groupCount();
      const runs = perSet.map((gids) => new BatchGroupRuns(gids, n, numGroups));
      for (let k = 0; k < this.aggregates.length; k++) {
        const a = this.aggregates[k]!;
        const args = evaluateAll(a.args, input);
        const filterMask = a.filter === undefined ? null : truthMask(materialize(a.filter.evaluate(input), a.filter.type, n), n);
        const order = ordered[k];
        const orderKeys = order === undefined ? [] : evaluateAll(a.orderBy!.map((o) => o.expr), input);
        perSet.forEach((gids, s) => {
          const ds = distinctState[k];
          const mask = ds === undefined ? filterMask : ds.firstOccurrences(gids, args, n, filterMask);
          if (order !== undefined) order.add(gids, args, orderKeys, n, mask);
          else accs[k]!.update(args, gids, n, numGroups, mask, runs[s]);
        });
      }
      // A global aggregate's (empty) key structures are not state it holds for its input: counting their initial
      // capacity made it need 80 kB before it had seen a row.
      const keyBytes = grouped ? table.memoryBytes() + (intKey?.memoryBytes() ?? 0) + (packed?.memoryBytes() ?? 0) + encoder.interner.memoryBytes() : 0;
      const now = keyBytes + accs.reduce((s, a) => s + a.memoryBytes(), 0)
        + distinctState.reduce((s, d) => s + (d?.memoryBytes() ?? 0), 0)
        + ordered.reduce((s, o) => s + (o === undefined ? 0 : o.memoryBytes()), 0);
      if (!memory.trySet(now)) {
        if (spiller === undefined) memory.set(now, 'groups and aggregate states');
        else if (!memory.worthSpilling) memory.force(now); // small so far: spill when refused again
        else if (!spiller.tolerates(now)) throw memory.exceeded(now - memory.bytes, 'groups and aggregate states');
        else {
          spiller.start();
          memory.force(now);
        }
      }
    }
    const numGroups = groupCount();
    ordered.forEach((o, k) => o?.feed(accs[k]!, numGroups));
    const stored = intKey === undefined && packed?.isGeneric !== false ? table.storedKeys() : undefined;
    const cols: Column[] = [
      ...keyTypes.map((_, k) => (stored !== undefined ? encoder.decode(k, stored, numGroups) : intKey !== undefined ? intKey.decode() : packed!.decode(k))),
      ...accs.map((a) => a.finish(numGroups)),
    ];
    yield* chunkColumns(this.schema, cols, numGroups, ctx.batchSize);
  }

  describe(): string {
    const groups = this.groupTexts.map((g) => exprToString(g)).join(', ');
    const sets = this.groupingSets === undefined ? '' : ` sets=[${this.groupingSets.map((s) => `(${s.map((i) => exprToString(this.groupTexts[i]!)).join(', ')})`).join(', ')}]`;
    return `HashAggregate groups=[${groups}]${sets} aggregates=[${this.aggregates.map((a) => a.text).join(', ')}]`;
  }
}

/** Rows where a boolean column is true, as a bitmap. */
function truthMask(col: Column, n: number): Uint8Array {
  const v = col.values as Uint8Array;
  const valid = validity(col);
  const out = newBitmap(n);
  for (let k = 0; k < out.length; k++) out[k] = v[k]! & (valid === null ? 0xff : valid[k]!);
  return out;
}

