import { internalError } from '../../common/index.js';
import {
  decimalAt, getBit, makeColumn, makeStringColumn, newBitmap, setBit, validity,
  type Column, type SqlType,
} from '../../types/index.js';
import { growUint8 } from './state.js';

type Storage = 'bool' | 'num' | 'i64' | 'dec' | 'str' | 'none';

/** How a value of type `t` is held, or undefined for types a store cannot hold (nested types). */
function storageOf(t: SqlType): Storage | undefined {
  switch (t.kind) {
    case 'unknown': return 'none';
    case 'boolean': return 'bool';
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'date':
    case 'interval_year_month':
    case 'real':
    case 'double':
      return 'num';
    case 'bigint':
    case 'timestamp':
    case 'interval_day_time':
      return 'i64';
    case 'decimal': return 'dec';
    case 'varchar': return 'str';
    default: return undefined;
  }
}

/** Whether a GroupValueStore can hold values of type `t`. */
export function storable(t: SqlType): boolean {
  return storageOf(t) !== undefined;
}

/** Row i of a varchar column (plain or dictionary-encoded) as [bytes, start, end). */
function stringRows(col: Column): (i: number) => [Uint8Array, number, number] {
  const dict = col.dictionary?.data[0];
  const src = dict ?? col;
  const offsets = src.valueOffsets as Int32Array;
  const bytes = src.values as Uint8Array;
  const codes = dict === undefined ? null : (col.values as Int32Array);
  return (i) => {
    const k = codes === null ? i : codes[i]!;
    return [bytes, offsets[k]!, offsets[k + 1]!];
  };
}

function compareBytesTo(a: Uint8Array, s: number, e: number, b: Uint8Array): number {
  const n = Math.min(e - s, b.length);
  for (let k = 0; k < n; k++) {
    const d = a[s + k]! - b[k]!;
    if (d !== 0) return d;
  }
  return e - s - b.length;
}

/**
 * One value of any scalar type per group (NULL allowed), in typed arrays by storage class: what arbitrary(),
 * min_by/max_by and similar keep. Strings are copies of the bytes.
 */
export class GroupValueStore {
  private readonly storage: Storage;
  private nums = new Float64Array(0);
  private i64 = new BigInt64Array(0);
  private dec = new Uint32Array(0);
  private strs: (Uint8Array | undefined)[] = [];
  private strBytes = 0;
  /** 1 where the group's value is non-NULL. */
  private valid: Uint8Array = new Uint8Array(0);

  constructor(private readonly type: SqlType) {
    const s = storageOf(type);
    if (s === undefined) throw internalError(`no value store for ${type.kind}`);
    this.storage = s;
  }

  grow(numGroups: number): void {
    if (this.valid.length >= numGroups) return;
    const cap = Math.max(numGroups, this.valid.length * 2, 16);
    this.valid = growUint8(this.valid, cap);
    if (this.storage === 'num' || this.storage === 'bool') {
      const n = new Float64Array(cap);
      n.set(this.nums);
      this.nums = n;
    } else if (this.storage === 'i64') {
      const n = new BigInt64Array(cap);
      n.set(this.i64);
      this.i64 = n;
    } else if (this.storage === 'dec') {
      const n = new Uint32Array(cap * 4);
      n.set(this.dec);
      this.dec = n;
    }
  }

  /** A function storing row i of `col` (NULL or not) as group g's value. Call grow() first. */
  writer(col: Column): (g: number, i: number) => void {
    const valid = validity(col);
    const isValid = (i: number): boolean => valid === null || getBit(valid, i);
    switch (this.storage) {
      case 'none':
        return (g) => { this.valid[g] = 0; };
      case 'bool': {
        const v = col.values as Uint8Array;
        return (g, i) => {
          this.valid[g] = isValid(i) ? 1 : 0;
          this.nums[g] = getBit(v, i) ? 1 : 0;
        };
      }
      case 'num': {
        const v = col.values as ArrayLike<number>;
        return (g, i) => {
          this.valid[g] = isValid(i) ? 1 : 0;
          this.nums[g] = v[i]!;
        };
      }
      case 'i64': {
        const v = col.values as BigInt64Array;
        return (g, i) => {
          this.valid[g] = isValid(i) ? 1 : 0;
          this.i64[g] = v[i]!;
        };
      }
      case 'dec': {
        const v = col.values as Uint32Array;
        return (g, i) => {
          this.valid[g] = isValid(i) ? 1 : 0;
          for (let q = 0; q < 4; q++) this.dec[4 * g + q] = v[4 * i + q]!;
        };
      }
      case 'str': {
        const at = stringRows(col);
        return (g, i) => {
          const old = this.strs[g];
          this.strBytes -= old?.length ?? 0;
          if (!isValid(i)) {
            this.valid[g] = 0;
            this.strs[g] = undefined;
            return;
          }
          const [bytes, s, e] = at(i);
          this.valid[g] = 1;
          this.strs[g] = bytes.slice(s, e);
          this.strBytes += e - s;
        };
      }
    }
  }

  /**
   * A function comparing non-NULL row i of `col` with group g's non-NULL value: negative when the row's value
   * sorts first. NaN sorts after every other double, as in Trino.
   */
  comparer(col: Column): (g: number, i: number) => number {
    switch (this.storage) {
      case 'none': return () => 0;
      case 'bool': {
        const v = col.values as Uint8Array;
        return (g, i) => (getBit(v, i) ? 1 : 0) - this.nums[g]!;
      }
      case 'num': {
        const v = col.values as ArrayLike<number>;
        return (g, i) => {
          const x = v[i]!, y = this.nums[g]!;
          if (x < y) return -1;
          if (x > y) return 1;
          if (x === y) return 0;
          return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : -1;
        };
      }
      case 'i64': {
        const v = col.values as BigInt64Array;
        return (g, i) => (v[i]! < this.i64[g]! ? -1 : v[i]! > this.i64[g]! ? 1 : 0);
      }
      case 'dec': {
        const v = col.values as Uint32Array;
        return (g, i) => {
          const x = decimalAt(v, i), y = decimalAt(this.dec, g);
          return x < y ? -1 : x > y ? 1 : 0;
        };
      }
      case 'str': {
        const at = stringRows(col);
        return (g, i) => {
          const [bytes, s, e] = at(i);
          return compareBytesTo(bytes, s, e, this.strs[g] ?? new Uint8Array(0));
        };
      }
    }
  }

  /** The values of groups 0..numGroups-1 (groups never written are NULL). */
  finish(numGroups: number): Column {
    this.grow(numGroups);
    let allValid = true;
    const valid = newBitmap(numGroups);
    for (let g = 0; g < numGroups; g++) {
      if (this.valid[g] === 1) setBit(valid, g);
      else allValid = false;
    }
    const v = allValid ? null : valid;
    const t = this.type;
    switch (this.storage) {
      case 'none': return makeColumn(t, numGroups, new Uint8Array(0), newBitmap(numGroups));
      case 'bool': {
        const bits = newBitmap(numGroups);
        for (let g = 0; g < numGroups; g++) if (this.nums[g] === 1) setBit(bits, g);
        return makeColumn(t, numGroups, bits, v);
      }
      case 'num': {
        const src = this.nums.subarray(0, numGroups);
        const out = t.kind === 'double' ? Float64Array.from(src) : t.kind === 'real' ? Float32Array.from(src)
          : t.kind === 'tinyint' ? Int8Array.from(src) : t.kind === 'smallint' ? Int16Array.from(src) : Int32Array.from(src);
        return makeColumn(t, numGroups, out, v);
      }
      case 'i64': return makeColumn(t, numGroups, this.i64.slice(0, numGroups), v);
      case 'dec': return makeColumn(t, numGroups, this.dec.slice(0, 4 * numGroups), v);
      case 'str': {
        const offsets = new Int32Array(numGroups + 1);
        let total = 0;
        for (let g = 0; g < numGroups; g++) {
          total += this.strs[g]?.length ?? 0;
          offsets[g + 1] = total;
        }
        const bytes = new Uint8Array(total);
        for (let g = 0; g < numGroups; g++) {
          const b = this.strs[g];
          if (b !== undefined) bytes.set(b, offsets[g]!);
        }
        return makeStringColumn(numGroups, offsets, bytes, v);
      }
    }
  }

  memoryBytes(): number {
    return this.valid.byteLength + this.nums.byteLength + this.i64.byteLength + this.dec.byteLength + this.strBytes + this.strs.length * 8;
  }
}
