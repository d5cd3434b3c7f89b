/**
 * A set of byte strings numbered in insertion order, looked up by bytes with no string allocation: FNV-1a
 * hashes in an open-addressing table, entries stored as Utf8 offsets + bytes (ready to be an Arrow dictionary).
 */
import { makeStringColumn, type Column } from '../../../types/index.js';

export class ByteDictionary {
  count = 0;
  /** Total bytes of all entries. */
  size = 0;
  private bytes = new Uint8Array(4096);
  private offsets = new Int32Array(257);
  private hashes = new Int32Array(256);
  /** Entry id + 1 per slot, 0 when empty; a power of two at most half full. */
  private table = new Int32Array(512);

  /** The id of src[s, e), inserting it when new (then count grows by one). */
  intern(src: Uint8Array, s: number, e: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = s; i < e; i++) h = Math.imul(h ^ src[i]!, 16777619);
    const table = this.table, hashes = this.hashes, offsets = this.offsets, bytes = this.bytes;
    const mask = table.length - 1;
    const len = e - s;
    let slot = h & mask;
    for (;;) {
      const t = table[slot]!;
      if (t === 0) break;
      const id = t - 1;
      if (hashes[id] === h) {
        const o = offsets[id]!;
        if (offsets[id + 1]! - o === len) {
          let k = 0;
          while (k < len && bytes[o + k] === src[s + k]) k++;
          if (k === len) return id;
        }
      }
      slot = (slot + 1) & mask;
    }
    return this.insert(src, s, e, h, slot);
  }

  private insert(src: Uint8Array, s: number, e: number, h: number, slot: number): number {
    const id = this.count;
    if (id + 1 >= this.hashes.length) {
      const hashes = new Int32Array(this.hashes.length * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
      const offsets = new Int32Array(hashes.length + 1);
      offsets.set(this.offsets);
      this.offsets = offsets;
    }
    const len = e - s;
    if (this.size + len > this.bytes.length) {
      let cap = this.bytes.length * 2;
      while (cap < this.size + len) cap *= 2;
      const bytes = new Uint8Array(cap);
      bytes.set(this.bytes.subarray(0, this.size));
      this.bytes = bytes;
    }
    this.bytes.set(src.subarray(s, e), this.size);
    this.size += len;
    this.offsets[id + 1] = this.size;
    this.hashes[id] = h;
    this.table[slot] = id + 1;
    this.count = id + 1;
    if (this.count * 2 > this.table.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let id = 0; id < this.count; id++) {
      let slot = this.hashes[id]! & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = id + 1;
    }
    this.table = table;
  }

  /** Bytes of entry `id` (a view, valid until the next insert). */
  entry(id: number): Uint8Array {
    return this.bytes.subarray(this.offsets[id]!, this.offsets[id + 1]!);
  }

  /** The entries as a Utf8 column (copies). */
  toColumn(): Column {
    return makeStringColumn(this.count, this.offsets.slice(0, this.count + 1), this.bytes.slice(0, this.size));
  }
}
