import type { Column, SqlType } from '../types/index.js';
import { GroupTable, KeyEncoder, StringInterner, hashWords } from './hashing/index.js';

/**
 * The hash table of an equi-join over its build rows: keys encoded as integer tuples (nested values compare as
 * `=` does, so one holding a NULL matches nothing), one group per distinct key, and the build rows of each group
 * chained in input order (`head[g]`, then `next[row]`). Rows with a NULL key are in no chain.
 */
export class JoinHashTable {
  private readonly encoder: KeyEncoder;
  private readonly width: number;
  private readonly table: GroupTable;
  /** First build row of each group (-1 for none); `next[row]` the following one (-1 at the end). */
  readonly head: Int32Array;
  readonly next: Int32Array;
  /** Some build row has a NULL key (for NULL-aware IN). */
  readonly hasNullKey: boolean;
  /** 1 for the build rows whose key is NULL. */
  readonly buildNullKey: Uint8Array;

  constructor(keyTypes: readonly SqlType[], buildKeys: readonly Column[], rows: number) {
    this.encoder = new KeyEncoder(keyTypes, new StringInterner(), true);
    const W = (this.width = this.encoder.width);
    const words = new Int32Array(rows * W);
    this.encoder.encode(buildKeys, rows, words, true);
    const hashes = new Int32Array(rows);
    hashWords(words, W, rows, hashes);
    this.table = new GroupTable(W, Math.max(16, rows));
    const ids = new Int32Array(rows);
    this.table.findOrInsert(words, hashes, rows, ids);
    const head = (this.head = new Int32Array(this.table.size).fill(-1));
    const tail = new Int32Array(this.table.size);
    const next = (this.next = new Int32Array(rows).fill(-1));
    let hasNull = false;
    const buildNull = (this.buildNullKey = new Uint8Array(rows));
    for (let r = 0; r < rows; r++) {
      if (this.encoder.isNullKey(words, r)) {
        hasNull = true;
        buildNull[r] = 1;
        continue; // a NULL key never matches
      }
      const g = ids[r]!;
      if (head[g] === -1) head[g] = r;
      else next[tail[g]!] = r;
      tail[g] = r;
    }
    this.hasNullKey = hasNull;
  }

  /**
   * The group each probe row's key falls in (-1: no build row has it), and whether its key is NULL (such a row
   * matches nothing; NULL-aware IN needs to know).
   */
  probe(probeKeys: readonly Column[], rows: number): { readonly groups: Int32Array; readonly nullKey: Uint8Array } {
    const W = this.width;
    const words = new Int32Array(rows * W);
    this.encoder.encode(probeKeys, rows, words, false);
    const hashes = new Int32Array(rows);
    hashWords(words, W, rows, hashes);
    const groups = new Int32Array(rows);
    this.table.find(words, hashes, rows, groups);
    const nullKey = new Uint8Array(rows);
    for (let i = 0; i < rows; i++) {
      if (this.encoder.isNullKey(words, i)) {
        nullKey[i] = 1;
        groups[i] = -1;
      }
    }
    return { groups, nullKey };
  }

  memoryBytes(): number {
    return this.table.memoryBytes() + this.next.byteLength * 3;
  }
}
