/**
 * The RFC 4180 tokenizer: one pass over the bytes, recording where each field of each complete row lies.
 *
 * - Rows end at LF, CRLF or a lone CR; the last row may end at the end of the file.
 * - A field that starts with the quote byte is quoted: it runs to the next quote not doubled and may hold
 *   delimiters, line breaks and doubled quotes; the byte after the closing quote must be a delimiter, a line
 *   break or the end of the file. A quote inside an unquoted field is an ordinary byte.
 * - Blank lines are skipped. With a single column a blank line between rows is a row of one empty field (as
 *   DuckDB reads it); blank lines at the end of the file are ignored in every case.
 * - A row with other than `ncols` fields fails with the line it starts on, unless null_padding fills missing
 *   trailing fields; in counting mode (the first row, when the column count is not known yet) any count passes.
 *
 * The tokenizer never consumes part of a row: when the data ends inside a row and more is to come, it stops
 * at the start of that row, and the caller appends data and calls again from there (rescanning only that row).
 */
import { ESCAPED, MISSING, QUOTED, type FieldBlock } from './field-block.js';
import { textAfterQuote, unterminatedQuote, wrongFieldCount } from './csv-errors.js';

const LF = 10;
const CR = 13;

export interface TokenizerParams {
  readonly location: string;
  readonly delimiter: number;
  /** -1 when quoting is off. */
  readonly quote: number;
  readonly nullPadding: boolean;
  /** Counting mode: accept any number of fields and report it in block.fieldCount. */
  readonly countFields: boolean;
}

/** Where the tokenizer stands between calls; advanced only past complete rows and blank lines. */
export interface TokenizerState {
  /** Offset in the buffer of the first byte not yet consumed. */
  pos: number;
  /** 1-based line number at `pos`. */
  line: number;
  /** Single-column files: blank lines seen but not yet emitted (they become rows only if a row follows). */
  pendingBlank: number;
  /** Line of the first pending blank line. */
  pendingBlankLine: number;
}

export const TokenizeStatus = {
  /** The block holds as many rows as asked for (or as it can hold). */
  Full: 0,
  /** The data ran out inside a row (or at a possible CRLF); append data and call again. */
  NeedMore: 1,
  /** `final` was set and every byte is consumed. */
  Done: 2,
} as const;
export type TokenizeStatus = (typeof TokenizeStatus)[keyof typeof TokenizeStatus];

/**
 * Tokenizes rows of block.buf from state.pos up to `end` into `block` (which it resets), at most `maxRows`.
 * `final` says that no data follows `end`. Throws BAD_DATA for a wrong field count, an unterminated quote (at
 * the end of the file) or text after a closing quote.
 */
export function tokenize(block: FieldBlock, p: TokenizerParams, st: TokenizerState, end: number, final: boolean, maxRows: number): TokenizeStatus {
  const buf = block.buf;
  const d = p.delimiter;
  const q = p.quote;
  const ncols = block.ncols;
  const starts = block.starts, ends = block.ends, flags = block.flags, lines = block.lines;
  const blankIsRow = ncols === 1 && !p.countFields;
  const limit = Math.min(maxRows, block.capacity);
  let rows = 0;
  let i = st.pos;
  let line = st.line;
  block.rows = 0;

  for (;;) {
    if (rows >= limit) return TokenizeStatus.Full;
    if (i >= end) {
      if (!final) return TokenizeStatus.NeedMore;
      st.pendingBlank = 0;
      return TokenizeStatus.Done;
    }
    let c = buf[i]!;
    if (c === LF || c === CR) {
      if (c === CR) {
        if (i + 1 >= end && !final) return TokenizeStatus.NeedMore;
        i += i + 1 < end && buf[i + 1] === LF ? 2 : 1;
      } else {
        i++;
      }
      if (blankIsRow) {
        if (st.pendingBlank === 0) st.pendingBlankLine = line;
        st.pendingBlank++;
      }
      line++;
      st.pos = i;
      st.line = line;
      continue;
    }
    if (st.pendingBlank > 0) {
      // A row follows, so the pending blank lines were rows of one empty field.
      starts[rows] = i;
      ends[rows] = i;
      flags[rows] = 0;
      lines[rows] = st.pendingBlankLine++;
      st.pendingBlank--;
      block.rows = ++rows;
      continue;
    }

    const rowLine = line;
    const base = rows * ncols;
    let k = 0;
    for (;;) {
      let s: number, e: number, f = 0;
      if (i < end && buf[i] === q) {
        const quoteLine = line;
        s = i + 1;
        let j = s;
        let close = -1;
        while (j < end) {
          c = buf[j]!;
          if (c === q) {
            if (j + 1 < end) {
              if (buf[j + 1] === q) {
                f = ESCAPED;
                j += 2;
                continue;
              }
            } else if (!final) {
              return TokenizeStatus.NeedMore; // the next byte may double this quote
            }
            close = j;
            break;
          }
          if (c === LF || (c === CR && (j + 1 >= end || buf[j + 1] !== LF))) line++;
          j++;
        }
        if (close < 0) {
          if (!final) return TokenizeStatus.NeedMore;
          throw unterminatedQuote(p.location, quoteLine);
        }
        e = close;
        f |= QUOTED;
        i = close + 1;
        if (i < end) {
          c = buf[i]!;
          if (c !== d && c !== LF && c !== CR) throw textAfterQuote(p.location, line);
        } else if (!final) {
          return TokenizeStatus.NeedMore;
        }
      } else {
        s = i;
        while (i < end) {
          c = buf[i]!;
          if (c === d || c === LF || c === CR) break;
          i++;
        }
        if (i >= end && !final) return TokenizeStatus.NeedMore;
        e = i;
      }
      if (k < ncols) {
        starts[base + k] = s;
        ends[base + k] = e;
        flags[base + k] = f;
      }
      k++;
      if (i >= end) break; // final: the last row ends with the file
      c = buf[i]!;
      if (c === d) {
        i++;
        continue;
      }
      if (c === CR) {
        if (i + 1 < end) i += buf[i + 1] === LF ? 2 : 1;
        else if (!final) return TokenizeStatus.NeedMore;
        else i++;
      } else {
        i++;
      }
      line++;
      break;
    }

    if (p.countFields) {
      block.fieldCount = k;
      for (let m = k; m < ncols; m++) {
        starts[base + m] = i;
        ends[base + m] = i;
        flags[base + m] = MISSING;
      }
    } else if (k !== ncols) {
      if (k > ncols || !p.nullPadding) throw wrongFieldCount(p.location, rowLine, k, ncols, p.nullPadding);
      for (let m = k; m < ncols; m++) {
        starts[base + m] = i;
        ends[base + m] = i;
        flags[base + m] = MISSING;
      }
    }
    lines[rows] = rowLine;
    block.rows = ++rows;
    st.pos = i;
    st.line = line;
  }
}
