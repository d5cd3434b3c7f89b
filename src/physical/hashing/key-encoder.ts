import { assertNever, canonicalFloat32Word, canonicalFloat64Words, internalError } from '../../common/index.js';
import {
  ValueKeyWriter, columnFromScalars, decodeValueKey, dictionaryOf, getBit, isDictionary, makeColumn, makeStringColumn,
  newBitmap, setBit, validity, valueKeyEncoder, type Column, type Scalar, type SqlType,
} from '../../types/index.js';
import type { StringInterner } from './string-interner.js';

/** Words a key column takes per row in the encoded tuple. */
function widthOf(t: SqlType): number {
  switch (t.kind) {
    case 'unknown': return 0;
    case 'boolean':
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'date':
    case 'real':
    case 'interval_year_month':
    case 'varchar':
      return 1;
    case 'bigint':
    case 'timestamp':
    case 'interval_day_time':
    case 'double':
      return 2;
    case 'decimal': return 4;
    // Arrays, maps and rows: the interned id of their canonical bytes (types/value-key.ts).
    case 'array':
    case 'map':
    case 'row':
      return 1;
    default: return assertNever(t, 'type');
  }
}

const NULLS_PER_WORD = 31;
const nullWord = (k: number): number => Math.floor(k / NULLS_PER_WORD);
const nullBit = (k: number): number => 1 << (k % NULLS_PER_WORD);

/**
 * Encodes rows of key columns as fixed-width tuples of Int32 words, so that hash tables compare and hash integers
 * only: numbers by their bits (doubles with -0 folded to 0 and one NaN), strings by interned id, plus leading
 * words of NULL flags (bit k % 31 of word k / 31 set when key k is NULL; its value words are then zero). Equal keys (NULLs equal) give
 * equal tuples. The same encoder (and interner) must encode both sides of a join. Arrays, maps and rows are
 * interned by their canonical bytes (valueKeyEncoder), like strings.
 *
 * With `equalityOnly` (join keys, which match under `=`), a nested value holding a NULL at any depth is encoded as
 * a NULL key: `=` on it is never true (NULL or false, as in Trino), so it must match nothing. Grouping and DISTINCT
 * leave it alone, since there such values are not distinct from each other.
 */
export class KeyEncoder {
  readonly width: number;
  /** Leading words of NULL flags in each tuple. */
  readonly nullWords: number;
  private readonly offsets: number[];

  private readonly nestedWriter = new ValueKeyWriter();
  private readonly dictCache: ({ dict: Column; insert: boolean; internerSize: number; ids: Int32Array } | undefined)[] = [];

  constructor(private readonly types: readonly SqlType[], readonly interner: StringInterner, private readonly equalityOnly = false) {
    // NULL flags: 31 keys per leading word (bit 31 stays clear), as many words as the keys need.
    this.nullWords = Math.max(1, Math.ceil(types.length / NULLS_PER_WORD));
    let w = this.nullWords;
    this.offsets = types.map((t) => {
      const o = w;
      w += widthOf(t);
      return o;
    });
    this.width = w;
  }

  /**
   * Encodes `rows` rows into `out` (rows × width words). With `insert` false, strings never seen before get id -1
   * (probe sides: such a key can match nothing). Returns whether any row has a NULL key.
   */
  encode(cols: readonly Column[], rows: number, out: Int32Array, insert = true): boolean {
    const W = this.width;
    out.fill(0, 0, rows * W);
    let anyNull = false;
    for (let k = 0; k < this.types.length; k++) {
      const t = this.types[k]!;
      const col = cols[k]!;
      const o = this.offsets[k]!;
      const valid = t.kind === 'unknown' ? newBitmap(rows) : validity(col);
      if (valid !== null) {
        for (let i = 0; i < rows; i++) {
          if (!getBit(valid, i)) {
            out[i * W + nullWord(k)] = out[i * W + nullWord(k)]! | nullBit(k);
            anyNull = true;
          }
        }
      }
      switch (t.kind) {
        case 'unknown':
          break;
        case 'boolean': {
          const v = col.values as Uint8Array;
          for (let i = 0; i < rows; i++) out[i * W + o] = getBit(v, i) ? 1 : 0;
          break;
        }
        case 'tinyint':
        case 'smallint':
        case 'integer':
        case 'date':
        case 'interval_year_month': {
          const v = col.values as Int32Array;
          for (let i = 0; i < rows; i++) out[i * W + o] = v[i]!;
          break;
        }
        case 'real': {
          const v = col.values as Float32Array;
          for (let i = 0; i < rows; i++) out[i * W + o] = canonicalFloat32Word(v[i]!);
          break;
        }
        case 'double': {
          const v = col.values as Float64Array;
          for (let i = 0; i < rows; i++) canonicalFloat64Words(v[i]!, out, i * W + o);
          break;
        }
        case 'bigint':
        case 'timestamp':
        case 'interval_day_time': {
          const a = col.values as BigInt64Array;
          const v = new Int32Array(a.buffer, a.byteOffset, rows * 2);
          for (let i = 0; i < rows; i++) {
            out[i * W + o] = v[2 * i]!;
            out[i * W + o + 1] = v[2 * i + 1]!;
          }
          break;
        }
        case 'decimal': {
          const v = col.values as Uint32Array;
          for (let i = 0; i < rows; i++) for (let q = 0; q < 4; q++) out[i * W + o + q] = v[4 * i + q]! | 0;
          break;
        }
        case 'varchar': {
          if (isDictionary(col)) {
            const remap = this.dictionaryIds(k, dictionaryOf(col), insert);
            const codes = col.values as Int32Array;
            for (let i = 0; i < rows; i++) out[i * W + o] = valid !== null && !getBit(valid, i) ? 0 : remap[codes[i]!]!;
          } else {
            const off = col.valueOffsets as Int32Array;
            const bytes = col.values as Uint8Array;
            for (let i = 0; i < rows; i++) {
              out[i * W + o] = valid !== null && !getBit(valid, i) ? 0 : this.interner.intern(bytes, off[i]!, off[i + 1]!, insert);
            }
          }
          break;
        }
        case 'array':
        case 'map':
        case 'row':
          if (this.encodeNested(col, t, k, rows, out, o, valid, insert)) anyNull = true;
          break;
        default:
          assertNever(t, 'type');
      }
      // NULL keys compare equal: their value words must not depend on whatever the buffer held.
      if (valid !== null && t.kind !== 'unknown') {
        const w = widthOf(t);
        for (let i = 0; i < rows; i++) if (!getBit(valid, i)) out.fill(0, i * W + o, i * W + o + w);
      }
    }
    return anyNull;
  }

  /**
   * Interned ids of a dictionary's entries, so that rows map by code. Batches of one row group share their
   * dictionary, so the last mapping of each key is kept while the dictionary (and, for lookups without insert,
   * the interner) stays the same.
   */
  private dictionaryIds(k: number, d: Column, insert: boolean): Int32Array {
    const c = this.dictCache[k];
    if (c !== undefined && c.dict === d && c.insert === insert && (insert || c.internerSize === this.interner.size)) return c.ids;
    const dOff = d.valueOffsets as Int32Array;
    const dBytes = d.values as Uint8Array;
    const ids = new Int32Array(d.length);
    for (let e = 0; e < d.length; e++) ids[e] = this.interner.intern(dBytes, dOff[e]!, dOff[e + 1]!, insert);
    this.dictCache[k] = { dict: d, insert, internerSize: this.interner.size, ids };
    return ids;
  }

  /** Whether tuple `row` of `words` (rows × width words) has a NULL key. */
  isNullKey(words: Int32Array, row: number): boolean {
    for (let q = 0; q < this.nullWords; q++) if (words[row * this.width + q] !== 0) return true;
    return false;
  }

  /** Rebuilds key column k for `n` stored tuples (`keys` holds n × width words). */
  decode(k: number, keys: Int32Array, n: number): Column {
    const t = this.types[k]!;
    const W = this.width;
    const o = this.offsets[k]!;
    let valid: Uint8Array | null = null;
    for (let g = 0; g < n; g++) {
      if ((keys[g * W + nullWord(k)]! & nullBit(k)) !== 0) {
        valid ??= newBitmap(n, true);
        valid[g >>> 3]! &= ~(1 << (g & 7));
      }
    }
    const isValid = (g: number): boolean => valid === null || getBit(valid, g);
    switch (t.kind) {
      case 'unknown':
        return makeColumn(t, n, new Uint8Array(0), newBitmap(n));
      case 'boolean': {
        const bits = newBitmap(n);
        for (let g = 0; g < n; g++) if (keys[g * W + o] === 1) setBit(bits, g);
        return makeColumn(t, n, bits, valid);
      }
      case 'tinyint':
      case 'smallint':
      case 'integer':
      case 'date':
      case 'interval_year_month': {
        const Ctor = t.kind === 'tinyint' ? Int8Array : t.kind === 'smallint' ? Int16Array : Int32Array;
        const out = new Ctor(n);
        for (let g = 0; g < n; g++) out[g] = keys[g * W + o]!;
        return makeColumn(t, n, out, valid);
      }
      case 'real': {
        const out = new Float32Array(n);
        const w = new Int32Array(out.buffer);
        for (let g = 0; g < n; g++) w[g] = keys[g * W + o]!;
        return makeColumn(t, n, out, valid);
      }
      case 'double':
      case 'bigint':
      case 'timestamp':
      case 'interval_day_time': {
        const out = t.kind === 'double' ? new Float64Array(n) : new BigInt64Array(n);
        const w = new Int32Array(out.buffer);
        for (let g = 0; g < n; g++) {
          w[2 * g] = keys[g * W + o]!;
          w[2 * g + 1] = keys[g * W + o + 1]!;
        }
        return makeColumn(t, n, out, valid);
      }
      case 'decimal': {
        const out = new Uint32Array(4 * n);
        for (let g = 0; g < n; g++) for (let q = 0; q < 4; q++) out[4 * g + q] = keys[g * W + o + q]! >>> 0;
        return makeColumn(t, n, out, valid);
      }
      case 'varchar': {
        const ids = new Int32Array(n);
        for (let g = 0; g < n; g++) ids[g] = keys[g * W + o]!;
        const { offsets, bytes } = this.interner.gather(ids, isValid, n);
        return makeStringColumn(n, offsets, bytes, valid);
      }
      case 'array':
      case 'map':
      case 'row': {
        const values: Scalar[] = new Array<Scalar>(n);
        for (let g = 0; g < n; g++) values[g] = isValid(g) ? decodeValueKey(this.interner.bytesOf(keys[g * W + o]!), t) : null;
        return columnFromScalars(t, values);
      }
      default:
        return assertNever(t, 'type');
    }
  }

  /** Interns the canonical bytes of non-NULL nested keys; returns whether it turned any into a NULL key. */
  private encodeNested(col: Column, t: SqlType, k: number, rows: number, out: Int32Array, o: number, valid: Uint8Array | null, insert: boolean): boolean {
    const W = this.width;
    const w = this.nestedWriter;
    const enc = valueKeyEncoder(col, t);
    let madeNull = false;
    for (let i = 0; i < rows; i++) {
      if (valid !== null && !getBit(valid, i)) continue;
      w.reset();
      enc(w, i);
      if (this.equalityOnly && w.sawNull) {
        out[i * W + nullWord(k)] = out[i * W + nullWord(k)]! | nullBit(k);
        madeNull = true;
        continue;
      }
      out[i * W + o] = this.interner.intern(w.bytes, 0, w.length, insert);
    }
    return madeNull;
  }
}
