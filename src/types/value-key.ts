import { assertNever } from '../common/index.js';
import { getBit } from './bitmap.js';
import { dictionaryOf, isDictionary, utf8Decoder, validity, type Column } from './column.js';
import { listElements, listOffsets, mapEntries, rowFieldColumn } from './nested.js';
import type { Scalar } from './scalar.js';
import type { SqlType } from './sql-type.js';

/**
 * Canonical byte strings of SQL values, so that values of any type (arrays, maps and rows included) can be hashed,
 * interned and compared as bytes. Contract: two values of one type are IS NOT DISTINCT FROM each other exactly when
 * their keys are equal bytes: NULLs (at any depth) are equal to each other, doubles fold -0 to 0 and every NaN to
 * one NaN, and map entries are written in key-byte order so entry order does not matter. The bytes are not an
 * ordering (little-endian numbers); decodeValueKey reverses them.
 *
 * Layout, driven by the type (no tags): every value starts with one flag byte (0 NULL, 1 present); then boolean 1
 * byte; 8/16/32-bit integers, date, interval year to month and real 4 bytes; bigint, timestamp, interval day to
 * second and double 8 bytes; decimal 16 bytes; varchar a 4-byte length and its UTF-8; array a 4-byte count and its
 * elements; map a count and its key, value pairs; row its fields in order.
 */

/** A growable byte buffer the encoder appends to. `sawNull` records a NULL met below the top level. */
export class ValueKeyWriter {
  bytes = new Uint8Array(256);
  length = 0;
  sawNull = false;
  private view = new DataView(this.bytes.buffer);

  reset(): void {
    this.length = 0;
    this.sawNull = false;
  }

  ensure(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): void {
    this.ensure(1);
    this.bytes[this.length++] = v;
  }

  i32(v: number): void {
    this.ensure(4);
    this.view.setInt32(this.length, v, true);
    this.length += 4;
  }

  f32(v: number): void {
    this.ensure(4);
    this.view.setFloat32(this.length, v === 0 ? 0 : Number.isNaN(v) ? Number.NaN : v, true);
    this.length += 4;
  }

  f64(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.length, v === 0 ? 0 : Number.isNaN(v) ? Number.NaN : v, true);
    this.length += 8;
  }

  i64(v: bigint): void {
    this.ensure(8);
    this.view.setBigInt64(this.length, v, true);
    this.length += 8;
  }

  raw(src: Uint8Array, start: number, end: number): void {
    this.ensure(end - start);
    this.bytes.set(src.subarray(start, end), this.length);
    this.length += end - start;
  }
}

/** Appends the key of row i of a column (bound once per column, then called per row). */
export type ValueKeyEncoder = (w: ValueKeyWriter, i: number) => void;

/** Compares byte ranges [as, ae) and [bs, be) of one buffer (used to order map entries). */
function compareRanges(b: Uint8Array, as: number, ae: number, bs: number, be: number): number {
  const n = Math.min(ae - as, be - bs);
  for (let k = 0; k < n; k++) {
    const d = b[as + k]! - b[bs + k]!;
    if (d !== 0) return d;
  }
  return (ae - as) - (be - bs);
}

/** The encoder of a column's values (flag byte included); `nested` marks encoders below the top level. */
export function valueKeyEncoder(col: Column, type: SqlType, nested = false): ValueKeyEncoder {
  const valid = validity(col);
  const value = valueBodyEncoder(col, type);
  return (w, i) => {
    if (type.kind === 'unknown' || (valid !== null && !getBit(valid, i))) {
      if (nested) w.sawNull = true;
      w.u8(0);
      return;
    }
    w.u8(1);
    value(w, i);
  };
}

function valueBodyEncoder(col: Column, type: SqlType): ValueKeyEncoder {
  switch (type.kind) {
    case 'unknown':
      return () => undefined;
    case 'boolean': {
      const v = col.values as Uint8Array;
      return (w, i) => w.u8(getBit(v, i) ? 1 : 0);
    }
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'date':
    case 'interval_year_month': {
      const v = col.values as Int32Array;
      return (w, i) => w.i32(v[i]!);
    }
    case 'real': {
      const v = col.values as Float32Array;
      return (w, i) => w.f32(v[i]!);
    }
    case 'double': {
      const v = col.values as Float64Array;
      return (w, i) => w.f64(v[i]!);
    }
    case 'bigint':
    case 'timestamp':
    case 'interval_day_time': {
      const v = col.values as BigInt64Array;
      return (w, i) => w.i64(v[i]!);
    }
    case 'decimal': {
      const v = col.values as Uint32Array;
      const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
      return (w, i) => w.raw(bytes, 16 * i, 16 * i + 16);
    }
    case 'varchar': {
      const dict = isDictionary(col) ? dictionaryOf(col) : col;
      const codes = isDictionary(col) ? (col.values as Int32Array) : null;
      const off = dict.valueOffsets as Int32Array, bytes = dict.values as Uint8Array;
      return (w, i) => {
        const k = codes === null ? i : codes[i]!;
        w.i32(off[k + 1]! - off[k]!);
        w.raw(bytes, off[k]!, off[k + 1]!);
      };
    }
    case 'array': {
      const o = listOffsets(col);
      const el = valueKeyEncoder(listElements(col), type.element, true);
      return (w, i) => {
        w.i32(o[i + 1]! - o[i]!);
        for (let e = o[i]!; e < o[i + 1]!; e++) el(w, e);
      };
    }
    case 'map': {
      const o = listOffsets(col);
      const { keys, values } = mapEntries(col);
      const ke = valueKeyEncoder(keys, type.key, true), ve = valueKeyEncoder(values, type.value, true);
      return (w, i) => {
        const n = o[i + 1]! - o[i]!;
        w.i32(n);
        const start = w.length;
        // Entries as [start, keyEnd, end) triples, then rewritten in key order.
        const spans: number[] = [];
        for (let e = o[i]!; e < o[i + 1]!; e++) {
          const s = w.length;
          ke(w, e);
          const k = w.length;
          ve(w, e);
          spans.push(s, k, w.length);
        }
        if (n < 2) return;
        const order = Array.from({ length: n }, (_, j) => j);
        const b = w.bytes;
        order.sort((x, y) => compareRanges(b, spans[3 * x]!, spans[3 * x + 1]!, spans[3 * y]!, spans[3 * y + 1]!));
        const copy = b.slice(start, w.length);
        let at = start;
        for (const j of order) {
          const s = spans[3 * j]! - start, e = spans[3 * j + 2]! - start;
          b.set(copy.subarray(s, e), at);
          at += e - s;
        }
      };
    }
    case 'row': {
      const fields = type.fields.map((f, k) => valueKeyEncoder(rowFieldColumn(col, k), f.type, true));
      return (w, i) => {
        for (const f of fields) f(w, i);
      };
    }
    default:
      return assertNever(type, 'type');
  }
}

/** Reads a key written by valueKeyEncoder back into a Scalar. */
export function decodeValueKey(bytes: Uint8Array, type: SqlType): Scalar {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const read = (t: SqlType): Scalar => {
    if (bytes[at++] === 0) return null;
    switch (t.kind) {
      case 'unknown': return null;
      case 'boolean': return bytes[at++] === 1;
      case 'tinyint':
      case 'smallint':
      case 'integer':
      case 'date':
      case 'interval_year_month': {
        const v = view.getInt32(at, true);
        at += 4;
        return v;
      }
      case 'real': {
        const v = view.getFloat32(at, true);
        at += 4;
        return v;
      }
      case 'double': {
        const v = view.getFloat64(at, true);
        at += 8;
        return v;
      }
      case 'bigint':
      case 'timestamp':
      case 'interval_day_time': {
        const v = view.getBigInt64(at, true);
        at += 8;
        return v;
      }
      case 'decimal': {
        // Two's complement 128-bit, little-endian words.
        const lo = view.getBigUint64(at, true), hi = view.getBigInt64(at + 8, true);
        at += 16;
        return (hi << 64n) | lo;
      }
      case 'varchar': {
        const n = view.getInt32(at, true);
        const s = utf8Decoder.decode(bytes.subarray(at + 4, at + 4 + n));
        at += 4 + n;
        return s;
      }
      case 'array': {
        const n = view.getInt32(at, true);
        at += 4;
        const out: Scalar[] = [];
        for (let k = 0; k < n; k++) out.push(read(t.element));
        return out;
      }
      case 'map': {
        const n = view.getInt32(at, true);
        at += 4;
        const out = new Map<Scalar, Scalar>();
        for (let k = 0; k < n; k++) {
          const key = read(t.key);
          out.set(key, read(t.value));
        }
        return out;
      }
      case 'row':
        return t.fields.map((f) => read(f.type));
      default:
        return assertNever(t, 'type');
    }
  };
  return read(type);
}
