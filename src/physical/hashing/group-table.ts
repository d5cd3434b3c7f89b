/**
 * Open-addressing hash table from fixed-width Int32 tuples to dense ids 0, 1, 2, … in order of first
 * appearance. Keys are stored once per id (so group keys can be decoded for output). Linear probing, load ≤ 1/2.
 */
export class GroupTable {
  private keys: Int32Array;
  private hashes: Int32Array;
  private slots: Int32Array; // id + 1; 0 = empty
  private count = 0;

  constructor(readonly width: number, initialCapacity = 1024) {
    const cap = Math.max(16, 1 << Math.ceil(Math.log2(initialCapacity)));
    this.keys = new Int32Array(cap * width);
    this.hashes = new Int32Array(cap);
    this.slots = new Int32Array(cap * 2);
  }

  get size(): number {
    return this.count;
  }

  memoryBytes(): number {
    return this.keys.byteLength + this.hashes.byteLength + this.slots.byteLength;
  }

  /** The stored tuples of ids 0..size-1 (size × width words). */
  storedKeys(): Int32Array {
    return this.keys.subarray(0, this.count * this.width);
  }

  /**
   * Ids for `rows` tuples; new tuples get new ids. When `inserted` is given, it is set to 1 for rows that created
   * their id (the first occurrence), else 0.
   */
  findOrInsert(words: Int32Array, hashes: Int32Array, rows: number, out: Int32Array, inserted?: Uint8Array): void {
    const W = this.width;
    for (let i = 0; i < rows; i++) {
      const h = hashes[i]!;
      const base = i * W;
      let mask = this.slots.length - 1;
      let s = h & mask;
      let id = -1;
      for (;;) {
        const v = this.slots[s]!;
        if (v === 0) break;
        const cand = v - 1;
        if (this.hashes[cand] === h && this.equalAt(cand, words, base)) {
          id = cand;
          break;
        }
        s = (s + 1) & mask;
      }
      if (id < 0) {
        id = this.count++;
        if (id >= this.hashes.length) this.growKeys();
        this.keys.set(words.subarray(base, base + W), id * W);
        this.hashes[id] = h;
        this.slots[s] = id + 1;
        if (this.count * 2 > this.slots.length) {
          this.rehash();
          mask = this.slots.length - 1;
        }
        if (inserted !== undefined) inserted[i] = 1;
      } else if (inserted !== undefined) inserted[i] = 0;
      out[i] = id;
    }
  }

  /** Ids of existing tuples, -1 where absent (join probes). */
  find(words: Int32Array, hashes: Int32Array, rows: number, out: Int32Array): void {
    const W = this.width;
    const mask = this.slots.length - 1;
    for (let i = 0; i < rows; i++) {
      const h = hashes[i]!;
      let s = h & mask;
      let id = -1;
      for (;;) {
        const v = this.slots[s]!;
        if (v === 0) break;
        const cand = v - 1;
        if (this.hashes[cand] === h && this.equalAt(cand, words, i * W)) {
          id = cand;
          break;
        }
        s = (s + 1) & mask;
      }
      out[i] = id;
    }
  }

  private equalAt(id: number, words: Int32Array, base: number): boolean {
    const W = this.width;
    const k = this.keys;
    const o = id * W;
    for (let q = 0; q < W; q++) if (k[o + q] !== words[base + q]) return false;
    return true;
  }

  private growKeys(): void {
    const cap = this.hashes.length * 2;
    const keys = new Int32Array(cap * this.width);
    keys.set(this.keys);
    this.keys = keys;
    const hashes = new Int32Array(cap);
    hashes.set(this.hashes);
    this.hashes = hashes;
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
}
