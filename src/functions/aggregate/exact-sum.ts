import {
  TWO_32, decimalAt, decimalAtNumber, numberView, validity, type Column, type SqlType,
} from '../../types/index.js';
import type { GroupRuns, GroupRunsSource } from '../function.js';
import { growFloat64 } from './state.js';

/** While |lo| stays below this, adding any exact integer double either stays exact or is seen to leave the range. */
const LO_LIMIT = 2 ** 52;
/** hi counts units of 2^32; past this it moves into the BigInt part, so that adding a carry stays exact. */
const HI_LIMIT = 2 ** 52;

/**
 * Per-group exact sums of integers or unscaled decimals, without a BigInt per row. Each group's sum is
 * big + hi·2^32 + lo: `lo` takes the values in doubles (exact while |lo| < 2^52, which one comparison checks);
 * when an addition would leave that range, the high part of lo and of the value move into `hi` (units of 2^32,
 * exact to 2^85 in all); only past that, or for values that are not exact doubles, does a group use BigInt.
 * Also counts the values added (avg needs it); a group with count 0 saw no value (SUM of nothing is NULL).
 */
export class ExactSums {
  private lo: Float64Array = new Float64Array(0);
  private hi: Float64Array = new Float64Array(0);
  private big: bigint[] | null = null;
  counts: Float64Array = new Float64Array(0);

  constructor(private readonly type: SqlType) {}

  add(col: Column, groupIds: Int32Array, rows: number, numGroups: number, mask: Uint8Array | null, source?: GroupRunsSource): void {
    this.lo = growFloat64(this.lo, numGroups);
    this.counts = growFloat64(this.counts, numGroups);
    const valid = validity(col);
    const nums = numberView(col, this.type);
    if (nums === null) {
      this.addMixed(col, groupIds, rows, mask, valid);
      return;
    }
    const lo = this.lo, c = this.counts;
    if (mask === null && valid === null) {
      const runs = source?.get() ?? null;
      if (runs !== null) {
        this.addRuns(nums, runs, numGroups);
        return;
      }
      for (let i = 0; i < rows; i++) {
        const g = groupIds[i]!;
        const x = nums[i]!;
        const v = lo[g]! + x;
        if (Math.abs(v) < LO_LIMIT) lo[g] = v;
        else this.carry(g, x);
        c[g]!++;
      }
      return;
    }
    for (let i = 0; i < rows; i++) {
      if (mask !== null && ((mask[i >>> 3]! >>> (i & 7)) & 1) === 0) continue;
      if (valid !== null && ((valid[i >>> 3]! >>> (i & 7)) & 1) === 0) continue;
      const g = groupIds[i]!;
      const x = nums[i]!;
      const v = lo[g]! + x;
      if (Math.abs(v) < LO_LIMIT) lo[g] = v;
      else this.carry(g, x);
      c[g]!++;
    }
  }

  /**
   * Adds every row's value by group runs: each group's values go into two locals (two chains of additions, each
   * exact while below 2^52), folded into the group's state at the end of its run or when a local would leave the
   * exact range.
   */
  private addRuns(nums: ArrayLike<number>, runs: GroupRuns, numGroups: number): void {
    const { start, rows } = runs;
    const lo = this.lo, c = this.counts;
    for (let g = 0; g < numGroups; g++) {
      const end = start[g + 1]!;
      let j = start[g]!;
      if (j === end) continue;
      c[g]! += end - j;
      let a = lo[g]!, b = 0;
      for (; j + 1 < end; j += 2) {
        const x = nums[rows[j]!]!, y = nums[rows[j + 1]!]!;
        const v = a + x, w = b + y;
        if (Math.abs(v) < LO_LIMIT && Math.abs(w) < LO_LIMIT) {
          a = v;
          b = w;
        } else {
          lo[g] = a;
          this.addExact(g, b);
          this.addExact(g, x);
          this.addExact(g, y);
          a = lo[g]!;
          b = 0;
        }
      }
      lo[g] = a;
      this.addExact(g, b);
      if (j < end) this.addExact(g, nums[rows[j]!]!);
    }
  }

  /** Adds x (an exact integer double, |x| <= 2^53) to group g. */
  private addExact(g: number, x: number): void {
    const v = this.lo[g]! + x;
    if (Math.abs(v) < LO_LIMIT) this.lo[g] = v;
    else this.carry(g, x);
  }

  /**
   * Adds x (an exact integer double, |x| <= 2^53) to group g when lo + x may leave the exact range: both split
   * at 2^32, the high halves go to hi. Every step is exact: the halves are below 2^21 and 2^20 in units of 2^32.
   */
  private carry(g: number, x: number): void {
    const l = this.lo[g]!;
    const xh = Math.trunc(x / TWO_32), lh = Math.trunc(l / TWO_32);
    this.lo[g] = (x - xh * TWO_32) + (l - lh * TWO_32);
    // hi is needed only by sums that carried: it grows here, to lo's capacity.
    if (this.hi.length < this.lo.length) this.hi = growFloat64(this.hi, this.lo.length);
    const h = this.hi[g]! + xh + lh;
    if (h < HI_LIMIT && h > -HI_LIMIT) this.hi[g] = h;
    else {
      this.bigParts()[g] = this.bigPart(g) + (BigInt(h) << 32n);
      this.hi[g] = 0;
    }
  }

  /** Batches where some value is not an exact double (wide decimals, large bigints): per row, BigInt only for those. */
  private addMixed(col: Column, groupIds: Int32Array, rows: number, mask: Uint8Array | null, valid: Uint8Array | null): void {
    const isDecimal = this.type.kind === 'decimal';
    const words = col.values as Uint32Array;
    const longs = col.values as BigInt64Array;
    const big = this.bigParts();
    for (let i = 0; i < rows; i++) {
      if (mask !== null && ((mask[i >>> 3]! >>> (i & 7)) & 1) === 0) continue;
      if (valid !== null && ((valid[i >>> 3]! >>> (i & 7)) & 1) === 0) continue;
      const g = groupIds[i]!;
      let x: number;
      if (isDecimal) x = decimalAtNumber(words, i);
      else {
        x = Number(longs[i]!);
        if (!Number.isSafeInteger(x)) x = Number.NaN;
      }
      if (Number.isNaN(x)) big[g] = (big[g] ?? 0n) + (isDecimal ? decimalAt(words, i) : longs[i]!);
      else {
        const v = this.lo[g]! + x;
        if (v < LO_LIMIT && v > -LO_LIMIT) this.lo[g] = v;
        else this.carry(g, x);
      }
      this.counts[g]!++;
    }
  }

  private bigParts(): bigint[] {
    this.big ??= [];
    return this.big;
  }

  private bigPart(g: number): bigint {
    return this.big === null ? 0n : (this.big[g] ?? 0n);
  }

  /** The exact sum of group g. */
  sum(g: number): bigint {
    const n = this.sumNumber(g);
    if (n !== undefined) return BigInt(n);
    return this.bigPart(g) + (BigInt(this.hi[g] ?? 0) << 32n) + BigInt(this.lo[g] ?? 0);
  }

  /** The sum as a double when it is a safe integer (so exact), else undefined. */
  sumNumber(g: number): number | undefined {
    if (this.bigPart(g) !== 0n) return undefined;
    const v = (this.hi[g] ?? 0) * TWO_32 + (this.lo[g] ?? 0);
    return Number.isSafeInteger(v) ? v : undefined;
  }

  /** How many values group g took (0: none, so its SUM is NULL). */
  count(g: number): number {
    return this.counts[g] ?? 0;
  }

  memoryBytes(): number {
    return this.lo.byteLength + this.hi.byteLength + this.counts.byteLength + (this.big === null ? 0 : this.big.length * 16);
  }
}
