import type { GroupedAccumulator, ResolvedAggregate } from '../../functions/index.js';
import { concatColumns, sliceColumn, takeColumn, type Column } from '../../types/index.js';
import type { FrameRows } from './frames.js';

/** Per-frame results gathered before they are concatenated into one piece. */
const PIECE = 4_096;

/**
 * Any aggregate over frames whose bounds only move forward (frames.ts guarantees that within a partition), through
 * its grouped accumulator holding one group: the running state. Each distinct frame in row order adds the rows its
 * end passed, takes out the rows its start passed (with the accumulator's `remove`), and reads the value with
 * `finish(1)`, which leaves the state as it was. A frame starting at or after everything added (a new partition, a
 * frame that skipped ahead) starts from a fresh accumulator instead, so an aggregate without `remove` still runs in
 * one pass over running frames (UNBOUNDED PRECEDING to any end) and over disjoint ones. Each row is added and taken
 * out at most once; the cost beyond that is one finish per distinct frame (O(1) for fixed-size states, the value's
 * size for array_agg and listagg, the sketch's size for approx_distinct and approx_percentile).
 *
 * Returns undefined when the frames need rows taken out and the aggregate cannot (sliding frames of min_by, max_by,
 * arbitrary, listagg, array_agg, approx_*): the caller then aggregates each frame anew, as Trino does for
 * aggregates without an inverse.
 */
export function incrementalAggregate(resolved: ResolvedAggregate, args: readonly Column[], frames: FrameRows, n: number): Column | undefined {
  let acc = resolved.create();
  if (acc.remove === undefined && needsRemoval(frames, n)) return undefined;
  const feed = new Feeder(args, n);
  const groupOfRow = new Int32Array(n);
  const pieces: Column[] = [];
  let pending: Column[] = [];
  let numGroups = 0;
  let lo = 0, hi = 0;
  let prevS = -1, prevE = -1;
  for (let i = 0; i < n; i++) {
    const s = frames.start[i]!, e = frames.end[i]!;
    if (s !== prevS || e !== prevE) {
      if (s >= hi) {
        // Nothing added stays in the frame: start over rather than take every row back out.
        if (lo < hi) acc = resolved.create();
        lo = hi = s;
      } else if (lo < s) {
        feed.rows(acc, lo, s, 'remove');
        lo = s;
      }
      if (hi < e) {
        feed.rows(acc, hi, e, 'update');
        hi = e;
      }
      pending.push(acc.finish(1));
      if (pending.length === PIECE) {
        pieces.push(concatColumns(pending, resolved.returnType));
        pending = [];
      }
      numGroups++;
      prevS = s;
      prevE = e;
    }
    groupOfRow[i] = numGroups - 1;
  }
  if (pending.length > 0) pieces.push(concatColumns(pending, resolved.returnType));
  const perFrame = concatColumns(pieces, resolved.returnType);
  return numGroups === n ? perFrame : takeColumn(perFrame, groupOfRow, n);
}

/**
 * Whether some frame starts inside the rows added before it (so rows must be taken out of the running state), or
 * ends before the rows already added (never, by frames.ts; checked so that a violation aggregates frame by frame
 * rather than wrongly).
 */
function needsRemoval(frames: FrameRows, n: number): boolean {
  let lo = 0, hi = 0;
  for (let i = 0; i < n; i++) {
    const s = frames.start[i]!, e = frames.end[i]!;
    if (s >= hi) lo = hi = s;
    else if (lo < s) return true;
    if (e < hi) return true;
    hi = e;
  }
  return false;
}

/** log2 of the rows per block of argument columns (see Feeder). */
const BLOCK_BITS = 6;
const BLOCK = 1 << BLOCK_BITS;

/**
 * Feeds row ranges of the argument columns to an accumulator as group 0. Ranges are mostly a row or a few (one
 * per frame step), and building a column per step would cost more than the aggregation itself, so the arguments
 * are cut once into blocks of BLOCK rows; a range within block b is rows [lo, hi) of it: `rows` = hi, and a mask
 * keeps rows [lo, hi) when lo > 0. Each call reads at most BLOCK rows, so a step costs O(BLOCK) at worst.
 */
class Feeder {
  private readonly blocks: (readonly Column[])[] = [];
  private readonly gids = new Int32Array(BLOCK);
  private readonly mask = new Uint8Array(BLOCK >>> 3);
  constructor(private readonly args: readonly Column[], private readonly n: number) {}

  rows(acc: GroupedAccumulator, from: number, to: number, op: 'update' | 'remove'): void {
    while (from < to) {
      const b = from >>> BLOCK_BITS;
      const base = b << BLOCK_BITS;
      const lo = from - base, hi = Math.min(to, base + BLOCK) - base;
      let mask: Uint8Array | null = null;
      if (lo > 0) {
        mask = this.mask;
        mask.fill(0);
        for (let k = lo; k < hi; k++) mask[k >>> 3]! |= 1 << (k & 7);
      }
      const cols = this.block(b);
      if (op === 'update') acc.update(cols, this.gids, hi, 1, mask);
      else acc.remove!(cols, this.gids, hi, 1, mask);
      from = base + hi;
    }
  }

  private block(b: number): readonly Column[] {
    let cols = this.blocks[b];
    if (cols === undefined) {
      const base = b << BLOCK_BITS;
      const len = Math.min(BLOCK, this.n - base);
      cols = this.args.map((c) => sliceColumn(c, base, len));
      this.blocks[b] = cols;
    }
    return cols;
  }
}
