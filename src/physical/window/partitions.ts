import type { Column } from '../../types/index.js';
import { rowComparator, type SortSpec } from '../sort-exec.js';

/** Per sorted row: the bounds (end exclusive) of its partition and of its peer group (equal order keys). */
export interface RowBounds {
  readonly rows: number;
  readonly partitionStart: Int32Array;
  readonly partitionEnd: Int32Array;
  readonly peerStart: Int32Array;
  readonly peerEnd: Int32Array;
}

/**
 * Partition and peer bounds of rows already sorted by (partition keys, order keys): one comparison of each row with
 * the one before it per key list, then a backward pass for the ends.
 */
export function rowBounds(partKeys: readonly Column[], partSpecs: readonly SortSpec[], orderKeys: readonly Column[], orderSpecs: readonly SortSpec[], n: number): RowBounds {
  const partitionStart = new Int32Array(n), partitionEnd = new Int32Array(n);
  const peerStart = new Int32Array(n), peerEnd = new Int32Array(n);
  const samePart = partKeys.length === 0 ? null : rowComparator(partKeys, partSpecs);
  const samePeer = orderKeys.length === 0 ? null : rowComparator(orderKeys, orderSpecs);
  let ps = 0, gs = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && samePart !== null && samePart(i - 1, i) !== 0) {
      ps = i;
      gs = i;
    } else if (i > 0 && samePeer !== null && samePeer(i - 1, i) !== 0) gs = i;
    partitionStart[i] = ps;
    peerStart[i] = gs;
  }
  let pe = n, ge = n;
  for (let i = n - 1; i >= 0; i--) {
    if (i + 1 < n && partitionStart[i + 1] !== partitionStart[i]) pe = i + 1;
    if (i + 1 < n && peerStart[i + 1] !== peerStart[i]) ge = i + 1;
    partitionEnd[i] = pe;
    peerEnd[i] = ge;
  }
  return { rows: n, partitionStart, partitionEnd, peerStart, peerEnd };
}
