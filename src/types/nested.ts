import { makeData, type Data, type DataType, type Struct } from 'apache-arrow';
import { internalError } from '../common/index.js';
import { countSetBits, getBit, newBitmap, setBit } from './bitmap.js';
import { concatColumns, emptyColumn, nullColumn, validity, type Column } from './column.js';
import { takeColumn } from './take-column.js';
import { toArrowType } from './arrow-types.js';
import type { SqlType } from './sql-type.js';

/**
 * Builders and accessors for the canonical layouts of ARRAY (List), MAP (Map of key/value structs) and ROW
 * (Struct), fixed in arrow-types.ts. Offsets always start at 0 and children have offset 0.
 */

type ArrayType = SqlType & { kind: 'array' };
type MapType = SqlType & { kind: 'map' };
type RowType = SqlType & { kind: 'row' };

function nullCountOf(valid: Uint8Array | null, length: number): number {
  return valid === null ? 0 : length - countSetBits(valid, length);
}

export function makeListColumn(type: ArrayType, length: number, offsets: Int32Array, child: Column, valid: Uint8Array | null = null): Column {
  const nullCount = nullCountOf(valid, length);
  return makeData({
    type: toArrowType(type) as never, length, nullCount, nullBitmap: nullCount === 0 ? null : valid, valueOffsets: offsets, child,
  } as never) as Column;
}

export function makeMapColumn(type: MapType, length: number, offsets: Int32Array, keys: Column, values: Column, valid: Uint8Array | null = null): Column {
  const nullCount = nullCountOf(valid, length);
  const arrow = toArrowType(type) as DataType & { children: { type: Struct }[] };
  const entries = makeData({ type: arrow.children[0]!.type, length: keys.length, nullCount: 0, nullBitmap: null, children: [keys, values] } as never) as Column;
  return makeData({
    type: arrow as never, length, nullCount, nullBitmap: nullCount === 0 ? null : valid, valueOffsets: offsets, child: entries,
  } as never) as Column;
}

export function makeRowColumn(type: RowType, length: number, children: readonly Column[], valid: Uint8Array | null = null): Column {
  const nullCount = nullCountOf(valid, length);
  return makeData({
    type: toArrowType(type) as never, length, nullCount, nullBitmap: nullCount === 0 ? null : valid, children: [...children],
  } as never) as Column;
}

/** Offsets of an array or map column: entries of row i are [offsets[i], offsets[i+1]). */
export function listOffsets(col: Column): Int32Array {
  return col.valueOffsets as Int32Array;
}

/** The element column of an array column. */
export function listElements(col: Column): Column {
  const c = col.children[0];
  if (c === undefined) throw internalError('array column without elements');
  return c as Column;
}

/** The key and value columns of a map column. */
export function mapEntries(col: Column): { keys: Column; values: Column } {
  const entries = col.children[0] as Data | undefined;
  const keys = entries?.children[0], values = entries?.children[1];
  if (keys === undefined || values === undefined) throw internalError('map column without entries');
  return { keys: keys as Column, values: values as Column };
}

/** Field i of a row column. */
export function rowFieldColumn(col: Column, i: number): Column {
  const c = col.children[i];
  if (c === undefined) throw internalError(`row column without field ${i}`);
  return c as Column;
}

/** Offsets and child gather indices for taking rows `indices` (−1 → NULL, no entries) of an array or map. */
function takeRanges(offsets: Int32Array, indices: Int32Array, count: number): { offsets: Int32Array; childIdx: Int32Array } {
  const out = new Int32Array(count + 1);
  let total = 0;
  for (let j = 0; j < count; j++) {
    const i = indices[j]!;
    if (i >= 0) total += offsets[i + 1]! - offsets[i]!;
    out[j + 1] = total;
  }
  const childIdx = new Int32Array(total);
  let k = 0;
  for (let j = 0; j < count; j++) {
    const i = indices[j]!;
    if (i < 0) continue;
    for (let e = offsets[i]!; e < offsets[i + 1]!; e++) childIdx[k++] = e;
  }
  return { offsets: out, childIdx };
}

/** takeColumn for nested columns (called by takeColumn); `valid` is the already gathered validity. */
export function takeNested(col: Column, type: SqlType, indices: Int32Array, count: number, valid: Uint8Array | null): Column {
  switch (type.kind) {
    case 'array': {
      const r = takeRanges(listOffsets(col), indices, count);
      return makeListColumn(type, count, r.offsets, takeColumn(listElements(col), r.childIdx), valid);
    }
    case 'map': {
      const r = takeRanges(listOffsets(col), indices, count);
      const { keys, values } = mapEntries(col);
      return makeMapColumn(type, count, r.offsets, takeColumn(keys, r.childIdx), takeColumn(values, r.childIdx), valid);
    }
    case 'row':
      return makeRowColumn(type, count, type.fields.map((_, f) => takeColumn(rowFieldColumn(col, f), indices, count)), valid);
    default:
      throw internalError(`takeNested on ${type.kind}`);
  }
}

function concatValidity(cols: readonly Column[], n: number): Uint8Array | null {
  if (!cols.some((c) => validity(c) !== null)) return null;
  const out = newBitmap(n);
  let row = 0;
  for (const c of cols) {
    const v = validity(c);
    for (let i = 0; i < c.length; i++) if (v === null || getBit(v, i)) setBit(out, row + i);
    row += c.length;
  }
  return out;
}

function concatOffsets(cols: readonly Column[], n: number): Int32Array {
  const out = new Int32Array(n + 1);
  let row = 0, base = 0;
  for (const c of cols) {
    const o = listOffsets(c);
    for (let i = 1; i <= c.length; i++) out[row + i] = base + o[i]! - o[0]!;
    row += c.length;
    base += o[c.length]! - o[0]!;
  }
  return out;
}

/** concatColumns for nested columns (called by concatColumns). */
export function concatNested(cols: readonly Column[], type: SqlType, n: number): Column {
  const valid = concatValidity(cols, n);
  switch (type.kind) {
    case 'array':
      return makeListColumn(type, n, concatOffsets(cols, n), concatColumns(cols.map(listElements), type.element), valid);
    case 'map': {
      const entries = cols.map(mapEntries);
      return makeMapColumn(type, n, concatOffsets(cols, n), concatColumns(entries.map((e) => e.keys), type.key), concatColumns(entries.map((e) => e.values), type.value), valid);
    }
    case 'row':
      return makeRowColumn(type, n, type.fields.map((f, i) => concatColumns(cols.map((c) => rowFieldColumn(c, i)), f.type)), valid);
    default:
      throw internalError(`concatNested on ${type.kind}`);
  }
}

/** A nested column of `length` NULLs (arrays and maps without entries; rows with NULL fields). */
export function nullNested(type: SqlType, length: number): Column {
  const valid = length === 0 ? null : newBitmap(length);
  switch (type.kind) {
    case 'array':
      return makeListColumn(type, length, new Int32Array(length + 1), emptyColumn(type.element), valid);
    case 'map':
      return makeMapColumn(type, length, new Int32Array(length + 1), emptyColumn(type.key), emptyColumn(type.value), valid);
    case 'row':
      return makeRowColumn(type, length, type.fields.map((f) => nullColumn(f.type, length)), valid);
    default:
      throw internalError(`nullNested on ${type.kind}`);
  }
}
