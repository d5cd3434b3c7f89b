import { decimalAt, numberView, validity, type Column, type SqlType } from '../../types/index.js';
import { EXACT_SUM_LIMIT, growFloat64, growUint8, included } from './state.js';

/**
 * Per-group exact sums of integers or unscaled decimals. Sums run in doubles while every value and every running
 * sum stays below 2^52 (so each addition is exact), and switch once, for good, to BigInt when one does not.
 * Also counts the values added (avg needs it) and whether a group saw any value (SUM of nothing is NULL).
 */
export class ExactSums {
  private sums: Float64Array = new Float64Array(0);
  private big: bigint[] | null = null;
  counts: Float64Array = new Float64Array(0);
  seen: Uint8Array = new Uint8Array(0);

  constructor(private readonly type: SqlType) {}

  add(col: Column, groupIds: Int32Array, rows: number, numGroups: number, mask: Uint8Array | null): void {
    this.sums = growFloat64(this.sums, numGroups);
    this.counts = growFloat64(this.counts, numGroups);
    this.seen = growUint8(this.seen, numGroups);
    if (this.big !== null) while (this.big.length < numGroups) this.big.push(0n);
    const valid = validity(col);
    let start = 0;
    if (this.big === null) {
      const nums = numberView(col, this.type);
      if (nums !== null) {
        const s = this.sums, c = this.counts, seen = this.seen;
        for (let i = 0; i < rows; i++) {
          if (!included(mask, valid, i)) continue;
          const g = groupIds[i]!;
          const x = nums[i]!;
          const next = s[g]! + x;
          if (x > EXACT_SUM_LIMIT || x < -EXACT_SUM_LIMIT || next > EXACT_SUM_LIMIT || next < -EXACT_SUM_LIMIT) {
            start = i;
            this.toBig(numGroups);
            break;
          }
          s[g] = next;
          c[g]!++;
          seen[g] = 1;
          start = i + 1;
        }
        if (this.big === null) return;
      } else this.toBig(numGroups);
    }
    const big = this.big!;
    const at = this.bigAt(col);
    for (let i = start; i < rows; i++) {
      if (!included(mask, valid, i)) continue;
      const g = groupIds[i]!;
      big[g] = big[g]! + at(i);
      this.counts[g]!++;
      this.seen[g] = 1;
    }
  }

  private bigAt(col: Column): (i: number) => bigint {
    if (this.type.kind === 'decimal') {
      const w = col.values as Uint32Array;
      return (i) => decimalAt(w, i);
    }
    if (this.type.kind === 'bigint') {
      const v = col.values as BigInt64Array;
      return (i) => v[i]!;
    }
    const v = col.values as Int32Array;
    return (i) => BigInt(v[i]!);
  }

  private toBig(numGroups: number): void {
    const big: bigint[] = new Array(numGroups);
    for (let g = 0; g < numGroups; g++) big[g] = BigInt(this.sums[g] ?? 0);
    this.big = big;
  }

  /** The exact sum of group g. */
  sum(g: number): bigint {
    return this.big !== null ? (this.big[g] ?? 0n) : BigInt(this.sums[g] ?? 0);
  }

  /** The sum as a double when still exact in doubles, else undefined. */
  sumNumber(g: number): number | undefined {
    return this.big === null ? (this.sums[g] ?? 0) : undefined;
  }

  memoryBytes(): number {
    return this.sums.byteLength + this.counts.byteLength + this.seen.byteLength + (this.big === null ? 0 : this.big.length * 16);
  }
}
