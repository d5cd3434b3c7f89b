/**
 * decimal(p, s) into Decimal128 words, exactly. `[-]digits[.digits]` with at most s fraction digits and an
 * unscaled value of at most 15 digits is computed in doubles (exact integers) and written without BigInt. The
 * slow path takes `+`, spaces, exponents, extra fraction digits (rounded half away from zero, as Trino and
 * DuckDB do) and long values, through BigInt. A value needing more than p digits fails.
 */
import { divRoundHalfUp, makeColumn, pow10, setDecimal, typeName, type Column, type SqlType } from '../../../types/index.js';
import { isNullField, type FieldBlock } from '../field-block.js';
import {
  POW10, ValidityBuilder, fieldAscii, fieldError, growArray, grownCapacity, initialCapacity, type ColumnDecoder, type DecodeContext,
} from './decoder.js';

const TWO_32 = 4294967296;
const DECIMAL_TEXT = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/;

/** The unscaled value of `text` at `scale`, rounded half away from zero; undefined when not a number. */
export function parseDecimalText(text: string, scale: number): bigint | undefined {
  const m = DECIMAL_TEXT.exec(text);
  if (m === null) return undefined;
  const int = m[2] ?? '', frac = m[3] ?? '';
  if (int === '' && frac === '') return undefined;
  const digits = (int + frac).replace(/^0+/, '');
  if (digits === '') return 0n;
  const exp = m[4] === undefined ? 0 : Number(m[4]);
  const shift = scale + exp - frac.length;
  let v: bigint;
  if (shift >= 0) v = BigInt(digits) * pow10(Math.min(shift, 100)); // beyond 10^100 it is out of range anyway
  else if (-shift > digits.length + 1) v = 0n;
  else v = divRoundHalfUp(BigInt(digits), pow10(-shift));
  return m[1] === '-' ? -v : v;
}

export class DecimalDecoder implements ColumnDecoder {
  private n = 0;
  private cap: number;
  private words: Uint32Array | null = null;
  private readonly validity = new ValidityBuilder();
  private readonly scale: number;
  /** 10^precision as a double when it bounds the fast path (precision <= 15), else Infinity. */
  private readonly fastLimit: number;
  private readonly limit: bigint;

  constructor(private readonly type: SqlType & { kind: 'decimal' }, private readonly ctx: DecodeContext) {
    this.cap = initialCapacity(ctx);
    this.scale = type.scale;
    this.fastLimit = type.precision <= 15 ? POW10[type.precision]! : Infinity;
    this.limit = pow10(type.precision);
  }

  private ensure(rows: number): Uint32Array {
    if (this.words === null) {
      this.cap = grownCapacity(this.cap, rows);
      this.words = new Uint32Array(4 * this.cap);
    } else if (rows > this.cap) {
      this.cap = grownCapacity(this.cap, rows);
      this.words = growArray(this.words, 4 * this.cap, 4 * this.n);
      this.validity.grow(this.cap);
    }
    return this.words;
  }

  append(block: FieldBlock, col: number): void {
    const rows = block.rows;
    const words = this.ensure(this.n + rows);
    const { buf, starts, ends, flags, ncols } = block;
    const nullBytes = this.ctx.nullBytes;
    const nullLen = nullBytes.length;
    const scale = this.scale, fastLimit = this.fastLimit;
    let n = this.n;
    for (let r = 0; r < rows; r++, n++) {
      const idx = r * ncols + col;
      const s = starts[idx]!, e = ends[idx]!, f = flags[idx]!;
      if ((f !== 0 || e - s === nullLen) && isNullField(buf, s, e, f, nullBytes)) {
        this.validity.setNull(n, this.cap);
        continue;
      }
      let p = s;
      const neg = buf[p] === 45;
      if (neg) p++;
      let m = 0, digits = 0, frac = 0;
      for (; p < e; p++) {
        const d = buf[p]! - 48;
        if (d < 0 || d > 9) break;
        m = m * 10 + d;
        digits++;
      }
      if (p < e && buf[p] === 46) {
        for (p++; p < e; p++) {
          const d = buf[p]! - 48;
          if (d < 0 || d > 9) break;
          m = m * 10 + d;
          frac++;
        }
        digits += frac;
      }
      if (p !== e || digits === 0 || frac > scale || digits + scale - frac > 15) {
        this.slow(block, r, col, n);
        continue;
      }
      const u = frac === scale ? m : m * POW10[scale - frac]!;
      if (u >= fastLimit) throw fieldError(this.ctx, block, r, col, typeName(this.type), 'too many digits');
      const v = neg ? -u : u;
      const o = 4 * n;
      const hi = Math.floor(v / TWO_32);
      const ext = hi < 0 ? 0xffffffff : 0;
      words[o] = v - hi * TWO_32;
      words[o + 1] = hi;
      words[o + 2] = ext;
      words[o + 3] = ext;
    }
    this.n = n;
  }

  private slow(block: FieldBlock, r: number, col: number, n: number): void {
    const v = parseDecimalText(fieldAscii(block, r, col), this.scale);
    if (v === undefined) throw fieldError(this.ctx, block, r, col, typeName(this.type));
    if (v >= this.limit || -v >= this.limit) throw fieldError(this.ctx, block, r, col, typeName(this.type), 'too many digits');
    setDecimal(this.words!, n, v);
  }

  finish(): Column {
    const n = this.n;
    const words = this.ensure(n);
    const col = makeColumn(this.type, n, words.subarray(0, 4 * n), this.validity.finish(n));
    this.n = 0;
    this.words = null;
    return col;
  }
}
