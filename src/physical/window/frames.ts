import { assertNever } from '../../common/index.js';
import type { FrameBound, WindowFrame } from '../../plan/index.js';
import { getBit, numberView, validity, type Column, type SqlType } from '../../types/index.js';
import type { RowBounds } from './partitions.js';

/** Per sorted row, its frame as [start, end) clamped to the partition, with end >= start. */
export interface FrameRows {
  readonly start: Int32Array;
  readonly end: Int32Array;
}

/** The single ORDER BY key of a RANGE frame with offsets: its values as numbers and its direction. */
export interface RangeKey {
  readonly col: Column;
  readonly type: SqlType;
  readonly descending: boolean;
}

/**
 * Frame bounds for every row in O(rows): ROWS offsets are index arithmetic; RANGE bounds without offsets are peer
 * bounds; RANGE offsets move two pointers over the (sorted, hence monotone) key; GROUPS offsets count peer groups.
 * Both start and end are non-decreasing within a partition, which the sliding aggregates rely on.
 */
export function frameRows(frame: WindowFrame, b: RowBounds, key: RangeKey | undefined): FrameRows {
  const n = b.rows;
  const start = new Int32Array(n), end = new Int32Array(n);
  const startOf = boundFn(frame, frame.start, true, b, key);
  const endOf = boundFn(frame, frame.end, false, b, key);
  for (let i = 0; i < n; i++) {
    const ps = b.partitionStart[i]!, pe = b.partitionEnd[i]!;
    const s = Math.min(Math.max(startOf(i), ps), pe);
    const e = Math.min(Math.max(endOf(i), ps), pe);
    start[i] = s;
    end[i] = e < s ? s : e;
  }
  return { start, end };
}

/** A bound as a function of the row: the first row of the frame (isStart) or one past its last row. */
function boundFn(frame: WindowFrame, bound: FrameBound, isStart: boolean, b: RowBounds, key: RangeKey | undefined): (i: number) => number {
  switch (bound.kind) {
    case 'unbounded_preceding': return (i) => b.partitionStart[i]!;
    case 'unbounded_following': return (i) => b.partitionEnd[i]!;
    case 'current_row':
      if (frame.unit === 'rows') return isStart ? (i) => i : (i) => i + 1;
      return isStart ? (i) => b.peerStart[i]! : (i) => b.peerEnd[i]!;
    case 'preceding':
    case 'following': {
      const k = bound.kind === 'preceding' ? -bound.offset : bound.offset;
      switch (frame.unit) {
        case 'rows': return isStart ? (i) => i + k : (i) => i + k + 1;
        case 'groups': return groupsBound(b, k, isStart);
        case 'range': return rangeBound(b, key!, k, isStart);
        default: return assertNever(frame.unit, 'frame unit');
      }
    }
    default: return assertNever(bound, 'frame bound');
  }
}

/** GROUPS k PRECEDING/FOLLOWING: the start (or end) of the peer group k groups away, within the partition. */
function groupsBound(b: RowBounds, k: number, isStart: boolean): (i: number) => number {
  const n = b.rows;
  // Peer groups numbered globally; groupFirst/groupEnd by number.
  const group = new Int32Array(n);
  const firsts: number[] = [];
  for (let i = 0; i < n; i++) {
    if (b.peerStart[i] === i) firsts.push(i);
    group[i] = firsts.length - 1;
  }
  const first = Int32Array.from(firsts);
  return (i) => {
    const g = group[i]! + k;
    const gFirst = group[b.partitionStart[i]!]!, gLast = group[b.partitionEnd[i]! - 1]!;
    if (g < gFirst) return b.partitionStart[i]!;
    if (g > gLast) return b.partitionEnd[i]!;
    return isStart ? first[g]! : b.peerEnd[first[g]!]!;
  };
}

/**
 * RANGE k PRECEDING/FOLLOWING over the single order key: with w = ±key (increasing in sort order), a start is the
 * first row with w >= w[i] + k and an end the first row with w > w[i] + k, searched among the partition's non-NULL
 * keys by a pointer that only moves forward. A row whose key is NULL has its NULL peers as the bound (as in Trino).
 */
function rangeBound(b: RowBounds, key: RangeKey, k: number, isStart: boolean): (i: number) => number {
  const n = b.rows;
  const raw = numberView(key.col, key.type)!;
  const valid = key.col.nullCount === key.col.length && n > 0 ? new Uint8Array(Math.ceil(n / 8)) : validity(key.col);
  const sign = key.descending ? -1 : 1;
  const out = new Int32Array(n);
  let j = 0;
  let part = -1;
  let nnEnd = 0;
  for (let i = 0; i < n; i++) {
    const isNull = valid !== null && !getBit(valid, i);
    if (b.partitionStart[i] !== part) {
      part = b.partitionStart[i]!;
      // The partition's non-NULL keys form one run [nnStart, nnEnd): NULLs sort first or last.
      let s = part;
      while (s < b.partitionEnd[i]! && valid !== null && !getBit(valid, s)) s++;
      let e = s;
      while (e < b.partitionEnd[i]! && (valid === null || getBit(valid, e))) e++;
      j = s;
      nnEnd = e;
    }
    if (isNull) {
      out[i] = isStart ? b.peerStart[i]! : b.peerEnd[i]!;
      continue;
    }
    const target = sign * raw[i]! + k;
    if (isStart) while (j < nnEnd && sign * raw[j]! < target) j++;
    else while (j < nnEnd && sign * raw[j]! <= target) j++;
    out[i] = j;
  }
  return (i) => out[i]!;
}
