import { ShoalError } from '../../common/index.js';
import {
  BIGINT, DOUBLE, REAL, float64ToInt64, getBit, isIntegerKind, makeColumn, newBitmap, numberView, setBit, validity,
  type Column, type SqlType,
} from '../../types/index.js';
import { doc } from '../function.js';
import type { AggregateFunction, GroupedAccumulator } from '../function.js';
import { QuantileSketch } from './quantile-sketch.js';
import { included } from './state.js';

/** approx_percentile(x, p): a value near the p-th quantile of the group's non-NULL values (exact for small groups). */
class ApproxPercentileAccumulator implements GroupedAccumulator {
  private sketches: (QuantileSketch | undefined)[] = [];
  private percentile: number | undefined;
  constructor(private readonly type: SqlType) {}

  update(args: readonly Column[], groupIds: Int32Array, rows: number, _numGroups: number, mask: Uint8Array | null): void {
    const col = args[0]!;
    const pc = args[1]!;
    const valid = validity(col);
    const pValid = validity(pc);
    const ps = pc.values as Float64Array;
    const nums = numberView(col, this.type) ?? Float64Array.from(col.values as BigInt64Array, (x) => Number(x));
    for (let i = 0; i < rows; i++) {
      if (!included(mask, valid, i)) continue;
      if (this.percentile === undefined) {
        const p = pValid === null || getBit(pValid, i) ? ps[i]! : Number.NaN;
        if (!(p >= 0 && p <= 1)) throw new ShoalError('INVALID_FUNCTION_ARGUMENT', 'Percentile must be between 0 and 1');
        this.percentile = p;
      }
      const g = groupIds[i]!;
      let s = this.sketches[g];
      if (s === undefined) this.sketches[g] = s = new QuantileSketch();
      s.add(nums[i]!);
    }
  }

  finish(numGroups: number): Column {
    const out = new Float64Array(numGroups);
    const valid = newBitmap(numGroups);
    let nulls = 0;
    for (let g = 0; g < numGroups; g++) {
      const s = this.sketches[g];
      if (s === undefined || this.percentile === undefined) {
        nulls++;
        continue;
      }
      out[g] = s.quantile(this.percentile);
      setBit(valid, g);
    }
    const v = nulls === 0 ? null : valid;
    if (this.type.kind === 'bigint') return makeColumn(BIGINT, numGroups, float64ToInt64(out, numGroups), v);
    if (this.type.kind === 'real') return makeColumn(REAL, numGroups, Float32Array.from(out), v);
    return makeColumn(DOUBLE, numGroups, out, v);
  }

  memoryBytes(): number {
    let b = this.sketches.length * 8;
    for (const s of this.sketches) b += s?.memoryBytes() ?? 0;
    return b;
  }
}

export const approxPercentileFunction: AggregateFunction = {
  kind: 'aggregate',
  name: 'approx_percentile',
  docs: ['bigint', 'real', 'double'].map((t) => doc(`${t}, double`, t, 'Approximate percentile of the non-NULL values at the given percentage (0 to 1); exact for up to 1024 values per group')),
  resolve(argTypes) {
    if (argTypes.length !== 2) return undefined;
    const [x, p] = argTypes as [SqlType, SqlType];
    if (!(isIntegerKind(p.kind) || p.kind === 'double' || p.kind === 'real' || p.kind === 'decimal' || p.kind === 'unknown')) return undefined;
    const t = isIntegerKind(x.kind) ? BIGINT : x.kind === 'real' ? REAL : x.kind === 'double' || x.kind === 'decimal' || x.kind === 'unknown' ? DOUBLE : undefined;
    if (t === undefined) return undefined;
    return { argTypes: [t, DOUBLE], returnType: t, create: () => new ApproxPercentileAccumulator(t) };
  },
};
