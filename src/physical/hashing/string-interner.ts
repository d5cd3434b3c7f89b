import { hashBytes } from '../../common/index.js';

/**
 * Gives each distinct string (as UTF-8 bytes) a dense id, so that string keys of joins and groupings compare as
 * integers. Bytes live in one growing arena; an open-addressing table maps hashes to ids.
 */
export class StringInterner {
  private arena = new Uint8Array(1 << 16);
  private arenaUsed = 0;
  private offsets = new Int32Array(1024 + 1);
  private hashes = new Int32Array(1024);
  private slots = new Int32Array(2048); // id + 1; 0 = empty
  private count = 0;

  get size(): number {
    return this.count;
  }

  memoryBytes(): number {
    return this.arena.byteLength + this.offsets.byteLength + this.hashes.byteLength + this.slots.byteLength;
  }

  /** The id of bytes[start, end), adding it when new (or returning -1 when `insert` is false). */
  intern(bytes: Uint8Array, start: number, end: number, insert = true): number {
    const h = hashBytes(bytes, start, end);
    const mask = this.slots.length - 1;
    let s = h & mask;
    const len = end - start;
    for (;;) {
      const v = this.slots[s]!;
      if (v === 0) break;
      const id = v - 1;
      if (this.hashes[id] === h) {
        const o = this.offsets[id]!;
        if (this.offsets[id + 1]! - o === len) {
          let k = 0;
          while (k < len && this.arena[o + k] === bytes[start + k]) k++;
          if (k === len) return id;
        }
      }
      s = (s + 1) & mask;
    }
    if (!insert) return -1;
    const id = this.count++;
    if (this.arenaUsed + len > this.arena.length) {
      const next = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + len));
      next.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = next;
    }
    this.arena.set(bytes.subarray(start, end), this.arenaUsed);
    // offsets holds count + 1 entries and hashes count: grow both before either is full (growing on offsets alone
    // once let hashes fall behind, and ids 2048, 4096…4098, 8192…8198 lost their hash: duplicate groups).
    if (id + 1 >= this.offsets.length || id >= this.hashes.length) {
      const o = new Int32Array(this.offsets.length * 2);
      o.set(this.offsets);
      this.offsets = o;
      const hs = new Int32Array(o.length);
      hs.set(this.hashes);
      this.hashes = hs;
    }
    this.offsets[id] = this.arenaUsed;
    this.arenaUsed += len;
    this.offsets[id + 1] = this.arenaUsed;
    this.hashes[id] = h;
    this.slots[s] = id + 1;
    if (this.count * 2 > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let id = 0; id < this.count; id++) {
      let s = this.hashes[id]! & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = id + 1;
    }
    this.slots = slots;
  }

  /** Bytes of string `id` (a view into the arena; copy before the next intern if kept). */
  bytesOf(id: number): Uint8Array {
    return this.arena.subarray(this.offsets[id]!, this.offsets[id + 1]!);
  }

  /** Offsets and bytes of the given ids as a Utf8 layout (for output columns). */
  gather(ids: Int32Array, valid: (i: number) => boolean, n: number): { offsets: Int32Array; bytes: Uint8Array } {
    const offsets = new Int32Array(n + 1);
    let total = 0;
    for (let i = 0; i < n; i++) {
      if (valid(i)) total += this.offsets[ids[i]! + 1]! - this.offsets[ids[i]!]!;
      offsets[i + 1] = total;
    }
    const bytes = new Uint8Array(total);
    for (let i = 0; i < n; i++) {
      if (offsets[i + 1]! > offsets[i]!) bytes.set(this.bytesOf(ids[i]!), offsets[i]!);
    }
    return { offsets, bytes };
  }
}
