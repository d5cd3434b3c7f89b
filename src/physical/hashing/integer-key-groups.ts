import { clearBit, getBit, makeColumn, newBitmap, validity, type Column, type SqlType } from '../../types/index.js';
import { GroupTable } from './group-table.js';
import { integerKeyWidth, integerKeyWords } from './integer-key.js';

/** Largest direct window (entries of 4 bytes: 32 MiB; a hash table of 2^20 groups or more is as large). */
const MAX_WINDOW = 2 ** 23;
/** A window may span at most this many entries per group, plus WINDOW_SLACK, so its memory stays near the groups'. */
const ENTRIES_PER_GROUP = 16;
const WINDOW_SLACK = 2 ** 18;
const TWO_32 = 4294967296;

/**
 * Grouping by one integer-like key (integer kinds, dates, timestamps, intervals). NULL rows share one group of
 * their own, made when the first one appears. Group ids are dense, in order of first appearance.
 *
 * Two modes. While every non-NULL key seen fits a small window [base, base + window.length) (bounded by
 * MAX_WINDOW and by the number of groups), ids come from `window[key - base]` (-1: no group yet), with the keys of
 * the groups kept in `keys`: one array read per row, no hashing. The first key that does not fit (or a 64-bit key
 * whose value is not an exact double) switches permanently to the hash table: the groups so far are inserted in
 * id order, so the table hands out the same ids, and the table hashes the column's own words (one or two per row,
 * see integerKeyWords) with no encoding and no NULL word.
 */
export class IntegerKeyGroups {
  private table: GroupTable | null = null;
  private nullGroup = -1;
  private readonly width: number;
  // Direct mode (table === null).
  private window = new Int32Array(0);
  private base = 0;
  private count = 0;
  private keys = new Float64Array(64);

  constructor(private readonly type: SqlType) {
    this.width = integerKeyWidth(type);
  }

  /** Whether `type` can be grouped this way. */
  static handles(type: SqlType): boolean {
    return integerKeyWidth(type) > 0;
  }

  get size(): number {
    return this.table === null ? this.count : this.table.size;
  }

  /** Whether ids still come from the direct window (tests). */
  get direct(): boolean {
    return this.table === null;
  }

  memoryBytes(): number {
    return this.table === null ? this.window.byteLength + this.keys.byteLength : this.table.memoryBytes();
  }

  /** Group ids of `n` rows of `col` (new keys get new ids). */
  groupIds(col: Column, n: number, out: Int32Array): void {
    const words = integerKeyWords(col, this.type, n);
    const valid = validity(col);
    const from = this.table === null ? this.directIds(words, valid, n, out) : 0;
    if (from < n) this.hashIds(words, valid, from, n, out);
    if (valid === null) return;
    // NULL rows take the NULL group, made after the batch's other new groups.
    for (let i = 0; i < n; i++) {
      if (getBit(valid, i)) continue;
      if (this.nullGroup < 0) this.nullGroup = this.table === null ? this.newGroup(0) : this.table.reserveId();
      out[i] = this.nullGroup;
    }
  }

  /** Direct-mode ids for the non-NULL rows 0.. until a key does not fit (the table is then made); returns the first row not done. */
  private directIds(words: Int32Array, valid: Uint8Array | null, n: number, out: Int32Array): number {
    const W = this.width;
    let window = this.window, base = this.base, cap = window.length;
    for (let i = 0; i < n; i++) {
      if (valid !== null && !getBit(valid, i)) continue;
      let key: number;
      if (W === 1) key = words[i]!;
      else {
        const hi = words[2 * i + 1]!;
        if (((hi + 0x100000) >>> 21) !== 0) { // |key| ≥ 2^52: not kept as a double
          this.switchToTable();
          return i;
        }
        key = hi * TWO_32 + (words[2 * i]! >>> 0);
      }
      let off = key - base;
      if (off < 0 || off >= cap) {
        if (!this.widen(key)) {
          this.switchToTable();
          return i;
        }
        window = this.window;
        base = this.base;
        cap = window.length;
        off = key - base;
      }
      let g = window[off]!;
      if (g < 0) {
        g = this.newGroup(key);
        window[off] = g;
      }
      out[i] = g;
    }
    return n;
  }

  private newGroup(key: number): number {
    if (this.count === this.keys.length) {
      const grown = new Float64Array(this.keys.length * 2);
      grown.set(this.keys);
      this.keys = grown;
    }
    this.keys[this.count] = key;
    return this.count++;
  }

  /**
   * Makes the window cover `key` as well as every key seen, if the span stays within bounds; false when it would
   * not. The keys seen sit centred in the new window with at least half their span free on each side, so each
   * widening grows the span by half or more and the copies cost O(final window) in all.
   */
  private widen(key: number): boolean {
    const old = this.window, oldBase = this.base;
    let lo = 0, hi = old.length - 1;
    while (lo <= hi && old[lo]! < 0) lo++;
    while (hi >= lo && old[hi]! < 0) hi--;
    const min = lo <= hi ? Math.min(oldBase + lo, key) : key;
    const max = lo <= hi ? Math.max(oldBase + hi, key) : key;
    const span = max - min + 1;
    if (span > MAX_WINDOW || span > ENTRIES_PER_GROUP * (this.count + 1) + WINDOW_SLACK) return false;
    const cap = Math.min(MAX_WINDOW, Math.max(1024, 2 ** Math.ceil(Math.log2(span * 2))));
    const base = min - Math.floor((cap - span) / 2);
    const window = new Int32Array(cap).fill(-1);
    for (let o = lo; o <= hi; o++) {
      const g = old[o]!;
      if (g >= 0) window[oldBase + o - base] = g;
    }
    this.window = window;
    this.base = base;
    return true;
  }

  /** Leaves direct mode for good: the groups so far go into the table in id order, so they keep their ids. */
  private switchToTable(): void {
    const W = this.width;
    const table = new GroupTable(W, Math.max(512, this.count * 2));
    const words = new Int32Array(W);
    const id = new Int32Array(1);
    for (let g = 0; g < this.count; g++) {
      if (g === this.nullGroup) {
        table.reserveId();
        continue;
      }
      const key = this.keys[g]!;
      if (W === 1) words[0] = key;
      else {
        const hi = Math.floor(key / TWO_32);
        words[0] = key - hi * TWO_32;
        words[1] = hi;
      }
      table.findOrInsert(words, 1, id);
    }
    this.table = table;
    this.window = new Int32Array(0);
    this.keys = new Float64Array(0);
  }

  /** Hash-mode ids of the non-NULL rows from..n-1. */
  private hashIds(words: Int32Array, valid: Uint8Array | null, from: number, n: number, out: Int32Array): void {
    const table = this.table!;
    const W = this.width;
    if (valid === null) {
      table.findOrInsert(words.subarray(from * W, n * W), n - from, out.subarray(from, n));
      return;
    }
    // Non-NULL rows go through the table together.
    const rows = new Int32Array(n - from);
    let m = 0;
    for (let i = from; i < n; i++) if (getBit(valid, i)) rows[m++] = i;
    const packed = new Int32Array(m * W);
    for (let j = 0; j < m; j++) for (let k = 0; k < W; k++) packed[j * W + k] = words[rows[j]! * W + k]!;
    const ids = new Int32Array(m);
    table.findOrInsert(packed, m, ids);
    for (let j = 0; j < m; j++) out[rows[j]!] = ids[j]!;
  }

  /** Group ids of `n` rows of `col` that already have a group, -1 elsewhere; inserts nothing (spilling lookups). */
  lookup(col: Column, n: number, out: Int32Array): void {
    const words = integerKeyWords(col, this.type, n);
    const valid = validity(col);
    if (this.table !== null) this.table.find(words, n, out);
    else {
      const W = this.width, window = this.window, base = this.base, cap = window.length;
      for (let i = 0; i < n; i++) {
        let key: number;
        if (W === 1) key = words[i]!;
        else {
          const hi = words[2 * i + 1]!;
          key = ((hi + 0x100000) >>> 21) !== 0 ? NaN : hi * TWO_32 + (words[2 * i]! >>> 0);
        }
        const off = key - base;
        out[i] = off >= 0 && off < cap ? window[off]! : -1; // NaN fails both comparisons
      }
    }
    if (valid === null) return;
    for (let i = 0; i < n; i++) if (!getBit(valid, i)) out[i] = this.nullGroup;
  }

  /** The key column of groups 0..size-1. */
  decode(): Column {
    const n = this.size;
    let valid: Uint8Array | null = null;
    if (this.nullGroup >= 0) {
      valid = newBitmap(n, true);
      clearBit(valid, this.nullGroup);
    }
    const t = this.type;
    if (this.table === null) {
      const keys = this.keys;
      if (this.width === 2) {
        const out = new BigInt64Array(n);
        for (let g = 0; g < n; g++) out[g] = BigInt(keys[g]!);
        return makeColumn(t, n, out, valid);
      }
      const Ctor = t.kind === 'tinyint' ? Int8Array : t.kind === 'smallint' ? Int16Array : Int32Array;
      const out = new Ctor(n);
      for (let g = 0; g < n; g++) out[g] = keys[g]!;
      return makeColumn(t, n, out, valid);
    }
    const stored = this.table.storedKeys();
    if (this.width === 2) return makeColumn(t, n, new BigInt64Array(stored.buffer, 0, n), valid);
    const Ctor = t.kind === 'tinyint' ? Int8Array : t.kind === 'smallint' ? Int16Array : Int32Array;
    return makeColumn(t, n, Ctor.from(stored), valid);
  }
}
