import { mix32 } from '../../common/index.js';

/** Hash of the `width` words at words[base…] (murmur-style combination, then common's mix32). */
export function hashAt(words: Int32Array, base: number, width: number): number {
  let h = 0x9e3779b9 | 0;
  for (let k = 0; k < width; k++) h = Math.imul(h ^ words[base + k]!, 0x5bd1e995) + 0x7f4a7c15;
  return mix32(h);
}
