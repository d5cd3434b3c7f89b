import { slotHash } from './hash.js';

/**
 * Open-addressing hash table from fixed-width Int32 tuples to dense ids 0, 1, 2, … in order of first
 * appearance. Each slot holds its id and its key words inline (stride width + 1), so a probe reads one place in
 * memory; capacity is a power of two, linear probing, load ≤ 1/2, doubling on growth. Hashes are computed here
 * (slotHash), so callers hand over only the words. A row whose tuple equals the previous row's reuses its id without
 * probing (sorted or clustered keys, such as TPC-H's orderkeys, cost one comparison per row).
 */
export class GroupTable {
  /** Stride width + 1: [id + 1 (0 = empty), key words…]. */
  private slots: Int32Array;
  private mask: number;
  private count = 0;
  private readonly stride: number;

  constructor(readonly width: number, expectedKeys = 512) {
    const cap = Math.max(16, 2 ** Math.ceil(Math.log2(Math.max(1, expectedKeys) * 2)));
    this.stride = width + 1;
    this.slots = new Int32Array(cap * this.stride);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  memoryBytes(): number {
    return this.slots.byteLength;
  }

  /** The stored tuples of ids 0..size-1 (size × width words, a fresh array). */
  storedKeys(): Int32Array {
    const W = this.width, S = this.stride, slots = this.slots;
    const out = new Int32Array(this.count * W);
    for (let o = 0; o < slots.length; o += S) {
      const v = slots[o]!;
      if (v === 0) continue;
      const at = (v - 1) * W;
      for (let k = 0; k < W; k++) out[at + k] = slots[o + 1 + k]!;
    }
    return out;
  }

  /** A new id with no tuple in the table (a group kept outside it, such as a NULL key's); stored as zeros. */
  reserveId(): number {
    return this.count++;
  }

  /**
   * Ids for `rows` tuples of `words` (rows × width); new tuples get new ids. When `inserted` is given, it is set
   * to 1 for rows that created their id (the first occurrence), else 0.
   */
  findOrInsert(words: Int32Array, rows: number, out: Int32Array, inserted?: Uint8Array): void {
    const W = this.width, S = this.stride;
    let slots = this.slots;
    let mask = this.mask;
    let prev = -1;
    for (let i = 0; i < rows; i++) {
      const base = i * W;
      if (prev >= 0 && sameAsPrevious(words, base, W)) {
        out[i] = prev;
        if (inserted !== undefined) inserted[i] = 0;
        continue;
      }
      let s = slotHash(words, base, W) & mask;
      let id: number;
      for (;;) {
        const o = s * S;
        const v = slots[o]!;
        if (v === 0) {
          id = this.count++;
          slots[o] = id + 1;
          for (let k = 0; k < W; k++) slots[o + 1 + k] = words[base + k]!;
          if (this.count * 2 > mask + 1) {
            this.grow();
            slots = this.slots;
            mask = this.mask;
          }
          if (inserted !== undefined) inserted[i] = 1;
          break;
        }
        let k = 0;
        while (k < W && slots[o + 1 + k] === words[base + k]) k++;
        if (k === W) {
          id = v - 1;
          if (inserted !== undefined) inserted[i] = 0;
          break;
        }
        s = (s + 1) & mask;
      }
      out[i] = id;
      prev = id;
    }
  }

  /** Ids of existing tuples, -1 where absent (join probes). */
  find(words: Int32Array, rows: number, out: Int32Array): void {
    const W = this.width, S = this.stride, slots = this.slots, mask = this.mask;
    for (let i = 0; i < rows; i++) {
      const base = i * W;
      if (i > 0 && sameAsPrevious(words, base, W)) {
        out[i] = out[i - 1]!;
        continue;
      }
      let s = slotHash(words, base, W) & mask;
      let id = -1;
      for (;;) {
        const o = s * S;
        const v = slots[o]!;
        if (v === 0) break;
        let k = 0;
        while (k < W && slots[o + 1 + k] === words[base + k]) k++;
        if (k === W) {
          id = v - 1;
          break;
        }
        s = (s + 1) & mask;
      }
      out[i] = id;
    }
  }

  private grow(): void {
    const S = this.stride, W = this.width, old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = slots.length / S - 1;
    for (let o = 0; o < old.length; o += S) {
      if (old[o] === 0) continue;
      let s = slotHash(old, o + 1, W) & mask;
      while (slots[s * S] !== 0) s = (s + 1) & mask;
      const at = s * S;
      for (let k = 0; k < S; k++) slots[at + k] = old[o + k]!;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** Whether the tuple at words[base…] equals the one just before it. */
function sameAsPrevious(words: Int32Array, base: number, W: number): boolean {
  for (let k = 0; k < W; k++) if (words[base + k] !== words[base - W + k]) return false;
  return true;
}
