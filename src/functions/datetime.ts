/**
 * Date and time functions (Trino's names and semantics): year … millisecond, date_trunc, date_add, date_diff,
 * last_day_of_month. Vectorized over day numbers and µs timestamps; calendar math without Date objects.
 * TIMESTAMP WITH TIME ZONE values are instants: calendar fields, truncation and day-or-longer arithmetic work on
 * the wall-clock time in the value's zone (the type's zone) and convert back; sub-day arithmetic is on instants.
 */
import { ShoalError } from '../common/index.js';
import {
  BIGINT, DATE, MICROS_PER_DAY, VARCHAR, addMonthsToDays, arrayValue, commonSuperType, daysFromCivil,
  TWO_32, daysInMonth, float64ToInt64, int32View, int64ToFloat64, localMillisToInstant, makeColumn, numberView, scalarAt, scalarValue, validity,
  zoneOf, zoneOffsetMillis, type Column, type ColumnarValue, type SqlType,
} from '../types/index.js';
import { doc, type ScalarFunction, type ScalarKernel } from './function.js';
import { argColumn, scalarFunction, type Overload } from './scalar-helpers.js';

/** Writes year, month, day of day number z into out[0..2] (no allocation per row). */
export function civilInto(z0: number, out: Int32Array): void {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  out[0] = era * 400 + yoe + (m <= 2 ? 1 : 0);
  out[1] = m;
  out[2] = d;
}

/** µs since epoch of a timestamp column as exact doubles (ns precision is divided down, flooring). */
function micros(col: Column, type: SqlType): ArrayLike<number> {
  const v = col.values as BigInt64Array;
  if (type.kind === 'timestamp' && type.precision > 6) {
    const out = new Float64Array(col.length);
    for (let i = 0; i < col.length; i++) {
      let q = v[i]! / 1000n;
      if (v[i]! % 1000n < 0n) q -= 1n;
      out[i] = Number(q);
    }
    return out;
  }
  // numberView remembers the conversion for the column: date_trunc and hour() of one column convert it once.
  const exact = numberView(col, type);
  if (exact !== null) return exact;
  const out = new Float64Array(col.length);
  for (let i = 0; i < col.length; i++) out[i] = Number(v[i]!);
  return out;
}

/** µs of wall-clock time: instants of WITH TIME ZONE values shifted into their zone. */
function localMicros(col: Column, type: SqlType): ArrayLike<number> {
  const us = micros(col, type);
  const zone = zoneOf(type);
  if (type.kind !== 'timestamp' || !type.withTimeZone || zone === 'UTC') return us;
  const out = new Float64Array(col.length);
  for (let i = 0; i < col.length; i++) out[i] = us[i]! + zoneOffsetMillis(zone, Math.floor(us[i]! / 1000)) * 1000;
  return out;
}

/** Inverse of localMicros, in place: wall-clock µs back to instants for WITH TIME ZONE types. */
function toInstants(local: Float64Array, n: number, type: SqlType): Float64Array {
  const zone = zoneOf(type);
  if (type.kind !== 'timestamp' || !type.withTimeZone || zone === 'UTC') return local;
  for (let i = 0; i < n; i++) {
    const ms = Math.floor(local[i]! / 1000);
    local[i] = local[i]! - (ms - localMillisToInstant(zone, ms)) * 1000;
  }
  return local;
}

type Part = 'year' | 'quarter' | 'month' | 'week' | 'day' | 'day_of_week' | 'day_of_year' | 'hour' | 'minute' | 'second' | 'millisecond' | 'year_of_week';

function isoWeek(days: number, civil: Int32Array): number {
  // ISO 8601: week with the year's first Thursday is week 1.
  const dow = ((days % 7) + 7 + 3) % 7; // 0 = Monday (1970-01-01 was a Thursday)
  const thursday = days - dow + 3;
  civilInto(thursday, civil);
  const jan1 = daysFromCivil(civil[0]!, 1, 1);
  return Math.floor((thursday - jan1) / 7) + 1;
}

function isoYearOfWeek(days: number, civil: Int32Array): number {
  const dow = ((days % 7) + 7 + 3) % 7;
  civilInto(days - dow + 3, civil);
  return civil[0]!;
}

function partOfDays(part: Part, days: number, civil: Int32Array): number {
  switch (part) {
    case 'year': civilInto(days, civil); return civil[0]!;
    case 'quarter': civilInto(days, civil); return Math.floor((civil[1]! - 1) / 3) + 1;
    case 'month': civilInto(days, civil); return civil[1]!;
    case 'day': civilInto(days, civil); return civil[2]!;
    case 'day_of_week': return ((days % 7) + 7 + 3) % 7 + 1;
    case 'day_of_year': civilInto(days, civil); return days - daysFromCivil(civil[0]!, 1, 1) + 1;
    case 'week': return isoWeek(days, civil);
    case 'year_of_week': return isoYearOfWeek(days, civil);
    default: return 0;
  }
}

/**
 * Periods over which a part of a timestamp is constant; parts not listed depend on the day only.
 *
 * Timestamp kernels remember the period [lo, hi) of the row before and its result, and compute only for a row
 * outside it: rows come mostly in time order (files are written sorted by time, or partitioned by it), so most
 * rows then cost two comparisons. For integers |x| < 2^53, Math.floor(x / len) is exact (the quotient's ulp is
 * below 1/len, so rounding cannot carry it to the next integer), so a value's period is exactly
 * [k·len, (k+1)·len) and the remembered result is the one the row would compute.
 */
const TWO_53 = 2 ** 53;

const PART_PERIOD_MICROS: Partial<Record<Part, number>> = {
  hour: 3_600_000_000, minute: 60_000_000, second: 1_000_000, millisecond: 1000,
};

function extractKernel(part: Part, type: SqlType): ScalarKernel {
  const timeOnly = part === 'hour' || part === 'minute' || part === 'second' || part === 'millisecond';
  return (args, rows) => {
    const a = args[0]!;
    if (a.kind === 'scalar' && a.value === null) return scalarValue(null);
    const n = a.kind === 'scalar' ? 1 : rows;
    const col = argColumn(a, type, n);
    // Parts are small integers (|part| < 2^31): each row's int64 is written as its two 32-bit words, the high one
    // the sign.
    const values = new BigInt64Array(n);
    const out = int32View(values);
    const civil = new Int32Array(3);
    if (type.kind === 'date') {
      if (timeOnly) throw new ShoalError('INVALID_FUNCTION_ARGUMENT', `${part}() is not defined for date values`);
      const d = col.values as Int32Array;
      for (let i = 0; i < n; i++) {
        const val = partOfDays(part, d[i]!, civil);
        out[2 * i] = val;
        out[2 * i + 1] = val < 0 ? -1 : 0;
      }
    } else {
      const us = localMicros(col, type);
      // The part is constant over periods of `len` µs (PART_PERIOD_MICROS).
      const len = PART_PERIOD_MICROS[part] ?? MICROS_PER_DAY;
      let lo = 0, hi = -1, val = 0, sign = 0;
      for (let i = 0; i < n; i++) {
        const x = us[i]!;
        if (!(x >= lo && x < hi)) {
          lo = Math.floor(x / len) * len;
          hi = x < TWO_53 && x > -TWO_53 ? lo + len : lo; // past 2^53 nothing is remembered
          const days = Math.floor(x / MICROS_PER_DAY);
          const tod = x - days * MICROS_PER_DAY;
          switch (part) {
            case 'hour': val = Math.floor(tod / 3_600_000_000); break;
            case 'minute': val = Math.floor(tod / 60_000_000) % 60; break;
            case 'second': val = Math.floor(tod / 1_000_000) % 60; break;
            case 'millisecond': val = Math.floor(tod / 1000) % 1000; break;
            default: val = partOfDays(part, days, civil);
          }
          sign = val < 0 ? -1 : 0;
        }
        out[2 * i] = val;
        out[2 * i + 1] = sign;
      }
    }
    const v = validity(col);
    const result = makeColumn(BIGINT, n, values, v === null ? null : v.slice());
    if (a.kind === 'scalar') return scalarValue((result.values as BigInt64Array)[0]!);
    return arrayValue(result);
  };
}

const TEMPORAL_PARAMS = (args: readonly SqlType[]): readonly SqlType[] | undefined => {
  const t = args[0];
  if (args.length !== 1 || t === undefined) return undefined;
  if (t.kind === 'date' || t.kind === 'timestamp') return [t];
  if (t.kind === 'unknown') return [DATE];
  return undefined;
};

function extractFunction(name: string, part: Part, description: string): ScalarFunction {
  return scalarFunction(name, [doc('date', 'bigint', description), doc('timestamp(p)', 'bigint', description), doc('timestamp(p) with time zone', 'bigint', description)], [
    { params: TEMPORAL_PARAMS, returns: BIGINT, kernel: (p) => extractKernel(part, p[0]!) },
  ]);
}

export const EXTRACT_FUNCTIONS: readonly [ScalarFunction, ...string[]][] = [
  [extractFunction('year', 'year', 'Year of a date or timestamp')],
  [extractFunction('quarter', 'quarter', 'Quarter of the year (1-4)')],
  [extractFunction('month', 'month', 'Month of the year (1-12)')],
  [extractFunction('week', 'week', 'ISO week of the year (1-53)'), 'week_of_year'],
  [extractFunction('day', 'day', 'Day of the month (1-31)'), 'day_of_month'],
  [extractFunction('day_of_week', 'day_of_week', 'ISO day of the week, Monday = 1 … Sunday = 7'), 'dow'],
  [extractFunction('day_of_year', 'day_of_year', 'Day of the year (1-366)'), 'doy'],
  [extractFunction('year_of_week', 'year_of_week', 'ISO week-numbering year'), 'yow'],
  [extractFunction('hour', 'hour', 'Hour of the day (0-23)')],
  [extractFunction('minute', 'minute', 'Minute of the hour (0-59)')],
  [extractFunction('second', 'second', 'Second of the minute (0-59)')],
  [extractFunction('millisecond', 'millisecond', 'Millisecond of the second (0-999)')],
];

/** EXTRACT(field FROM x) field names → the function computing them. */
export const EXTRACT_FIELDS: Readonly<Record<string, string>> = {
  year: 'year', quarter: 'quarter', month: 'month', week: 'week', day: 'day', day_of_month: 'day',
  dow: 'day_of_week', day_of_week: 'day_of_week', isodow: 'day_of_week', doy: 'day_of_year', day_of_year: 'day_of_year',
  hour: 'hour', minute: 'minute', second: 'second', millisecond: 'millisecond', year_of_week: 'year_of_week', yow: 'year_of_week',
  timezone_hour: 'timezone_hour', timezone_minute: 'timezone_minute',
};

const UNITS = ['millisecond', 'second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'] as const;
type Unit = (typeof UNITS)[number];

function parseUnit(v: unknown, fn: string): Unit {
  const u = String(v).toLowerCase().replace(/s$/, '');
  if ((UNITS as readonly string[]).includes(u)) return u as Unit;
  throw new ShoalError('INVALID_FUNCTION_ARGUMENT', `'${String(v)}' is not a valid unit for ${fn}`, {
    hint: `Use one of: ${UNITS.join(', ')}`,
  });
}

const UNIT_MICROS: Partial<Record<Unit, number>> = {
  millisecond: 1000, second: 1_000_000, minute: 60_000_000, hour: 3_600_000_000, day: MICROS_PER_DAY, week: 7 * MICROS_PER_DAY,
};

function truncDays(unit: Unit, days: number, civil: Int32Array): number {
  switch (unit) {
    case 'day':
    case 'hour':
    case 'minute':
    case 'second':
    case 'millisecond':
      return days;
    case 'week': return days - (((days % 7) + 7 + 3) % 7);
    case 'month': civilInto(days, civil); return daysFromCivil(civil[0]!, civil[1]!, 1);
    case 'quarter': civilInto(days, civil); return daysFromCivil(civil[0]!, Math.floor((civil[1]! - 1) / 3) * 3 + 1, 1);
    case 'year': civilInto(days, civil); return daysFromCivil(civil[0]!, 1, 1);
  }
}

/** Applies f to the temporal argument at index `k`, keeping its type; the unit argument must be constant. */
function unitKernel(type: SqlType, resultType: SqlType, fn: string, k: number, apply: (unit: Unit, col: Column, n: number, rest: readonly ColumnarValue[]) => Column): ScalarKernel {
  return (args, rows) => {
    const u = args[0]!;
    if (u.kind !== 'scalar') throw new ShoalError('NOT_SUPPORTED', `The unit argument of ${fn} must be a constant`);
    if (u.value === null || args.some((a) => a.kind === 'scalar' && a.value === null)) return scalarValue(null);
    const unit = parseUnit(u.value, fn);
    const allScalar = args.every((a) => a.kind === 'scalar');
    const n = allScalar ? 1 : rows;
    const col = argColumn(args[k]!, type, n);
    const out = apply(unit, col, n, args);
    return allScalar ? scalarValue(scalarAt(out, resultType, 0)) : arrayValue(out);
  };
}

function dateTrunc(type: SqlType): ScalarKernel {
  return unitKernel(type, type, 'date_trunc', 1, (unit, col, n) => {
    const civil = new Int32Array(3);
    const v = validity(col);
    const valid = v === null ? null : v.slice();
    if (type.kind === 'date') {
      const d = col.values as Int32Array;
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = truncDays(unit, d[i]!, civil);
      return makeColumn(type, n, out, valid);
    }
    const us = localMicros(col, type);
    const step = UNIT_MICROS[unit];
    // Units of fixed length truncate to the start of their period; the others are constant over a day.
    // Periods are remembered from row to row as in extractKernel (see PART_PERIOD_MICROS).
    const byStep = step !== undefined && unit !== 'week';
    const len = byStep ? step : MICROS_PER_DAY;
    let lo = 0, hi = -1, val = 0;
    if (type.kind === 'timestamp' && type.precision <= 6 && (!type.withTimeZone || zoneOf(type) === 'UTC')) {
      // Instants are the local µs: each row's int64 is written as two 32-bit words, split once per period.
      const values = new BigInt64Array(n);
      const out = int32View(values);
      let hiWord = 0, loWord = 0;
      for (let i = 0; i < n; i++) {
        const x = us[i]!;
        if (!(x >= lo && x < hi)) {
          const k = Math.floor(x / len);
          lo = k * len;
          hi = x < TWO_53 && x > -TWO_53 ? lo + len : lo; // past 2^53 nothing is remembered
          val = byStep ? lo : truncDays(unit, k, civil) * MICROS_PER_DAY;
          hiWord = Math.floor(val / TWO_32);
          loWord = val - hiWord * TWO_32;
        }
        out[2 * i] = loWord;
        out[2 * i + 1] = hiWord;
      }
      return makeColumn(type, n, values, valid);
    }
    const tmp = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = us[i]!;
      if (!(x >= lo && x < hi)) {
        const k = Math.floor(x / len);
        lo = k * len;
        hi = x < TWO_53 && x > -TWO_53 ? lo + len : lo; // past 2^53 nothing is remembered
        val = byStep ? lo : truncDays(unit, k, civil) * MICROS_PER_DAY;
      }
      tmp[i] = val;
    }
    toInstants(tmp, n, type);
    const scaled = type.kind === 'timestamp' && type.precision > 6 ? toNanos(tmp, n) : float64ToInt64(tmp, n);
    return makeColumn(type, n, scaled, valid);
  });
}

function toNanos(us: Float64Array, n: number): BigInt64Array {
  const out = new BigInt64Array(n);
  for (let i = 0; i < n; i++) out[i] = BigInt(us[i]!) * 1000n;
  return out;
}

function dateAdd(type: SqlType): ScalarKernel {
  return unitKernel(type, type, 'date_add', 2, (unit, col, n, args) => {
    const amountCol = argColumn(args[1]!, BIGINT, n);
    const amounts = int64ToFloat64(amountCol.values as BigInt64Array, n);
    if (amounts === null) throw new ShoalError('NUMERIC_VALUE_OUT_OF_RANGE', 'date_add amount is too large');
    const v = validity(col), va = validity(amountCol);
    const valid = v === null && va === null ? null : mergeValid(v, va, n);
    const months = unit === 'month' ? 1 : unit === 'quarter' ? 3 : unit === 'year' ? 12 : 0;
    if (type.kind === 'date') {
      const d = col.values as Int32Array;
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        if (months > 0) out[i] = addMonthsToDays(d[i]!, amounts[i]! * months);
        else if (unit === 'day') out[i] = d[i]! + amounts[i]!;
        else if (unit === 'week') out[i] = d[i]! + 7 * amounts[i]!;
        else throw new ShoalError('INVALID_FUNCTION_ARGUMENT', `date_add('${unit}', …) is not defined for date values`);
      }
      return makeColumn(type, n, out, valid);
    }
    // Sub-day units add elapsed time to instants; days and longer move the wall clock (Trino's zoned arithmetic).
    const onWallClock = unit === 'day' || unit === 'week' || months > 0;
    const us = onWallClock ? localMicros(col, type) : micros(col, type);
    const tmp = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (months > 0) {
        const days = Math.floor(us[i]! / MICROS_PER_DAY);
        const tod = us[i]! - days * MICROS_PER_DAY;
        tmp[i] = addMonthsToDays(days, amounts[i]! * months) * MICROS_PER_DAY + tod;
      } else tmp[i] = us[i]! + amounts[i]! * UNIT_MICROS[unit]!;
    }
    if (onWallClock) toInstants(tmp, n, type);
    const scaled = type.kind === 'timestamp' && type.precision > 6 ? toNanos(tmp, n) : float64ToInt64(tmp, n);
    return makeColumn(type, n, scaled, valid);
  });
}

function mergeValid(a: Uint8Array | null, b: Uint8Array | null, n: number): Uint8Array {
  const bytes = (n + 7) >>> 3;
  const out = new Uint8Array(bytes);
  for (let k = 0; k < bytes; k++) out[k] = (a === null ? 0xff : a[k]!) & (b === null ? 0xff : b[k]!);
  return out;
}

/** Whole units from x to y; calendar units count completed months as Trino does (Jan 31 → Feb 29 is 0 months). */
function dateDiff(type: SqlType): ScalarKernel {
  return unitKernel(type, BIGINT, 'date_diff', 1, (unit, col, n, args) => {
    const other = argColumn(args[2]!, type, n);
    const toUs = (c: Column): ArrayLike<number> => {
      if (type.kind === 'date') {
        const d = c.values as Int32Array;
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) out[i] = d[i]! * MICROS_PER_DAY;
        return out;
      }
      return months === 0 && unit !== 'day' && unit !== 'week' ? micros(c, type) : localMicros(c, type);
    };
    const months = unit === 'month' ? 1 : unit === 'quarter' ? 3 : unit === 'year' ? 12 : 0;
    const a = toUs(col), b = toUs(other);
    const out = new Float64Array(n);
    const ca = new Int32Array(3), cb = new Int32Array(3);
    for (let i = 0; i < n; i++) {
      if (months === 0) {
        out[i] = Math.trunc((b[i]! - a[i]!) / UNIT_MICROS[unit]!);
        continue;
      }
      const da = Math.floor(a[i]! / MICROS_PER_DAY), db = Math.floor(b[i]! / MICROS_PER_DAY);
      civilInto(da, ca);
      civilInto(db, cb);
      let m = (cb[0]! - ca[0]!) * 12 + (cb[1]! - ca[1]!);
      const restA = (ca[2]! - 1) * MICROS_PER_DAY + (a[i]! - da * MICROS_PER_DAY);
      const restB = (cb[2]! - 1) * MICROS_PER_DAY + (b[i]! - db * MICROS_PER_DAY);
      if (m > 0 && restB < restA) m--;
      else if (m < 0 && restB > restA) m++;
      out[i] = Math.trunc(m / months);
    }
    return makeColumn(BIGINT, n, float64ToInt64(out, n), mergeValid(validity(col), validity(other), n));
  });
}

const UNIT_AND_TEMPORAL = (k: number) => (args: readonly SqlType[]): readonly SqlType[] | undefined => {
  const t = args[k];
  if (t === undefined || (t.kind !== 'date' && t.kind !== 'timestamp')) return undefined;
  const params: SqlType[] = [VARCHAR];
  if (k === 2) params.push(BIGINT);
  params.push(t);
  return params.length === args.length ? params : undefined;
};

const DATE_DIFF_PARAMS = (args: readonly SqlType[]): readonly SqlType[] | undefined => {
  if (args.length !== 3) return undefined;
  const a = args[1]!, b = args[2]!;
  const kinds = new Set([a.kind, b.kind]);
  if (kinds.has('timestamp')) {
    const t = commonSuperType(a, b);
    return t === undefined ? undefined : [VARCHAR, t, t];
  }
  if ([...kinds].every((k) => k === 'date')) return [VARCHAR, DATE, DATE];
  return undefined;
};

function lastDayOfMonth(type: SqlType): ScalarKernel {
  return (args, rows) => {
    const a = args[0]!;
    if (a.kind === 'scalar' && a.value === null) return scalarValue(null);
    const n = a.kind === 'scalar' ? 1 : rows;
    const col = argColumn(a, type, n);
    const civil = new Int32Array(3);
    const out = new Int32Array(n);
    const days = type.kind === 'date' ? (col.values as Int32Array) : Array.from(localMicros(col, type), (u) => Math.floor(u / MICROS_PER_DAY));
    for (let i = 0; i < n; i++) {
      civilInto(days[i]!, civil);
      out[i] = daysFromCivil(civil[0]!, civil[1]!, daysInMonth(civil[0]!, civil[1]!));
    }
    const v = validity(col);
    const res = makeColumn(DATE, n, out, v === null ? null : v.slice());
    return a.kind === 'scalar' ? scalarValue(out[0]!) : arrayValue(res);
  };
}

const overloads: Record<string, Overload[]> = {
  date_trunc: [{ params: UNIT_AND_TEMPORAL(1), returns: (p) => p[1]!, kernel: (p) => dateTrunc(p[1]!) }],
  date_add: [{ params: UNIT_AND_TEMPORAL(2), returns: (p) => p[2]!, kernel: (p) => dateAdd(p[2]!) }],
  date_diff: [{ params: DATE_DIFF_PARAMS, returns: BIGINT, kernel: (p) => dateDiff(p[1]!) }],
  last_day_of_month: [{ params: TEMPORAL_PARAMS, returns: DATE, kernel: (p) => lastDayOfMonth(p[0]!) }],
};

export const DATETIME_FUNCTIONS: readonly [ScalarFunction, ...string[]][] = [
  ...EXTRACT_FUNCTIONS,
  [scalarFunction('date_trunc', [
    doc('varchar, T', 'T', "x truncated to the unit ('millisecond', 'second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'); T is date or timestamp"),
  ], overloads['date_trunc']!)],
  [scalarFunction('date_add', [doc('varchar, bigint, T', 'T', 'x plus value units; T is date or timestamp')], overloads['date_add']!)],
  [scalarFunction('date_diff', [doc('varchar, T, T', 'bigint', 'Whole units from x to y; T is date or timestamp')], overloads['date_diff']!)],
  [scalarFunction('last_day_of_month', [doc('T', 'date', 'Last day of the month of x; T is date or timestamp')], overloads['last_day_of_month']!)],
];
