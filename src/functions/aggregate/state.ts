/** Growable per-group state arrays. Capacity doubles so that adding groups is amortized O(1). */
export function growFloat64(a: Float64Array, needed: number, fill = 0): Float64Array {
  if (a.length >= needed) return a;
  const b = new Float64Array(Math.max(needed, a.length * 2, 16));
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

export function growUint8(a: Uint8Array, needed: number): Uint8Array {
  if (a.length >= needed) return a;
  const b = new Uint8Array(Math.max(needed, a.length * 2, 16));
  b.set(a);
  return b;
}

/** Whether row i takes part: not masked out, and (when `valid` is given) its argument is not NULL. */
export function included(mask: Uint8Array | null, valid: Uint8Array | null, i: number): boolean {
  return (mask === null || ((mask[i >>> 3]! >>> (i & 7)) & 1) === 1) && (valid === null || ((valid[i >>> 3]! >>> (i & 7)) & 1) === 1);
}

/** Exact-double limit for running integer sums: while |sum| stays below it, adding a value below it is exact. */
export const EXACT_SUM_LIMIT = 2 ** 52;
