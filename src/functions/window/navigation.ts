/**
 * Value window functions: lag, lead (relative to the current row, ignoring the frame) and first_value,
 * last_value, nth_value (within the frame). Each builds one index per row into its argument column (-1 for
 * NULL) and gathers once; IGNORE NULLS uses the positions of the non-NULL values, so every call is O(rows).
 */
import { ShoalError } from '../../common/index.js';
import {
  BIGINT, concatColumns, getBit, isIntegerKind, numberView, takeColumn, validity, type Column, type SqlType,
} from '../../types/index.js';
import { doc } from '../function.js';
import type { ResolvedWindow, WindowFunction, WindowInput } from '../function.js';

/** Positions of the non-NULL values, and for each row how many non-NULL values come before it. */
interface NonNulls {
  readonly positions: Int32Array;
  readonly count: number;
  /** before[i]: non-NULL values in rows [0, i); length rows + 1. */
  readonly before: Int32Array;
}

function nonNulls(col: Column, rows: number): NonNulls {
  const valid = col.nullCount === col.length && col.length > 0 ? new Uint8Array(Math.ceil(rows / 8)) : validity(col);
  const positions = new Int32Array(rows);
  const before = new Int32Array(rows + 1);
  let count = 0;
  for (let i = 0; i < rows; i++) {
    before[i] = count;
    if (valid === null || getBit(valid, i)) positions[count++] = i;
  }
  before[rows] = count;
  return { positions, count, before };
}

/** Per-row integer argument (offset, n) as doubles, and whether row i's value is NULL. */
function intArg(col: Column | undefined, rows: number, fallback: number): { at: (i: number) => number | null } {
  if (col === undefined) return { at: () => fallback };
  if (col.nullCount === col.length) return { at: () => null };
  const nums = numberView(col, BIGINT)!;
  const valid = validity(col);
  return { at: (i) => (valid !== null && !getBit(valid, i) ? null : nums[i]!) };
}

function isIntegerType(t: SqlType): boolean {
  return isIntegerKind(t.kind) || t.kind === 'unknown';
}

/** lag/lead(x [, offset [, default]]): the value `offset` rows before/after in the partition, else default. */
function shift(name: 'lag' | 'lead'): WindowFunction {
  const dir = name === 'lag' ? -1 : 1;
  return {
    kind: 'window',
    name,
    nullTreatment: true,
    docs: ['T', 'T, bigint', 'T, bigint, T'].map((args) => doc(args, 'T', `The value of x ${name === 'lag' ? 'offset rows before' : 'offset rows after'} the current row in its partition (offset 1 by default), else default (NULL by default)`)),
    resolve(argTypes) {
      if (argTypes.length < 1 || argTypes.length > 3) return undefined;
      const t = argTypes[0]!;
      if (argTypes.length >= 2 && !isIntegerType(argTypes[1]!)) return undefined;
      const types = [t, BIGINT, t].slice(0, argTypes.length);
      const resolved: ResolvedWindow = {
        argTypes: types,
        returnType: t,
        evaluate(w: WindowInput): Column {
          const x = w.args[0]!;
          const n = w.rows;
          const offset = intArg(w.args[1], n, 1);
          const hasDefault = w.args.length === 3;
          const nn = w.ignoreNulls ? nonNulls(x, n) : undefined;
          const idx = new Int32Array(n);
          for (let i = 0; i < n; i++) {
            const off = offset.at(i);
            if (off === null) {
              idx[i] = -1;
              continue;
            }
            if (off < 0) throw new ShoalError('INVALID_FUNCTION_ARGUMENT', 'Offset must be at least 0');
            let j: number;
            if (nn === undefined || off === 0) j = i + dir * off;
            else {
              // The off-th non-NULL value before (after) row i, not counting row i.
              const k = dir < 0 ? nn.before[i]! - off : nn.before[i + 1]! + off - 1;
              j = k >= 0 && k < nn.count ? nn.positions[k]! : -1;
            }
            const inside = j >= w.partitionStart[i]! && j < w.partitionEnd[i]!;
            idx[i] = inside ? j : hasDefault ? n + i : -1;
          }
          const source = hasDefault ? concatColumns([x, w.args[2]!], t) : x;
          return takeColumn(source, idx, n);
        },
      };
      return resolved;
    },
  };
}

type Pick = (w: WindowInput, i: number, nn: NonNulls | undefined, nth: number) => number;

function frameValue(name: string, description: string, withN: boolean, pick: Pick): WindowFunction {
  return {
    kind: 'window',
    name,
    nullTreatment: true,
    docs: [doc(withN ? 'T, bigint' : 'T', 'T', description)],
    resolve(argTypes) {
      if (argTypes.length !== (withN ? 2 : 1)) return undefined;
      if (withN && !isIntegerType(argTypes[1]!)) return undefined;
      const t = argTypes[0]!;
      return {
        argTypes: withN ? [t, BIGINT] : [t],
        returnType: t,
        evaluate(w) {
          const x = w.args[0]!;
          const n = w.rows;
          const nth = intArg(w.args[1], n, 1);
          const nn = w.ignoreNulls ? nonNulls(x, n) : undefined;
          const idx = new Int32Array(n);
          for (let i = 0; i < n; i++) {
            const k = nth.at(i);
            if (k === null) {
              idx[i] = -1;
              continue;
            }
            if (k < 1) throw new ShoalError('INVALID_FUNCTION_ARGUMENT', 'Offset must be at least 1');
            idx[i] = w.frameStart[i]! >= w.frameEnd[i]! ? -1 : pick(w, i, nn, k);
          }
          return takeColumn(x, idx, n);
        },
      };
    },
  };
}

/** The index of the k-th (1-based) non-NULL value at or after `from`, if it lies before `end`. */
function kthNonNull(nn: NonNulls, from: number, end: number, k: number): number {
  const at = nn.before[from]! + k - 1;
  return at < nn.count && nn.positions[at]! < end ? nn.positions[at]! : -1;
}

export const lagFunction = shift('lag');
export const leadFunction = shift('lead');

export const firstValueFunction = frameValue('first_value', 'The first value of x in the frame', false, (w, i, nn) =>
  nn === undefined ? w.frameStart[i]! : kthNonNull(nn, w.frameStart[i]!, w.frameEnd[i]!, 1));

export const lastValueFunction = frameValue('last_value', 'The last value of x in the frame', false, (w, i, nn) => {
  const s = w.frameStart[i]!, e = w.frameEnd[i]!;
  if (nn === undefined) return e - 1;
  const c = nn.before[e]!;
  return c > 0 && nn.positions[c - 1]! >= s ? nn.positions[c - 1]! : -1;
});

export const nthValueFunction = frameValue('nth_value', 'The n-th value of x in the frame (from 1); NULL when the frame is shorter', true, (w, i, nn, k) => {
  const s = w.frameStart[i]!, e = w.frameEnd[i]!;
  if (nn === undefined) return s + k - 1 < e ? s + k - 1 : -1;
  return kthNonNull(nn, s, e, k);
});

export const NAVIGATION_FUNCTIONS: readonly WindowFunction[] = [lagFunction, leadFunction, firstValueFunction, lastValueFunction, nthValueFunction];
