/**
 * Arrow validity bitmaps and boolean values: bit i of byte i>>3, least significant bit first, 1 = valid/true.
 * All bitmaps here start at bit 0 (Shoal's batches have offset 0).
 */
export function bitmapBytes(length: number): number {
  return (length + 7) >>> 3;
}

export function newBitmap(length: number, fill = false): Uint8Array {
  const b = new Uint8Array(bitmapBytes(length));
  if (fill) {
    b.fill(0xff);
    clearTail(b, length);
  }
  return b;
}

/** Clears the unused bits after `length` so that popcounts and byte-wise AND/OR stay exact. */
export function clearTail(b: Uint8Array, length: number): void {
  const rem = length & 7;
  if (rem !== 0 && b.length > 0) b[b.length - 1]! &= (1 << rem) - 1;
}

export function getBit(b: Uint8Array, i: number): boolean {
  return ((b[i >>> 3]! >>> (i & 7)) & 1) === 1;
}

export function setBit(b: Uint8Array, i: number): void {
  b[i >>> 3]! |= 1 << (i & 7);
}

export function clearBit(b: Uint8Array, i: number): void {
  b[i >>> 3]! &= ~(1 << (i & 7));
}

const POPCOUNT = (() => {
  const t = new Uint8Array(256);
  for (let i = 0; i < 256; i++) t[i] = (i & 1) + t[i >>> 1]!;
  return t;
})();

export function countSetBits(b: Uint8Array, length: number): number {
  let n = 0;
  const full = length >>> 3;
  for (let i = 0; i < full; i++) n += POPCOUNT[b[i]!]!;
  const rem = length & 7;
  if (rem !== 0) n += POPCOUNT[b[full]! & ((1 << rem) - 1)]!;
  return n;
}

/** a AND b; either may be null meaning all ones. Returns null when both are null. */
export function andBitmaps(a: Uint8Array | null, b: Uint8Array | null, length: number): Uint8Array | null {
  if (a === null) return b === null ? null : b.slice(0, bitmapBytes(length));
  if (b === null) return a.slice(0, bitmapBytes(length));
  const n = bitmapBytes(length);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = a[i]! & b[i]!;
  return out;
}

/** Copies `length` bits starting at bit `from` into a new bitmap starting at bit 0. */
export function sliceBitmap(b: Uint8Array, from: number, length: number): Uint8Array {
  if ((from & 7) === 0) {
    const out = b.slice(from >>> 3, (from >>> 3) + bitmapBytes(length));
    clearTail(out, length);
    return out;
  }
  const out = new Uint8Array(bitmapBytes(length));
  for (let i = 0; i < length; i++) if (getBit(b, from + i)) setBit(out, i);
  return out;
}
