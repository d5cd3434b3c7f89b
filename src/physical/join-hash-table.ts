import { getBit, int32View, validity, type Column, type SqlType } from '../types/index.js';
import {
  GroupTable, KeyEncoder, StringInterner, anyNullKey, integerKeyWidth, integerKeyWords, packKeys, planPacking,
  type KeyPacking,
} from './hashing/index.js';

/**
 * Direct addressing is used while the packed key range ≤ DIRECT_PER_ROW × build rows (+ DIRECT_SLACK) and
 * ≤ DIRECT_MAX: its offsets take 4 bytes per key value (≤ 64 per build row), a GroupTable 8–16 bytes per slot at
 * 2–4 slots per key plus the offsets: the same order of memory, and no hashing. A range up to DIRECT_SLACK is
 * addressed directly however few the build rows (1 MiB of offsets): a filtered dimension's keys (TPC-H q11's
 * 391 German suppliers among suppkeys 1..10k) spare every probe row a hash lookup.
 */
const DIRECT_PER_ROW = 16;
const DIRECT_SLACK = 1 << 18;
const DIRECT_MAX = 1 << 24;
const TWO_31 = 2 ** 31;
/**
 * Packed keys whose range is too wide to address directly but ≤ PRESENT_MAX values (8 MiB of bits) keep a bit
 * per key value that has build rows, tested before hashing: a small build over a wide key range (TPC-H q03's
 * 147k orders among orderkeys 1..6M, q18's 58) then hashes only the probe rows that can match.
 */
const PRESENT_MAX = 1 << 26;

/**
 * How keys find their group:
 * - direct: integer keys packed into one number (KeyPacking) in a dense range; the group is the packed key;
 * - packed: integer keys packed into one number, hashed as its one or two 32-bit words;
 * - words: one integer key whose values do not pack (past 2^53), hashed by the column's own words;
 * - encoded: all other keys, encoded as integer tuples (KeyEncoder).
 */
type Keying =
  | { readonly kind: 'direct'; readonly packing: KeyPacking }
  | { readonly kind: 'packed'; readonly packing: KeyPacking; readonly table: GroupTable; readonly present: Uint8Array | undefined }
  | { readonly kind: 'words'; readonly type: SqlType; readonly table: GroupTable }
  | { readonly kind: 'encoded'; readonly encoder: KeyEncoder; readonly table: GroupTable };

/**
 * The hash table of an equi-join over its build rows. Rows are grouped by key and laid out CSR-style: the build
 * rows of group g are rows[offsets[g] .. offsets[g + 1]) in input order. Rows with a NULL key (any of the keys
 * NULL) are in no group: a NULL key never matches; nested values compare as `=` does, so one holding a NULL
 * matches nothing. Integer keys whose build values span a small range (TPC-H's orderkeys, custkeys, and
 * partkey × suppkey pairs) skip the key encoder, and a dense range skips hashing too (see Keying).
 */
export class JoinHashTable {
  private readonly keying: Keying;
  readonly offsets: Int32Array;
  readonly rows: Int32Array;
  /** Some build row has a NULL key (for NULL-aware IN). */
  readonly hasNullKey: boolean;
  /** 1 for the build rows whose key is NULL. */
  readonly buildNullKey: Uint8Array;
  /** Direct keying: a bit per key value that has build rows (small enough to stay in cache, unlike the offsets). */
  private readonly present: Uint8Array | undefined;

  constructor(keyTypes: readonly SqlType[], buildKeys: readonly Column[], rows: number) {
    const ids = new Int32Array(rows);
    const buildNull = (this.buildNullKey = new Uint8Array(rows));
    this.keying = groupBuildRows(keyTypes, buildKeys, rows, ids, buildNull);
    const groups = this.keying.kind === 'direct' ? this.keying.packing.total : this.keying.table.size;
    let hasNull = false;
    for (let r = 0; r < rows; r++) {
      if (buildNull[r] === 1) {
        ids[r] = -1;
        hasNull = true;
      }
    }
    this.hasNullKey = hasNull;
    // CSR: count rows per group, prefix sums give each group's end, then filling backwards leaves starts.
    const offsets = (this.offsets = new Int32Array(groups + 1));
    for (let r = 0; r < rows; r++) {
      const g = ids[r]!;
      if (g >= 0) offsets[g]!++;
    }
    let total = 0;
    for (let g = 0; g < groups; g++) {
      total += offsets[g]!;
      offsets[g] = total;
    }
    offsets[groups] = total;
    const out = (this.rows = new Int32Array(total));
    for (let r = rows - 1; r >= 0; r--) {
      const g = ids[r]!;
      if (g >= 0) out[--offsets[g]!] = r;
    }
    if (this.keying.kind === 'direct') {
      const present = (this.present = new Uint8Array((groups + 7) >> 3));
      for (let r = 0; r < rows; r++) {
        const g = ids[r]!;
        if (g >= 0) present[g >> 3]! |= 1 << (g & 7);
      }
    }
  }

  /**
   * The group each probe row's key falls in (-1: no build row has it), and whether its key is NULL (such a row
   * matches nothing; NULL-aware IN needs to know).
   */
  probe(probeKeys: readonly Column[], rows: number): { readonly groups: Int32Array; readonly nullKey: Uint8Array } {
    const groups = new Int32Array(rows);
    let nullKey: Uint8Array | undefined;
    const k = this.keying;
    switch (k.kind) {
      case 'direct': {
        // NULL and out-of-range keys pack to NaN (-1 here); holes in the range are groups without rows.
        if (k.packing.types.length === 1 && integerKeyWidth(k.packing.types[0]!) === 1) {
          probeDirectInt32(probeKeys[0]!, k.packing.mins[0]!, k.packing.ranges[0]!, this.present!, rows, groups);
          return { groups, nullKey: anyNullKey(probeKeys, rows) };
        }
        const packed = packKeys(k.packing, probeKeys, rows);
        const present = this.present!;
        for (let i = 0; i < rows; i++) {
          const x = packed[i]!;
          // An int (x < DIRECT_MAX) indexes the bits: a double index takes V8's slow keyed load.
          const g = x >= 0 ? x | 0 : -1;
          groups[i] = g >= 0 && (present[g >> 3]! & (1 << (g & 7))) !== 0 ? g : -1;
        }
        return { groups, nullKey: anyNullKey(probeKeys, rows) };
      }
      case 'packed': {
        if (k.present !== undefined) {
          probePresent(k, k.present, probeKeys, rows, groups);
          return { groups, nullKey: anyNullKey(probeKeys, rows) };
        }
        const packed = packKeys(k.packing, probeKeys, rows);
        k.table.find(packedWords(packed, k.table.width, rows), rows, groups);
        for (let i = 0; i < rows; i++) if (packed[i] !== packed[i]) groups[i] = -1;
        break;
      }
      case 'words':
        k.table.find(integerKeyWords(probeKeys[0]!, k.type, rows), rows, groups);
        break;
      case 'encoded': {
        const words = new Int32Array(rows * k.encoder.width);
        nullKey = encodedNullKeys(k.encoder, words, k.encoder.encode(probeKeys, rows, words, false), rows);
        k.table.find(words, rows, groups);
        break;
      }
    }
    // Groups with no rows: dense ranges have holes, and a NULL build key's group (kept out of every group) may
    // be found by a probe row's arbitrary or NULL words.
    const offsets = this.offsets;
    nullKey ??= anyNullKey(probeKeys, rows);
    for (let i = 0; i < rows; i++) {
      const g = groups[i]!;
      if (g >= 0 && (offsets[g] === offsets[g + 1] || nullKey[i] === 1)) groups[i] = -1;
    }
    return { groups, nullKey };
  }

  memoryBytes(): number {
    const k = this.keying;
    const table = k.kind === 'direct' ? 0 : k.table.memoryBytes() + (k.kind === 'encoded' ? k.encoder.interner.memoryBytes() : 0)
      + (k.kind === 'packed' ? k.present?.byteLength ?? 0 : 0);
    return this.offsets.byteLength + this.rows.byteLength + this.buildNullKey.byteLength + (this.present?.byteLength ?? 0) + table;
  }
}

/**
 * The direct probe of one 32-bit key without packing it into doubles first (packKeys' result for one key is the
 * value − min): the group, or -1 for NULL keys, keys outside [min, min + range) and values no build row has.
 */
function probeDirectInt32(col: Column, min: number, range: number, present: Uint8Array, rows: number, groups: Int32Array): void {
  const v = col.values as Int32Array;
  for (let i = 0; i < rows; i++) {
    const d = v[i]! - min;
    const g = d >= 0 && d < range ? d | 0 : -1;
    groups[i] = g >= 0 && (present[g >> 3]! & (1 << (g & 7))) !== 0 ? g : -1;
  }
  const valid = validity(col);
  if (valid !== null) for (let i = 0; i < rows; i++) if (!getBit(valid, i)) groups[i] = -1;
}

/**
 * The packed probe behind a presence bitmap: only the rows whose packed key has its bit (some non-NULL build key
 * equals it) are hashed; the others, NULL keys and keys outside the packing's ranges get -1. Every group found
 * has build rows (bits are set for non-NULL build keys only). One 32-bit key skips packing into doubles.
 */
function probePresent(k: { readonly packing: KeyPacking; readonly table: GroupTable }, present: Uint8Array, probeKeys: readonly Column[], rows: number, groups: Int32Array): void {
  const cand = new Int32Array(rows);
  const words = new Int32Array(rows);
  let c = 0;
  const p = k.packing;
  const width = p.types.length === 1 ? integerKeyWidth(p.types[0]!) : 0;
  if (width === 1) {
    const col = probeKeys[0]!;
    const v = col.values as Int32Array;
    const min = p.mins[0]!, range = p.ranges[0]!;
    const valid = validity(col);
    for (let i = 0; i < rows; i++) {
      const d = v[i]! - min;
      if (d >= 0 && d < range) {
        const b = d | 0;
        if ((present[b >> 3]! & (1 << (b & 7))) !== 0 && (valid === null || getBit(valid, i))) {
          cand[c] = i;
          words[c++] = b;
        }
      }
    }
  } else if (width === 2) {
    const col = probeKeys[0]!;
    const w = int32View(col.values as BigInt64Array);
    const min = p.mins[0]!, range = p.ranges[0]!;
    const valid = validity(col);
    const minHi = Math.floor(min / 4294967296);
    if (Math.floor((min + range - 1) / 4294967296) === minHi) {
      // The range lies within one high word: the low words decide in int32 arithmetic ((lo − minLo) | 0 wraps,
      // but a range that ends within the word leaves no wrapped value in it).
      const minLo = (min - minHi * 4294967296) | 0;
      for (let i = 0; i < rows; i++) {
        const d = (w[2 * i]! - minLo) | 0;
        if (w[2 * i + 1] === minHi && d >= 0 && d < range && (present[d >> 3]! & (1 << (d & 7))) !== 0 && (valid === null || getBit(valid, i))) {
          cand[c] = i;
          words[c++] = d;
        }
      }
    } else {
      // hi × 2^32 + lo is exact while |hi| < 2^21 (as packKeys requires).
      for (let i = 0; i < rows; i++) {
        const hi = w[2 * i + 1]!;
        const d = hi * 4294967296 + (w[2 * i]! >>> 0) - min;
        if (d >= 0 && d < range && hi < 0x200000 && hi >= -0x200000) {
          const b = d | 0;
          if ((present[b >> 3]! & (1 << (b & 7))) !== 0 && (valid === null || getBit(valid, i))) {
            cand[c] = i;
            words[c++] = b;
          }
        }
      }
    }
  } else {
    const packed = packKeys(p, probeKeys, rows);
    for (let i = 0; i < rows; i++) {
      const x = packed[i]!;
      if (x === x) {
        const b = x | 0;
        if ((present[b >> 3]! & (1 << (b & 7))) !== 0) {
          cand[c] = i;
          words[c++] = b;
        }
      }
    }
  }
  groups.fill(-1);
  if (c === 0) return;
  const found = new Int32Array(c);
  k.table.find(words, c, found);
  for (let j = 0; j < c; j++) groups[cand[j]!] = found[j]!;
}

/** Encoded rows whose key is NULL: some key NULL, or a NULL inside a nested value (`anyNull`: encode's answer). */
function encodedNullKeys(encoder: KeyEncoder, words: Int32Array, anyNull: boolean, rows: number): Uint8Array {
  const out = new Uint8Array(rows);
  if (anyNull) for (let i = 0; i < rows; i++) if (encoder.isNullKey(words, i)) out[i] = 1;
  return out;
}

/**
 * Chooses the keying for the build keys, sets each row's group id in `ids` and marks NULL keys in `nullKey` (the
 * caller takes those rows out of their groups).
 */
function groupBuildRows(keyTypes: readonly SqlType[], cols: readonly Column[], rows: number, ids: Int32Array, nullKey: Uint8Array): Keying {
  const packing = planPacking(keyTypes, cols, rows);
  if (packing !== null) {
    nullKey.set(anyNullKey(cols, rows));
    const packed = packKeys(packing, cols, rows);
    if (packing.total <= DIRECT_PER_ROW * rows + DIRECT_SLACK && packing.total <= DIRECT_MAX) {
      for (let r = 0; r < rows; r++) ids[r] = packed[r] === packed[r] ? packed[r]! : -1;
      return { kind: 'direct', packing };
    }
    const table = new GroupTable(packing.total <= TWO_31 ? 1 : 2, Math.max(16, rows));
    table.findOrInsert(packedWords(packed, table.width, rows), rows, ids);
    let present: Uint8Array | undefined;
    if (packing.total <= PRESENT_MAX) {
      present = new Uint8Array((packing.total + 7) >> 3);
      for (let r = 0; r < rows; r++) {
        const x = packed[r]!;
        if (x === x) present[x >> 3]! |= 1 << (x & 7);
      }
    }
    return { kind: 'packed', packing, table, present };
  }
  if (keyTypes.length === 1 && integerKeyWidth(keyTypes[0]!) > 0) {
    nullKey.set(anyNullKey(cols, rows));
    const table = new GroupTable(integerKeyWidth(keyTypes[0]!), Math.max(16, rows));
    table.findOrInsert(integerKeyWords(cols[0]!, keyTypes[0]!, rows), rows, ids);
    return { kind: 'words', type: keyTypes[0]!, table };
  }
  const encoder = new KeyEncoder(keyTypes, new StringInterner(), true);
  const words = new Int32Array(rows * encoder.width);
  nullKey.set(encodedNullKeys(encoder, words, encoder.encode(cols, rows, words, true), rows));
  const table = new GroupTable(encoder.width, Math.max(16, rows));
  table.findOrInsert(words, rows, ids);
  return { kind: 'encoded', encoder, table };
}

/** Packed keys as `width` words per row (low word, then high); NaN rows as zeros (the caller drops them). */
function packedWords(packed: Float64Array, width: number, rows: number): Int32Array {
  const out = new Int32Array(rows * width);
  for (let i = 0; i < rows; i++) {
    const x = packed[i]!;
    if (x !== x) continue;
    if (width === 1) out[i] = x;
    else {
      const hi = Math.floor(x / 4294967296);
      out[2 * i] = x - hi * 4294967296;
      out[2 * i + 1] = hi;
    }
  }
  return out;
}
