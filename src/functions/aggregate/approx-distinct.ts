import { ShoalError } from '../../common/index.js';
import { BIGINT, DOUBLE, float64ToInt64, getBit, makeColumn, validity, type Column, type SqlType } from '../../types/index.js';
import { doc } from '../function.js';
import type { AggregateFunction, GroupedAccumulator } from '../function.js';
import { HyperLogLogs } from './hyperloglog.js';
import { included } from './state.js';
import { hashValues, hashable } from './value-hash.js';

/** Trino's default maximum standard error, and the range it accepts for approx_distinct(x, e). */
const DEFAULT_ERROR = 0.023;
const MIN_ERROR = 0.0040625;
const MAX_ERROR = 0.26;

/** Register-index bits for a maximum standard error e: the fewest registers m = 2^p with 1.04/√m ≤ e. */
function precisionFor(e: number): number {
  return Math.ceil(Math.log2((1.04 / e) ** 2));
}

/** approx_distinct(x [, e]): HyperLogLog estimate of the number of distinct non-NULL values; 0 for none. */
class ApproxDistinctAccumulator implements GroupedAccumulator {
  private sketch: HyperLogLogs | undefined;
  private hashes = new Int32Array(0);
  constructor(private readonly type: SqlType) {}

  /** The sketch, sized by the error argument (read from the first row: it must be constant). */
  private sketchFor(args: readonly Column[]): HyperLogLogs {
    if (this.sketch !== undefined) return this.sketch;
    let e = DEFAULT_ERROR;
    const ec = args[1];
    if (ec !== undefined) {
      const valid = validity(ec);
      if (valid !== null && !getBit(valid, 0)) throw new ShoalError('INVALID_FUNCTION_ARGUMENT', 'approx_distinct: the maximum standard error must not be NULL');
      e = (ec.values as Float64Array)[0]!;
      if (!(e >= MIN_ERROR && e <= MAX_ERROR)) {
        throw new ShoalError('INVALID_FUNCTION_ARGUMENT', `approx_distinct: the maximum standard error must be in [${MIN_ERROR}, ${MAX_ERROR}], not ${e}`);
      }
    }
    this.sketch = new HyperLogLogs(precisionFor(e));
    return this.sketch;
  }

  update(args: readonly Column[], groupIds: Int32Array, rows: number, numGroups: number, mask: Uint8Array | null): void {
    if (rows === 0) return;
    const sketch = this.sketchFor(args);
    sketch.grow(numGroups);
    const col = args[0]!;
    if (this.type.kind === 'unknown') return;
    if (this.hashes.length < rows) this.hashes = new Int32Array(rows);
    const h = this.hashes;
    hashValues(col, this.type, rows, h);
    const valid = validity(col);
    for (let i = 0; i < rows; i++) if (included(mask, valid, i)) sketch.add(groupIds[i]!, h[i]!);
  }

  finish(numGroups: number): Column {
    const out = new Float64Array(numGroups);
    for (let g = 0; g < numGroups; g++) out[g] = this.sketch === undefined ? 0 : Math.round(this.sketch.estimate(g));
    return makeColumn(BIGINT, numGroups, float64ToInt64(out, numGroups), null);
  }

  memoryBytes(): number {
    return (this.sketch?.memoryBytes() ?? 0) + this.hashes.byteLength;
  }
}

export const approxDistinctFunction: AggregateFunction = {
  kind: 'aggregate',
  name: 'approx_distinct',
  docs: [
    doc('T', 'bigint', 'Approximate number of distinct non-NULL values (HyperLogLog, standard error 2.3%)'),
    doc('T, double', 'bigint', `Approximate number of distinct non-NULL values with standard error at most e (${MIN_ERROR} to ${MAX_ERROR})`),
  ],
  resolve(argTypes) {
    if (argTypes.length < 1 || argTypes.length > 2) return undefined;
    const t = argTypes[0]!;
    if (!hashable(t) && t.kind !== 'unknown') return undefined;
    if (argTypes.length === 2 && !['double', 'real', 'decimal', 'unknown', 'integer', 'bigint'].includes(argTypes[1]!.kind)) return undefined;
    return { argTypes: argTypes.length === 2 ? [t, DOUBLE] : [t], returnType: BIGINT, create: () => new ApproxDistinctAccumulator(t) };
  },
};
