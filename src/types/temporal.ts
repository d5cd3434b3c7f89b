/**
 * Calendar arithmetic on the proleptic Gregorian calendar without Date objects (exact for any year, and fast):
 * dates are days since 1970-01-01, timestamps are µs (or ns) since 1970-01-01 00:00:00 UTC.
 */
import { canonicalZone, instantToLocal } from './time-zones.js';
export const MICROS_PER_DAY = 86_400_000_000;
export const MICROS_PER_DAY_N = 86_400_000_000n;

/** Days since the epoch for a civil date (month 1..12). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export interface Civil {
  year: number;
  month: number;
  day: number;
}

export function civilFromDays(z0: number): Civil {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: era * 400 + yoe + (month <= 2 ? 1 : 0), month, day };
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

function pad(n: number, w: number): string {
  const s = String(Math.abs(n));
  return (n < 0 ? '-' : '') + (s.length >= w ? s : '0'.repeat(w - s.length) + s);
}

export function formatDate(days: number): string {
  const c = civilFromDays(days);
  return `${pad(c.year, 4)}-${pad(c.month, 2)}-${pad(c.day, 2)}`;
}

/**
 * `YYYY-MM-DD HH:MM:SS[.fraction]`. With `digits`, exactly that many fraction digits; without, only the
 * significant ones (none for whole seconds), as DuckDB renders TIMESTAMP.
 */
export function formatTimestamp(value: bigint, unitsPerSecond: 1_000_000 | 1_000_000_000, digits?: number): string {
  const perDay = BigInt(unitsPerSecond) * 86_400n;
  let days = value / perDay;
  let rem = value % perDay;
  if (rem < 0n) {
    rem += perDay;
    days -= 1n;
  }
  const remN = Number(rem);
  const secOfDay = Math.floor(remN / unitsPerSecond);
  const frac = remN - secOfDay * unitsPerSecond;
  const h = Math.floor(secOfDay / 3600);
  const mi = Math.floor((secOfDay % 3600) / 60);
  const s = secOfDay % 60;
  const width = unitsPerSecond === 1_000_000 ? 6 : 9;
  let fracText = '';
  if (digits === undefined) {
    if (frac !== 0) fracText = '.' + pad(frac, width).replace(/0+$/, '');
  } else if (digits > 0) {
    fracText = '.' + pad(frac, width).slice(0, digits).padEnd(digits, '0');
  }
  return `${formatDate(Number(days))} ${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${fracText}`;
}

/**
 * Trino's text of a TIMESTAMP(p) WITH TIME ZONE value: the wall-clock time in `zone` with exactly p fraction
 * digits, then the zone: `2024-01-01 10:00:00.000 America/New_York`.
 */
export function formatTimestampWithZone(instant: bigint, precision: number, zone: string): string {
  const ups = precision > 6 ? 1_000_000_000 : 1_000_000;
  return `${formatTimestamp(instantToLocal(instant, ups, zone), ups, precision)} ${zone}`;
}

/** Parses `YYYY-MM-DD` (also with a 1- or 2-digit month/day); returns days or undefined. */
export function parseDate(text: string): number | undefined {
  const m = /^\s*(-?\d{1,6})-(\d{1,2})-(\d{1,2})\s*$/.exec(text);
  if (m === null) return undefined;
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  return daysFromCivil(y, mo, d);
}

export interface ParsedTimestamp {
  /** Units since the epoch, in the requested unit, as if the text were UTC. */
  value: bigint;
  /** Number of fraction digits written in the text (Trino types a literal by it). */
  fractionDigits: number;
  /** Offset in minutes when the text carried one (`+02:00`, `Z`, `UTC`). */
  offsetMinutes?: number;
}

/**
 * Parses `YYYY-MM-DD[( |T)HH:MM[:SS[.fffffffff]]][Z|±HH[:MM]| UTC]`. Extra fraction digits beyond the unit are
 * rounded half up, as Trino does when casting to a lower precision.
 */
export function parseTimestamp(text: string, unitsPerSecond: 1_000_000 | 1_000_000_000): ParsedTimestamp | undefined {
  const m = /^\s*(-?\d{1,6})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,12}))?)?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?\s*$/i.exec(text);
  if (m === null) return undefined;
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  const h = m[4] === undefined ? 0 : Number(m[4]);
  const mi = m[5] === undefined ? 0 : Number(m[5]);
  const s = m[6] === undefined ? 0 : Number(m[6]);
  if (h > 23 || mi > 59 || s > 59) return undefined;
  const fracDigits = m[7] ?? '';
  const width = unitsPerSecond === 1_000_000 ? 6 : 9;
  let frac = 0n;
  if (fracDigits.length > 0) {
    if (fracDigits.length <= width) frac = BigInt(fracDigits.padEnd(width, '0'));
    else {
      const keep = BigInt(fracDigits.slice(0, width));
      frac = Number(fracDigits[width]) >= 5 ? keep + 1n : keep;
    }
  }
  const days = BigInt(daysFromCivil(y, mo, d));
  const secs = BigInt(h * 3600 + mi * 60 + s);
  const ups = BigInt(unitsPerSecond);
  let value = (days * 86_400n + secs) * ups + frac;
  const result: ParsedTimestamp = { value, fractionDigits: fracDigits.length };
  const tz = m[8];
  if (tz !== undefined) {
    let offset = 0;
    if (tz.toUpperCase() !== 'Z' && tz.toUpperCase() !== 'UTC') {
      const sign = tz[0] === '-' ? -1 : 1;
      const digits = tz.slice(1).replace(':', '');
      offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
    }
    value -= BigInt(offset) * 60n * ups;
    result.value = value;
    result.offsetMinutes = offset;
  }
  return result;
}

/**
 * parseTimestamp plus a trailing zone name (`2024-01-01 10:00:00 America/New_York`): then `value` is the
 * wall-clock time and `zone` the canonical zone.
 */
export function parseZonedTimestamp(text: string, ups: 1_000_000 | 1_000_000_000): (ParsedTimestamp & { zone?: string }) | undefined {
  const direct = parseTimestamp(text, ups);
  if (direct !== undefined) return direct;
  const m = /^(.*\d)\s+([A-Za-z][A-Za-z0-9_/+-]*)\s*$/.exec(text);
  if (m === null) return undefined;
  const zone = canonicalZone(m[2]!);
  const p = zone === undefined ? undefined : parseTimestamp(m[1]!, ups);
  return p === undefined || p.offsetMinutes !== undefined ? undefined : { ...p, zone: zone! };
}

/** Trino's rendering of an interval day to second: `2 03:04:05.000`. */
export function formatIntervalDayTime(micros: bigint): string {
  const neg = micros < 0n;
  let v = neg ? -micros : micros;
  const days = v / MICROS_PER_DAY_N;
  v %= MICROS_PER_DAY_N;
  const ms = Number(v / 1000n);
  const h = Math.floor(ms / 3_600_000), mi = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000), f = ms % 1000;
  return `${neg ? '-' : ''}${days} ${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(f, 3)}`;
}

/** Trino's rendering of an interval year to month: `1-2`. */
export function formatIntervalYearMonth(months: number): string {
  const neg = months < 0;
  const m = Math.abs(months);
  return `${neg ? '-' : ''}${Math.floor(m / 12)}-${m % 12}`;
}

/** Adds months to a civil date, clamping the day to the target month's length (Trino's rule). */
export function addMonthsToDays(days: number, months: number): number {
  const c = civilFromDays(days);
  const total = c.year * 12 + (c.month - 1) + months;
  const y = Math.floor(total / 12);
  const mo = total - y * 12 + 1;
  return daysFromCivil(y, mo, Math.min(c.day, daysInMonth(y, mo)));
}
