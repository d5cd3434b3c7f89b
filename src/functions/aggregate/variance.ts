import { DOUBLE, isIntegerKind, makeColumn, newBitmap, setBit, validity, type Column, type SqlType } from '../../types/index.js';
import { doc } from '../function.js';
import type { AggregateFunction, GroupedAccumulator } from '../function.js';
import { growFloat64, included } from './state.js';

type Statistic = 'var_samp' | 'var_pop' | 'stddev_samp' | 'stddev_pop';

/**
 * Variance and standard deviation by Welford's update (count, mean and sum of squared deviations per group), which
 * stays accurate when the values are large and close together, where sum-of-squares formulas cancel. Values are
 * doubles (Trino coerces integers and decimals to double). Rows can be taken back out (sliding window frames).
 */
class WelfordAccumulator implements GroupedAccumulator {
  private n: Float64Array = new Float64Array(0);
  private mean: Float64Array = new Float64Array(0);
  private m2: Float64Array = new Float64Array(0);
  constructor(private readonly stat: Statistic) {}

  private grow(numGroups: number): void {
    this.n = growFloat64(this.n, numGroups);
    this.mean = growFloat64(this.mean, numGroups);
    this.m2 = growFloat64(this.m2, numGroups);
  }

  update(args: readonly Column[], groupIds: Int32Array, rows: number, numGroups: number, mask: Uint8Array | null): void {
    this.grow(numGroups);
    const col = args[0]!;
    const v = col.values as Float64Array;
    const valid = validity(col);
    const n = this.n, mean = this.mean, m2 = this.m2;
    for (let i = 0; i < rows; i++) {
      if (!included(mask, valid, i)) continue;
      const g = groupIds[i]!;
      const x = v[i]!;
      const c = ++n[g]!;
      const d = x - mean[g]!;
      mean[g] = mean[g]! + d / c;
      m2[g] = m2[g]! + d * (x - mean[g]!);
    }
  }

  remove(args: readonly Column[], groupIds: Int32Array, rows: number, numGroups: number, mask: Uint8Array | null): void {
    this.grow(numGroups);
    const col = args[0]!;
    const v = col.values as Float64Array;
    const valid = validity(col);
    const n = this.n, mean = this.mean, m2 = this.m2;
    for (let i = 0; i < rows; i++) {
      if (!included(mask, valid, i)) continue;
      const g = groupIds[i]!;
      const x = v[i]!;
      const c = --n[g]!;
      if (c <= 0) {
        n[g] = 0;
        mean[g] = 0;
        m2[g] = 0;
        continue;
      }
      const d = x - mean[g]!;
      mean[g] = mean[g]! - d / c;
      m2[g] = Math.max(0, m2[g]! - d * (x - mean[g]!));
    }
  }

  finish(numGroups: number): Column {
    this.grow(numGroups);
    const out = new Float64Array(numGroups);
    const valid = newBitmap(numGroups);
    const sample = this.stat === 'var_samp' || this.stat === 'stddev_samp';
    const root = this.stat === 'stddev_samp' || this.stat === 'stddev_pop';
    let nulls = 0;
    for (let g = 0; g < numGroups; g++) {
      const c = this.n[g]!;
      if (c < (sample ? 2 : 1)) {
        nulls++;
        continue;
      }
      const variance = this.m2[g]! / (sample ? c - 1 : c);
      out[g] = root ? Math.sqrt(variance) : variance;
      setBit(valid, g);
    }
    return makeColumn(DOUBLE, numGroups, out, nulls === 0 ? null : valid);
  }

  memoryBytes(): number {
    return this.n.byteLength * 3;
  }
}

function numeric(t: SqlType): boolean {
  return isIntegerKind(t.kind) || t.kind === 'real' || t.kind === 'double' || t.kind === 'decimal' || t.kind === 'unknown';
}

function statistic(name: string, stat: Statistic, description: string): AggregateFunction {
  return {
    kind: 'aggregate',
    name,
    docs: [doc('double', 'double', description)],
    resolve(argTypes) {
      if (argTypes.length !== 1 || !numeric(argTypes[0]!)) return undefined;
      return { argTypes: [DOUBLE], returnType: DOUBLE, create: () => new WelfordAccumulator(stat) };
    },
  };
}

const SAMPLE_NOTE = 'NULL for fewer than two values';
/** [function, ...aliases] */
export const VARIANCE_FUNCTIONS: readonly (readonly [AggregateFunction, ...string[]])[] = [
  [statistic('stddev', 'stddev_samp', `Sample standard deviation of the non-NULL values; ${SAMPLE_NOTE}`)],
  [statistic('stddev_samp', 'stddev_samp', `Sample standard deviation of the non-NULL values; ${SAMPLE_NOTE}`)],
  [statistic('stddev_pop', 'stddev_pop', 'Population standard deviation of the non-NULL values')],
  [statistic('variance', 'var_samp', `Sample variance of the non-NULL values; ${SAMPLE_NOTE}`)],
  [statistic('var_samp', 'var_samp', `Sample variance of the non-NULL values; ${SAMPLE_NOTE}`)],
  [statistic('var_pop', 'var_pop', 'Population variance of the non-NULL values')],
];
