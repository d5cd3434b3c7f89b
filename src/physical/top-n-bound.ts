import { getBit, numberView, validity, type Column, type SqlType } from '../types/index.js';

/**
 * For a full top-N: the rows of a batch whose first sort key is not strictly worse than the first key of the worst
 * row kept (`worst`, one row). Every other row sorts after the worst row whatever the later keys say, so it cannot
 * enter; the rows returned still go through the full row comparison. Once the top is full that is usually a
 * handful of rows per batch, found with one typed-array pass instead of a comparator call per row.
 *
 * Conservative: a NULL or NaN on either side keeps the row (the full comparison places it), and the number view of
 * 64-bit keys, rounded but monotonic, only ever turns "worse" into "equal". Returns null (no prefilter) for key
 * types without a number view (strings, booleans, decimals, nested) or when the worst key is NULL or NaN.
 */
export function notWorseOnFirstKey(
  worst: Column, keys: Column, type: SqlType, descending: boolean, n: number,
): { sel: Int32Array; count: number } | null {
  if (type.kind === 'decimal') return null;
  const wv = validity(worst);
  if (wv !== null && !getBit(wv, 0)) return null;
  const wNums = numberView(worst, type);
  const nums = wNums === null ? null : numberView(keys, type);
  if (wNums === null || nums === null) return null;
  const w = wNums[0]!;
  if (Number.isNaN(w)) return null;
  const valid = validity(keys);
  const sel = new Int32Array(n);
  let count = 0;
  if (descending) {
    // Worse means smaller; a NaN fails the comparison and stays (as does a NULL).
    for (let i = 0; i < n; i++) if (!(nums[i]! < w) || (valid !== null && !getBit(valid, i))) sel[count++] = i;
  } else {
    for (let i = 0; i < n; i++) if (!(nums[i]! > w) || (valid !== null && !getBit(valid, i))) sel[count++] = i;
  }
  return { sel, count };
}
