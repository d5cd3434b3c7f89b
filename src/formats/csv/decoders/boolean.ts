/**
 * boolean into a bit-packed Bool column. `true`/`false` in any case decode from bytes; the slow path also takes
 * t/f, 1/0, yes/no, y/n (any case, spaces around), the spellings Trino and DuckDB cast from text.
 */
import { BOOLEAN, makeColumn, newBitmap, type Column } from '../../../types/index.js';
import { isNullField, type FieldBlock } from '../field-block.js';
import { ValidityBuilder, fieldAscii, fieldError, grownCapacity, initialCapacity, type ColumnDecoder, type DecodeContext } from './decoder.js';

const WORDS: ReadonlyMap<string, boolean> = new Map([
  ['true', true], ['t', true], ['1', true], ['yes', true], ['y', true],
  ['false', false], ['f', false], ['0', false], ['no', false], ['n', false],
]);

export class BooleanDecoder implements ColumnDecoder {
  private n = 0;
  private cap: number;
  private bits: Uint8Array | null = null;
  private readonly validity = new ValidityBuilder();

  constructor(private readonly ctx: DecodeContext) {
    this.cap = initialCapacity(ctx);
  }

  private ensure(rows: number): Uint8Array {
    if (this.bits === null) {
      this.cap = grownCapacity(this.cap, rows);
      this.bits = newBitmap(this.cap);
    } else if (rows > this.cap) {
      this.cap = grownCapacity(this.cap, rows);
      const next = newBitmap(this.cap);
      next.set(this.bits);
      this.bits = next;
      this.validity.grow(this.cap);
    }
    return this.bits;
  }

  append(block: FieldBlock, col: number): void {
    const rows = block.rows;
    const bits = this.ensure(this.n + rows);
    const { buf, starts, ends, flags, ncols } = block;
    const nullBytes = this.ctx.nullBytes;
    const nullLen = nullBytes.length;
    let n = this.n;
    for (let r = 0; r < rows; r++, n++) {
      const idx = r * ncols + col;
      const s = starts[idx]!, e = ends[idx]!, f = flags[idx]!;
      if ((f !== 0 || e - s === nullLen) && isNullField(buf, s, e, f, nullBytes)) {
        this.validity.setNull(n, this.cap);
        continue;
      }
      let v: boolean;
      const len = e - s;
      if (len === 4 && (buf[s]! | 32) === 116 && (buf[s + 1]! | 32) === 114 && (buf[s + 2]! | 32) === 117 && (buf[s + 3]! | 32) === 101) {
        v = true;
      } else if (len === 5 && (buf[s]! | 32) === 102 && (buf[s + 1]! | 32) === 97 && (buf[s + 2]! | 32) === 108
        && (buf[s + 3]! | 32) === 115 && (buf[s + 4]! | 32) === 101) {
        v = false;
      } else {
        const w = WORDS.get(fieldAscii(block, r, col).trim().toLowerCase());
        if (w === undefined) throw fieldError(this.ctx, block, r, col, 'boolean');
        v = w;
      }
      if (v) bits[n >>> 3]! |= 1 << (n & 7);
    }
    this.n = n;
  }

  finish(): Column {
    const n = this.n;
    const bits = this.ensure(n);
    const values = bits.slice(0, (n + 7) >>> 3);
    const col = makeColumn(BOOLEAN, n, values, this.validity.finish(n));
    this.n = 0;
    this.bits = null;
    return col;
  }
}
