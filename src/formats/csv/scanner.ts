/**
 * Rows of one CSV file, a block at a time, with bounded memory: a byte buffer holding the unconsumed tail of
 * the data (the row in progress) plus the next piece, refilled from a ByteSource. Skips a UTF-8 BOM and the
 * `skip` lines, reads the first row (header or column count), then hands out FieldBlocks of complete rows.
 *
 * Memory: about two pieces, or twice the longest row when a row is longer than a piece. Each refill appends at
 * least as many bytes as are already held, so a row longer than a piece is rescanned only O(log) times and a
 * 100 MB field costs O(its size) time and memory.
 */
import type { CsvConfig } from './csv-config.js';
import type { ByteSource } from './byte-source.js';
import { FieldBlock } from './field-block.js';
import { TokenizeStatus, tokenize, type TokenizerParams, type TokenizerState } from './tokenizer.js';

const LF = 10;
const CR = 13;

export class CsvScanner {
  private buf = new Uint8Array(0);
  private end = 0;
  private eof = false;
  private started = false;
  private readonly state: TokenizerState = { pos: 0, line: 1, pendingBlank: 0, pendingBlankLine: 0 };
  /** The state just before the tokenizer call that produced the current block (to read a row again). */
  private blockStart: TokenizerState = { ...this.state };

  constructor(private readonly cfg: CsvConfig, private readonly source: ByteSource, private readonly chunkSize: number) {}

  /** Tokenizer parameters for rows of the file. */
  params(countFields: boolean): TokenizerParams {
    return { location: this.cfg.location, delimiter: this.cfg.delimiter, quote: this.cfg.quote, nullPadding: this.cfg.nullPadding, countFields };
  }

  /**
   * Moves the unconsumed bytes to the front of the buffer and appends at least max(chunkSize, unconsumed)
   * bytes, or up to the end of the data. Invalidates every block handed out so far.
   */
  private async fill(): Promise<void> {
    const keep = this.end - this.state.pos;
    const want = Math.max(this.chunkSize, keep, this.started ? 1 : 3); // the first fill must see a whole BOM
    // A new buffer when the old is too small, or far too large after an exceptionally long row has passed.
    if (keep + want > this.buf.length || this.buf.length > 4 * (keep + want)) {
      const next = new Uint8Array(keep + want);
      next.set(this.buf.subarray(this.state.pos, this.end));
      this.buf = next;
    } else if (this.state.pos > 0) {
      this.buf.copyWithin(0, this.state.pos, this.end);
    }
    this.end = keep;
    this.state.pos = 0;
    let got = 0;
    while (got < want) {
      const piece = await this.source.next(want - got);
      if (piece === null) {
        this.eof = true;
        break;
      }
      if (this.end + piece.length > this.buf.length) {
        const next = new Uint8Array(Math.max(this.end + piece.length, this.buf.length * 2));
        next.set(this.buf.subarray(0, this.end));
        this.buf = next;
      }
      this.buf.set(piece, this.end);
      this.end += piece.length;
      got += piece.length;
    }
    if (!this.started) {
      this.started = true;
      if (this.end >= 3 && this.buf[0] === 0xef && this.buf[1] === 0xbb && this.buf[2] === 0xbf) this.state.pos = 3;
    }
  }

  /** Skips `n` physical lines (line breaks inside quotes count: this is DuckDB's `skip`). */
  async skipLines(n: number): Promise<void> {
    if (!this.started) await this.fill();
    let left = n;
    while (left > 0) {
      const buf = this.buf;
      let i = this.state.pos;
      while (left > 0 && i < this.end) {
        const c = buf[i]!;
        if (c !== LF && c !== CR) {
          i++;
          continue;
        }
        if (c === CR && i + 1 >= this.end && !this.eof) break; // may be the first half of CRLF
        i += c === CR && i + 1 < this.end && buf[i + 1] === LF ? 2 : 1;
        left--;
        this.state.line++;
      }
      // Bytes of a skipped line are not needed again, so they are consumed even mid-line.
      this.state.pos = i;
      if (left === 0 || this.eof) return;
      await this.fill();
    }
  }

  /**
   * The next block of at most `maxRows` complete rows in `block`, or null at the end of the file. Valid until
   * the next call. Grows the block when it is the limit.
   */
  async nextBlock(block: FieldBlock, params: TokenizerParams, maxRows: number): Promise<FieldBlock | null> {
    if (!this.started) await this.fill();
    if (block.rows >= block.capacity && block.capacity < maxRows) block.reserve(block.capacity * 2);
    for (;;) {
      block.buf = this.buf;
      this.blockStart = { ...this.state };
      const status = tokenize(block, params, this.state, this.end, this.eof, maxRows);
      if (block.rows > 0) return block;
      if (status === TokenizeStatus.Done) return null;
      if (status === TokenizeStatus.Full) return null; // maxRows <= 0
      await this.fill();
    }
  }

  /**
   * The fields of the first row as text (null for an empty file). `consume` false leaves the row to be read
   * again as data (no header).
   */
  async firstRow(consume: boolean): Promise<string[] | null> {
    let block = new FieldBlock(64, this.cfg.quote, 1);
    let got = await this.nextBlock(block, this.params(true), 1);
    if (got !== null && block.fieldCount > block.ncols) {
      // The row is in the buffer now; read it again with room for every field (no refill happens).
      Object.assign(this.state, this.blockStart);
      block = new FieldBlock(block.fieldCount, this.cfg.quote, 1);
      got = await this.nextBlock(block, this.params(true), 1);
    }
    if (got === null) return null;
    const names: string[] = [];
    for (let c = 0; c < block.fieldCount; c++) names.push(block.fieldText(0, c));
    if (!consume) Object.assign(this.state, this.blockStart);
    return names;
  }
}
