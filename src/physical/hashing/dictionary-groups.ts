import { dictionaryOf, getBit, isDictionary, takeColumn, validity, type Column } from '../../types/index.js';
import type { GroupTable } from './group-table.js';
import type { KeyEncoder } from './key-encoder.js';

/** The combined dictionary space (product of dictionary sizes + 1 for NULL) this path handles. */
const MAX_COMBINATIONS = 1 << 16;

/**
 * Group ids of `n` rows whose key columns are all dictionary-coded strings, without encoding or hashing every
 * row: each row's codes combine into one small integer (NULL as one more code), the first row of each
 * combination is encoded and looked up in `table` as usual, and the other rows copy its id. Ids come out as the
 * row-by-row path would give them (first appearance order). Returns false, doing nothing, when a key is not a
 * dictionary or the combinations are too many (or not fewer than the rows) for the detour to pay.
 */
export function dictionaryGroupIds(encoder: KeyEncoder, table: GroupTable, keys: readonly Column[], n: number, out: Int32Array): boolean {
  if (keys.length === 0) return false;
  let space = 1;
  const sizes: number[] = [];
  for (const k of keys) {
    if (!isDictionary(k)) return false;
    sizes.push(dictionaryOf(k).length);
    space *= sizes[sizes.length - 1]! + 1;
    if (space > MAX_COMBINATIONS || space >= n) return false;
  }
  const combo = new Int32Array(n);
  let scale = 1;
  for (let q = 0; q < keys.length; q++) {
    const k = keys[q]!;
    const codes = k.values as Int32Array;
    const nullCode = sizes[q]!;
    const valid = validity(k);
    if (valid === null) for (let i = 0; i < n; i++) combo[i]! += codes[i]! * scale;
    else for (let i = 0; i < n; i++) combo[i]! += (getBit(valid, i) ? codes[i]! : nullCode) * scale;
    scale *= nullCode + 1;
  }
  // Rows where a combination appears first, in order.
  const first = new Int32Array(space).fill(-1);
  const firstRows: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = combo[i]!;
    if (first[c] === -1) {
      first[c] = firstRows.length;
      firstRows.push(i);
    }
  }
  const m = firstRows.length;
  const sel = Int32Array.from(firstRows);
  const words = new Int32Array(m * encoder.width);
  encoder.encode(keys.map((k) => takeColumn(k, sel, m)), m, words);
  const ids = new Int32Array(m);
  table.findOrInsert(words, m, ids);
  for (let i = 0; i < n; i++) out[i] = ids[first[combo[i]!]!]!;
  return true;
}
