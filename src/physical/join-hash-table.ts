import { getBit, int32View, validity, type Column, type SqlType } from '../types/index.js';
import { GroupTable, KeyEncoder, StringInterner, integerKeyWidth, integerKeyWords } from './hashing/index.js';

/** Direct addressing is used while key range ≤ DIRECT_PER_ROW × build rows (+ DIRECT_SLACK) and ≤ DIRECT_MAX. */
const DIRECT_PER_ROW = 4;
const DIRECT_SLACK = 1024;
const DIRECT_MAX = 1 << 24;
/** |hi word| < 2^21: the 64-bit integer is exact as a double. */
const SAFE_HI = 0x200000;

/** One integer key read as exact doubles; NaN marks a NULL or (64-bit) a value past 2^53. */
function integerKeys(col: Column, type: SqlType, rows: number): Float64Array | null {
  const valid = validity(col);
  const out = new Float64Array(rows);
  switch (type.kind) {
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'date':
    case 'interval_year_month': {
      const v = col.values as Int32Array;
      for (let i = 0; i < rows; i++) out[i] = v[i]!;
      break;
    }
    case 'bigint':
    case 'timestamp':
    case 'interval_day_time': {
      const w = int32View(col.values as BigInt64Array);
      for (let i = 0; i < rows; i++) {
        const hi = w[2 * i + 1]!;
        out[i] = hi < SAFE_HI && hi >= -SAFE_HI ? hi * 4294967296 + (w[2 * i]! >>> 0) : Number.NaN;
      }
      break;
    }
    default:
      return null;
  }
  if (valid !== null) for (let i = 0; i < rows; i++) if (!getBit(valid, i)) out[i] = Number.NaN;
  return out;
}

/** How keys find their group: by value minus `min` (one integer key in a dense range) or through a GroupTable. */
type DirectKeying = { readonly kind: 'direct'; readonly type: SqlType; readonly min: number; readonly range: number };
type Keying =
  | DirectKeying
  | { readonly kind: 'words'; readonly type: SqlType; readonly table: GroupTable }
  | { readonly kind: 'hashed'; readonly encoder: KeyEncoder; readonly table: GroupTable };

/**
 * The hash table of an equi-join over its build rows. Rows are grouped by key and laid out CSR-style: the build
 * rows of group g are rows[offsets[g] .. offsets[g + 1]) in input order. Rows with a NULL key are in no group
 * (a NULL key never matches); nested values compare as `=` does, so one holding a NULL matches nothing.
 *
 * One integer key (integer kinds and dates; 64-bit ones while exact as doubles) whose values span a range at most
 * a few times the row count is addressed directly: group = key − min, no hashing (TPC-H's orderkeys, custkeys…).
 * Other single integer keys are hashed by their own words; other keys are encoded as integer tuples (KeyEncoder).
 * Both go through a GroupTable.
 */
export class JoinHashTable {
  private readonly keying: Keying;
  readonly offsets: Int32Array;
  readonly rows: Int32Array;
  /** Some build row has a NULL key (for NULL-aware IN). */
  readonly hasNullKey: boolean;
  /** 1 for the build rows whose key is NULL. */
  readonly buildNullKey: Uint8Array;

  constructor(keyTypes: readonly SqlType[], buildKeys: readonly Column[], rows: number) {
    const buildNull = (this.buildNullKey = new Uint8Array(rows));
    const ids = new Int32Array(rows);
    let groups: number;
    const direct = keyTypes.length === 1 ? directKeying(keyTypes[0]!, buildKeys[0]!, rows, ids, buildNull) : null;
    if (direct !== null) {
      this.keying = direct;
      groups = direct.range;
    } else if (keyTypes.length === 1 && integerKeyWidth(keyTypes[0]!) > 0) {
      const type = keyTypes[0]!, col = buildKeys[0]!;
      const table = new GroupTable(integerKeyWidth(type), Math.max(16, rows));
      table.findOrInsert(integerKeyWords(col, type, rows), rows, ids);
      const valid = validity(col);
      if (valid !== null) {
        for (let r = 0; r < rows; r++) {
          if (!getBit(valid, r)) {
            buildNull[r] = 1;
            ids[r] = -1;
          }
        }
      }
      this.keying = { kind: 'words', type, table };
      groups = table.size;
    } else {
      const encoder = new KeyEncoder(keyTypes, new StringInterner(), true);
      const W = encoder.width;
      const words = new Int32Array(rows * W);
      const anyNull = encoder.encode(buildKeys, rows, words, true);
      const table = new GroupTable(W, Math.max(16, rows));
      table.findOrInsert(words, rows, ids);
      if (anyNull) {
        for (let r = 0; r < rows; r++) {
          if (encoder.isNullKey(words, r)) {
            buildNull[r] = 1;
            ids[r] = -1;
          }
        }
      }
      this.keying = { kind: 'hashed', encoder, table };
      groups = table.size;
    }
    let hasNull = false;
    // CSR: count rows per group, prefix sums give each group's end, then filling backwards leaves starts.
    const offsets = (this.offsets = new Int32Array(groups + 1));
    let total = 0;
    for (let r = 0; r < rows; r++) {
      const g = ids[r]!;
      if (g < 0) hasNull = true;
      else offsets[g]!++;
    }
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
    this.hasNullKey = hasNull;
  }

  /**
   * The group each probe row's key falls in (-1: no build row has it), and whether its key is NULL (such a row
   * matches nothing; NULL-aware IN needs to know).
   */
  probe(probeKeys: readonly Column[], rows: number): { readonly groups: Int32Array; readonly nullKey: Uint8Array } {
    const groups = new Int32Array(rows);
    const nullKey = new Uint8Array(rows);
    const k = this.keying;
    if (k.kind === 'direct') {
      const col = probeKeys[0]!;
      const keys = integerKeys(col, k.type, rows)!;
      const valid = validity(col);
      const { min, range } = k;
      const offsets = this.offsets;
      for (let i = 0; i < rows; i++) {
        const g = keys[i]! - min; // NaN (NULL or past 2^53) fails both tests below
        groups[i] = g >= 0 && g < range && offsets[g] !== offsets[g + 1] ? g : -1;
      }
      if (valid !== null) for (let i = 0; i < rows; i++) if (!getBit(valid, i)) nullKey[i] = 1;
      return { groups, nullKey };
    }
    if (k.kind === 'words') {
      const col = probeKeys[0]!;
      k.table.find(integerKeyWords(col, k.type, rows), rows, groups);
      const valid = validity(col);
      const offsets = this.offsets;
      // A NULL row's words are arbitrary: they may find a group (made by a NULL build row) with no rows.
      for (let i = 0; i < rows; i++) {
        const g = groups[i]!;
        if (g >= 0 && offsets[g] === offsets[g + 1]) groups[i] = -1;
      }
      if (valid !== null) {
        for (let i = 0; i < rows; i++) {
          if (!getBit(valid, i)) {
            nullKey[i] = 1;
            groups[i] = -1;
          }
        }
      }
      return { groups, nullKey };
    }
    const W = k.encoder.width;
    const words = new Int32Array(rows * W);
    const anyNull = k.encoder.encode(probeKeys, rows, words, false);
    k.table.find(words, rows, groups);
    if (anyNull) {
      for (let i = 0; i < rows; i++) {
        if (k.encoder.isNullKey(words, i)) {
          nullKey[i] = 1;
          groups[i] = -1;
        }
      }
    }
    return { groups, nullKey };
  }

  memoryBytes(): number {
    const k = this.keying;
    return this.offsets.byteLength + this.rows.byteLength + this.buildNullKey.byteLength
      + (k.kind === 'hashed' ? k.table.memoryBytes() + k.encoder.interner.memoryBytes() : k.kind === 'words' ? k.table.memoryBytes() : 0);
  }
}

/**
 * Direct keying of one integer key when its non-NULL values are exact and span a small enough range; fills `ids`
 * (key − min, -1 for NULL) and `buildNull`. Null when the key does not qualify.
 */
function directKeying(type: SqlType, col: Column, rows: number, ids: Int32Array, buildNull: Uint8Array): DirectKeying | null {
  const keys = integerKeys(col, type, rows);
  if (keys === null) return null;
  const valid = validity(col);
  let min = Number.POSITIVE_INFINITY, max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < rows; i++) {
    const x = keys[i]!;
    if (x !== x) {
      if (valid === null || getBit(valid, i)) return null; // a 64-bit value past 2^53
      continue;
    }
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (min > max) {
    min = 0;
    max = -1;
  }
  const range = max - min + 1;
  if (range > DIRECT_PER_ROW * rows + DIRECT_SLACK || range > DIRECT_MAX) return null;
  for (let i = 0; i < rows; i++) {
    const x = keys[i]!;
    if (x !== x) {
      ids[i] = -1;
      buildNull[i] = 1;
    } else ids[i] = x - min;
  }
  return { kind: 'direct', type, min, range };
}
