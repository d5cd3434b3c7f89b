import { ShoalError, internalError, type SourceSpan } from '../../common/index.js';
import {
  MICROS_PER_DAY, clearBit, decimalAt, decimalType, decimalLimit, formatDate, formatDecimal, formatTimestamp, getBit, int64ToFloat64,
  isIntegerKind, isNestedKind, makeColumn, newBitmap, nullColumn, parseDate, parseDecimal, parseTimestamp, rescale, setBit, setDecimal,
  stringAt, stringColumnFromValues, typeName, typesEqual, validity, float64ToInt64, type Column, type SqlType,
  INT64_MAX, INT64_MIN, numberView, numberViewMaxAbs, rememberNumberView, parseZonedTimestamp, formatTimestampWithZone, instantToLocal, localToInstant, zoneOf,
} from '../../types/index.js';
import { castNested } from './cast-nested.js';
import { rescaleNumbers, type DecimalNumbers } from './cast-decimal.js';
import { formatDoubleAsTrino } from './format-double.js';

const INT_BOUNDS: Record<'tinyint' | 'smallint' | 'integer' | 'bigint', [number, number]> = {
  tinyint: [-128, 127],
  smallint: [-32768, 32767],
  integer: [-2147483648, 2147483647],
  bigint: [-9223372036854775808, 9223372036854775807],
};

/**
 * Days (floored) of µs timestamps held as exact doubles, 0 for NULL rows. Rows mostly come in time order, so the
 * day of the row before is tried first; Math.floor(x / MICROS_PER_DAY) is exact below 2^53, so its day is
 * exactly [d·MICROS_PER_DAY, (d+1)·MICROS_PER_DAY).
 */
function timestampsToDays(us: ArrayLike<number>, n: number, valid: Uint8Array | null, out: Int32Array): void {
  let lo = 0, hi = -1, day = 0;
  for (let i = 0; i < n; i++) {
    if (valid !== null && ((valid[i >>> 3]! >>> (i & 7)) & 1) === 0) continue;
    const x = us[i]!;
    if (!(x >= lo && x < hi)) {
      day = Math.floor(x / MICROS_PER_DAY);
      lo = day * MICROS_PER_DAY;
      hi = lo + MICROS_PER_DAY;
    }
    out[i] = day;
  }
}

/**
 * CAST with Trino's semantics. A value that does not convert raises INVALID_CAST_ARGUMENT naming the value and
 * the target type — or, for TRY_CAST, becomes NULL. Out-of-range numbers raise NUMERIC_VALUE_OUT_OF_RANGE
 * (also NULL under TRY_CAST). Rounding is half away from zero.
 */
export function castColumn(col: Column, from: SqlType, to: SqlType, tryCast: boolean, span?: SourceSpan, sessionZone = 'UTC'): Column {
  const n = col.length;
  if (from.kind === 'timestamp' && from.withTimeZone && to.kind === 'timestamp' && to.withTimeZone && from.precision === to.precision) {
    // Only the display zone differs: the instants stay.
    return from.zone === to.zone ? col : makeColumn(to, n, col.values, validity(col)?.slice() ?? null);
  }
  if (typesEqual(from, to)) return col;
  if (from.kind === 'unknown') return nullColumn(to, n);
  if (from.kind === 'varchar' && to.kind === 'varchar') return to.length === undefined ? col : truncateStrings(col, to.length);
  if (isNestedKind(from.kind)) return castNested(col, from, to, tryCast, span, castColumn);
  const valid = validity(col);
  // Rows that fail under TRY_CAST are cleared in this bitmap.
  let outValid: Uint8Array | null = valid === null ? null : valid.slice();
  const fail = (i: number, e: ShoalError): void => {
    if (!tryCast) throw e;
    outValid ??= newBitmap(n, true);
    clearBit(outValid, i);
  };
  const isValid = (i: number): boolean => valid === null || getBit(valid, i);
  const badValue = (shown: string): ShoalError => new ShoalError('INVALID_CAST_ARGUMENT', castFailure(truncate(shown), to), { span });
  const outOfRange = (shown: string): ShoalError =>
    new ShoalError('NUMERIC_VALUE_OUT_OF_RANGE', `Value ${truncate(shown)} is out of range for ${typeName(to)}`, { span });

  if (to.kind === 'varchar') {
    const values: (string | null)[] = new Array(n);
    for (let i = 0; i < n; i++) values[i] = isValid(i) ? valueToText(col, from, i) : null;
    const out = stringColumnFromValues(to.length === undefined ? values : values.map((v) => (v === null ? null : v.slice(0, to.length))));
    return out;
  }

  if (from.kind === 'varchar') {
    return fromText(col, to, n, isValid, fail, badValue, outOfRange, () => outValid, sessionZone);
  }

  // Numeric, boolean and temporal conversions: read each value as a double when exact, else as BigInt.
  switch (to.kind) {
    case 'boolean': {
      const bits = newBitmap(n);
      const nums = numbersFrom(col, from);
      for (let i = 0; i < n; i++) if (isValid(i) && nums(i) !== 0) setBit(bits, i);
      return makeColumn(to, n, bits, outValid);
    }
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'bigint': {
      const [lo, hi] = INT_BOUNDS[to.kind];
      if (to.kind === 'bigint') {
        if (from.kind === 'decimal' || isIntegerKind(from.kind)) {
          // Rounded to scale 0 in doubles when exact; |result| < 2^52 always fits a bigint.
          const fast = decimalFromNumbers(col, from, decimalType(16, 0) as SqlType & { kind: 'decimal' }, n, isValid, () => {});
          if (fast !== null) return makeColumn(to, n, float64ToInt64(fast.view, n), outValid);
        }
        const out = new BigInt64Array(n);
        const big = bigFrom(col, from);
        for (let i = 0; i < n; i++) {
          if (!isValid(i)) continue;
          const v = big(i);
          if (v === undefined) { fail(i, badValue(valueToText(col, from, i))); continue; }
          if (v < INT64_MIN || v > INT64_MAX) { fail(i, outOfRange(valueToText(col, from, i))); continue; }
          out[i] = v;
        }
        return makeColumn(to, n, out, outValid);
      }
      const Ctor = to.kind === 'integer' ? Int32Array : to.kind === 'smallint' ? Int16Array : Int8Array;
      const out = new Ctor(n);
      const nums = numbersFrom(col, from);
      for (let i = 0; i < n; i++) {
        if (!isValid(i)) continue;
        const v = roundHalfAway(nums(i));
        if (Number.isNaN(v)) { fail(i, badValue(valueToText(col, from, i))); continue; }
        if (v < lo || v > hi) { fail(i, outOfRange(valueToText(col, from, i))); continue; }
        out[i] = v;
      }
      return makeColumn(to, n, out, outValid);
    }
    case 'real':
    case 'double': {
      const out = to.kind === 'double' ? new Float64Array(n) : new Float32Array(n);
      const view = from.kind === 'decimal' && from.scale <= 22 ? numberView(col, from) : null;
      if (view !== null) {
        // The quotient of two exact doubles is correctly rounded: the same value as the text path below.
        const f = 10 ** (from as SqlType & { kind: 'decimal' }).scale;
        for (let i = 0; i < n; i++) out[i] = view[i]! / f;
      } else if (from.kind === 'decimal') {
        const w = col.values as Uint32Array;
        const f = 10 ** from.scale;
        for (let i = 0; i < n; i++) {
          if (!isValid(i)) continue;
          const u = decimalAt(w, i);
          const d = Number(u);
          out[i] = Number.isSafeInteger(d) && from.scale <= 22 ? d / f : Number.parseFloat(formatDecimal(u, from.scale));
        }
      } else {
        const nums = numbersFrom(col, from);
        for (let i = 0; i < n; i++) if (isValid(i)) out[i] = nums(i);
      }
      return makeColumn(to, n, out, outValid);
    }
    case 'decimal': {
      const fast = decimalFromNumbers(col, from, to, n, isValid, (i) => fail(i, outOfRange(valueToText(col, from, i))));
      if (fast !== null) return rememberNumberView(makeColumn(to, n, fast.words, outValid), fast.view, fast.maxAbs);
      const words = new Uint32Array(4 * n);
      const limit = decimalLimit(to.precision);
      for (let i = 0; i < n; i++) {
        if (!isValid(i)) continue;
        let v: bigint | undefined;
        if (from.kind === 'decimal') v = rescale(decimalAt(col.values as Uint32Array, i), from.scale, to.scale);
        else if (from.kind === 'real' || from.kind === 'double') {
          const d = (col.values as Float64Array)[i]!;
          v = Number.isFinite(d) ? parseDecimal(plainDecimalText(d), to.scale) : undefined;
        } else if (isIntegerKind(from.kind)) {
          v = rescale(bigFrom(col, from)(i)!, 0, to.scale);
        } else if (from.kind === 'boolean') {
          v = rescale(getBit(col.values as Uint8Array, i) ? 1n : 0n, 0, to.scale);
        }
        if (v === undefined) { fail(i, badValue(valueToText(col, from, i))); continue; }
        if (v >= limit || v <= -limit) { fail(i, outOfRange(valueToText(col, from, i))); continue; }
        setDecimal(words, i, v);
      }
      return makeColumn(to, n, words, outValid);
    }
    case 'date': {
      const out = new Int32Array(n);
      if (from.kind === 'timestamp') {
        const view = !from.withTimeZone && from.precision <= 6 ? numberView(col, from) : null;
        if (view !== null) {
          timestampsToDays(view, n, valid, out);
          return makeColumn(to, n, out, outValid);
        }
        const perDay = from.precision > 6 ? 86_400_000_000_000n : 86_400_000_000n;
        const v = from.withTimeZone ? shiftZone(col.values as BigInt64Array, n, from.precision, zoneOf(from), true) : col.values as BigInt64Array;
        for (let i = 0; i < n; i++) {
          if (!isValid(i)) continue;
          let d = v[i]! / perDay;
          if (v[i]! % perDay < 0n) d -= 1n;
          out[i] = Number(d);
        }
        return makeColumn(to, n, out, outValid);
      }
      break;
    }
    case 'timestamp': {
      const toNs = to.precision > 6;
      // Wall-clock values (timestamp, date) become instants in the session zone; instants become wall-clock time
      // in their own zone (Trino's rules).
      const toInstant = (local: BigInt64Array): BigInt64Array => (to.withTimeZone ? shiftZone(local, n, to.precision, sessionZone, false) : local);
      if (from.kind === 'date') {
        const d = col.values as Int32Array;
        const tmp = new Float64Array(n);
        if (!toNs) {
          for (let i = 0; i < n; i++) tmp[i] = d[i]! * MICROS_PER_DAY;
          return makeColumn(to, n, toInstant(float64ToInt64(tmp, n)), outValid);
        }
        const out = new BigInt64Array(n);
        for (let i = 0; i < n; i++) out[i] = BigInt(d[i]!) * 86_400_000_000_000n;
        return makeColumn(to, n, toInstant(out), outValid);
      }
      if (from.kind === 'timestamp') {
        let v = retimestamp(col.values as BigInt64Array, n, from.precision, to.precision);
        if (from.withTimeZone && !to.withTimeZone) v = shiftZone(v, n, to.precision, zoneOf(from), true);
        else if (!from.withTimeZone) v = toInstant(v);
        return makeColumn(to, n, v, outValid);
      }
      break;
    }
    default:
      break;
  }
  throw new ShoalError('TYPE_MISMATCH', `Cannot cast ${typeName(from)} to ${typeName(to)}`, { span });
}

/** Instants → wall-clock values in `zone` (toLocal) or back; µs or ns by precision. */
function shiftZone(v: BigInt64Array, n: number, precision: number, zone: string, toLocal: boolean): BigInt64Array {
  if (zone === 'UTC') return v;
  const ups = precision > 6 ? 1_000_000_000 : 1_000_000;
  const out = new BigInt64Array(n);
  for (let i = 0; i < n; i++) out[i] = toLocal ? instantToLocal(v[i]!, ups, zone) : localToInstant(v[i]!, ups, zone);
  return out;
}

/** Converts timestamps between precisions: rounds half up when dropping digits, as Trino does. */
function retimestamp(v: BigInt64Array, n: number, fromP: number, toP: number): BigInt64Array {
  const fromUnit = fromP > 6 ? 9 : 6;
  const toUnit = toP > 6 ? 9 : 6;
  const out = new BigInt64Array(n);
  // Step 1: round to toP digits in the source unit.
  const drop = fromUnit - toP;
  const q = drop > 0 ? 10n ** BigInt(drop) : 1n;
  for (let i = 0; i < n; i++) {
    let x = v[i]!;
    if (q > 1n) {
      let r = x % q;
      if (r < 0n) r += q;
      x -= r;
      if (r * 2n >= q) x += q;
    }
    // Step 2: change unit.
    if (fromUnit === 9 && toUnit === 6) x /= 1000n;
    else if (fromUnit === 6 && toUnit === 9) x *= 1000n;
    out[i] = x;
  }
  return out;
}

function roundHalfAway(x: number): number {
  if (!Number.isFinite(x)) return Number.NaN;
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** Values of numeric/boolean/temporal columns as doubles (possibly inexact beyond 2^53; bigint casts use bigFrom). */
function numbersFrom(col: Column, from: SqlType): (i: number) => number {
  switch (from.kind) {
    case 'boolean': {
      const v = col.values as Uint8Array;
      return (i) => (getBit(v, i) ? 1 : 0);
    }
    case 'bigint':
    case 'timestamp':
    case 'interval_day_time': {
      const exact = int64ToFloat64(col.values as BigInt64Array, col.length);
      if (exact !== null) return (i) => exact[i]!;
      const v = col.values as BigInt64Array;
      return (i) => Number(v[i]!);
    }
    case 'decimal': {
      const w = col.values as Uint32Array;
      const f = 10 ** from.scale;
      const view = numberView(col, from);
      if (view !== null) return (i) => view[i]! / f;
      return (i) => Number(decimalAt(w, i)) / f;
    }
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'real':
    case 'double':
    case 'date':
    case 'interval_year_month': {
      const v = col.values as Float64Array;
      return (i) => v[i]!;
    }
    default:
      throw internalError(`numeric view of ${from.kind}`);
  }
}

/**
 * CAST of integers or decimals to decimal(p, s) in doubles when the magnitudes prove it exact (see rescaleNumbers);
 * null otherwise, and for other source types.
 */
function decimalFromNumbers(col: Column, from: SqlType, to: SqlType & { kind: 'decimal' }, n: number, isValid: (i: number) => boolean, outOfRange: (i: number) => void): DecimalNumbers | null {
  if (from.kind !== 'decimal' && !isIntegerKind(from.kind)) return null;
  const view = numberView(col, from);
  if (view === null) return null;
  const fromScale = from.kind === 'decimal' ? from.scale : 0;
  return rescaleNumbers(view, numberViewMaxAbs(col, from), n, fromScale, to.scale, to.precision, isValid, outOfRange);
}

/** Values as exact BigInt integers (decimals and doubles rounded half away from zero); undefined for NaN/Infinity. */
function bigFrom(col: Column, from: SqlType): (i: number) => bigint | undefined {
  switch (from.kind) {
    case 'bigint': {
      const v = col.values as BigInt64Array;
      return (i) => v[i]!;
    }
    case 'decimal': {
      const w = col.values as Uint32Array;
      const s = from.scale;
      return (i) => rescale(decimalAt(w, i), s, 0);
    }
    case 'real':
    case 'double': {
      const v = col.values as Float64Array;
      return (i) => {
        const x = roundHalfAway(v[i]!);
        return Number.isNaN(x) ? undefined : BigInt(x);
      };
    }
    default: {
      const nums = numbersFrom(col, from);
      return (i) => BigInt(nums(i));
    }
  }
}

/** A double's shortest decimal text without exponent (for exact rounding into decimals). */
function plainDecimalText(d: number): string {
  const s = String(d);
  if (!/e/i.test(s)) return s;
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/i.exec(s);
  if (m === null) return s;
  const sign = m[1]!, digits = m[2]! + (m[3] ?? ''), exp = Number(m[4]);
  const point = 1 + exp;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Text of value i as CAST(x AS varchar) produces it in Trino. */
export function valueToText(col: Column, type: SqlType, i: number): string {
  switch (type.kind) {
    case 'varchar': return stringAt(col, i) ?? '';
    case 'boolean': return getBit(col.values as Uint8Array, i) ? 'true' : 'false';
    case 'tinyint':
    case 'smallint':
    case 'integer':
      return String((col.values as Int32Array)[i]);
    case 'bigint': return String((col.values as BigInt64Array)[i]);
    case 'real':
    case 'double':
      return formatDoubleAsTrino((col.values as Float64Array)[i]!);
    case 'decimal': return formatDecimal(decimalAt(col.values as Uint32Array, i), type.scale);
    case 'date': return formatDate((col.values as Int32Array)[i]!);
    case 'timestamp':
      if (type.withTimeZone) return formatTimestampWithZone((col.values as BigInt64Array)[i]!, type.precision, zoneOf(type));
      return formatTimestamp((col.values as BigInt64Array)[i]!, type.precision > 6 ? 1_000_000_000 : 1_000_000, type.precision);
    case 'interval_day_time':
    case 'interval_year_month':
    case 'unknown':
      return String((col.values as Int32Array)[i]);
    default:
      throw internalError(`text of ${JSON.stringify(type)}`);
  }
}

/** Trino's wording of a value that does not convert, by target type. */
function castFailure(shown: string, to: SqlType): string {
  switch (to.kind) {
    case 'integer': return `Cannot cast '${shown}' to INT`;
    case 'tinyint':
    case 'smallint':
    case 'bigint':
    case 'real':
    case 'double':
    case 'boolean':
      return `Cannot cast '${shown}' to ${to.kind.toUpperCase()}`;
    case 'decimal': return `Cannot cast VARCHAR '${shown}' to DECIMAL(${to.precision}, ${to.scale}). Value is not a number.`;
    case 'date':
    case 'timestamp':
      return `Value cannot be cast to ${typeName(to).replace(/\(\d+\)/, '')}: ${shown}`;
    default: return `Cannot cast '${shown}' to ${typeName(to)}`;
  }
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function truncateStrings(col: Column, length: number): Column {
  const n = col.length;
  const values: (string | null)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const s = stringAt(col, i);
    values[i] = s === null ? null : [...s].slice(0, length).join('');
  }
  return stringColumnFromValues(values);
}

const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;
const NUMBER_TEXT = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

function fromText(
  col: Column, to: SqlType, n: number, isValid: (i: number) => boolean, fail: (i: number, e: ShoalError) => void,
  badValue: (shown: string) => ShoalError, outOfRange: (shown: string) => ShoalError, outValid: () => Uint8Array | null,
  sessionZone: string,
): Column {
  const text = (i: number): string => stringAt(col, i) ?? '';
  switch (to.kind) {
    case 'boolean': {
      const bits = newBitmap(n);
      for (let i = 0; i < n; i++) {
        if (!isValid(i)) continue;
        const s = text(i).trim().toLowerCase();
        if (s === 'true' || s === 't' || s === '1') setBit(bits, i);
        else if (!(s === 'false' || s === 'f' || s === '0')) fail(i, badValue(text(i)));
      }
      return makeColumn(to, n, bits, outValid());
    }
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'bigint': {
      const big = new BigInt64Array(n);
      const [lo, hi] = INT_BOUNDS[to.kind];
      const small = to.kind === 'bigint' ? null : new (to.kind === 'integer' ? Int32Array : to.kind === 'smallint' ? Int16Array : Int8Array)(n);
      for (let i = 0; i < n; i++) {
        if (!isValid(i)) continue;
        const s = text(i);
        if (!INTEGER_TEXT.test(s)) { fail(i, badValue(s)); continue; }
        const v = BigInt(s.trim());
        // Trino reports text outside the type's range as a failed cast, not as an overflow.
        if (v < BigInt(lo) || v > BigInt(hi) || v < INT64_MIN || v > INT64_MAX) { fail(i, badValue(s)); continue; }
        if (small !== null) small[i] = Number(v);
        else big[i] = v;
      }
      return makeColumn(to, n, small ?? big, outValid());
    }
    case 'real':
    case 'double': {
      const out = to.kind === 'double' ? new Float64Array(n) : new Float32Array(n);
      for (let i = 0; i < n; i++) {
        if (!isValid(i)) continue;
        const s = text(i).trim();
        if (NUMBER_TEXT.test(s)) out[i] = Number(s);
        else if (/^[+-]?(infinity|inf)$/i.test(s)) out[i] = s.startsWith('-') ? -Infinity : Infinity;
        else if (/^nan$/i.test(s)) out[i] = Number.NaN;
        else fail(i, badValue(s));
      }
      return makeColumn(to, n, out, outValid());
    }
    case 'decimal': {
      const words = new Uint32Array(4 * n);
      const limit = decimalLimit(to.precision);
      for (let i = 0; i < n; i++) {
        if (!isValid(i)) continue;
        const s = text(i);
        let v = parseDecimal(s, to.scale);
        if (v === undefined && NUMBER_TEXT.test(s)) v = parseDecimal(plainDecimalText(Number(s)), to.scale);
        if (v === undefined) { fail(i, badValue(s)); continue; }
        if (v >= limit || v <= -limit) { fail(i, outOfRange(s.trim())); continue; }
        setDecimal(words, i, v);
      }
      return makeColumn(to, n, words, outValid());
    }
    case 'date': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        if (!isValid(i)) continue;
        const s = text(i);
        const d = parseDate(s);
        if (d === undefined) { fail(i, badValue(s)); continue; }
        out[i] = d;
      }
      return makeColumn(to, n, out, outValid());
    }
    case 'timestamp': {
      const out = new BigInt64Array(n);
      const ns = to.precision > 6;
      for (let i = 0; i < n; i++) {
        if (!isValid(i)) continue;
        const s = text(i);
        const p = parseZonedTimestamp(s, ns ? 1_000_000_000 : 1_000_000);
        if (p === undefined) { fail(i, badValue(s)); continue; }
        // Text without a zone is wall-clock time: in the session zone for WITH TIME ZONE targets.
        out[i] = to.withTimeZone && p.zone !== undefined ? localToInstant(p.value, ns ? 1_000_000_000 : 1_000_000, p.zone)
          : to.withTimeZone && p.offsetMinutes === undefined ? localToInstant(p.value, ns ? 1_000_000_000 : 1_000_000, sessionZone) : p.value;
      }
      const col2 = makeColumn(to, n, out, null);
      const rounded = retimestamp(col2.values as BigInt64Array, n, ns ? 9 : 6, to.precision);
      return makeColumn(to, n, rounded, outValid());
    }
    default:
      throw new ShoalError('TYPE_MISMATCH', `Cannot cast varchar to ${typeName(to)}`);
  }
}
