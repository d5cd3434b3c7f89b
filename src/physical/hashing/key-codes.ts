import { internalError } from '../../common/index.js';
import {
  dictionaryOf, getBit, int32View, isDictionary, makeColumn, makeStringColumn, newBitmap, setBit, validity,
  type Column, type SqlType,
} from '../../types/index.js';

/** |hi word| < 2^21: the 64-bit integer is an exact double. */
const SAFE_HI = 0x200000;
/** Strings of at most this many UTF-8 bytes have a code: 256^len + their bytes (little-endian) stays below 2^49. */
const MAX_CODE_BYTES = 6;

/**
 * Key codes: one exact integer double per row that identifies a key value, for grouping without a key encoder.
 * Integer-like keys are their value; booleans 0 / 1; strings of ≤ 6 UTF-8 bytes 256^len + Σ byte_j · 256^j (so
 * codes of different lengths differ, and short strings give small codes). NULL is NaN, a value without a code
 * (a longer string, a 64-bit value past 2^53) +Infinity.
 */
export function keyCodeable(type: SqlType): boolean {
  switch (type.kind) {
    case 'boolean':
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'date':
    case 'interval_year_month':
    case 'bigint':
    case 'timestamp':
    case 'interval_day_time':
    case 'varchar':
      return true;
    default:
      return false;
  }
}

/** The codes of `n` rows of `col` (see keyCodeable; the type must be codeable), into `out` when given (≥ n long). */
export function keyCodes(col: Column, type: SqlType, n: number, out: Float64Array = new Float64Array(n)): Float64Array {
  switch (type.kind) {
    case 'boolean': {
      const bits = col.values as Uint8Array;
      for (let i = 0; i < n; i++) out[i] = (bits[i >>> 3]! >>> (i & 7)) & 1;
      break;
    }
    case 'bigint':
    case 'timestamp':
    case 'interval_day_time': {
      const w = int32View(col.values as BigInt64Array);
      for (let i = 0; i < n; i++) {
        const hi = w[2 * i + 1]!;
        out[i] = hi < SAFE_HI && hi >= -SAFE_HI ? hi * 4294967296 + (w[2 * i]! >>> 0) : Number.POSITIVE_INFINITY;
      }
      break;
    }
    case 'varchar':
      if (isDictionary(col)) {
        const dict = dictionaryOf(col);
        const entries = stringCodes(dict, dict.length, new Float64Array(dict.length));
        const idx = col.values as Int32Array;
        const valid = validity(col);
        // NULL rows may hold any index (even past the dictionary): they are set to NaN below.
        for (let i = 0; i < n; i++) out[i] = valid !== null && !getBit(valid, i) ? 0 : entries[idx[i]!]!;
      } else stringCodes(col, n, out);
      break;
    default: {
      const v = col.values as Int32Array | Int16Array | Int8Array;
      for (let i = 0; i < n; i++) out[i] = v[i]!;
    }
  }
  const valid = validity(col);
  if (valid !== null) for (let i = 0; i < n; i++) if (!getBit(valid, i)) out[i] = Number.NaN;
  return out;
}

/** Codes of the first n strings of a plain Utf8 column into `out` (NULL slots get whatever their bytes give). */
function stringCodes(col: Column, n: number, out: Float64Array): Float64Array {
  const off = col.valueOffsets as Int32Array;
  const bytes = col.values as Uint8Array;
  for (let i = 0; i < n; i++) {
    const start = off[i]!;
    let j = off[i + 1]!;
    if (j - start > MAX_CODE_BYTES) {
      out[i] = Number.POSITIVE_INFINITY;
      continue;
    }
    let c = 1;
    while (j > start) c = c * 256 + bytes[--j]!;
    out[i] = c;
  }
  return out;
}

/** The column of `n` codes (NaN: NULL) of a codeable type: the inverse of keyCodes. */
export function columnOfKeyCodes(type: SqlType, codes: Float64Array, n: number): Column {
  let valid: Uint8Array | null = null;
  for (let g = 0; g < n; g++) {
    if (codes[g] !== codes[g]) {
      valid ??= newBitmap(n, true);
      valid[g >>> 3]! &= ~(1 << (g & 7));
    }
  }
  const code = (g: number): number => (valid !== null && !getBit(valid, g) ? 0 : codes[g]!);
  switch (type.kind) {
    case 'boolean': {
      const bits = newBitmap(n);
      for (let g = 0; g < n; g++) if (code(g) === 1) setBit(bits, g);
      return makeColumn(type, n, bits, valid);
    }
    case 'bigint':
    case 'timestamp':
    case 'interval_day_time': {
      const out = new BigInt64Array(n);
      for (let g = 0; g < n; g++) out[g] = BigInt(code(g));
      return makeColumn(type, n, out, valid);
    }
    case 'varchar': {
      const offsets = new Int32Array(n + 1);
      let total = 0;
      for (let g = 0; g < n; g++) {
        const c = code(g);
        if (c > 0) total += byteLength(c);
        offsets[g + 1] = total;
      }
      const bytes = new Uint8Array(total);
      for (let g = 0; g < n; g++) {
        let c = code(g);
        for (let j = offsets[g]!; j < offsets[g + 1]!; j++) {
          bytes[j] = c % 256;
          c = Math.floor(c / 256);
        }
      }
      return makeStringColumn(n, offsets, bytes, valid);
    }
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'date':
    case 'interval_year_month': {
      const Ctor = type.kind === 'tinyint' ? Int8Array : type.kind === 'smallint' ? Int16Array : Int32Array;
      const out = new Ctor(n);
      for (let g = 0; g < n; g++) out[g] = code(g);
      return makeColumn(type, n, out, valid);
    }
    default:
      throw internalError(`no key codes for ${type.kind}`);
  }
}

/** Bytes of the string with code c (≥ 1): the position of its leading 256^len marker. */
function byteLength(c: number): number {
  let len = 0;
  while (c >= 256) {
    c = Math.floor(c / 256);
    len++;
  }
  return len;
}
