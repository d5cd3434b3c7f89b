import { BOOLEAN, bitmapBytes, clearTail, getBit, makeColumn, newBitmap, validity, type Column } from '../../types/index.js';

/** True bits (valid and true) and false bits (valid and false) of a boolean column. */
function truthBits(col: Column, n: number): { t: Uint8Array; f: Uint8Array } {
  const bytes = bitmapBytes(n);
  const v = col.values as Uint8Array;
  const valid = validity(col);
  const t = new Uint8Array(bytes);
  const f = new Uint8Array(bytes);
  for (let k = 0; k < bytes; k++) {
    const m = valid === null ? 0xff : valid[k]!;
    t[k] = v[k]! & m;
    f[k] = ~v[k]! & m;
  }
  clearTail(t, n);
  clearTail(f, n);
  return { t, f };
}

function fromTruth(t: Uint8Array, f: Uint8Array, n: number): Column {
  const bytes = bitmapBytes(n);
  const valid = new Uint8Array(bytes);
  let allValid = true;
  for (let k = 0; k < bytes; k++) {
    valid[k] = t[k]! | f[k]!;
  }
  clearTail(valid, n);
  for (let i = 0; i < n; i++) if (!getBit(valid, i)) { allValid = false; break; }
  return makeColumn(BOOLEAN, n, t, allValid ? null : valid);
}

/** Three-valued AND: false if any is false, else NULL if any is NULL, else true. */
export function andColumns(cols: readonly Column[], n: number): Column {
  const acc = truthBits(cols[0]!, n);
  for (let c = 1; c < cols.length; c++) {
    const b = truthBits(cols[c]!, n);
    const bytes = bitmapBytes(n);
    for (let k = 0; k < bytes; k++) {
      acc.t[k] = acc.t[k]! & b.t[k]!;
      acc.f[k] = acc.f[k]! | b.f[k]!;
    }
  }
  return fromTruth(acc.t, acc.f, n);
}

/** Three-valued OR: true if any is true, else NULL if any is NULL, else false. */
export function orColumns(cols: readonly Column[], n: number): Column {
  const acc = truthBits(cols[0]!, n);
  for (let c = 1; c < cols.length; c++) {
    const b = truthBits(cols[c]!, n);
    const bytes = bitmapBytes(n);
    for (let k = 0; k < bytes; k++) {
      acc.t[k] = acc.t[k]! | b.t[k]!;
      acc.f[k] = acc.f[k]! & b.f[k]!;
    }
  }
  return fromTruth(acc.t, acc.f, n);
}

export function notColumn(col: Column): Column {
  const n = col.length;
  const { t, f } = truthBits(col, n);
  return fromTruth(f, t, n);
}

export function isNullColumn(col: Column, negated: boolean): Column {
  const n = col.length;
  const valid = validity(col);
  const out = newBitmap(n, negated);
  if (valid !== null) {
    for (let k = 0; k < out.length; k++) out[k] = negated ? valid[k]! : ~valid[k]!;
    clearTail(out, n);
  }
  return makeColumn(BOOLEAN, n, out, null);
}

/**
 * Selection vector of rows where a boolean column is true (NULL counts as false, as in WHERE).
 * Returns null when every row is selected.
 */
export function selectTrue(col: Column): { sel: Int32Array; count: number } | null {
  const n = col.length;
  const v = col.values as Uint8Array;
  const valid = validity(col);
  const sel = new Int32Array(n);
  let count = 0;
  // A byte at a time: all-false bytes cost one test, all-true ones eight stores, others one step per set bit.
  const full = n >>> 3;
  for (let b = 0; b < full; b++) {
    let m = valid === null ? v[b]! : v[b]! & valid[b]!;
    if (m === 0) continue;
    const base = b << 3;
    if (m === 0xff) {
      for (let k = 0; k < 8; k++) sel[count++] = base + k;
      continue;
    }
    while (m !== 0) {
      sel[count++] = base + 31 - Math.clz32(m & -m);
      m &= m - 1;
    }
  }
  for (let i = full << 3; i < n; i++) {
    if (((v[i >>> 3]! >>> (i & 7)) & 1) === 1 && (valid === null || ((valid[i >>> 3]! >>> (i & 7)) & 1) === 1)) sel[count++] = i;
  }
  if (count === n) return null;
  return { sel, count };
}
