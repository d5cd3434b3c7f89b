import { ExactSums, type GroupedAccumulator, type ResolvedAggregate } from '../functions/index.js';
import {
  BIGINT, divRoundHalfUp, divRoundHalfUpNumber, makeColumn, newBitmap, setBit, setDecimal, setDecimalNumber, validity, type Column, type SqlType,
} from '../types/index.js';

/**
 * The final step of a parallel avg: its inputs are per-worker partial sums and counts (partial-aggregate.ts),
 * and it finishes as avg itself does — a double quotient for double results, for decimals the exact sum
 * divided by the count rounded half up — so only the order of the partial sums differs from one thread.
 * Decimal partial sums add up exactly without a BigInt per row (ExactSums, as avg and sum do); the counts are the
 * partial counts added, not ExactSums' own count of the rows.
 */
class AvgMerge implements GroupedAccumulator {
  private floatSums: Float64Array = new Float64Array(0);
  private readonly decimalSums: ExactSums | undefined;
  private counts: Float64Array = new Float64Array(0);

  constructor(sumType: SqlType, private readonly resultType: SqlType) {
    this.decimalSums = resultType.kind === 'decimal' ? new ExactSums(sumType) : undefined;
  }

  update(args: readonly Column[], groupIds: Int32Array, rows: number, numGroups: number, mask: Uint8Array | null): void {
    if (this.counts.length < numGroups) {
      const c = new Float64Array(Math.max(numGroups, this.counts.length * 2, 16));
      c.set(this.counts);
      this.counts = c;
      const s = new Float64Array(c.length);
      s.set(this.floatSums);
      this.floatSums = s;
    }
    const sums = args[0]!, counts = args[1]!.values as BigInt64Array;
    const valid = validity(sums);
    // A partial with no values has a NULL sum (skipped here and by ExactSums) and a zero count.
    this.decimalSums?.add(sums, groupIds, rows, numGroups, mask);
    const floats = this.decimalSums === undefined ? sums.values as Float64Array : undefined;
    for (let i = 0; i < rows; i++) {
      if (mask !== null && ((mask[i >>> 3]! >>> (i & 7)) & 1) === 0) continue;
      if (valid !== null && ((valid[i >>> 3]! >>> (i & 7)) & 1) === 0) continue;
      const g = groupIds[i]!;
      this.counts[g] = this.counts[g]! + Number(counts[i]!);
      if (floats !== undefined) this.floatSums[g] = this.floatSums[g]! + floats[i]!;
    }
  }

  finish(numGroups: number): Column {
    const valid = newBitmap(numGroups);
    const sums = this.decimalSums;
    const out = sums !== undefined ? new Uint32Array(4 * numGroups) : new Float64Array(numGroups);
    for (let g = 0; g < numGroups; g++) {
      const c = this.counts[g] ?? 0;
      if (c === 0) continue;
      setBit(valid, g);
      if (sums === undefined) {
        (out as Float64Array)[g] = this.floatSums[g]! / c;
        continue;
      }
      const s = sums.sumNumber(g);
      const q = s === undefined ? Number.NaN : divRoundHalfUpNumber(s, c);
      if (!Number.isNaN(q)) setDecimalNumber(out as Uint32Array, g, q);
      else setDecimal(out as Uint32Array, g, divRoundHalfUp(sums.sum(g), BigInt(c)));
    }
    return makeColumn(this.resultType, numGroups, out, valid);
  }

  memoryBytes(): number {
    return this.floatSums.byteLength + this.counts.byteLength + (this.decimalSums?.memoryBytes() ?? 0);
  }
}

/** avg's final step over (partial sum: double or decimal(38,s), partial count: bigint) → `resultType`. */
export function avgMerge(sumType: SqlType, resultType: SqlType): ResolvedAggregate {
  return { argTypes: [sumType, BIGINT], returnType: resultType, create: () => new AvgMerge(sumType, resultType) };
}
