import { hashBytes, mix32 } from '../common/index.js';
import { dictionaryOf, getBit, isDictionary, validity, type Column, type SqlType } from '../types/index.js';
import { KeyEncoder, StringInterner, slotHash } from './hashing/index.js';

/**
 * Hashes of key tuples for spill partitioning that equal keys (as the operator's KeyEncoder compares them) share,
 * without interning strings: a spilling operator must not grow a string table for every key it writes out.
 * Varchar keys hash their bytes (dictionary entries once each); other keys hash their KeyEncoder words (nested
 * values intern their canonical bytes, so only nested keys grow this hasher's own interner).
 */
export class KeyHasher {
  private readonly stringKeys: number[] = [];
  private readonly otherKeys: number[] = [];
  private readonly encoder: KeyEncoder;

  constructor(types: readonly SqlType[], equalityOnly: boolean) {
    types.forEach((t, k) => (t.kind === 'varchar' ? this.stringKeys : this.otherKeys).push(k));
    this.encoder = new KeyEncoder(this.otherKeys.map((k) => types[k]!), new StringInterner(), equalityOnly);
  }

  hash(keys: readonly Column[], n: number): Int32Array {
    const out = new Int32Array(n);
    if (this.otherKeys.length > 0) {
      const W = this.encoder.width;
      const words = new Int32Array(n * W);
      this.encoder.encode(this.otherKeys.map((k) => keys[k]!), n, words);
      // slotHash keeps consecutive keys in neighbouring slots; mix32 spreads them over the partitions' bits.
      for (let i = 0; i < n; i++) out[i] = mix32(slotHash(words, i * W, W));
    }
    for (const k of this.stringKeys) {
      const col = keys[k]!;
      const valid = validity(col);
      let rowHash: (i: number) => number;
      if (isDictionary(col)) {
        const dict = dictionaryOf(col);
        const off = dict.valueOffsets as Int32Array, bytes = dict.values as Uint8Array;
        const entry = new Int32Array(dict.length);
        for (let e = 0; e < dict.length; e++) entry[e] = hashBytes(bytes, off[e]!, off[e + 1]!);
        const codes = col.values as Int32Array;
        rowHash = (i) => entry[codes[i]!]!;
      } else {
        const off = col.valueOffsets as Int32Array, bytes = col.values as Uint8Array;
        rowHash = (i) => hashBytes(bytes, off[i]!, off[i + 1]!);
      }
      for (let i = 0; i < n; i++) {
        const h = valid !== null && !getBit(valid, i) ? 0x5bd1e995 : rowHash(i);
        out[i] = mix32(Math.imul(out[i]! ^ h, 0x5bd1e995) + k);
      }
    }
    return out;
  }
}
