import { makeData, Type, type Data, type Decimal, type Dictionary } from 'apache-arrow';
import { countSetBits, getBit, newBitmap, setBit } from './bitmap.js';
import { decimalGatherIntoNumbers, decimalRunsIntoNumbers } from './decimal128.js';
import { elementsPerValue, makeStringColumn, validity, type Column } from './column.js';
import { sqlTypeOfArrow } from './arrow-types.js';
import { lazyDecimalData } from './lazy-decimal.js';
import { takeNested } from './nested.js';
import { knownNumberView, knownNumberViewMaxAbs } from './number-view.js';

/**
 * A selection as ascending runs of consecutive rows, run r being [starts[r], starts[r] + lengths[r]). A filter
 * that keeps most rows (q01 keeps 98%) selects long runs, which copy with one typed-array `set` each instead of
 * one indexed load and store per value.
 */
export interface RowRuns {
  readonly starts: Int32Array;
  readonly lengths: Int32Array;
  readonly count: number;
  readonly rows: number;
}

/** Runs shorter than this on average copy no faster than a gather. */
const MIN_AVERAGE_RUN = 8;
/** Indices rowRuns inspects before deciding whether a whole pass is worth it. */
const PROBE = 256;

/**
 * The runs of `indices[0..count)` when they are long enough to copy by runs: every index ≥ 0, each run ascending
 * by one, at most count / MIN_AVERAGE_RUN runs. Null otherwise (scattered, unordered, or with -1 for NULL).
 */
export function rowRuns(indices: Int32Array, count: number): RowRuns | null {
  if (count === 0) return null;
  // A look at a prefix first, so that scattered selections (a join's build side) cost a few hundred reads.
  const probe = Math.min(count, PROBE);
  let breaks = 0;
  for (let j = 1; j < probe; j++) if (indices[j] !== indices[j - 1]! + 1) breaks++;
  if (breaks * MIN_AVERAGE_RUN > probe) return null;
  const maxRuns = Math.floor(count / MIN_AVERAGE_RUN) + 1;
  const starts = new Int32Array(maxRuns);
  const lengths = new Int32Array(maxRuns);
  let runs = 0;
  let start = indices[0]!;
  if (start < 0) return null;
  let prev = start;
  for (let j = 1; j < count; j++) {
    const i = indices[j]!;
    if (i === prev + 1) {
      prev = i;
      continue;
    }
    if (i < 0 || runs + 1 >= maxRuns) return null;
    starts[runs] = start;
    lengths[runs++] = prev - start + 1;
    start = prev = i;
  }
  starts[runs] = start;
  lengths[runs++] = prev - start + 1;
  return { starts, lengths, count: runs, rows: count };
}

/**
 * Gathers rows `indices[0..count)` into a new column. Index -1 produces a null (used by outer joins). `runs` is
 * rowRuns(indices, count) when the caller computed it once for several columns (undefined: computed here).
 */
export function takeColumn(col: Column, indices: Int32Array, count = indices.length, runs?: RowRuns | null): Column {
  const nested = col.typeId === Type.List || col.typeId === Type.Map || col.typeId === Type.Struct;
  if (!nested) {
    const r = runs === undefined ? rowRuns(indices, count) : runs;
    if (r !== null) return takeRuns(col, r);
  }
  return gather(col, indices, count);
}

/** Rows [from, from+length) as a new offset-0 column (values are shared where the layout allows). */
export function sliceColumn(col: Column, from: number, length: number): Column {
  if (from === 0 && length === col.length) return col;
  if (length > 0 && col.typeId !== Type.List && col.typeId !== Type.Map && col.typeId !== Type.Struct) {
    return takeRuns(col, { starts: Int32Array.of(from), lengths: Int32Array.of(length), count: 1, rows: length });
  }
  const idx = new Int32Array(length);
  for (let i = 0; i < length; i++) idx[i] = from + i;
  return takeColumn(col, idx);
}

/** Copies `len` bits from src at bit `from` to dst (zeroed beyond what earlier calls wrote) at bit `to`. */
function copyBits(src: Uint8Array, from: number, dst: Uint8Array, to: number, len: number): void {
  let k = 0;
  if ((from & 7) === (to & 7)) {
    // Same bit phase: bits up to the next byte boundary, then whole bytes, then the tail.
    while (k < len && ((from + k) & 7) !== 0) {
      if ((src[(from + k) >>> 3]! >>> ((from + k) & 7)) & 1) dst[(to + k) >>> 3]! |= 1 << ((to + k) & 7);
      k++;
    }
    const bytes = (len - k) >>> 3;
    if (bytes > 0) {
      const s = (from + k) >>> 3, d = (to + k) >>> 3;
      dst.set(src.subarray(s, s + bytes), d);
      k += bytes << 3;
    }
  }
  for (; k < len; k++) {
    if ((src[(from + k) >>> 3]! >>> ((from + k) & 7)) & 1) dst[(to + k) >>> 3]! |= 1 << ((to + k) & 7);
  }
}

function copyBitRuns(src: Uint8Array, r: RowRuns): Uint8Array {
  const out = newBitmap(r.rows);
  let at = 0;
  for (let k = 0; k < r.count; k++) {
    copyBits(src, r.starts[k]!, out, at, r.lengths[k]!);
    at += r.lengths[k]!;
  }
  return out;
}

type TypedValues = ArrayBufferView & {
  readonly length: number;
  readonly BYTES_PER_ELEMENT: number;
  subarray(a: number, b: number): TypedValues;
  set(src: TypedValues, offset: number): void;
  readonly constructor: { new (n: number): TypedValues; new (b: ArrayBuffer): TypedValues };
};

/** Runs shorter than this copy element by element: a `set` call costs more than a few stores. */
const SET_MIN = 16;

/**
 * Copies the runs of a flat array of `w` elements per row. A single run shares the source buffer. Values whose
 * width is a multiple of 4 bytes copy as 32-bit words (no BigInt boxing for 64-bit values in short runs).
 */
function copyRuns(src: TypedValues, w: number, r: RowRuns): TypedValues {
  if (r.count === 1) return src.subarray(r.starts[0]! * w, (r.starts[0]! + r.lengths[0]!) * w);
  const bytesPerRow = src.BYTES_PER_ELEMENT * w;
  if (bytesPerRow % 4 === 0 && src.byteOffset % 4 === 0) {
    const wpr = bytesPerRow >> 2;
    const s32 = new Int32Array(src.buffer, src.byteOffset, src.byteLength >> 2);
    const o32 = new Int32Array(r.rows * wpr);
    copyRunsOf(s32, o32, wpr, r);
    return new src.constructor(o32.buffer);
  }
  const out = new src.constructor(r.rows * w);
  copyRunsOf(src as unknown as Int32Array, out as unknown as Int32Array, w, r);
  return out;
}

function copyRunsOf(s: Int32Array, o: Int32Array, w: number, r: RowRuns): void {
  let at = 0;
  for (let k = 0; k < r.count; k++) {
    const from = r.starts[k]! * w, len = r.lengths[k]! * w;
    if (len >= SET_MIN) o.set(s.subarray(from, from + len), at);
    else for (let x = 0; x < len; x++) o[at + x] = s[from + x]!;
    at += len;
  }
}

/**
 * Takes of decimal columns yield lazy decimal columns (lazy-decimal.ts): the taken rows as exact doubles, their
 * 16-byte words written only if something reads them. Readers of decimals in plans like q01's (arithmetic, sum,
 * avg, comparisons) work on the doubles, so a take copies 8 bytes per row (from the column's double view when
 * numberView made one, else converting the words as it reads them) instead of copying words that numberView would
 * then convert. Undefined (copy the words) when some taken value is not an exact double.
 */
function takeDecimalRuns(col: Column, r: RowRuns, valid: Uint8Array | null): Column | undefined {
  const known = knownNumberView(col);
  if (known === null) return undefined;
  if (known !== undefined) {
    const taken = copyRuns(known as unknown as TypedValues, 1, r) as unknown as Float64Array;
    return lazyDecimalData(col.type as Decimal, r.rows, taken, valid, knownNumberViewMaxAbs(col));
  }
  const out = new Float64Array(r.rows);
  const max = decimalRunsIntoNumbers(col.values as Uint32Array, r.starts, r.lengths, r.count, out);
  return max < 0 ? undefined : lazyDecimalData(col.type as Decimal, r.rows, out, valid, max);
}

function gatherDecimal(col: Column, indices: Int32Array, count: number, valid: Uint8Array | null): Column | undefined {
  const known = knownNumberView(col);
  if (known === null) return undefined;
  const out = new Float64Array(count);
  if (known !== undefined) {
    for (let j = 0; j < count; j++) {
      const i = indices[j]!;
      if (i >= 0) out[j] = known[i]!;
    }
    return lazyDecimalData(col.type as Decimal, count, out, valid, knownNumberViewMaxAbs(col));
  }
  const max = decimalGatherIntoNumbers(col.values as Uint32Array, indices, count, out);
  return max < 0 ? undefined : lazyDecimalData(col.type as Decimal, count, out, valid, max);
}

function takeRuns(col: Column, r: RowRuns): Column {
  if (r.count === 1 && r.starts[0] === 0 && r.lengths[0] === col.length) return col;
  const count = r.rows;
  const srcValid = validity(col);
  const valid = srcValid === null ? null : copyBitRuns(srcValid, r);
  const nullCount = valid === null ? 0 : count - countSetBits(valid, count);
  if (col.typeId === Type.Decimal) {
    const taken = takeDecimalRuns(col, r, valid);
    if (taken !== undefined) return taken;
  }
  switch (col.typeId) {
    case Type.Null:
      return makeData({ type: col.type, length: count, nullCount: count } as never) as Column;
    case Type.Bool:
      return makeData({ type: col.type, length: count, nullCount, nullBitmap: valid, data: copyBitRuns(col.values as Uint8Array, r) } as never) as Column;
    case Type.Utf8: {
      const so = col.valueOffsets as Int32Array;
      const sb = col.values as Uint8Array;
      const offsets = new Int32Array(count + 1);
      let total = 0;
      for (let k = 0; k < r.count; k++) total += so[r.starts[k]! + r.lengths[k]!]! - so[r.starts[k]!]!;
      const bytes = new Uint8Array(total);
      let row = 0, at = 0;
      for (let k = 0; k < r.count; k++) {
        const first = r.starts[k]!, end = first + r.lengths[k]!;
        const base = so[first]!;
        const shift = at - base;
        for (let i = first; i < end; i++) offsets[++row] = so[i + 1]! + shift;
        const len = so[end]! - base;
        bytes.set(sb.subarray(base, base + len), at);
        at += len;
      }
      return makeStringColumn(count, offsets, bytes, valid);
    }
    case Type.Dictionary: {
      const data = copyRuns(col.values as unknown as TypedValues, 1, r);
      return makeData({ type: col.type, length: count, nullCount, nullBitmap: valid, data, dictionary: (col as Data<Dictionary>).dictionary } as never) as Column;
    }
    default: {
      const data = copyRuns(col.values as unknown as TypedValues, elementsPerValue(col), r);
      return makeData({ type: col.type, length: count, nullCount, nullBitmap: valid, data } as never) as Column;
    }
  }
}

/**
 * Gathers fixed-width values whose width is a multiple of 4 bytes (int32, float, int64, double, timestamps,
 * decimal128) as 32-bit words: one monomorphic loop for all of them, and no BigInt boxing for 64-bit values.
 * Undefined for narrower types. Index -1 leaves zeros (the value is NULL).
 */
function takeFixedWidthWords(col: Column, indices: Int32Array, count: number): ArrayBufferView | undefined {
  const src = col.values as unknown as ArrayBufferView & { readonly BYTES_PER_ELEMENT: number; readonly constructor: new (b: ArrayBuffer) => ArrayBufferView };
  const bytesPerValue = src.BYTES_PER_ELEMENT * elementsPerValue(col);
  if (bytesPerValue % 4 !== 0 || src.byteOffset % 4 !== 0) return undefined;
  const wpv = bytesPerValue >> 2;
  const s32 = new Int32Array(src.buffer, src.byteOffset, src.byteLength >> 2);
  const o32 = new Int32Array(count * wpv);
  if (wpv === 1) {
    for (let j = 0; j < count; j++) {
      const i = indices[j]!;
      if (i >= 0) o32[j] = s32[i]!;
    }
  } else if (wpv === 2) {
    for (let j = 0; j < count; j++) {
      const i = indices[j]!;
      if (i >= 0) {
        o32[2 * j] = s32[2 * i]!;
        o32[2 * j + 1] = s32[2 * i + 1]!;
      }
    }
  } else if (wpv === 4) {
    for (let j = 0; j < count; j++) {
      const i = indices[j]!;
      if (i >= 0) {
        const s = 4 * i, o = 4 * j;
        o32[o] = s32[s]!;
        o32[o + 1] = s32[s + 1]!;
        o32[o + 2] = s32[s + 2]!;
        o32[o + 3] = s32[s + 3]!;
      }
    }
  } else {
    for (let j = 0; j < count; j++) {
      const i = indices[j]!;
      if (i >= 0) for (let k = 0; k < wpv; k++) o32[j * wpv + k] = s32[i * wpv + k]!;
    }
  }
  return new src.constructor(o32.buffer);
}

/** Validity of gathered rows: null when every gathered row is valid (and no index is -1). */
function gatherValidity(srcValid: Uint8Array | null, indices: Int32Array, count: number): Uint8Array | null {
  let anyNull = false;
  if (srcValid === null) {
    for (let j = 0; j < count; j++) if (indices[j]! < 0) { anyNull = true; break; }
  } else {
    for (let j = 0; j < count; j++) {
      const i = indices[j]!;
      if (i < 0 || ((srcValid[i >>> 3]! >>> (i & 7)) & 1) === 0) { anyNull = true; break; }
    }
  }
  if (!anyNull) return null;
  const valid = newBitmap(count);
  for (let j = 0; j < count; j++) {
    const i = indices[j]!;
    if (i >= 0 && (srcValid === null || getBit(srcValid, i))) setBit(valid, j);
  }
  return valid;
}

function gather(col: Column, indices: Int32Array, count: number): Column {
  const valid = gatherValidity(validity(col), indices, count);
  const nullCount = valid === null ? 0 : count - countSetBits(valid, count);
  if (col.typeId === Type.Decimal) {
    const taken = gatherDecimal(col, indices, count, valid);
    if (taken !== undefined) return taken;
  }
  switch (col.typeId) {
    case Type.Null:
      return makeData({ type: col.type, length: count, nullCount: count } as never) as Column;
    case Type.Bool: {
      const src = col.values as Uint8Array;
      const out = newBitmap(count);
      for (let j = 0; j < count; j++) {
        const i = indices[j]!;
        if (i >= 0 && getBit(src, i)) setBit(out, j);
      }
      return makeData({ type: col.type, length: count, nullCount, nullBitmap: valid, data: out } as never) as Column;
    }
    case Type.Utf8: {
      const so = col.valueOffsets as Int32Array;
      const sb = col.values as Uint8Array;
      const offsets = new Int32Array(count + 1);
      let total = 0;
      for (let j = 0; j < count; j++) {
        const i = indices[j]!;
        if (i >= 0) total += so[i + 1]! - so[i]!;
        offsets[j + 1] = total;
      }
      const bytes = new Uint8Array(total);
      for (let j = 0; j < count; j++) {
        const i = indices[j]!;
        if (i < 0) continue;
        const from = so[i]!, to = so[i + 1]!;
        // Short strings (flags, codes, names) copy faster byte by byte than through a subarray view.
        if (to - from <= 32) for (let k = from, o = offsets[j]!; k < to; k++, o++) bytes[o] = sb[k]!;
        else bytes.set(sb.subarray(from, to), offsets[j]!);
      }
      return makeStringColumn(count, offsets, bytes, valid);
    }
    case Type.List:
    case Type.Map:
    case Type.Struct:
      return takeNested(col, sqlTypeOfArrow(col.type), indices, count, valid);
    case Type.Dictionary: {
      const src = col.values as Int32Array;
      const out = new Int32Array(count);
      for (let j = 0; j < count; j++) {
        const i = indices[j]!;
        out[j] = i >= 0 ? src[i]! : 0;
      }
      return makeData({ type: col.type, length: count, nullCount, nullBitmap: valid, data: out, dictionary: (col as Data<Dictionary>).dictionary } as never) as Column;
    }
    default: {
      const fixed = takeFixedWidthWords(col, indices, count);
      if (fixed !== undefined) return makeData({ type: col.type, length: count, nullCount, nullBitmap: valid, data: fixed } as never) as Column;
      const src = col.values as unknown as { length: number; constructor: new (n: number) => ArrayLike<number | bigint> & { [k: number]: number | bigint } } & ArrayLike<number | bigint>;
      const w = elementsPerValue(col);
      const out = new src.constructor(count * w);
      if (w === 1) {
        for (let j = 0; j < count; j++) {
          const i = indices[j]!;
          if (i >= 0) out[j] = src[i]!;
        }
      } else {
        for (let j = 0; j < count; j++) {
          const i = indices[j]!;
          if (i >= 0) for (let k = 0; k < w; k++) out[j * w + k] = src[i * w + k]!;
        }
      }
      return makeData({ type: col.type, length: count, nullCount, nullBitmap: valid, data: out } as never) as Column;
    }
  }
}
