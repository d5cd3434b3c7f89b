import type { Column } from '../../types/index.js';
import { dictionaryGroupIds } from './dictionary-groups.js';
import type { GroupTable } from './group-table.js';
import type { KeyEncoder } from './key-encoder.js';

/** Group ids of `n` rows keyed by `keys` through the key encoder and `table` (new keys get new ids). */
export function encodedGroupIds(encoder: KeyEncoder, table: GroupTable, keys: readonly Column[], n: number, out: Int32Array): void {
  if (dictionaryGroupIds(encoder, table, keys, n, out)) return;
  const words = new Int32Array(n * encoder.width);
  encoder.encode(keys, n, words);
  table.findOrInsert(words, n, out);
}

/** Group ids of keys already in `table` (-1: not there), inserting nothing (no strings either). */
export function encodedLookup(encoder: KeyEncoder, table: GroupTable, keys: readonly Column[], n: number, out: Int32Array): void {
  const words = new Int32Array(n * encoder.width);
  encoder.encode(keys, n, words, false);
  table.find(words, n, out);
}
