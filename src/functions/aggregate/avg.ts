import {
  DOUBLE, REAL, divRoundHalfUp, divRoundHalfUpNumber, isIntegerKind, makeColumn, setDecimal, setDecimalNumber, validity, numberView,
  type Column, type SqlType,
} from '../../types/index.js';
import { doc, type AggregateFunction, type GroupedAccumulator, type GroupRunsSource } from '../function.js';
import { ExactSums } from './exact-sum.js';
import { countedBitmap, seenBitmap } from './sum.js';
import { growFloat64, growUint8, included } from './state.js';

/** avg of integers, real, double: double (real for real) accumulated in doubles. */
class FloatAvgAccumulator implements GroupedAccumulator {
  private sums: Float64Array = new Float64Array(0);
  private counts: Float64Array = new Float64Array(0);
  constructor(private readonly inputType: SqlType, private readonly resultType: SqlType) {}

  update(args: readonly Column[], groupIds: Int32Array, rows: number, numGroups: number, mask: Uint8Array | null): void {
    this.sums = growFloat64(this.sums, numGroups);
    this.counts = growFloat64(this.counts, numGroups);
    const col = args[0]!;
    const valid = validity(col);
    const nums = numberView(col, this.inputType) ?? Float64Array.from(col.values as BigInt64Array, (x) => Number(x));
    const s = this.sums, c = this.counts;
    if (mask === null && valid === null && nums instanceof Float64Array) {
      // The common case (doubles, no NULLs, no FILTER): one monomorphic loop over typed arrays.
      for (let i = 0; i < rows; i++) {
        const g = groupIds[i]!;
        s[g] = s[g]! + nums[i]!;
        c[g]!++;
      }
      return;
    }
    for (let i = 0; i < rows; i++) {
      if (!included(mask, valid, i)) continue;
      const g = groupIds[i]!;
      s[g] = s[g]! + nums[i]!;
      c[g]!++;
    }
  }

  finish(numGroups: number): Column {
    const out = this.resultType.kind === 'real' ? new Float32Array(numGroups) : new Float64Array(numGroups);
    const seen = new Uint8Array(numGroups);
    for (let g = 0; g < numGroups; g++) {
      const c = this.counts[g] ?? 0;
      if (c > 0) {
        out[g] = this.sums[g]! / c;
        seen[g] = 1;
      }
    }
    return makeColumn(this.resultType, numGroups, out, seenBitmap(seen, numGroups));
  }

  memoryBytes(): number {
    return this.sums.byteLength + this.counts.byteLength;
  }
}

/** avg of decimal(p,s): decimal(p,s), exact sum divided by the count, rounded half up. */
class DecimalAvgAccumulator implements GroupedAccumulator {
  private readonly sums: ExactSums;
  constructor(inputType: SqlType, private readonly resultType: SqlType) {
    this.sums = new ExactSums(inputType);
  }

  update(args: readonly Column[], groupIds: Int32Array, rows: number, numGroups: number, mask: Uint8Array | null, runs?: GroupRunsSource): void {
    this.sums.add(args[0]!, groupIds, rows, numGroups, mask, runs);
  }

  finish(numGroups: number): Column {
    const words = new Uint32Array(4 * numGroups);
    for (let g = 0; g < numGroups; g++) {
      const c = this.sums.count(g);
      if (c === 0) continue;
      const s = this.sums.sumNumber(g);
      const q = s === undefined ? Number.NaN : divRoundHalfUpNumber(s, c);
      if (!Number.isNaN(q)) setDecimalNumber(words, g, q);
      else setDecimal(words, g, divRoundHalfUp(this.sums.sum(g), BigInt(c)));
    }
    return makeColumn(this.resultType, numGroups, words, countedBitmap(this.sums, numGroups));
  }

  memoryBytes(): number {
    return this.sums.memoryBytes();
  }
}

export const avgFunction: AggregateFunction = {
  kind: 'aggregate',
  name: 'avg',
  docs: [
    doc('double', 'double', 'Mean of the non-NULL values (integers average to double, real to real)'),
    doc('decimal(p,s)', 'decimal(p,s)', 'Mean of the non-NULL values'),
  ],
  resolve(argTypes) {
    if (argTypes.length !== 1) return undefined;
    const t = argTypes[0]!;
    if (isIntegerKind(t.kind) || t.kind === 'double') return { argTypes: [t], returnType: DOUBLE, create: () => new FloatAvgAccumulator(t, DOUBLE) };
    if (t.kind === 'unknown') return { argTypes: [DOUBLE], returnType: DOUBLE, create: () => new FloatAvgAccumulator(DOUBLE, DOUBLE) };
    if (t.kind === 'real') return { argTypes: [t], returnType: REAL, create: () => new FloatAvgAccumulator(t, REAL) };
    if (t.kind === 'decimal') return { argTypes: [t], returnType: t, create: () => new DecimalAvgAccumulator(t, t) };
    return undefined;
  },
};
