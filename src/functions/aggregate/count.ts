import { BIGINT, float64ToInt64, makeColumn, validity } from '../../types/index.js';
import { doc, type AggregateFunction, type GroupedAccumulator, type GroupRunsSource } from '../function.js';
import { growFloat64, included } from './state.js';

/** count(*) counts rows; count(x) counts non-NULL values. Result bigint, 0 for empty groups. */
class CountAccumulator implements GroupedAccumulator {
  private counts: Float64Array = new Float64Array(0);
  constructor(private readonly star: boolean) {}

  update(args: readonly import('../../types/index.js').Column[], groupIds: Int32Array, rows: number, numGroups: number, mask: Uint8Array | null, source?: GroupRunsSource): void {
    this.counts = growFloat64(this.counts, numGroups);
    const c = this.counts;
    const valid = this.star ? null : validity(args[0]!);
    if (mask === null && valid === null) {
      // Every id is below numGroups: with one group, all rows are its rows (count(*) without GROUP BY).
      const runs = numGroups === 1 ? null : (source?.get() ?? null);
      if (numGroups === 1) c[0]! += rows;
      else if (runs !== null) for (let g = 0; g < numGroups; g++) c[g]! += runs.start[g + 1]! - runs.start[g]!;
      else for (let i = 0; i < rows; i++) c[groupIds[i]!]!++;
      return;
    }
    for (let i = 0; i < rows; i++) if (included(mask, valid, i)) c[groupIds[i]!]!++;
  }

  remove(args: readonly import('../../types/index.js').Column[], groupIds: Int32Array, rows: number, numGroups: number, mask: Uint8Array | null): void {
    this.counts = growFloat64(this.counts, numGroups);
    const valid = this.star ? null : validity(args[0]!);
    for (let i = 0; i < rows; i++) if (included(mask, valid, i)) this.counts[groupIds[i]!]!--;
  }

  finish(numGroups: number): import('../../types/index.js').Column {
    const out = new Float64Array(numGroups);
    out.set(this.counts.subarray(0, Math.min(numGroups, this.counts.length)));
    return makeColumn(BIGINT, numGroups, float64ToInt64(out, numGroups), null);
  }

  memoryBytes(): number {
    return this.counts.byteLength;
  }
}

export const countFunction: AggregateFunction = {
  kind: 'aggregate',
  name: 'count',
  docs: [doc('', 'bigint', 'Number of rows (count(*))'), doc('T', 'bigint', 'Number of non-NULL values')],
  resolve(argTypes, { star }) {
    if (star) return argTypes.length === 0 ? { argTypes: [], returnType: BIGINT, create: () => new CountAccumulator(true) } : undefined;
    if (argTypes.length !== 1) return undefined;
    return { argTypes, returnType: BIGINT, create: () => new CountAccumulator(false) };
  },
};
