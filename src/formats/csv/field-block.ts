/**
 * The tokenizer's output for a block of complete rows: for field c of row r (index r * ncols + c) the byte
 * range [starts, ends) of its content in `buf` (inside the quotes for a quoted field) and its flags. Holds no
 * per-row objects. A block is valid until the scanner that filled it is asked for the next block.
 */
import { ShoalError } from '../../common/index.js';

/** The field was quoted: never NULL, content is between the quotes. */
export const QUOTED = 1;
/** The quoted content holds doubled quotes that must be collapsed to read it. */
export const ESCAPED = 2;
/** The row ended before this field (null_padding): NULL. */
export const MISSING = 4;

/** Fields per block at most, so a block's arrays stay within a few MB whatever the column count. */
const MAX_BLOCK_FIELDS = 1 << 20;
const EMPTY = new Uint8Array(0);

export class FieldBlock {
  buf: Uint8Array = EMPTY;
  rows = 0;
  /** In counting mode (the first row), how many fields the row had, even past `ncols`. */
  fieldCount = 0;
  starts: Int32Array;
  ends: Int32Array;
  flags: Uint8Array;
  /** 1-based line on which each row starts. */
  lines: Float64Array;
  capacity: number;

  /** `ncols` fields per row; `quote` is the quote byte (-1 for none), needed to read ESCAPED fields. */
  constructor(readonly ncols: number, readonly quote: number, initialRows = 1024) {
    if (ncols < 1) throw new ShoalError('TABLE_HAS_NO_COLUMNS', 'A CSV file must be read with at least one column');
    this.capacity = Math.max(1, Math.min(initialRows, this.maxRows));
    this.starts = new Int32Array(this.capacity * ncols);
    this.ends = new Int32Array(this.capacity * ncols);
    this.flags = new Uint8Array(this.capacity * ncols);
    this.lines = new Float64Array(this.capacity);
  }

  get maxRows(): number {
    return Math.max(1, Math.floor(MAX_BLOCK_FIELDS / this.ncols));
  }

  /** Grows to hold `rows` rows (bounded by maxRows); contents are discarded. */
  reserve(rows: number): void {
    const want = Math.min(rows, this.maxRows);
    if (want <= this.capacity) return;
    this.capacity = Math.max(want, Math.min(this.capacity * 2, this.maxRows));
    const n = this.capacity * this.ncols;
    this.starts = new Int32Array(n);
    this.ends = new Int32Array(n);
    this.flags = new Uint8Array(n);
    this.lines = new Float64Array(this.capacity);
    this.rows = 0;
  }

  /** The content bytes of field `c` of row `r` with doubled quotes collapsed (a copy only when ESCAPED). */
  fieldBytes(r: number, c: number): Uint8Array {
    const i = r * this.ncols + c;
    const s = this.starts[i]!, e = this.ends[i]!;
    if ((this.flags[i]! & ESCAPED) === 0) return this.buf.subarray(s, e);
    const out = new Uint8Array(e - s);
    const n = unescapeInto(this.buf, s, e, this.quote, out, 0);
    return out.subarray(0, n);
  }

  /** The text of field `c` of row `r` (invalid UTF-8 replaced): for headers and error messages, never hot loops. */
  fieldText(r: number, c: number): string {
    return TEXT.decode(this.fieldBytes(r, c));
  }
}

const TEXT = new TextDecoder();

/**
 * Copies buf[s, e) into out at `at`, collapsing each doubled quote to one; returns the bytes written
 * (out needs e - s bytes of room).
 */
export function unescapeInto(buf: Uint8Array, s: number, e: number, quote: number, out: Uint8Array, at: number): number {
  let w = at;
  for (let i = s; i < e; i++) {
    const c = buf[i]!;
    out[w++] = c;
    if (c === quote) i++;
  }
  return w - at;
}

/** Whether the field with content buf[s, e) and `flags` is NULL: missing, or unquoted and equal to nullBytes. */
export function isNullField(buf: Uint8Array, s: number, e: number, flags: number, nullBytes: Uint8Array): boolean {
  if (flags !== 0) return (flags & MISSING) !== 0;
  const n = nullBytes.length;
  if (e - s !== n) return false;
  for (let k = 0; k < n; k++) if (buf[s + k] !== nullBytes[k]) return false;
  return true;
}
