/** 32-bit mixing for hash tables (murmur3's finalizer over a running combination). */
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

/** Hash of each row's `width` words. */
export function hashWords(words: Int32Array, width: number, rows: number, out: Int32Array): void {
  for (let i = 0; i < rows; i++) {
    let h = 0x9e3779b9 | 0;
    const base = i * width;
    for (let k = 0; k < width; k++) h = Math.imul(h ^ words[base + k]!, 0x5bd1e995) + 0x7f4a7c15;
    out[i] = mix32(h);
  }
}
