import { internalError, mix32 } from '../../common/index.js';
import type { Column, SqlType } from '../../types/index.js';
import { encodedGroupIds, encodedLookup } from './encoded-groups.js';
import type { GroupTable } from './group-table.js';
import type { KeyEncoder } from './key-encoder.js';
import { columnOfKeyCodes, keyCodeable, keyCodes } from './key-codes.js';

const TWO_53 = 2 ** 53;
const TWO_32 = 4294967296;
/** Largest direct window (entries of 4 bytes: 32 MiB), and its bound relative to the groups (as IntegerKeyGroups). */
const MAX_WINDOW = 2 ** 23;
const ENTRIES_PER_GROUP = 16;
const WINDOW_SLACK = 2 ** 18;

/**
 * Grouping by keys that all have key codes (key-codes.ts: integer-like keys, booleans, short strings), packed
 * into one exact number per row: Σ d_k · scale_k with d_k = 0 for NULL and code − min_k + 1 otherwise, where the
 * frame (min_k and range_k, the product of the ranges ≤ 2^53) covers every key seen. Ids are dense, in order of
 * first appearance, as the encoder path gives them.
 *
 * A frame small enough for the groups is a direct window (one array read per row); otherwise the packed numbers go
 * through an open-addressing table of ids (4 bytes per slot) that compares against the groups' packed numbers.
 * A batch with a key outside the frame widens it (with slack, so widening repeats O(log) times) and re-packs the
 * groups so far. When a key has no code (a longer string, a 64-bit value past 2^53) or the frame would pass
 * 2^53, the groups so far move to the encoder's `table` in id order (so they keep their ids) and every later
 * batch goes the encoder's way for good.
 */
export class PackedKeyGroups {
  private generic = false;
  private count = 0;
  private framed = false;
  private readonly mins: Float64Array;
  private readonly ranges: Float64Array;
  private readonly scales: Float64Array;
  /** Per key, the code of each group (NaN: NULL). */
  private codes: Float64Array[];
  /** The packed number of each group under the current frame. */
  private packedKeys: Float64Array = new Float64Array(64);
  /**
   * Direct window over the packed numbers (-1: no group) when `windowed`, else the slots are used. (Fields keep one
   * type from construction on: a field changing from null to an array changes the object's shape, and V8 then
   * deoptimized the loops once per batch.)
   */
  private windowed = false;
  private window = new Int32Array(0);
  /** Open addressing: id + 1 (0 = empty). */
  private slots = new Int32Array(0);
  private mask = -1;
  /** Per-batch scratch (codes per key, then the packed numbers), reused so that batches allocate nothing. */
  private readonly scratch: Float64Array[];

  constructor(private readonly types: readonly SqlType[], private readonly encoder: KeyEncoder, private readonly table: GroupTable) {
    const K = types.length;
    this.mins = new Float64Array(K);
    this.ranges = new Float64Array(K);
    this.scales = new Float64Array(K);
    this.codes = types.map(() => new Float64Array(64));
    this.scratch = Array.from({ length: K + 1 }, () => new Float64Array(0));
  }

  /** Whether keys of these types can be grouped this way. */
  static handles(types: readonly SqlType[]): boolean {
    return types.length > 0 && types.every(keyCodeable);
  }

  get size(): number {
    return this.generic ? this.table.size : this.count;
  }

  /** Whether the groups went to the encoder's table (their keys then decode from there). */
  get isGeneric(): boolean {
    return this.generic;
  }

  /** Whether ids come from a direct window (tests). */
  get direct(): boolean {
    return !this.generic && this.windowed;
  }

  memoryBytes(): number {
    if (this.generic) return 0;
    return this.window.byteLength + this.slots.byteLength + this.packedKeys.byteLength * (1 + this.codes.length);
  }

  /** Group ids of `n` rows keyed by `keys` (new keys get new ids). */
  groupIds(keys: readonly Column[], n: number, out: Int32Array): void {
    if (!this.generic && !this.packedIds(keys, n, out)) this.switchToGeneric();
    if (this.generic) encodedGroupIds(this.encoder, this.table, keys, n, out);
  }

  /** Group ids of rows whose keys already have a group, -1 elsewhere; inserts nothing (spilling lookups). */
  lookup(keys: readonly Column[], n: number, out: Int32Array): void {
    if (this.generic) {
      encodedLookup(this.encoder, this.table, keys, n, out);
      return;
    }
    const packed = this.pack(this.batchCodes(keys, n), n);
    const windowed = this.windowed, window = this.window, slots = this.slots, mask = this.mask, pk = this.packedKeys;
    for (let i = 0; i < n; i++) {
      const p = packed[i]!;
      if (p !== p) out[i] = -1; // outside the frame: no group has it
      else if (windowed) out[i] = window[p]!;
      else {
        let s = slotOf(p) & mask;
        let id = -1;
        for (;;) {
          const v = slots[s]!;
          if (v === 0) break;
          if (pk[v - 1] === p) {
            id = v - 1;
            break;
          }
          s = (s + 1) & mask;
        }
        out[i] = id;
      }
    }
  }

  /** Key column k of groups 0..size-1 (not once generic: the encoder decodes those). */
  decode(k: number): Column {
    if (this.generic) throw internalError('packed keys decoded after the switch to the encoder');
    return columnOfKeyCodes(this.types[k]!, this.codes[k]!, this.count);
  }

  /** Packed ids for the batch; false (doing nothing) when a key has no code or the frame cannot cover the batch. */
  private packedIds(keys: readonly Column[], n: number, out: Int32Array): boolean {
    const K = this.types.length;
    const codes = this.batchCodes(keys, n);
    const lo = new Float64Array(K), hi = new Float64Array(K);
    let outside = !this.framed;
    for (let k = 0; k < K; k++) {
      codeBounds(codes[k]!, n, lo, hi, k);
      const mn = lo[k]!, mx = hi[k]!;
      if (mx === Number.POSITIVE_INFINITY) return false;
      if (mn <= mx && (mn < this.mins[k]! || mx > this.mins[k]! + this.ranges[k]! - 2)) outside = true;
    }
    if (outside && !this.reframe(lo, hi, n)) return false;
    const packed = this.pack(codes, n);
    if (this.windowed) this.windowIds(codes, packed, n, out);
    else this.hashIds(codes, packed, n, out);
    return true;
  }

  /** Ids of rows whose packed numbers index the direct window. */
  private windowIds(codes: readonly Float64Array[], packed: Float64Array, n: number, out: Int32Array): void {
    const window = this.window;
    for (let i = 0; i < n; i++) {
      const p = packed[i]!;
      let g = window[p]!;
      if (g < 0) {
        g = this.newGroup(codes, i, p);
        window[p] = g;
      }
      out[i] = g;
    }
  }

  /** Ids of rows through the slots (a row equal to the previous one reuses its id without probing). */
  private hashIds(codes: readonly Float64Array[], packed: Float64Array, n: number, out: Int32Array): void {
    let slots = this.slots, mask = this.mask, pk = this.packedKeys;
    let prev = -1, prevId = -1;
    for (let i = 0; i < n; i++) {
      const p = packed[i]!;
      if (p === prev) {
        out[i] = prevId;
        continue;
      }
      let s = slotOf(p) & mask;
      let id = -1;
      for (;;) {
        const v = slots[s]!;
        if (v === 0) {
          id = this.newGroup(codes, i, p);
          slots[s] = id + 1;
          pk = this.packedKeys;
          if (this.count * 2 > mask + 1) {
            this.rehash(2 * (mask + 1));
            slots = this.slots;
            mask = this.mask;
          }
          break;
        }
        if (pk[v - 1] === p) {
          id = v - 1;
          break;
        }
        s = (s + 1) & mask;
      }
      out[i] = id;
      prev = p;
      prevId = id;
    }
  }

  /** The batch's key codes, in the scratch arrays (valid until the next batch). */
  private batchCodes(keys: readonly Column[], n: number): Float64Array[] {
    const K = this.types.length;
    if (this.scratch[0]!.length < n) for (let k = 0; k <= K; k++) this.scratch[k] = new Float64Array(n);
    return keys.map((c, k) => keyCodes(c, this.types[k]!, n, this.scratch[k]!));
  }

  /**
   * Packed numbers of the rows under the current frame; NaN where a key lies outside it (or has no code). Batches
   * get them in the scratch array after the codes (pass `into` null for a fresh array).
   */
  private pack(codes: readonly Float64Array[], n: number, into: Float64Array | null = this.scratch[this.types.length]!): Float64Array {
    const out = into === null ? new Float64Array(n) : into.fill(0, 0, n);
    if (!this.framed) return out.fill(Number.NaN, 0, n);
    for (let k = 0; k < codes.length; k++) {
      const c = codes[k]!;
      const base = this.mins[k]! - 1, range = this.ranges[k]!, scale = this.scales[k]!;
      for (let i = 0; i < n; i++) {
        const x = c[i]!;
        if (x !== x) continue; // NULL: d = 0
        const d = x - base;
        out[i] = d >= 1 && d < range ? out[i]! + d * scale : Number.NaN;
      }
    }
    return out;
  }

  private newGroup(codes: readonly Float64Array[], row: number, packed: number): number {
    const id = this.count++;
    if (id === this.packedKeys.length) {
      this.packedKeys = grow(this.packedKeys);
      this.codes = this.codes.map(grow);
    }
    this.packedKeys[id] = packed;
    for (let k = 0; k < codes.length; k++) this.codes[k]![id] = codes[k]![row]!;
    return id;
  }

  /**
   * Widens the frame to cover the batch's codes [lo_k, hi_k] (empty when lo > hi: only NULLs) as well as the
   * groups', re-packing the groups; false when no frame of ≤ 2^53 numbers does. A key that widens gets half its
   * new span again as slack on the side it grew, when the total allows.
   */
  private reframe(lo: Float64Array, hi: Float64Array, batchRows: number): boolean {
    const K = this.types.length;
    const attempt = (slack: boolean): { mins: number[]; ranges: number[]; total: number } => {
      const mins: number[] = [], ranges: number[] = [];
      let total = 1;
      for (let k = 0; k < K; k++) {
        const oldMin = this.mins[k]!, oldMax = oldMin + this.ranges[k]! - 2;
        let mn = lo[k]!, mx = hi[k]!;
        if (this.framed) {
          const grewDown = mn < oldMin, grewUp = mx > oldMax;
          mn = Math.min(mn, oldMin);
          mx = Math.max(mx, oldMax);
          const extra = slack ? Math.floor((mx - mn + 1) / 2) : 0;
          if (grewDown) mn -= extra;
          if (grewUp) mx += extra;
        } else if (mn > mx) {
          mn = 0;
          mx = 0;
        }
        mins.push(mn);
        ranges.push(mx - mn + 2);
        total *= mx - mn + 2;
      }
      return { mins, ranges, total };
    };
    let f = attempt(this.framed);
    if (f.total > TWO_53) f = attempt(false);
    if (f.total > TWO_53) return false;
    let scale = 1;
    for (let k = K - 1; k >= 0; k--) {
      this.mins[k] = f.mins[k]!;
      this.ranges[k] = f.ranges[k]!;
      this.scales[k] = scale;
      scale *= f.ranges[k]!;
    }
    this.framed = true;
    // Re-pack the groups so far under the new frame (all lie inside it).
    const n = this.count;
    this.packedKeys.set(this.pack(this.codes.map((c) => c.subarray(0, n)), n, null));
    const windowed = f.total <= MAX_WINDOW && f.total <= ENTRIES_PER_GROUP * (n + batchRows) + WINDOW_SLACK;
    if (windowed) {
      const window = new Int32Array(f.total).fill(-1);
      for (let g = 0; g < n; g++) window[this.packedKeys[g]!] = g;
      this.window = window;
      this.windowed = true;
      this.slots = new Int32Array(0);
      this.mask = -1;
    } else {
      this.window = new Int32Array(0);
      this.windowed = false;
      this.rehash(Math.max(1024, 2 ** Math.ceil(Math.log2((n + 1) * 2))));
    }
    return true;
  }

  /** Rebuilds the slots with `cap` (a power of two, more than twice the groups) from the groups' packed numbers. */
  private rehash(cap: number): void {
    const slots = new Int32Array(cap);
    const mask = cap - 1, pk = this.packedKeys;
    for (let g = 0; g < this.count; g++) {
      let s = slotOf(pk[g]!) & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = g + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }

  /** Leaves packing for good: the groups so far go into the encoder's table in id order, so they keep their ids. */
  private switchToGeneric(): void {
    const n = this.count;
    if (this.table.size !== 0) throw internalError('packed grouping switched onto a table in use');
    if (n > 0) {
      const cols = this.types.map((t, k) => columnOfKeyCodes(t, this.codes[k]!, n));
      encodedGroupIds(this.encoder, this.table, cols, n, new Int32Array(n));
    }
    this.generic = true;
    this.windowed = false;
    this.window = new Int32Array(0);
    this.slots = new Int32Array(0);
    this.packedKeys = new Float64Array(0);
    this.codes = [];
  }
}

/**
 * The least and greatest non-NULL code of the first n into lo[k] and hi[k] (+∞ / −∞ when all are NULL). A loop
 * of its own: inside packedIds, V8 compiled the loop on the stack before the code after it had run and then
 * deoptimized there once per batch.
 */
function codeBounds(c: Float64Array, n: number, lo: Float64Array, hi: Float64Array, k: number): void {
  let mn = Number.POSITIVE_INFINITY, mx = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const x = c[i]!;
    if (x < mn) mn = x; // NaN (NULL) fails both
    if (x > mx) mx = x;
  }
  lo[k] = mn;
  hi[k] = mx;
}

/** Slot hash of a packed number (a non-negative integer below 2^53). */
function slotOf(p: number): number {
  return mix32((p >>> 0) ^ Math.imul((p / TWO_32) | 0, 0x9e3779b1));
}

function grow(a: Float64Array): Float64Array<ArrayBuffer> {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}
