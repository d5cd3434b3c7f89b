/**
 * real and double. `[-]digits[.digits]` with at most 15 digits parses from bytes as mantissa / 10^k, which is
 * exact for both operands and so correctly rounded (Clinger's fast path). Everything else (exponents, `+`,
 * spaces, long mantissas, inf/infinity/nan in any case) is validated and parsed from a string. real stores the
 * double rounded to float32 (a double rounding that can differ from a direct parse in the last bit, rarely).
 */
import { makeColumn, typeName, type Column, type SqlType } from '../../../types/index.js';
import { isNullField, type FieldBlock } from '../field-block.js';
import {
  POW10, ValidityBuilder, fieldAscii, fieldError, growArray, grownCapacity, initialCapacity, type ColumnDecoder, type DecodeContext,
} from './decoder.js';

const NUMBER_TEXT = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const SPECIAL_TEXT = /^\s*([+-]?)(inf|infinity|nan)\s*$/i;

/** The double a numeric text means, or undefined when it is not a number (slow path). */
export function parseDoubleText(text: string): number | undefined {
  if (NUMBER_TEXT.test(text)) return Number(text.trim());
  const m = SPECIAL_TEXT.exec(text);
  if (m === null) return undefined;
  if (m[2]!.toLowerCase() === 'nan') return Number.NaN;
  return m[1] === '-' ? -Infinity : Infinity;
}

export class FloatDecoder implements ColumnDecoder {
  private n = 0;
  private cap: number;
  private values: Float32Array | Float64Array | null = null;
  private readonly validity = new ValidityBuilder();

  constructor(private readonly type: SqlType & { kind: 'real' | 'double' }, private readonly ctx: DecodeContext) {
    this.cap = initialCapacity(ctx);
  }

  private ensure(rows: number): Float32Array | Float64Array {
    if (this.values === null) {
      this.cap = grownCapacity(this.cap, rows);
      this.values = this.type.kind === 'real' ? new Float32Array(this.cap) : new Float64Array(this.cap);
    } else if (rows > this.cap) {
      this.cap = grownCapacity(this.cap, rows);
      this.values = growArray(this.values, this.cap, this.n);
      this.validity.grow(this.cap);
    }
    return this.values;
  }

  append(block: FieldBlock, col: number): void {
    const rows = block.rows;
    const values = this.ensure(this.n + rows);
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
      if (p !== e || digits === 0 || digits > 15) {
        const v = parseDoubleText(fieldAscii(block, r, col));
        if (v === undefined) throw fieldError(this.ctx, block, r, col, typeName(this.type));
        values[n] = v;
        continue;
      }
      const v = frac === 0 ? m : m / POW10[frac]!;
      values[n] = neg ? -v : v;
    }
    this.n = n;
  }

  finish(): Column {
    const n = this.n;
    const values = this.ensure(n);
    const col = makeColumn(this.type, n, values.subarray(0, n), this.validity.finish(n));
    this.n = 0;
    this.values = null;
    return col;
  }
}
