/**
 * String functions computed on a column's UTF-8 bytes, without decoding values to JS strings: substr and length.
 * Positions count code points. A row of ASCII bytes is its own code point index; other rows walk lead bytes.
 * A row that is not well-formed UTF-8 (a Binary column read as varchar keeps its bytes) takes the JS-string path
 * (`slowRow`), so results match it exactly: TextDecoder's U+FFFD replacements count as one code point each.
 */
import {
  BIGINT, arrayValue, scalarValue, decodeDictionary, dictionaryOf, isDictionary, makeColumn, makeDictionaryColumn, makeStringColumn,
  isValidUtf8, utf8Decoder, utf8Encoder, validity, type Column, type ColumnarValue, type Scalar,
} from '../types/index.js';
import type { ScalarKernel } from './function.js';

/** The code points of well-formed UTF-8 bytes[from, to): every byte that is not a continuation byte starts one. */
function codePointsIn(bytes: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let k = from; k < to; k++) n += +((bytes[k]! & 0xc0) !== 0x80);
  return n;
}

/** The byte position of code point `cp` (0-based; may equal the count) of well-formed UTF-8 starting at `from`. */
function byteOfCodePoint(bytes: Uint8Array, from: number, cp: number): number {
  let k = from;
  for (let seen = 0; seen < cp; seen++) {
    const b = bytes[k]!;
    k += b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
  }
  return k;
}

/**
 * Trino's substr on code point positions: `start` 1-based (negative counts from the end, 0 gives ''), `length`
 * code points (undefined: to the end; ≤ 0 gives ''). substrFrom gives the first code point taken of a value of
 * `count` (-1: the result is ''), substrTo the end (exclusive). The one definition of substr's arithmetic: the
 * JS-string path uses it too. Two functions rather than a pair, so that the per-row byte path allocates nothing.
 */
export function substrFrom(count: number, start: number, length: number | undefined): number {
  if (start === 0 || (length !== undefined && length <= 0)) return -1;
  const from = start > 0 ? start - 1 : count + start;
  return from < 0 || from >= count ? -1 : from;
}

export function substrTo(count: number, from: number, length: number | undefined): number {
  return from < 0 ? from : length === undefined ? count : Math.min(count, from + length);
}

/** Row-at-a-time fallback for a row that is not well-formed UTF-8: returns its result encoded. */
export type SubstrSlow = (s: string, start: number, length: number | undefined) => string;

/** substr over a plain Utf8 column with constant start/length; validity is shared with the input. */
function substrPlain(col: Column, start: number, length: number | undefined, slow: SubstrSlow): Column {
  const n = col.length;
  const bytes = col.values as Uint8Array;
  const offsets = col.valueOffsets as Int32Array;
  const base = offsets[0]!, last = offsets[n]!;
  let ascii = true;
  for (let k = base; k < last; k++) if (bytes[k]! >= 0x80) { ascii = false; break; }
  // Pass 1: each row's byte range [lo[i], hi[i]) in the input (or a re-encoded replacement for ill-formed rows).
  const lo = new Int32Array(n), hi = new Int32Array(n);
  let replaced: Map<number, Uint8Array> | null = null;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const s = offsets[i]!, e = offsets[i + 1]!;
    let a: number, b: number;
    if (ascii) {
      const f = substrFrom(e - s, start, length);
      if (f < 0) { a = b = s; } else { a = s + f; b = s + substrTo(e - s, f, length); }
    } else if (isValidUtf8(bytes, s, e)) {
      const count = codePointsIn(bytes, s, e);
      const f = substrFrom(count, start, length);
      if (f < 0) { a = b = s; } else {
        a = byteOfCodePoint(bytes, s, f);
        b = byteOfCodePoint(bytes, a, substrTo(count, f, length) - f);
      }
    } else {
      const enc = utf8Encoder.encode(slow(utf8Decoder.decode(bytes.subarray(s, e)), start, length));
      (replaced ??= new Map()).set(i, enc);
      a = 0; b = enc.length;
    }
    lo[i] = a; hi[i] = b;
    total += b - a;
  }
  // Pass 2: copy. Short ranges byte by byte (TypedArray.set costs more than a few bytes' copy).
  const out = new Uint8Array(total);
  const outOffsets = new Int32Array(n + 1);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const a = lo[i]!, len = hi[i]! - a;
    const src = replaced === null ? bytes : (replaced.get(i) ?? bytes);
    if (len <= 16) for (let k = 0; k < len; k++) out[at + k] = src[a + k]!;
    else out.set(src.subarray(a, a + len), at);
    at += len;
    outOffsets[i + 1] = at;
  }
  return makeStringColumn(n, outOffsets, out, validity(col));
}

function asNumber(v: Scalar): number {
  return Number(v as bigint);
}

/**
 * substr(s, start[, length]) kernel: byte-level when s is a column and start/length are constants; otherwise
 * (and for constant s) `fallback`, the row-by-row kernel. Dictionary columns map their entries when there are at
 * most as many entries as rows (rows keep their codes), else decode first.
 */
export function substrKernel(fallback: ScalarKernel, slow: SubstrSlow): ScalarKernel {
  const kernel: ScalarKernel = (args, rows, ctx) => {
    const s = args[0]!, a = args[1]!, l = args[2];
    if (s.kind !== 'array' || a.kind !== 'scalar' || (l !== undefined && l.kind !== 'scalar')) return fallback(args, rows, ctx);
    if (a.value === null || (l !== undefined && (l as { value: Scalar }).value === null)) return fallback(args, rows, ctx);
    const start = asNumber(a.value);
    const length = l === undefined ? undefined : asNumber((l as { value: Scalar }).value);
    return arrayValue(onPlainOrDictionary(s.column, (col) => substrPlain(col, start, length, slow)));
  };
  return kernel;
}

/** Applies a plain-column string → string map to a plain or dictionary column. */
function onPlainOrDictionary(col: Column, f: (plain: Column) => Column): Column {
  if (!isDictionary(col)) return f(col);
  const dict = dictionaryOf(col);
  if (dict.length > col.length) return f(decodeDictionary(col));
  return makeDictionaryColumn(col.length, col.values as Int32Array, f(dict), validity(col));
}

/** length(s) in code points as BIGINT, for a column; `fallback` for a constant. */
export function lengthKernel(fallback: ScalarKernel): ScalarKernel {
  return (args, rows, ctx) => {
    const s = args[0]!;
    if (s.kind !== 'array') return fallback(args, rows, ctx);
    return arrayValue(lengthColumn(s.column, (v) => fallback([scalarValue(v)], 1, ctx)));
  };
}

function lengthColumn(col: Column, slowOne: (v: string) => ColumnarValue): Column {
  const n = col.length;
  const out = new BigInt64Array(n);
  if (isDictionary(col)) {
    const dict = dictionaryOf(col);
    const per = lengthColumn(dict, slowOne).values as BigInt64Array;
    const codes = col.values as Int32Array;
    for (let i = 0; i < n; i++) out[i] = per[codes[i]!]!;
    return makeColumn(BIGINT, n, out, validity(col));
  }
  const bytes = col.values as Uint8Array;
  const offsets = col.valueOffsets as Int32Array;
  // Lengths go through an Int32 view of the BigInt64 output: low word, high word 0 (lengths are < 2^31).
  const words = new Int32Array(out.buffer, out.byteOffset, 2 * n);
  for (let i = 0; i < n; i++) {
    const s = offsets[i]!, e = offsets[i + 1]!;
    let ascii = true;
    for (let k = s; k < e; k++) if (bytes[k]! >= 0x80) { ascii = false; break; }
    if (ascii) words[2 * i] = e - s;
    else if (isValidUtf8(bytes, s, e)) words[2 * i] = codePointsIn(bytes, s, e);
    else {
      const v = slowOne(utf8Decoder.decode(bytes.subarray(s, e)));
      out[i] = v.kind === 'scalar' ? (v.value as bigint) : 0n;
    }
  }
  return makeColumn(BIGINT, n, out, validity(col));
}
