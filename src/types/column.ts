import {
  Data, DataType, Dictionary, Int32, Type, Utf8, Vector, makeData, makeVector, type RecordBatch,
} from 'apache-arrow';
import { internalError } from '../common/index.js';
import { bitmapBytes, countSetBits, getBit, newBitmap, setBit } from './bitmap.js';
import { toArrowType } from './arrow-types.js';
import { concatNested, nullNested } from './nested.js';
import { isNestedKind, type SqlType } from './sql-type.js';

/**
 * A column of one batch in Shoal's canonical layout (arrow-types.ts) with offset 0. Kernels read `values`,
 * `valueOffsets` and `nullBitmap` directly; they never call Vector.get.
 */
export type Column = Data;

export const utf8Encoder = new TextEncoder();
export const utf8Decoder = new TextDecoder();

/**
 * The validity bitmap, or null when every value is valid. A column of the unknown type (the type of a bare NULL,
 * Arrow's Null) has no bitmap although every value is NULL: it gets an all-NULL bitmap, so count(NULL) and
 * count(DISTINCT NULL) are 0 like Trino's.
 */
export function validity(col: Column): Uint8Array | null {
  if (col.nullCount === 0) return null;
  if (col.nullBitmap === undefined || col.nullBitmap.length === 0) return col.typeId === Type.Null ? newBitmap(col.length) : null;
  return col.nullBitmap;
}

export function isNullAt(col: Column, i: number): boolean {
  const v = validity(col);
  return v !== null && !getBit(v, i);
}

/** Builds a column from a values buffer (typed array for fixed width) and an optional validity bitmap. */
export function makeColumn(type: SqlType, length: number, values: ArrayBufferView, valid: Uint8Array | null = null): Column {
  const nullCount = valid === null ? 0 : length - countSetBits(valid, length);
  const arrowType = toArrowType(type);
  if (type.kind === 'varchar') throw internalError('use makeStringColumn for varchar');
  if (type.kind === 'unknown') return makeData({ type: arrowType as never, length, nullCount: length }) as Column;
  return makeData({ type: arrowType as never, length, nullCount, nullBitmap: nullCount === 0 ? null : valid, data: values } as never) as Column;
}

export function makeStringColumn(length: number, offsets: Int32Array, bytes: Uint8Array, valid: Uint8Array | null = null): Column {
  const nullCount = valid === null ? 0 : length - countSetBits(valid, length);
  return makeData({ type: new Utf8(), length, nullCount, nullBitmap: nullCount === 0 ? null : valid, valueOffsets: offsets, data: bytes }) as Column;
}

/**
 * A dictionary-encoded varchar column. A row whose index points at a NULL dictionary entry is NULL: that is folded
 * into the row validity here, so kernels that decide per dictionary entry need only the row bitmap.
 */
export function makeDictionaryColumn(length: number, indices: Int32Array, dictionary: Column, valid: Uint8Array | null = null): Column {
  const dictValid = validity(dictionary);
  if (dictValid !== null) {
    const folded = newBitmap(length);
    for (let i = 0; i < length; i++) {
      if ((valid === null || getBit(valid, i)) && getBit(dictValid, indices[i]!)) setBit(folded, i);
    }
    valid = folded;
  }
  const nullCount = valid === null ? 0 : length - countSetBits(valid, length);
  const type = new Dictionary(new Utf8(), new Int32());
  return makeData({ type, length, nullCount, nullBitmap: nullCount === 0 ? null : valid, data: indices, dictionary: makeVector(dictionary) as Vector<Utf8> }) as Column;
}

export function isDictionary(col: Column): boolean {
  return col.typeId === Type.Dictionary;
}

/** The dictionary values of a dictionary-encoded string column. */
export function dictionaryOf(col: Column): Column {
  const d = (col as Data<Dictionary>).dictionary;
  if (d === undefined || d.data.length !== 1) {
    if (d !== undefined) return concatStringData(d.data as Column[]);
    throw internalError('dictionary column without dictionary');
  }
  return d.data[0] as Column;
}

/** Builds a string column from JS strings (slow path: literals, metadata tables, small results). */
export function stringColumnFromValues(values: readonly (string | null)[]): Column {
  const n = values.length;
  const offsets = new Int32Array(n + 1);
  const parts: Uint8Array[] = [];
  let total = 0;
  let valid: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    const s = values[i];
    if (s === null || s === undefined) {
      valid ??= newBitmap(n, true);
      valid[i >>> 3]! &= ~(1 << (i & 7));
      parts.push(new Uint8Array(0));
    } else {
      const b = utf8Encoder.encode(s);
      parts.push(b);
      total += b.length;
    }
    offsets[i + 1] = total;
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return makeStringColumn(n, offsets, bytes, valid);
}

/** Value i of a Utf8 column as a JS string (slow path). */
export function utf8At(col: Column, i: number): string {
  const o = col.valueOffsets as Int32Array;
  return utf8Decoder.decode((col.values as Uint8Array).subarray(o[i]!, o[i + 1]!));
}

/** Value i of a varchar column (Utf8 or dictionary) as a JS string; null when null. Slow path. */
export function stringAt(col: Column, i: number): string | null {
  if (isNullAt(col, i)) return null;
  if (isDictionary(col)) return utf8At(dictionaryOf(col), (col.values as Int32Array)[i]!);
  return utf8At(col, i);
}

/** Decodes a dictionary column to plain Utf8. */
export function decodeDictionary(col: Column): Column {
  const dict = dictionaryOf(col);
  const idx = col.values as Int32Array;
  const dOff = dict.valueOffsets as Int32Array;
  const dBytes = dict.values as Uint8Array;
  const n = col.length;
  const valid = validity(col);
  const offsets = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (valid === null || getBit(valid, i)) {
      const k = idx[i]!;
      total += dOff[k + 1]! - dOff[k]!;
    }
    offsets[i + 1] = total;
  }
  const bytes = new Uint8Array(total);
  for (let i = 0; i < n; i++) {
    if (offsets[i + 1]! > offsets[i]!) {
      const k = idx[i]!;
      bytes.set(dBytes.subarray(dOff[k]!, dOff[k + 1]!), offsets[i]!);
    }
  }
  return makeStringColumn(n, offsets, bytes, valid === null ? null : valid.slice(0, bitmapBytes(n)));
}

/** Bytes per value of fixed-width layouts, in units of the values typed array's elements. */
export function elementsPerValue(col: Column): number {
  return col.typeId === Type.Decimal ? 4 : 1;
}

function concatStringData(cols: readonly Column[]): Column {
  let n = 0;
  let total = 0;
  for (const c of cols) {
    n += c.length;
    const o = c.valueOffsets as Int32Array;
    total += o[c.length]! - o[0]!;
  }
  const offsets = new Int32Array(n + 1);
  const bytes = new Uint8Array(total);
  const valid = cols.some((c) => validity(c) !== null) ? newBitmap(n) : null;
  let row = 0;
  let at = 0;
  for (const c of cols) {
    const o = c.valueOffsets as Int32Array;
    const b = c.values as Uint8Array;
    const v = validity(c);
    const base = o[0]!;
    bytes.set(b.subarray(base, o[c.length]!), at);
    for (let i = 0; i < c.length; i++) {
      offsets[row + i + 1] = at + o[i + 1]! - base;
      if (valid !== null && (v === null || getBit(v, i))) setBit(valid, row + i);
    }
    at += o[c.length]! - base;
    row += c.length;
  }
  return makeStringColumn(n, offsets, bytes, valid);
}

/** Concatenates columns of the same SQL type into one. Dictionary columns with different dictionaries decode. */
export function concatColumns(cols: readonly Column[], type: SqlType): Column {
  if (cols.length === 1) return cols[0]!;
  const n = cols.reduce((a, c) => a + c.length, 0);
  if (cols.length === 0) return emptyColumn(type);
  if (type.kind === 'unknown') return makeData({ type: toArrowType(type) as never, length: n, nullCount: n }) as Column;
  if (isNestedKind(type.kind)) return concatNested(cols, type, n);
  if (type.kind === 'varchar') {
    const first = cols[0]!;
    if (cols.every((c) => isDictionary(c) && (c as Data<Dictionary>).dictionary === (first as Data<Dictionary>).dictionary)) {
      const idx = new Int32Array(n);
      const valid = cols.some((c) => validity(c) !== null) ? newBitmap(n) : null;
      let row = 0;
      for (const c of cols) {
        idx.set(c.values as Int32Array, row);
        const v = validity(c);
        if (valid !== null) for (let i = 0; i < c.length; i++) if (v === null || getBit(v, i)) setBit(valid, row + i);
        row += c.length;
      }
      return makeDictionaryColumn(n, idx, dictionaryOf(first), valid);
    }
    return concatStringData(cols.map((c) => (isDictionary(c) ? decodeDictionary(c) : c)));
  }
  const valid = cols.some((c) => validity(c) !== null) ? newBitmap(n) : null;
  if (type.kind === 'boolean') {
    const out = newBitmap(n);
    let row = 0;
    for (const c of cols) {
      const src = c.values as Uint8Array;
      const v = validity(c);
      for (let i = 0; i < c.length; i++) {
        if (getBit(src, i)) setBit(out, row + i);
        if (valid !== null && (v === null || getBit(v, i))) setBit(valid, row + i);
      }
      row += c.length;
    }
    return makeColumn(type, n, out, valid);
  }
  const first = cols[0]!;
  const w = elementsPerValue(first);
  const Ctor = (first.values as unknown as { constructor: new (n: number) => { set(a: ArrayLike<number | bigint>, o: number): void } }).constructor;
  const out = new Ctor(n * w);
  let row = 0;
  for (const c of cols) {
    const src = c.values as unknown as { subarray(a: number, b: number): ArrayLike<number | bigint> } & ArrayLike<number | bigint>;
    const k = c.length * w;
    // Tiny columns (one value each, as window frames produce them) copy faster element by element than by set().
    if (k <= 8) for (let j = 0; j < k; j++) (out as unknown as { [i: number]: number | bigint })[row * w + j] = src[j]!;
    else out.set(src.subarray(0, k), row * w);
    const v = validity(c);
    if (valid !== null) {
      if (v === null) for (let i = 0; i < c.length; i++) setBit(valid, row + i);
      else for (let i = 0; i < c.length; i++) if (getBit(v, i)) setBit(valid, row + i);
    }
    row += c.length;
  }
  return makeColumn(type, n, out as unknown as ArrayBufferView, valid);
}

export function emptyColumn(type: SqlType): Column {
  return nullColumn(type, 0);
}

/** A column of `length` nulls. */
export function nullColumn(type: SqlType, length: number): Column {
  if (isNestedKind(type.kind)) return nullNested(type, length);
  const valid = newBitmap(length);
  switch (type.kind) {
    case 'unknown':
      return makeData({ type: toArrowType(type) as never, length, nullCount: length }) as Column;
    case 'varchar':
      return makeStringColumn(length, new Int32Array(length + 1), new Uint8Array(0), length === 0 ? null : valid);
    case 'boolean':
      return makeColumn(type, length, newBitmap(length), length === 0 ? null : valid);
    default: {
      const t = toArrowType(type) as DataType & { ArrayType: new (n: number) => ArrayBufferView };
      const w = type.kind === 'decimal' ? 4 : 1;
      return makeColumn(type, length, new t.ArrayType(length * w), length === 0 ? null : valid);
    }
  }
}

/** Column `i` of a batch. */
export function batchColumn(batch: RecordBatch, i: number): Column {
  const child = batch.data.children[i];
  if (child === undefined) throw internalError(`batch has no column ${i}`);
  return child as Column;
}

