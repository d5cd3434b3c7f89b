/**
 * tinyint, smallint, integer, bigint: `[-]digits` of up to 15 digits parse from bytes with no allocation; the
 * rest (a `+` sign, surrounding spaces, longer digit strings) goes through BigInt. Values outside the type's
 * range fail. Decimal points and exponents are not integers (Trino's rule; DuckDB would round).
 */
import { INT64_MAX, INT64_MIN, makeColumn, typeName, type Column, type SqlType } from '../../../types/index.js';
import { isNullField, type FieldBlock } from '../field-block.js';
import {
  ValidityBuilder, fieldAscii, fieldError, growArray, grownCapacity, initialCapacity, type ColumnDecoder, type DecodeContext,
} from './decoder.js';

type IntKind = 'tinyint' | 'smallint' | 'integer' | 'bigint';
type NarrowArray = Int8Array | Int16Array | Int32Array;

const RANGES: Readonly<Record<IntKind, readonly [number, number]>> = {
  tinyint: [-128, 127],
  smallint: [-32768, 32767],
  integer: [-2147483648, 2147483647],
  bigint: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER], // the fast path's range; BigInt checks the rest
};

const TWO_32 = 4294967296;
const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;

export class IntegerDecoder implements ColumnDecoder {
  private n = 0;
  private cap: number;
  private narrow: NarrowArray | null = null;
  private wide: BigInt64Array | null = null;
  /** The bigint values as (lo, hi) Int32 pairs, written without BigInt on the fast path. */
  private wideView: Int32Array | null = null;
  private readonly validity = new ValidityBuilder();
  private readonly min: number;
  private readonly max: number;

  constructor(private readonly type: SqlType & { kind: IntKind }, private readonly ctx: DecodeContext) {
    this.cap = initialCapacity(ctx);
    [this.min, this.max] = RANGES[type.kind];
  }

  private allocate(cap: number): void {
    switch (this.type.kind) {
      case 'tinyint': this.narrow = new Int8Array(cap); break;
      case 'smallint': this.narrow = new Int16Array(cap); break;
      case 'integer': this.narrow = new Int32Array(cap); break;
      case 'bigint':
        this.wide = new BigInt64Array(cap);
        this.wideView = new Int32Array(this.wide.buffer);
        break;
    }
  }

  private ensure(rows: number): void {
    if (this.narrow === null && this.wide === null) {
      this.cap = grownCapacity(this.cap, rows);
      this.allocate(this.cap);
      return;
    }
    if (rows <= this.cap) return;
    this.cap = grownCapacity(this.cap, rows);
    if (this.narrow !== null) this.narrow = growArray(this.narrow, this.cap, this.n);
    if (this.wide !== null) {
      this.wide = growArray(this.wide, this.cap, this.n);
      this.wideView = new Int32Array(this.wide.buffer);
    }
    this.validity.grow(this.cap);
  }

  append(block: FieldBlock, col: number): void {
    const rows = block.rows;
    this.ensure(this.n + rows);
    const { buf, starts, ends, flags, ncols } = block;
    const nullBytes = this.ctx.nullBytes;
    const nullLen = nullBytes.length;
    const narrow = this.narrow, view = this.wideView;
    const min = this.min, max = this.max;
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
      let v = 0;
      let ok = false;
      if (e - p > 0 && e - p <= 15) {
        for (; p < e; p++) {
          const digit = buf[p]! - 48;
          if (digit < 0 || digit > 9) break;
          v = v * 10 + digit;
        }
        ok = p === e;
      }
      if (!ok) {
        this.slow(block, r, col, n);
        continue;
      }
      if (neg) v = -v;
      if (v < min || v > max) throw fieldError(this.ctx, block, r, col, typeName(this.type), 'out of range');
      if (narrow !== null) {
        narrow[n] = v;
      } else {
        const hi = Math.floor(v / TWO_32);
        view![2 * n + 1] = hi;
        view![2 * n] = v - hi * TWO_32;
      }
    }
    this.n = n;
  }

  private slow(block: FieldBlock, r: number, col: number, n: number): void {
    const text = fieldAscii(block, r, col);
    if (!INTEGER_TEXT.test(text)) throw fieldError(this.ctx, block, r, col, typeName(this.type));
    const v = BigInt(text.trim());
    if (this.wide !== null) {
      if (v < INT64_MIN || v > INT64_MAX) throw fieldError(this.ctx, block, r, col, typeName(this.type), 'out of range');
      this.wide[n] = v;
    } else {
      if (v < BigInt(this.min) || v > BigInt(this.max)) throw fieldError(this.ctx, block, r, col, typeName(this.type), 'out of range');
      this.narrow![n] = Number(v);
    }
  }

  finish(): Column {
    const n = this.n;
    this.ensure(n);
    const values = this.narrow ?? this.wide!;
    const col = makeColumn(this.type, n, values.subarray(0, n), this.validity.finish(n));
    // The next batch allocates at first append, with the capacity this one reached.
    this.n = 0;
    this.narrow = null;
    this.wide = null;
    this.wideView = null;
    return col;
  }
}
