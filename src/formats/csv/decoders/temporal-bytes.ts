/**
 * Byte-level recognisers for the ISO forms CSV files use, shared by the temporal decoders' fast paths and by
 * type inference: `YYYY-MM-DD` and `HH:MM:SS[.f…]`. They allocate nothing; the time parser reports through a
 * module-level scratch record that is valid until the next call.
 */
import { daysFromCivil } from '../../../types/index.js';

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digit(buf: Uint8Array, i: number): number {
  const d = buf[i]! - 48;
  return d >= 0 && d <= 9 ? d : -100000;
}

/** Days since 1970-01-01 for exactly `YYYY-MM-DD` at buf[s, s+10), or NaN when it is not a valid date. */
export function isoDateAt(buf: Uint8Array, s: number): number {
  if (buf[s + 4] !== 45 || buf[s + 7] !== 45) return Number.NaN;
  const y = digit(buf, s) * 1000 + digit(buf, s + 1) * 100 + digit(buf, s + 2) * 10 + digit(buf, s + 3);
  const m = digit(buf, s + 5) * 10 + digit(buf, s + 6);
  const d = digit(buf, s + 8) * 10 + digit(buf, s + 9);
  if (y < 0 || m < 1 || m > 12 || d < 1) return Number.NaN;
  const leap = m === 2 && (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? 1 : 0;
  if (d > DAYS_IN_MONTH[m]! + leap) return Number.NaN;
  // Files hold runs of dates in the same month: remember the day number of the last month's first day.
  if (y !== lastYear || m !== lastMonth) {
    lastYear = y;
    lastMonth = m;
    lastMonthStart = daysFromCivil(y, m, 1);
  }
  return lastMonthStart + d - 1;
}

let lastYear = -1;
let lastMonth = -1;
let lastMonthStart = 0;

export interface TimeOfDay {
  /** Seconds since midnight. */
  seconds: number;
  /** The fraction digits as an integer (`.0501` → 501) and how many digits there were (4). */
  fraction: number;
  fractionDigits: number;
}

/** The result of the last successful isoTimeAt call. */
export const TIME: TimeOfDay = { seconds: 0, fraction: 0, fractionDigits: 0 };

/** Whether buf[s, e) is exactly `HH:MM:SS` with an optional `.` and 1 to 9 digits; fills TIME when it is. */
export function isoTimeAt(buf: Uint8Array, s: number, e: number): boolean {
  if (e - s < 8 || buf[s + 2] !== 58 || buf[s + 5] !== 58) return false;
  const h = digit(buf, s) * 10 + digit(buf, s + 1);
  const mi = digit(buf, s + 3) * 10 + digit(buf, s + 4);
  const sec = digit(buf, s + 6) * 10 + digit(buf, s + 7);
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return false;
  let fraction = 0, digits = 0;
  if (e - s > 8) {
    if (buf[s + 8] !== 46 || e - s === 9 || e - s > 18) return false;
    for (let i = s + 9; i < e; i++) {
      const d = buf[i]! - 48;
      if (d < 0 || d > 9) return false;
      fraction = fraction * 10 + d;
      digits++;
    }
  }
  TIME.seconds = h * 3600 + mi * 60 + sec;
  TIME.fraction = fraction;
  TIME.fractionDigits = digits;
  return true;
}

/** Whether buf[s, e) is `YYYY-MM-DD` followed by ` ` or `T` and isoTimeAt's form; fills TIME. Returns days or NaN. */
export function isoTimestampAt(buf: Uint8Array, s: number, e: number): number {
  if (e - s < 19) return Number.NaN;
  const sep = buf[s + 10];
  if (sep !== 32 && sep !== 84) return Number.NaN;
  const days = isoDateAt(buf, s);
  if (Number.isNaN(days) || !isoTimeAt(buf, s + 11, e)) return Number.NaN;
  return days;
}
