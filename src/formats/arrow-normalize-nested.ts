/**
 * The nested part of arrow-normalize.ts: List/LargeList → array, Map → map, Struct → row, each rebuilt in the
 * canonical layout of types/arrow-types.ts (Int32 offsets from 0, children normalized recursively with offset 0,
 * varchar children plain Utf8). Slices of the source are honoured: only the child range the rows cover is kept.
 */
import { Type, type Data } from 'apache-arrow';
import { ShoalError } from '../common/index.js';
import {
  decodeDictionary, int32View, int64At, isDictionary, makeListColumn, makeMapColumn, makeRowColumn, sliceColumn,
  type Column, type SqlType,
} from '../types/index.js';
import { unsupported, validityOf, type AnyData } from './arrow-source.js';
type Normalize = (data: Data, type: SqlType) => Column;

/** A normalized child restricted to [from, to), as a plain (never dictionary-encoded) column. */
function child(normalize: Normalize, data: Data | undefined, type: SqlType, from: number, to: number): Column {
  if (data === undefined) throw new ShoalError('CORRUPT_FILE', 'A nested column has no child data');
  let c = normalize(data, type);
  if (from !== 0 || to !== c.length) c = sliceColumn(c, from, to - from);
  return type.kind === 'varchar' && isDictionary(c) ? decodeDictionary(c) : c;
}

/** Offsets of a List/LargeList/Map slice rebased to 0, and the child range they cover. */
function rebasedOffsets(data: AnyData): { offsets: Int32Array; from: number; to: number } {
  const n = data.length;
  const out = new Int32Array(n + 1);
  if (data.typeId === Type.LargeList) {
    const view = int32View(data.valueOffsets as unknown as BigInt64Array);
    const base = int64At(view, 0);
    for (let i = 0; i <= n; i++) out[i] = int64At(view, i) - base;
    return { offsets: out, from: base, to: base + out[n]! };
  }
  const src = data.valueOffsets as Int32Array;
  const base = src[0]!;
  for (let i = 0; i <= n; i++) out[i] = src[i]! - base;
  return { offsets: out, from: base, to: base + out[n]! };
}

export function normalizeNested(data: Data, type: SqlType, normalize: Normalize): Column {
  const d = data as AnyData;
  switch (type.kind) {
    case 'array': {
      if (d.typeId !== Type.List && d.typeId !== Type.LargeList) throw unsupported(d, type);
      const r = rebasedOffsets(d);
      return makeListColumn(type, d.length, r.offsets, child(normalize, d.children[0], type.element, r.from, r.to), validityOf(d));
    }
    case 'map': {
      if (d.typeId !== Type.Map) throw unsupported(d, type);
      const r = rebasedOffsets(d);
      const entries = d.children[0] as AnyData | undefined;
      // The entries struct may itself be a slice: its children start at its own offset.
      const shift = entries?.offset ?? 0;
      const keys = child(normalize, entries?.children[0], type.key, r.from + shift, r.to + shift);
      const values = child(normalize, entries?.children[1], type.value, r.from + shift, r.to + shift);
      return makeMapColumn(type, d.length, r.offsets, keys, values, validityOf(d));
    }
    case 'row': {
      if (d.typeId !== Type.Struct || d.children.length !== type.fields.length) throw unsupported(d, type);
      const fields = type.fields.map((f, i) => {
        const c = d.children[i];
        // Struct children of a slice are sliced with it by apache-arrow; tolerate unsliced children too.
        const len = c?.length ?? 0;
        return len === d.length ? child(normalize, c, f.type, 0, len) : child(normalize, c, f.type, d.offset, d.offset + d.length);
      });
      return makeRowColumn(type, d.length, fields, validityOf(d));
    }
    default:
      throw unsupported(d, type);
  }
}
