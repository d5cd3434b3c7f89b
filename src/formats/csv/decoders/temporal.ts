/**
 * date (Int32 days) and timestamp(p) (BigInt64 µs for p <= 6, ns above; 'UTC' for WITH TIME ZONE).
 *
 * Fast paths read `YYYY-MM-DD` and `YYYY-MM-DD[ T]HH:MM:SS[.f…]` from bytes; fraction digits beyond p are
 * rounded half up, and values within ±2^53 units are written without BigInt. The slow path (types/temporal.ts)
 * takes 1- or 2-digit months and days, `HH:MM` without seconds, spaces and an offset (`Z`, `+02:00`, ` UTC`).
 * An offset converts to UTC for timestamp with time zone and is dropped (local time kept) for timestamp, as
 * DuckDB reads it.
 */
import { DATE, makeColumn, parseDate, parseTimestamp, typeName, type Column, type SqlType } from '../../../types/index.js';
import { isNullField, type FieldBlock } from '../field-block.js';
import {
  POW10, ValidityBuilder, fieldAscii, fieldError, growArray, grownCapacity, initialCapacity, type ColumnDecoder, type DecodeContext,
} from './decoder.js';
import { TIME, isoDateAt, isoTimestampAt } from './temporal-bytes.js';

const TWO_32 = 4294967296;

export class DateDecoder implements ColumnDecoder {
  private n = 0;
  private cap: number;
  private values: Int32Array | null = null;
  private readonly validity = new ValidityBuilder();

  constructor(private readonly ctx: DecodeContext) {
    this.cap = initialCapacity(ctx);
  }

  private ensure(rows: number): Int32Array {
    if (this.values === null) {
      this.cap = grownCapacity(this.cap, rows);
      this.values = new Int32Array(this.cap);
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
      let days = e - s === 10 ? isoDateAt(buf, s) : Number.NaN;
      if (Number.isNaN(days)) {
        const parsed = parseDate(fieldAscii(block, r, col));
        if (parsed === undefined || parsed < -2147483648 || parsed > 2147483647) throw fieldError(this.ctx, block, r, col, 'date');
        days = parsed;
      }
      values[n] = days;
    }
    this.n = n;
  }

  finish(): Column {
    const n = this.n;
    const values = this.ensure(n);
    const col = makeColumn(DATE, n, values.subarray(0, n), this.validity.finish(n));
    this.n = 0;
    this.values = null;
    return col;
  }
}

export class TimestampDecoder implements ColumnDecoder {
  private n = 0;
  private cap: number;
  private values: BigInt64Array | null = null;
  private view: Int32Array | null = null;
  private readonly validity = new ValidityBuilder();
  /** Digits of the storage unit (6 or 9) and units per second. */
  private readonly unitDigits: number;
  private readonly unitsPerSecond: 1_000_000 | 1_000_000_000;
  private readonly precision: number;

  constructor(private readonly type: SqlType & { kind: 'timestamp' }, private readonly ctx: DecodeContext) {
    this.cap = initialCapacity(ctx);
    this.precision = Math.max(0, Math.min(type.precision, 9));
    this.unitDigits = type.precision > 6 ? 9 : 6;
    this.unitsPerSecond = type.precision > 6 ? 1_000_000_000 : 1_000_000;
  }

  private ensure(rows: number): Int32Array {
    if (this.values === null) {
      this.cap = grownCapacity(this.cap, rows);
      this.values = new BigInt64Array(this.cap);
    } else if (rows > this.cap) {
      this.cap = grownCapacity(this.cap, rows);
      this.values = growArray(this.values, this.cap, this.n);
      this.validity.grow(this.cap);
    } else {
      return this.view!;
    }
    this.view = new Int32Array(this.values.buffer);
    return this.view;
  }

  append(block: FieldBlock, col: number): void {
    const rows = block.rows;
    const view = this.ensure(this.n + rows);
    const { buf, starts, ends, flags, ncols } = block;
    const nullBytes = this.ctx.nullBytes;
    const nullLen = nullBytes.length;
    const p = this.precision, unitDigits = this.unitDigits, ups = this.unitsPerSecond;
    let n = this.n;
    for (let r = 0; r < rows; r++, n++) {
      const idx = r * ncols + col;
      const s = starts[idx]!, e = ends[idx]!, f = flags[idx]!;
      if ((f !== 0 || e - s === nullLen) && isNullField(buf, s, e, f, nullBytes)) {
        this.validity.setNull(n, this.cap);
        continue;
      }
      let days: number;
      let secs: number, fraction = 0, digits = 0;
      if (e - s === 10) {
        days = isoDateAt(buf, s);
        secs = 0;
      } else {
        days = isoTimestampAt(buf, s, e);
        secs = TIME.seconds;
        fraction = TIME.fraction;
        digits = TIME.fractionDigits;
      }
      if (Number.isNaN(days)) {
        this.slow(block, r, col, n);
        continue;
      }
      // The fraction at precision p, rounded half up, then in storage units.
      let units: number;
      if (digits <= p) {
        units = fraction * POW10[p - digits]!;
      } else {
        const cut = POW10[digits - p]!;
        units = Math.floor(fraction / cut);
        if (fraction - units * cut >= cut / 2) units++;
      }
      units *= POW10[unitDigits - p]!;
      const total = (days * 86400 + secs) * ups + units;
      if (total <= Number.MAX_SAFE_INTEGER && total >= -Number.MAX_SAFE_INTEGER) {
        const hi = Math.floor(total / TWO_32);
        view[2 * n + 1] = hi;
        view[2 * n] = total - hi * TWO_32;
      } else {
        this.values![n] = BigInt(days * 86400 + secs) * BigInt(ups) + BigInt(units);
      }
    }
    this.n = n;
  }

  private slow(block: FieldBlock, r: number, col: number, n: number): void {
    const parsed = parseTimestamp(fieldAscii(block, r, col), this.unitsPerSecond);
    if (parsed === undefined) throw fieldError(this.ctx, block, r, col, typeName(this.type));
    let v = parsed.value;
    const ups = BigInt(this.unitsPerSecond);
    if (parsed.offsetMinutes !== undefined && !this.type.withTimeZone) v += BigInt(parsed.offsetMinutes) * 60n * ups;
    if (this.precision < this.unitDigits) {
      const step = 10n ** BigInt(this.unitDigits - this.precision);
      let rem = v % step;
      if (rem < 0n) rem += step;
      v = v - rem + (rem * 2n >= step ? step : 0n);
    }
    this.values![n] = v;
  }

  finish(): Column {
    const n = this.n;
    this.ensure(n);
    const col = makeColumn(this.type, n, this.values!.subarray(0, n), this.validity.finish(n));
    this.n = 0;
    this.values = null;
    this.view = null;
    return col;
  }
}
