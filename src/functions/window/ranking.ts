/**
 * Ranking window functions: row_number, rank, dense_rank, percent_rank, cume_dist, ntile. They read only the
 * partition and peer-group bounds (never the frame), so each is one pass over the rows.
 */
import { ShoalError } from '../../common/index.js';
import {
  BIGINT, DOUBLE, clearBit, float64ToInt64, getBit, makeColumn, newBitmap, numberView, validity, type Column,
} from '../../types/index.js';
import { doc } from '../function.js';
import type { ResolvedWindow, WindowFunction, WindowInput } from '../function.js';

function bigintColumn(values: Float64Array, valid: Uint8Array | null = null): Column {
  return makeColumn(BIGINT, values.length, float64ToInt64(values, values.length), valid);
}

function noArgs(name: string, description: string, returnsDouble: boolean, evaluate: (w: WindowInput) => Column): WindowFunction {
  const resolved: ResolvedWindow = { argTypes: [], returnType: returnsDouble ? DOUBLE : BIGINT, evaluate };
  return {
    kind: 'window',
    name,
    nullTreatment: false,
    docs: [doc('', returnsDouble ? 'double' : 'bigint', description)],
    resolve: (argTypes) => (argTypes.length === 0 ? resolved : undefined),
  };
}

export const rowNumberFunction = noArgs('row_number', 'Sequential number of the row within its partition, from 1', false, (w) => {
  const out = new Float64Array(w.rows);
  for (let i = 0; i < w.rows; i++) out[i] = i - w.partitionStart[i]! + 1;
  return bigintColumn(out);
});

export const rankFunction = noArgs('rank', 'Rank of the row within its partition, with gaps after ties (peers share a rank)', false, (w) => {
  const out = new Float64Array(w.rows);
  for (let i = 0; i < w.rows; i++) out[i] = w.peerStart[i]! - w.partitionStart[i]! + 1;
  return bigintColumn(out);
});

export const denseRankFunction = noArgs('dense_rank', 'Rank of the row within its partition, without gaps after ties', false, (w) => {
  const out = new Float64Array(w.rows);
  let rank = 0;
  for (let i = 0; i < w.rows; i++) {
    if (i === w.partitionStart[i]) rank = 1;
    else if (i === w.peerStart[i]) rank++;
    out[i] = rank;
  }
  return bigintColumn(out);
});

export const percentRankFunction = noArgs('percent_rank', '(rank - 1) / (rows in partition - 1); 0 for a single-row partition', true, (w) => {
  const out = new Float64Array(w.rows);
  for (let i = 0; i < w.rows; i++) {
    const size = w.partitionEnd[i]! - w.partitionStart[i]!;
    out[i] = size <= 1 ? 0 : (w.peerStart[i]! - w.partitionStart[i]!) / (size - 1);
  }
  return makeColumn(DOUBLE, w.rows, out);
});

export const cumeDistFunction = noArgs('cume_dist', 'Rows up to and including the last peer of the row, divided by the rows in the partition', true, (w) => {
  const out = new Float64Array(w.rows);
  for (let i = 0; i < w.rows; i++) out[i] = (w.peerEnd[i]! - w.partitionStart[i]!) / (w.partitionEnd[i]! - w.partitionStart[i]!);
  return makeColumn(DOUBLE, w.rows, out);
});

/**
 * ntile(n): splits each partition into n buckets whose sizes differ by at most one, larger buckets first (as
 * Trino does). n is read per row; NULL gives NULL, and n < 1 is an error.
 */
export const ntileFunction: WindowFunction = {
  kind: 'window',
  name: 'ntile',
  nullTreatment: false,
  docs: [doc('bigint', 'bigint', 'Bucket number, 1 to n, dividing the partition into n buckets of near-equal size')],
  resolve(argTypes) {
    if (argTypes.length !== 1 || !['tinyint', 'smallint', 'integer', 'bigint', 'unknown'].includes(argTypes[0]!.kind)) return undefined;
    return {
      argTypes: [BIGINT],
      returnType: BIGINT,
      evaluate(w) {
        const arg = w.args[0]!;
        const buckets = numberView(arg, BIGINT) ?? new Float64Array(w.rows);
        const argValid = arg.nullCount === arg.length ? newBitmap(w.rows) : validity(arg);
        const out = new Float64Array(w.rows);
        let valid: Uint8Array | null = null;
        for (let i = 0; i < w.rows; i++) {
          if (argValid !== null && !getBit(argValid, i)) {
            valid ??= newBitmap(w.rows, true);
            clearBit(valid, i);
            continue;
          }
          const n = buckets[i]!;
          if (n < 1) throw new ShoalError('INVALID_FUNCTION_ARGUMENT', 'Buckets must be greater than 0');
          const size = w.partitionEnd[i]! - w.partitionStart[i]!;
          const r = i - w.partitionStart[i]!;
          if (n >= size) {
            out[i] = r + 1;
            continue;
          }
          const q = Math.floor(size / n), rem = size % n;
          const big = rem * (q + 1);
          out[i] = r < big ? Math.floor(r / (q + 1)) + 1 : rem + Math.floor((r - big) / q) + 1;
        }
        return bigintColumn(out, valid);
      },
    };
  },
};

export const RANKING_FUNCTIONS: readonly WindowFunction[] = [
  rowNumberFunction, rankFunction, denseRankFunction, percentRankFunction, cumeDistFunction, ntileFunction,
];
