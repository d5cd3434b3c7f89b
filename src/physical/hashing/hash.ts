import { mix32 } from '../../common/index.js';

/**
 * Slot hash of the `width` words at words[base…] for open addressing: a murmur-style combination of the words,
 * the first with its low 3 bits cleared, then common's mix32, plus those 3 bits. Tuples that differ only there
 * (consecutive integer keys: sorted or clustered input) land in neighbouring slots, so inserting or probing them
 * in order touches memory in runs instead of at random; everything else spreads evenly, in blocks of 8.
 */
export function slotHash(words: Int32Array, base: number, width: number): number {
  const w0 = words[base]!;
  let h = Math.imul((0x9e3779b9 | 0) ^ (w0 & ~7), 0x5bd1e995) + 0x7f4a7c15;
  for (let k = 1; k < width; k++) h = Math.imul(h ^ words[base + k]!, 0x5bd1e995) + 0x7f4a7c15;
  return mix32(h) + (w0 & 7);
}
