/**
 * Hash primitives shared by the operators' hash tables (physical/hashing) and the sketches of the aggregate
 * functions (functions/aggregate/value-hash.ts). They live here because the functions layer cannot import physical.
 */

/** murmur3's 32-bit finalizer: a bijection with full avalanche, so distinct 32-bit inputs never collide. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** Hash of bytes[start, end): FNV-1a then mixed. */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let k = start; k < end; k++) h = Math.imul(h ^ bytes[k]!, 0x01000193);
  return mix32(h ^ (end - start));
}

const F64 = new Float64Array(1);
const F64_WORDS = new Int32Array(F64.buffer);
const F32 = new Float32Array(1);
const F32_WORD = new Int32Array(F32.buffer);

/**
 * Writes the bits of a double as two 32-bit words (low, high) at out[at] and out[at + 1], with -0 written as 0
 * and every NaN as the one canonical NaN: values SQL calls equal get equal words.
 */
export function canonicalFloat64Words(x: number, out: Int32Array, at: number): void {
  F64[0] = x === 0 ? 0 : Number.isNaN(x) ? Number.NaN : x;
  out[at] = F64_WORDS[0]!;
  out[at + 1] = F64_WORDS[1]!;
}

/** The bits of a REAL as one 32-bit word, -0 as 0 and every NaN as the canonical NaN (see canonicalFloat64Words). */
export function canonicalFloat32Word(x: number): number {
  F32[0] = x === 0 ? 0 : Number.isNaN(x) ? Number.NaN : x;
  return F32_WORD[0]!;
}
