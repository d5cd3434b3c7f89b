import { ShoalError } from '../../common/index.js';
import {
  BIGINT, DOUBLE, INT64_MAX, INT64_MIN, REAL, decimalType, isIntegerKind, makeColumn, newBitmap, setBit,
  setDecimal, setDecimalNumber, validity, type Column, type SqlType,
} from '../../types/index.js';
import { doc, type AggregateFunction, type GroupedAccumulator, type GroupRunsSource } from '../function.js';
import { ExactSums } from './exact-sum.js';
import { growFloat64, growUint8, included } from './state.js';

function seenBitmap(seen: Uint8Array, numGroups: number): Uint8Array | null {
  let all = true;
  const out = newBitmap(numGroups);
  for (let g = 0; g < numGroups; g++) {
    if (seen[g] === 1) setBit(out, g);
    else all = false;
  }
  return all ? null : out;
}

/** sum of tinyint…bigint → bigint (overflow past 64 bits is an error, as in Trino); decimal(p,s) → decimal(38,s). */
class ExactSumAccumulator implements GroupedAccumulator {
  private readonly sums: ExactSums;
  constructor(inputType: SqlType, private readonly resultType: SqlType) {
    this.sums = new ExactSums(inputType);
  }

  update(args: readonly Column[], groupIds: Int32Array, rows: number, numGroups: number, mask: Uint8Array | null, runs?: GroupRunsSource): void {
    this.sums.add(args[0]!, groupIds, rows, numGroups, mask, runs);
  }

  finish(numGroups: number): Column {
    const valid = countedBitmap(this.sums, numGroups);
    if (this.resultType.kind === 'bigint') {
      const out = new BigInt64Array(numGroups);
      for (let g = 0; g < numGroups; g++) {
        const s = this.sums.sum(g);
        if (s < INT64_MIN || s > INT64_MAX) throw new ShoalError('NUMERIC_VALUE_OUT_OF_RANGE', 'bigint addition overflow in sum()');
        out[g] = s;
      }
      return makeColumn(BIGINT, numGroups, out, valid);
    }
    const words = new Uint32Array(4 * numGroups);
    for (let g = 0; g < numGroups; g++) {
      const n = this.sums.sumNumber(g);
      if (n !== undefined) setDecimalNumber(words, g, n);
      else setDecimal(words, g, this.sums.sum(g));
    }
    return makeColumn(this.resultType, numGroups, words, valid);
  }

  memoryBytes(): number {
    return this.sums.memoryBytes();
  }
}

/** sum of real/double: floating-point accumulation. */
class FloatSumAccumulator implements GroupedAccumulator {
  private sums: Float64Array = new Float64Array(0);
  private seen: Uint8Array = new Uint8Array(0);
  constructor(private readonly resultType: SqlType) {}

  update(args: readonly Column[], groupIds: Int32Array, rows: number, numGroups: number, mask: Uint8Array | null): void {
    this.sums = growFloat64(this.sums, numGroups);
    this.seen = growUint8(this.seen, numGroups);
    const col = args[0]!;
    const v = col.values as Float64Array;
    const valid = validity(col);
    const s = this.sums, seen = this.seen;
    if (mask === null && valid === null) {
      for (let i = 0; i < rows; i++) {
        const g = groupIds[i]!;
        s[g] = s[g]! + v[i]!;
        seen[g] = 1;
      }
      return;
    }
    for (let i = 0; i < rows; i++) {
      if (!included(mask, valid, i)) continue;
      const g = groupIds[i]!;
      s[g] = s[g]! + v[i]!;
      seen[g] = 1;
    }
  }

  finish(numGroups: number): Column {
    const out = this.resultType.kind === 'real' ? new Float32Array(numGroups) : new Float64Array(numGroups);
    out.set(this.sums.subarray(0, Math.min(numGroups, this.sums.length)));
    return makeColumn(this.resultType, numGroups, out, seenBitmap(growUint8(this.seen, numGroups), numGroups));
  }

  memoryBytes(): number {
    return this.sums.byteLength + this.seen.byteLength;
  }
}

export const sumFunction: AggregateFunction = {
  kind: 'aggregate',
  name: 'sum',
  docs: [
    doc('bigint', 'bigint', 'Sum of the non-NULL values (integers sum to bigint)'),
    doc('decimal(p,s)', 'decimal(38,s)', 'Sum of the non-NULL values'),
    doc('double', 'double', 'Sum of the non-NULL values (real sums to real)'),
  ],
  resolve(argTypes) {
    if (argTypes.length !== 1) return undefined;
    const t = argTypes[0]!;
    if (isIntegerKind(t.kind)) return { argTypes: [t], returnType: BIGINT, create: () => new ExactSumAccumulator(t, BIGINT) };
    if (t.kind === 'decimal') {
      const r = decimalType(38, t.scale);
      return { argTypes: [t], returnType: r, create: () => new ExactSumAccumulator(t, r) };
    }
    if (t.kind === 'real') return { argTypes: [t], returnType: REAL, create: () => new FloatSumAccumulator(REAL) };
    if (t.kind === 'double' || t.kind === 'unknown') return { argTypes: [DOUBLE], returnType: DOUBLE, create: () => new FloatSumAccumulator(DOUBLE) };
    return undefined;
  },
};

/** Validity of per-group results: a group that took no value is NULL (null bitmap when every group took one). */
function countedBitmap(sums: ExactSums, numGroups: number): Uint8Array | null {
  let all = true;
  const out = newBitmap(numGroups);
  for (let g = 0; g < numGroups; g++) {
    if (sums.count(g) > 0) setBit(out, g);
    else all = false;
  }
  return all ? null : out;
}

export { countedBitmap, seenBitmap };
