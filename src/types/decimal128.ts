/**
 * Decimal128 values as Arrow stores them: four little-endian Uint32 words per value, two's complement.
 * Exact arithmetic on unscaled values uses BigInt; reads take a double fast path when the value is a safe integer.
 */
import { TWO_32 } from './int64.js';

const TWO_64 = 1n << 64n;
const TWO_128 = 1n << 128n;
const MASK32 = 0xffffffffn;

export function decimalAt(words: Uint32Array, i: number): bigint {
  const o = 4 * i;
  const w0 = words[o]!, w1 = words[o + 1]!, w2 = words[o + 2]!, w3 = words[o + 3]!;
  // Fast path: the value fits in 53 bits.
  if ((w3 === 0 && w2 === 0 && w1 < 0x200000) || (w3 === 0xffffffff && w2 === 0xffffffff && w1 >= 0xffe00000)) {
    return BigInt((w1 | 0) * TWO_32 + w0);
  }
  let v = (BigInt(w3) << 96n) | (BigInt(w2) << 64n) | (BigInt(w1) << 32n) | BigInt(w0);
  if (w3 >= 0x80000000) v -= TWO_128;
  return v;
}

/** The unscaled value as a double if it is a safe integer, else NaN (use decimalAt). */
export function decimalAtNumber(words: Uint32Array, i: number): number {
  const o = 4 * i;
  const w0 = words[o]!, w1 = words[o + 1]!, w2 = words[o + 2]!, w3 = words[o + 3]!;
  if ((w3 === 0 && w2 === 0 && w1 < 0x200000) || (w3 === 0xffffffff && w2 === 0xffffffff && w1 >= 0xffe00000)) {
    return (w1 | 0) * TWO_32 + w0;
  }
  return Number.NaN;
}

export function setDecimal(words: Uint32Array, i: number, v: bigint): void {
  const o = 4 * i;
  let u = v < 0n ? v + TWO_128 : v;
  words[o] = Number(u & MASK32); u >>= 32n;
  words[o + 1] = Number(u & MASK32); u >>= 32n;
  words[o + 2] = Number(u & MASK32); u >>= 32n;
  words[o + 3] = Number(u & MASK32);
}

/** Writes a safe-integer unscaled value without BigInt. */
export function setDecimalNumber(words: Uint32Array, i: number, v: number): void {
  const o = 4 * i;
  const hi = Math.floor(v / TWO_32);
  words[o] = v - hi * TWO_32;
  words[o + 1] = hi >>> 0;
  const ext = hi < 0 ? 0xffffffff : 0;
  words[o + 2] = ext;
  words[o + 3] = ext;
}

/**
 * The unscaled values of words[0..n) as doubles when every one is a safe integer (|v| < 2^53, so exact), else null;
 * with the largest magnitude among them (a bound for exactness checks downstream). One pass, no BigInt.
 */
export function decimalsToNumbers(words: Uint32Array, n: number): { readonly view: Float64Array; readonly maxAbs: number } | null {
  const out = new Float64Array(n);
  const max = decimalsIntoNumbers(words, n, out);
  return max < 0 ? null : { view: out, maxAbs: max };
}

/**
 * The loop of decimalsToNumbers, returning the largest magnitude or -1 when a value is not an exact double. Kept
 * apart from the result object: with the object made after the loop in the same function, V8's on-stack
 * replacement of the loop deoptimized at the object on every call (126 times over 126 batches).
 */
function decimalsIntoNumbers(words: Uint32Array, n: number, out: Float64Array): number {
  const signed = new Int32Array(words.buffer, words.byteOffset, 4 * n);
  let bad = 0, hiMost = 0, loMost = 0;
  for (let i = 0, o = 0; i < n; i++, o += 4) {
    const hi = signed[o + 1]!;
    const ext = hi >> 31;
    bad |= ((hi + 0x200000) >>> 22) | (signed[o + 2]! ^ ext) | (signed[o + 3]! ^ ext);
    const v = hi * TWO_32 + (signed[o]! >>> 0);
    out[i] = v;
    hiMost = v > hiMost ? v : hiMost;
    loMost = v < loMost ? v : loMost;
  }
  return exactBound(bad, hiMost, loMost);
}

/**
 * The verdict of the conversion loops below, which run without a data-dependent branch (a mispredicted early exit
 * per value cost more than the checks): `bad` ORs, per value, hi + 2^21 >>> 22 (nonzero unless -2^21 <= hi < 2^21,
 * that is |value| <= 2^53 and exact as hi·2^32 + lo) and the upper words' differences from hi's sign extension;
 * hiMost and loMost are the largest and smallest values. Returns the largest magnitude, or -1 when some value is
 * not an exact double.
 */
function exactBound(bad: number, hiMost: number, loMost: number): number {
  if (bad !== 0) return -1;
  return hiMost > -loMost ? hiMost : 0 - loMost;
}

/**
 * The unscaled values of rows `starts[r] .. starts[r] + lengths[r]` (r < runs, in order) written to `out` as
 * doubles; returns the largest magnitude, or -1 when some value is not an exact double (`out` then holds
 * unspecified values). A take that converts as it copies: reads the 16-byte words once and writes 8 bytes per row.
 */
export function decimalRunsIntoNumbers(words: Uint32Array, starts: Int32Array, lengths: Int32Array, runs: number, out: Float64Array): number {
  const signed = new Int32Array(words.buffer, words.byteOffset, words.length);
  let bad = 0, hiMost = 0, loMost = 0;
  let j = 0;
  for (let r = 0; r < runs; r++) {
    for (let o = 4 * starts[r]!, end = o + 4 * lengths[r]!; o < end; o += 4, j++) {
      const hi = signed[o + 1]!;
      const ext = hi >> 31;
      bad |= ((hi + 0x200000) >>> 22) | (signed[o + 2]! ^ ext) | (signed[o + 3]! ^ ext);
      const v = hi * TWO_32 + (signed[o]! >>> 0);
      out[j] = v;
      hiMost = v > hiMost ? v : hiMost;
      loMost = v < loMost ? v : loMost;
    }
  }
  return exactBound(bad, hiMost, loMost);
}

/**
 * As decimalRunsIntoNumbers for rows `indices[0..count)` in any order; index -1 (a NULL the caller marks invalid)
 * writes 0.
 */
export function decimalGatherIntoNumbers(words: Uint32Array, indices: Int32Array, count: number, out: Float64Array): number {
  const signed = new Int32Array(words.buffer, words.byteOffset, words.length);
  let bad = 0, hiMost = 0, loMost = 0;
  for (let j = 0; j < count; j++) {
    const i = indices[j]!;
    if (i < 0) continue;
    const o = 4 * i;
    const hi = signed[o + 1]!;
    const ext = hi >> 31;
    bad |= ((hi + 0x200000) >>> 22) | (signed[o + 2]! ^ ext) | (signed[o + 3]! ^ ext);
    const v = hi * TWO_32 + (signed[o]! >>> 0);
    out[j] = v;
    hiMost = v > hiMost ? v : hiMost;
    loMost = v < loMost ? v : loMost;
  }
  return exactBound(bad, hiMost, loMost);
}

/** Writes n integer doubles with |v| <= 2^53 (exact) as Decimal128 words into a zero-filled array, without BigInt. */
export function numbersToDecimals(nums: ArrayLike<number>, n: number, words: Uint32Array = new Uint32Array(4 * n)): Uint32Array {
  for (let i = 0, o = 0; i < n; i++, o += 4) {
    const v = nums[i]!;
    const lo = v >>> 0; // v mod 2^32, exact for integers of this size (two's complement for negatives)
    const hi = (v - lo) / TWO_32; // an exact integer in [-2^21, 2^21]
    words[o] = lo;
    words[o + 1] = hi >>> 0;
    if (hi < 0) {
      words[o + 2] = 0xffffffff;
      words[o + 3] = 0xffffffff;
    }
  }
  return words;
}

/**
 * a / b rounded half away from zero (as divRoundHalfUp) for integer doubles with |a| < 2^52 and 0 < |b| < 2^52,
 * computed exactly in doubles; NaN when the operands are outside that range (use divRoundHalfUp).
 */
export function divRoundHalfUpNumber(a: number, b: number): number {
  if (!(a < HALF_SAFE && a > -HALF_SAFE && b < HALF_SAFE && b > -HALF_SAFE) || b === 0) return Number.NaN;
  const aa = Math.abs(a), bb = Math.abs(b);
  // The rounded quotient may be one too large or too small; q·bb <= aa + bb < 2^53 keeps the fix-up exact.
  let q = Math.floor(aa / bb);
  let r = aa - q * bb;
  if (r < 0) { q -= 1; r += bb; } else if (r >= bb) { q += 1; r -= bb; }
  if (2 * r >= bb) q += 1;
  return (a < 0) !== (b < 0) ? 0 - q : q; // 0 - q: never -0
}

const HALF_SAFE = 2 ** 52;

export function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/** 10^p: the bound an unscaled decimal(p, s) value must stay strictly within. */
export function decimalLimit(precision: number): bigint {
  return pow10(precision);
}

/** Rescales an unscaled value from scale `from` to scale `to`, rounding half away from zero (Trino's HALF_UP). */
export function rescale(v: bigint, from: number, to: number): bigint {
  if (to === from) return v;
  if (to > from) return v * pow10(to - from);
  return divRoundHalfUp(v, pow10(from - to));
}

export function divRoundHalfUp(a: bigint, b: bigint): bigint {
  const q = a / b;
  const r = a % b;
  if (r === 0n) return q;
  const twice = (r < 0n ? -r : r) * 2n;
  const bAbs = b < 0n ? -b : b;
  if (twice >= bAbs) return (a < 0n) !== (b < 0n) ? q - 1n : q + 1n;
  return q;
}

/** Plain notation with exactly `scale` fraction digits: 1234 at scale 2 is "12.34", -5 is "-0.05". */
export function formatDecimal(v: bigint, scale: number): string {
  const neg = v < 0n;
  let digits = (neg ? -v : v).toString();
  if (scale === 0) return (neg ? '-' : '') + digits;
  if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
  const cut = digits.length - scale;
  return `${neg ? '-' : ''}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

/** Parses "12.345", "-0.5", "1e3" is not accepted. Returns the unscaled value at `scale`, rounded half up. */
export function parseDecimal(text: string, scale: number): bigint | undefined {
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/.exec(text);
  if (m === null) return undefined;
  const intPart = m[2] ?? '';
  const frac = m[3] ?? '';
  if (intPart === '' && frac === '') return undefined;
  const unscaled = BigInt((intPart === '' ? '0' : intPart) + frac);
  const v = rescale(unscaled, frac.length, scale);
  return m[1] === '-' ? -v : v;
}

export { TWO_64 };
