/**
 * Type inference over sampled rows, a simplified DuckDB sniffer. Per column, the narrowest type every non-NULL
 * sampled value reads as, in this order:
 *   boolean    true / false in any case
 *   bigint     [-]digits fitting int64, no leading zero (DuckDB keeps `007` as text)
 *   double     [-]digits[.digits][e[±]digits] or .digits, no leading zero before other digits
 *   date       YYYY-MM-DD, a real calendar date
 *   timestamp  YYYY-MM-DD[ T]HH:MM:SS[.f up to 9 digits], or a date (so mixed dates and timestamps widen);
 *              inferred as timestamp(6)
 *   varchar    anything else; also a column with no non-NULL value.
 * Numbers may have spaces around them. Quoted values are judged by their content.
 */
import { BIGINT, BOOLEAN, DATE, DOUBLE, VARCHAR, timestampType, type SqlType } from '../../types/index.js';
import { ESCAPED, isNullField, type FieldBlock } from './field-block.js';
import { isoDateAt, isoTimestampAt } from './decoders/temporal-bytes.js';

const IS_BOOLEAN = 1;
const IS_BIGINT = 2;
const IS_DOUBLE = 4;
const IS_DATE = 8;
const IS_TIMESTAMP = 16;
const ALL = 31;

const INT64_MAX_DIGITS = '9223372036854775807';
const INT64_MIN_DIGITS = '9223372036854775808';

function isSpace(c: number | undefined): boolean {
  return c === 32 || c === 9;
}

function isBooleanText(buf: Uint8Array, s: number, e: number): boolean {
  const len = e - s;
  if (len === 4) return (buf[s]! | 32) === 116 && (buf[s + 1]! | 32) === 114 && (buf[s + 2]! | 32) === 117 && (buf[s + 3]! | 32) === 101;
  if (len === 5) {
    return (buf[s]! | 32) === 102 && (buf[s + 1]! | 32) === 97 && (buf[s + 2]! | 32) === 108 && (buf[s + 3]! | 32) === 115
      && (buf[s + 4]! | 32) === 101;
  }
  return false;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 48 && c <= 57;
}

/** Whether the digits buf[s, e) (no sign) are at most the 19-digit bound `limit`. */
function digitsAtMost(buf: Uint8Array, s: number, e: number, limit: string): boolean {
  if (e - s !== limit.length) return e - s < limit.length;
  for (let k = 0; k < limit.length; k++) {
    const d = buf[s + k]!, l = limit.charCodeAt(k);
    if (d !== l) return d < l;
  }
  return true;
}

function isBigintText(buf: Uint8Array, s: number, e: number): boolean {
  while (s < e && isSpace(buf[s])) s++;
  while (e > s && isSpace(buf[e - 1])) e--;
  const neg = buf[s] === 45;
  if (neg) s++;
  if (s >= e || (buf[s] === 48 && e - s > 1)) return false;
  for (let i = s; i < e; i++) if (!isDigit(buf[i])) return false;
  return digitsAtMost(buf, s, e, neg ? INT64_MIN_DIGITS : INT64_MAX_DIGITS);
}

function isDoubleText(buf: Uint8Array, s: number, e: number): boolean {
  while (s < e && isSpace(buf[s])) s++;
  while (e > s && isSpace(buf[e - 1])) e--;
  let i = s;
  if (buf[i] === 45) i++;
  const intStart = i;
  while (i < e && isDigit(buf[i])) i++;
  if (i - intStart > 1 && buf[intStart] === 48) return false;
  let digits = i - intStart;
  if (i < e && buf[i] === 46) {
    i++;
    const fracStart = i;
    while (i < e && isDigit(buf[i])) i++;
    digits += i - fracStart;
  }
  if (digits === 0) return false;
  if (i < e && (buf[i] === 101 || buf[i] === 69)) {
    i++;
    if (buf[i] === 43 || buf[i] === 45) i++;
    const expStart = i;
    while (i < e && isDigit(buf[i])) i++;
    if (i === expStart) return false;
  }
  return i === e;
}

/** Accumulates, per column, the types every value seen so far reads as. */
export class TypeInferrer {
  private readonly masks: Uint8Array;
  private readonly seen: Uint8Array;

  constructor(private readonly ncols: number, private readonly nullBytes: Uint8Array) {
    this.masks = new Uint8Array(ncols).fill(ALL);
    this.seen = new Uint8Array(ncols);
  }

  add(block: FieldBlock): void {
    const { buf, starts, ends, flags, rows } = block;
    const ncols = this.ncols;
    for (let c = 0; c < ncols; c++) {
      let mask = this.masks[c]!;
      let seen = this.seen[c]!;
      for (let r = 0; r < rows && mask !== 0; r++) {
        const idx = r * ncols + c;
        const s = starts[idx]!, e = ends[idx]!, f = flags[idx]!;
        if (isNullField(buf, s, e, f, this.nullBytes)) continue;
        seen = 1;
        if ((f & ESCAPED) !== 0) {
          mask = 0;
          break;
        }
        if ((mask & IS_BOOLEAN) !== 0 && !isBooleanText(buf, s, e)) mask &= ~IS_BOOLEAN;
        if ((mask & IS_BIGINT) !== 0 && !isBigintText(buf, s, e)) mask &= ~IS_BIGINT;
        if ((mask & IS_DOUBLE) !== 0 && !isDoubleText(buf, s, e)) mask &= ~IS_DOUBLE;
        if ((mask & (IS_DATE | IS_TIMESTAMP)) !== 0) {
          const isDate = e - s === 10 && !Number.isNaN(isoDateAt(buf, s));
          if (!isDate) mask &= ~IS_DATE;
          if ((mask & IS_TIMESTAMP) !== 0 && !isDate && Number.isNaN(isoTimestampAt(buf, s, e))) mask &= ~IS_TIMESTAMP;
        }
      }
      this.masks[c] = mask;
      this.seen[c] = seen;
    }
  }

  /** The inferred type of each column. */
  types(): SqlType[] {
    const out: SqlType[] = [];
    for (let c = 0; c < this.ncols; c++) {
      const m = this.masks[c]!;
      if (this.seen[c] === 0 || m === 0) out.push(VARCHAR);
      else if ((m & IS_BOOLEAN) !== 0) out.push(BOOLEAN);
      else if ((m & IS_BIGINT) !== 0) out.push(BIGINT);
      else if ((m & IS_DOUBLE) !== 0) out.push(DOUBLE);
      else if ((m & IS_DATE) !== 0) out.push(DATE);
      else out.push(timestampType(6));
    }
    return out;
  }
}
