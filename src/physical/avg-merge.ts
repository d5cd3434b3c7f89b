import type { GroupedAccumulator, ResolvedAggregate } from '../functions/index.js';
import {
  BIGINT, decimalAt, divRoundHalfUp, makeColumn, newBitmap, setBit, setDecimal, validity, type Column, type SqlType,
} from '../types/index.js';

/**
 * The final step of a parallel avg: its inputs are per-worker partial sums and counts (partial-aggregate.ts),
 * and it finishes as avg itself does — a double quotient for double results, for decimals the exact sum
 * divided by the count rounded half up — so only the order of the partial sums differs from one thread.
 * Rows here are partial groups (groups × workers), not input rows, so per-row BigInt for decimals is cheap.
 */
class AvgMerge implements GroupedAccumulator {
  private floatSums: Float64Array = new Float64Array(0);
  private decimalSums: bigint[] = [];
  private counts: Float64Array = new Float64Array(0);

  constructor(private readonly resultType: SqlType) {}

  update(args: readonly Column[], groupIds: Int32Array, rows: number, numGroups: number, mask: Uint8Array | null): void {
    if (this.counts.length < numGroups) {
      const c = new Float64Array(Math.max(numGroups, this.counts.length * 2, 16));
      c.set(this.counts);
      this.counts = c;
      const s = new Float64Array(c.length);
      s.set(this.floatSums);
      this.floatSums = s;
    }
    while (this.decimalSums.length < numGroups) this.decimalSums.push(0n);
    const sums = args[0]!, counts = args[1]!.values as BigInt64Array;
    const valid = validity(sums);
    const decimal = this.resultType.kind === 'decimal';
    for (let i = 0; i < rows; i++) {
      if (mask !== null && ((mask[i >>> 3]! >>> (i & 7)) & 1) === 0) continue;
      // A partial with no values has a NULL sum and a zero count.
      if (valid !== null && ((valid[i >>> 3]! >>> (i & 7)) & 1) === 0) continue;
      const g = groupIds[i]!;
      this.counts[g] = this.counts[g]! + Number(counts[i]!);
      if (decimal) this.decimalSums[g] = this.decimalSums[g]! + decimalAt(sums.values as Uint32Array, i);
      else this.floatSums[g] = this.floatSums[g]! + (sums.values as Float64Array)[i]!;
    }
  }

  finish(numGroups: number): Column {
    const valid = newBitmap(numGroups);
    const decimal = this.resultType.kind === 'decimal';
    const out = decimal ? new Uint32Array(4 * numGroups) : new Float64Array(numGroups);
    for (let g = 0; g < numGroups; g++) {
      const c = this.counts[g] ?? 0;
      if (c === 0) continue;
      setBit(valid, g);
      if (decimal) setDecimal(out as Uint32Array, g, divRoundHalfUp(this.decimalSums[g]!, BigInt(c)));
      else (out as Float64Array)[g] = this.floatSums[g]! / c;
    }
    return makeColumn(this.resultType, numGroups, out, valid);
  }

  memoryBytes(): number {
    return this.floatSums.byteLength + this.counts.byteLength + this.decimalSums.length * 16;
  }
}

/** avg's final step over (partial sum: double or decimal(38,s), partial count: bigint) → `resultType`. */
export function avgMerge(sumType: SqlType, resultType: SqlType): ResolvedAggregate {
  return { argTypes: [sumType, BIGINT], returnType: resultType, create: () => new AvgMerge(resultType) };
}
