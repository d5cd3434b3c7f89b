import { getBit, newBitmap, setBit, validity, type Column, type SqlType } from '../../types/index.js';
import { GroupTable } from './group-table.js';
import { integerKeyWidth, integerKeyWords } from './integer-key.js';
import { KeyEncoder } from './key-encoder.js';
import { StringInterner } from './string-interner.js';

/** Widest value window of the direct bitmap (bits per group). */
const MAX_RANGE = 2 ** 16;
/** Bits of the direct bitmap over all groups (4 MiB): groups past MAX_BITS / range use the table. */
const MAX_BITS = 2 ** 25;
const TWO_32 = 4294967296;

/**
 * The (group id, argument values) pairs seen by one DISTINCT aggregate, to pass each pair's first row only.
 *
 * Every pair goes through a hash table of (group id, encoded arguments), except with one integer-like argument:
 * there a pair whose value lies in a window [lo, lo + range) and whose group id is below a limit is a bit of a
 * bitmap at gid × range + (value - lo). The window and the limit are fixed when the first non-NULL value arrives
 * (around that batch's values), so each pair always lands in the same place; NULL values and pairs outside go to
 * the table.
 */
export class DistinctPairs {
  private readonly enc: KeyEncoder;
  private readonly table: GroupTable;
  /** Words per value of a single integer-like argument; 0: no direct bitmap. */
  private readonly intWidth: number;
  private lo = 0;
  private range = 0; // 0: window not fixed yet
  private gidLimit = 0;
  private bits: Uint8Array = new Uint8Array(0);

  constructor(private readonly argTypes: readonly SqlType[]) {
    this.enc = new KeyEncoder(argTypes, new StringInterner());
    this.table = new GroupTable(this.enc.width + 1);
    this.intWidth = argTypes.length === 1 ? integerKeyWidth(argTypes[0]!) : 0;
  }

  memoryBytes(): number {
    return this.table.memoryBytes() + this.enc.interner.memoryBytes() + this.bits.byteLength;
  }

  /** Marks rows whose (group, arguments) pair is seen for the first time; rows outside `mask` are ignored. */
  firstOccurrences(gids: Int32Array, args: readonly Column[], n: number, mask: Uint8Array | null): Uint8Array {
    const out = newBitmap(n);
    const rows = new Int32Array(n);
    let m = 0;
    if (this.intWidth === 0) {
      for (let i = 0; i < n; i++) if (mask === null || getBit(mask, i)) rows[m++] = i;
    } else {
      m = this.direct(gids, args[0]!, n, mask, out, rows);
    }
    if (m > 0) this.viaTable(gids, args, n, rows, m, out);
    return out;
  }

  /** Direct-bitmap pass over the rows in `mask`; rows it cannot place go to `rows` (returns their count). */
  private direct(gids: Int32Array, arg: Column, n: number, mask: Uint8Array | null, out: Uint8Array, rows: Int32Array): number {
    const W = this.intWidth;
    const words = integerKeyWords(arg, this.argTypes[0]!, n);
    const valid = validity(arg);
    if (this.range === 0) this.fixWindow(words, valid, n, mask);
    const lo = this.lo, range = this.range, limit = this.gidLimit;
    // Room for the batch's largest bitmap group up front, so the loop does not check.
    let top = -1;
    for (let i = 0; i < n; i++) {
      const g = gids[i]!;
      if (g > top && g < limit) top = g;
    }
    if (top >= 0 && ((top + 1) * range + 7) >>> 3 > this.bits.length) this.growBits(top);
    const bits = this.bits;
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (mask !== null && !getBit(mask, i)) continue;
      const g = gids[i]!;
      let off: number;
      if (valid !== null && !getBit(valid, i)) off = -1;
      else if (W === 1) off = words[i]! - lo;
      else {
        const hi = words[2 * i + 1]!;
        off = ((hi + 0x100000) >>> 21) !== 0 ? -1 : hi * TWO_32 + (words[2 * i]! >>> 0) - lo; // -1: not an exact double
      }
      if (off < 0 || off >= range || g >= limit) {
        rows[m++] = i;
        continue;
      }
      const bit = g * range + off;
      const b = bits[bit >>> 3]!, k = 1 << (bit & 7);
      if ((b & k) === 0) {
        bits[bit >>> 3] = b | k;
        setBit(out, i);
      }
    }
    return m;
  }

  /** Fixes the window around the first non-NULL values in `mask` (no-op while there are none). */
  private fixWindow(words: Int32Array, valid: Uint8Array | null, n: number, mask: Uint8Array | null): void {
    const W = this.intWidth;
    let min = Infinity, max = -Infinity;
    for (let i = 0; i < n; i++) {
      if ((mask !== null && !getBit(mask, i)) || (valid !== null && !getBit(valid, i))) continue;
      let v: number;
      if (W === 1) v = words[i]!;
      else {
        const hi = words[2 * i + 1]!;
        if (((hi + 0x100000) >>> 21) !== 0) continue;
        v = hi * TWO_32 + (words[2 * i]! >>> 0);
      }
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (min > max) return;
    const span = max - min + 1;
    this.range = span * 2 > MAX_RANGE ? MAX_RANGE : Math.max(64, 2 ** Math.ceil(Math.log2(span * 2)));
    this.lo = span >= this.range ? min : min - Math.floor((this.range - span) / 2);
    this.gidLimit = Math.floor(MAX_BITS / this.range);
  }

  /** Grows the bitmap to hold group `g`'s bits (doubling). */
  private growBits(g: number): Uint8Array {
    const need = ((g + 1) * this.range + 7) >>> 3;
    const grown = new Uint8Array(Math.max(need, Math.min(this.bits.length * 2, (this.gidLimit * this.range) >>> 3)));
    grown.set(this.bits);
    this.bits = grown;
    return grown;
  }

  /** Table pass over `rows` (m of them): tuples of (group id, argument words). */
  private viaTable(gids: Int32Array, args: readonly Column[], n: number, rows: Int32Array, m: number, out: Uint8Array): void {
    const W = this.enc.width;
    const W1 = W + 1;
    const argWords = new Int32Array(n * W);
    this.enc.encode(args, n, argWords);
    const words = new Int32Array(m * W1);
    for (let j = 0; j < m; j++) {
      const i = rows[j]!;
      const o = j * W1;
      words[o] = gids[i]!;
      const a = i * W;
      for (let k = 0; k < W; k++) words[o + 1 + k] = argWords[a + k]!;
    }
    const ids = new Int32Array(m);
    const inserted = new Uint8Array(m);
    this.table.findOrInsert(words, m, ids, inserted);
    for (let j = 0; j < m; j++) if (inserted[j] === 1) setBit(out, rows[j]!);
  }
}
