import type { ResolvedAggregate } from '../../functions/index.js';
import { takeColumn, type Column } from '../../types/index.js';
import type { FrameRows } from './frames.js';

/** Rows fed to an accumulator per update call. */
const CHUNK = 65_536;

/**
 * Any aggregate over any frames, through its grouped accumulator: each run of rows with the same frame is one group,
 * fed every row of that frame. The cost is the sum of the distinct frames' sizes: O(rows) whenever distinct frames do
 * not overlap (the whole partition, a peer group), more for overlapping frames, which is why the common aggregates
 * have sliding kernels (sliding-aggregates.ts) and come here only when their frames do not overlap.
 */
export function aggregateByFrames(resolved: ResolvedAggregate, args: readonly Column[], frames: FrameRows, n: number): Column {
  const groupOfRow = new Int32Array(n);
  const starts: number[] = [], ends: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = frames.start[i]!, e = frames.end[i]!;
    const last = starts.length - 1;
    if (last < 0 || starts[last] !== s || ends[last] !== e) {
      starts.push(s);
      ends.push(e);
    }
    groupOfRow[i] = starts.length - 1;
  }
  const numGroups = starts.length;
  const acc = resolved.create();
  const rowIdx = new Int32Array(CHUNK), gids = new Int32Array(CHUNK);
  let m = 0;
  const flush = (): void => {
    if (m === 0) return;
    acc.update(args.map((c) => takeColumn(c, rowIdx, m)), gids, m, numGroups, null);
    m = 0;
  };
  for (let g = 0; g < numGroups; g++) {
    for (let r = starts[g]!; r < ends[g]!; r++) {
      rowIdx[m] = r;
      gids[m++] = g;
      if (m === CHUNK) flush();
    }
  }
  flush();
  return takeColumn(acc.finish(numGroups), groupOfRow, n);
}

/** Whether the distinct frames, in row order, never overlap (each row is fed at most once). */
export function framesDisjoint(frames: FrameRows, n: number): boolean {
  let prevS = -1, prevE = -1;
  for (let i = 0; i < n; i++) {
    const s = frames.start[i]!, e = frames.end[i]!;
    if (s === prevS && e === prevE) continue;
    if (s < prevE && e > s) return false;
    if (e > s) {
      prevS = s;
      prevE = e;
    }
  }
  return true;
}
