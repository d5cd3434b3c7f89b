import { mix32 } from '../../common/index.js';

/** Hash of each row's `width` words (murmur-style combination, then common's mix32). */
export function hashWords(words: Int32Array, width: number, rows: number, out: Int32Array): void {
  for (let i = 0; i < rows; i++) {
    let h = 0x9e3779b9 | 0;
    const base = i * width;
    for (let k = 0; k < width; k++) h = Math.imul(h ^ words[base + k]!, 0x5bd1e995) + 0x7f4a7c15;
    out[i] = mix32(h);
  }
}
