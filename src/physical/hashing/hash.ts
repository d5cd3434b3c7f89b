import { mix32 } from '../../common/index.js';

/** Hash of the `width` words at words[base…] (murmur-style combination, then common's mix32). */
export function hashAt(words: Int32Array, base: number, width: number): number {
  let h = 0x9e3779b9 | 0;
  for (let k = 0; k < width; k++) h = Math.imul(h ^ words[base + k]!, 0x5bd1e995) + 0x7f4a7c15;
  return mix32(h);
}

/**
 * Slot hash of a tuple for open addressing: hashAt of the tuple with the low 3 bits of its first word cleared,
 * plus those 3 bits. Tuples that differ only there (consecutive integer keys: sorted or clustered input) land
 * in neighbouring slots, so inserting or probing them in order touches memory in runs instead of at random;
 * everything else spreads as hashAt does, in blocks of 8.
 */
export function slotHash(words: Int32Array, base: number, width: number): number {
  const w0 = words[base]!;
  let h = Math.imul((0x9e3779b9 | 0) ^ (w0 & ~7), 0x5bd1e995) + 0x7f4a7c15;
  for (let k = 1; k < width; k++) h = Math.imul(h ^ words[base + k]!, 0x5bd1e995) + 0x7f4a7c15;
  return mix32(h) + (w0 & 7);
}
