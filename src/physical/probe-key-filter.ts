import type { RecordBatch, Schema } from 'apache-arrow';
import type { LogicalPlan, OutCol } from '../plan/index.js';
import { getBit, int32View, validity, type Column, type SqlType } from '../types/index.js';
import { columnsOf, schemaOf, takeBatch } from './batch-utils.js';
import { newMetrics, type ExecutionPlan, type TaskContext } from './execution-plan.js';
import { integerKeyWidth, planPacking } from './hashing/index.js';
import { instrument } from './instrument.js';

/** A key whose build values span more than this many values gets no bitmap (8 MiB of bits). */
const BITS_MAX = 1 << 26;
/** After this many rows a filter that keeps most of them (PASS_MAX) stops testing: it only costs. */
const ADAPT_ROWS = 1 << 16;
const PASS_MAX = 0.5;

/** The build values of one integer-like join key: a bit per value in [min, min + range). */
interface KeyBits {
  readonly width: number;
  readonly min: number;
  readonly range: number;
  readonly bits: Uint8Array;
}

/**
 * Sideways information passing from a hash join's build side to the scans under its probe side: once the join
 * has built its hash table it arms this filter with a bitmap of each integer key's build values, and the scans
 * under the probe side (through filters, projections and other joins, see the physical planner) drop the rows
 * whose key no build row has before filters, gathers and joins spend work on them. TPC-H q03: 3.2M lineitems
 * passed the date filter and were gathered for a join with 147k orders that keeps 30k. A row whose key is NULL
 * or not in the bitmap could never match: only joins that drop unmatched probe rows (inner joins, and mark joins
 * built over their outer rows that are not NULL-aware) offer one. Unarmed (the build side spilled, or the
 * planner made the other input the probe side), it passes every row.
 */
export class ProbeKeyFilter {
  /** The join input (0 left, 1 right) its probe rows come from: set once the join is planned. */
  probeSide: 0 | 1 | undefined;
  private keys: readonly (KeyBits | null)[] | undefined;

  /** The join's build key columns, in its key order. */
  arm(types: readonly SqlType[], buildKeys: readonly Column[], rows: number): void {
    this.keys = types.map((t, k) => keyBits(t, buildKeys[k]!, rows));
  }

  /** The bitmap of key `k`, when armed and the key has one. */
  bitsOf(side: 0 | 1, k: number): KeyBits | null {
    return this.probeSide === side ? this.keys?.[k] ?? null : null;
  }
}

function keyBits(type: SqlType, col: Column, rows: number): KeyBits | null {
  const width = integerKeyWidth(type);
  if (width === 0) return null;
  const packing = planPacking([type], [col], rows);
  if (packing === null || packing.total > BITS_MAX) return null;
  const min = packing.mins[0]!, range = packing.ranges[0]!;
  // Shared memory: a scan's decoder jobs carry these bits to the workers (decoder-row-filter.ts) without a copy.
  const bits = new Uint8Array(new SharedArrayBuffer((range + 7) >> 3));
  const valid = validity(col);
  if (width === 1) {
    const v = col.values as Int32Array;
    for (let i = 0; i < rows; i++) {
      const d = v[i]! - min;
      if (valid === null || getBit(valid, i)) bits[d >> 3]! |= 1 << (d & 7);
    }
  } else {
    const w = int32View(col.values as BigInt64Array);
    for (let i = 0; i < rows; i++) {
      const d = w[2 * i + 1]! * 4294967296 + (w[2 * i]! >>> 0) - min;
      if (valid === null || getBit(valid, i)) bits[d >> 3]! |= 1 << (d & 7);
    }
  }
  return { width, min, range, bits };
}

/**
 * Narrows the selection to the rows of `col` whose key has its bit (not NULL, inside the range, set): `sel[0..count)`,
 * or with `all` every row 0..count − 1 (sel is then only written). Returns the new count.
 */
function keepKeys(b: KeyBits, col: Column, sel: Int32Array, count: number, all: boolean): number {
  const { min, range, bits } = b;
  const valid = validity(col);
  let c = 0;
  if (b.width === 1) {
    const v = col.values as Int32Array;
    for (let j = 0; j < count; j++) {
      const i = all ? j : sel[j]!;
      const d = v[i]! - min;
      if (d >= 0 && d < range && (bits[d >> 3]! & (1 << (d & 7))) !== 0) sel[c++] = i;
    }
  } else {
    const w = int32View(col.values as BigInt64Array);
    const minHi = Math.floor(min / 4294967296);
    if (Math.floor((min + range - 1) / 4294967296) === minHi) {
      // The range lies within one high word (keys below 2^32 among them): the low words decide, in int32
      // arithmetic. (lo − minLo) | 0 wraps, but a range that ends within the word leaves no wrapped value in it.
      const minLo = (min - minHi * 4294967296) | 0;
      if (all) c = keepAllLowWords(w, minHi, minLo, range, bits, sel, count);
      else {
        for (let j = 0; j < count; j++) {
          const i = sel[j]!;
          const d = (w[2 * i]! - minLo) | 0;
          if (w[2 * i + 1] === minHi && d >= 0 && d < range && (bits[d >> 3]! & (1 << (d & 7))) !== 0) sel[c++] = i;
        }
      }
    } else {
      // hi × 2^32 + lo is exact while |hi| < 2^21; past it a value can never lie in a range below 2^53.
      for (let j = 0; j < count; j++) {
        const i = all ? j : sel[j]!;
        const hi = w[2 * i + 1]!;
        const d = hi * 4294967296 + (w[2 * i]! >>> 0) - min;
        if (d >= 0 && d < range && hi < 0x200000 && hi >= -0x200000) {
          const x = d | 0;
          if ((bits[x >> 3]! & (1 << (x & 7))) !== 0) sel[c++] = i;
        }
      }
    }
  }
  if (valid === null) return c;
  let n = 0;
  for (let j = 0; j < c; j++) {
    const i = sel[j]!;
    if (getBit(valid, i)) sel[n++] = i;
  }
  return n;
}

/** keepKeys' loop over every row of a 64-bit key whose range lies within the high word `minHi` (the hottest case). */
function keepAllLowWords(w: Int32Array, minHi: number, minLo: number, range: number, bits: Uint8Array, sel: Int32Array, rows: number): number {
  let c = 0;
  for (let i = 0; i < rows; i++) {
    const d = (w[2 * i]! - minLo) | 0;
    if (w[2 * i + 1] === minHi && d >= 0 && d < range && (bits[d >> 3]! & (1 << (d & 7))) !== 0) sel[c++] = i;
  }
  return c;
}

/** One key a ProbeFilterExec tests: the join's filter, which input of that join it sits under, which key. */
export interface ProbeFilterTarget {
  readonly filter: ProbeKeyFilter;
  readonly side: 0 | 1;
  readonly key: number;
  /** The input column holding the key. */
  readonly column: number;
}

/** A join's filter offered to a scan: armed there only once that join makes the scan's side its probe side. */
export interface ScanProbeFilter {
  readonly filter: ProbeKeyFilter;
  readonly side: 0 | 1;
  readonly join: LogicalPlan;
}

/** Keeps the rows whose keys pass every armed ProbeKeyFilter it holds (see ProbeKeyFilter). */
export class ProbeFilterExec implements ExecutionPlan {
  readonly metrics = newMetrics();
  readonly output: readonly OutCol[];
  readonly children: readonly ExecutionPlan[];
  private readonly schema: Schema;

  constructor(readonly input: ExecutionPlan, private readonly targets: readonly ProbeFilterTarget[]) {
    this.output = input.output;
    this.children = [input];
    this.schema = schemaOf(input.output);
  }

  /**
   * Whether some join above made the input this filter sits under its probe side (the planner offers filters to
   * both inputs of an inner join before it picks the build side): otherwise the input runs as it is and EXPLAIN
   * leaves this operator out.
   */
  get active(): boolean {
    return this.targets.some((t) => t.filter.probeSide === t.side);
  }

  execute(ctx: TaskContext): AsyncIterable<RecordBatch> {
    if (!this.active) return this.input.execute(ctx);
    return instrument(this.metrics, ctx, this.run(ctx));
  }

  private async *run(ctx: TaskContext): AsyncIterable<RecordBatch> {
    const seen = new Float64Array(this.targets.length);
    const kept = new Float64Array(this.targets.length);
    let sel = new Int32Array(0);
    // The most selective key first: the later ones test only what it keeps (reordered after each batch).
    const order = this.targets.map((_, t) => t);
    const share = (t: number): number => (kept[t]! + 1) / (seen[t]! + 1);
    for await (const batch of this.input.execute(ctx)) {
      const n = batch.numRows;
      let count = n;
      let cols: Column[] | undefined;
      for (let o = 0; o < order.length && count > 0; o++) {
        const t = order[o]!;
        const target = this.targets[t]!;
        if (seen[t]! >= ADAPT_ROWS && kept[t]! > PASS_MAX * seen[t]!) continue;
        const bits = target.filter.bitsOf(target.side, target.key);
        if (bits === null) continue;
        if (sel.length < n) sel = new Int32Array(n);
        cols ??= columnsOf(batch);
        seen[t]! += count;
        // While every row is still kept, sel is not yet written: the first test reads the rows directly.
        count = keepKeys(bits, cols[target.column]!, sel, count, count === n);
        kept[t]! += count;
      }
      if (order.length > 1) order.sort((a, b) => share(a) - share(b));
      if (count === n) yield batch;
      else if (count > 0) yield takeBatch(this.schema, batch, sel, count);
    }
  }

  describe(): string {
    const names = this.targets.filter((t) => t.filter.probeSide === t.side).map((t) => this.output[t.column]!.name);
    return `ProbeFilter [${names.join(', ')}] in the build keys of the joins above`;
  }
}
