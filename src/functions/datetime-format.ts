/**
 * Formatting and parsing of dates and times (Trino's names and semantics): date_format and date_parse with
 * MySQL-style patterns, format_datetime with Joda-Time patterns. Values are formatted from their wall-clock
 * fields (WITH TIME ZONE values in their zone).
 */
import { ShoalError } from '../common/index.js';
import {
  VARCHAR, civilFromDays, daysFromCivil, daysInMonth, formatOffset, timestampType, zoneOf, zoneOffsetMillis,
  type Scalar, type SqlType,
} from '../types/index.js';
import { doc, type ScalarFunction } from './function.js';
import { rowwise, scalarFunction } from './scalar-helpers.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** Wall-clock fields of one value. */
interface Fields {
  year: number; month: number; day: number; hour: number; minute: number; second: number;
  /** Fraction of the second in µs. */
  micros: number;
  /** ISO day of week, Monday = 1. */
  dow: number;
  doy: number;
  /** Offset from UTC in ms, and the zone id (WITH TIME ZONE values; 0 and 'UTC' otherwise). */
  offsetMs: number;
  zone: string;
}

function fieldsOf(v: Scalar, t: SqlType): Fields {
  let us: number;
  let offsetMs = 0;
  const zone = zoneOf(t);
  if (t.kind === 'date') us = (v as number) * 86_400_000_000;
  else {
    const raw = v as bigint;
    us = Number(t.kind === 'timestamp' && t.precision > 6 ? raw / 1000n : raw);
    if (t.kind === 'timestamp' && t.withTimeZone) {
      offsetMs = zoneOffsetMillis(zone, Math.floor(us / 1000));
      us += offsetMs * 1000;
    }
  }
  const days = Math.floor(us / 86_400_000_000);
  const tod = us - days * 86_400_000_000;
  const c = civilFromDays(days);
  return {
    year: c.year, month: c.month, day: c.day,
    hour: Math.floor(tod / 3_600_000_000), minute: Math.floor(tod / 60_000_000) % 60, second: Math.floor(tod / 1_000_000) % 60,
    micros: tod % 1_000_000, dow: ((days % 7) + 7 + 3) % 7 + 1, doy: days - daysFromCivil(c.year, 1, 1) + 1, offsetMs, zone,
  };
}

const pad = (n: number, w: number): string => String(Math.abs(n)).padStart(w, '0');
const hour12 = (h: number): number => (h % 12 === 0 ? 12 : h % 12);

function isoWeek(f: Fields): { week: number; year: number } {
  const days = daysFromCivil(f.year, f.month, f.day);
  const thursday = days - (f.dow - 1) + 3;
  const y = civilFromDays(thursday).year;
  return { week: Math.floor((thursday - daysFromCivil(y, 1, 1)) / 7) + 1, year: y };
}

/** date_format: MySQL specifiers as Trino supports them (%D %U %u %V %w %X are rejected, as in Trino). */
function mysqlFormat(f: Fields, format: string): string {
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const ch = format[i]!;
    if (ch !== '%' || i + 1 >= format.length) { out += ch; continue; }
    const s = format[++i]!;
    switch (s) {
      case 'a': out += DAYS[f.dow - 1]!.slice(0, 3); break;
      case 'b': out += MONTHS[f.month - 1]!.slice(0, 3); break;
      case 'c': out += String(f.month); break;
      case 'd': out += pad(f.day, 2); break;
      case 'e': out += String(f.day); break;
      case 'f': out += pad(f.micros, 6); break;
      case 'H': out += pad(f.hour, 2); break;
      case 'h': case 'I': out += pad(hour12(f.hour), 2); break;
      case 'i': out += pad(f.minute, 2); break;
      case 'j': out += pad(f.doy, 3); break;
      case 'k': out += String(f.hour); break;
      case 'l': out += String(hour12(f.hour)); break;
      case 'M': out += MONTHS[f.month - 1]!; break;
      case 'm': out += pad(f.month, 2); break;
      case 'p': out += f.hour < 12 ? 'AM' : 'PM'; break;
      case 'r': out += `${pad(hour12(f.hour), 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)} ${f.hour < 12 ? 'AM' : 'PM'}`; break;
      case 'S': case 's': out += pad(f.second, 2); break;
      case 'T': out += `${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}`; break;
      case 'v': out += pad(isoWeek(f).week, 2); break;
      case 'W': out += DAYS[f.dow - 1]!; break;
      case 'x': out += pad(isoWeek(f).year, 4); break;
      case 'Y': out += pad(f.year, 4); break;
      case 'y': out += pad(f.year % 100, 2); break;
      case '%': out += '%'; break;
      case 'D': case 'U': case 'u': case 'V': case 'w': case 'X':
        throw new ShoalError('INVALID_FUNCTION_ARGUMENT', `%${s} not supported in date format string`);
      default: out += s;
    }
  }
  return out;
}

/** format_datetime: Joda-Time pattern letters; runs of a letter set the width; '…' quotes literal text. */
function jodaFormat(f: Fields, format: string): string {
  let out = '';
  for (let i = 0; i < format.length;) {
    const ch = format[i]!;
    if (ch === "'") {
      const close = format.indexOf("'", i + 1);
      if (close === i + 1) { out += "'"; i += 2; continue; }
      const end = close < 0 ? format.length : close;
      out += format.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(ch)) { out += ch; i++; continue; }
    let n = 1;
    while (format[i + n] === ch) n++;
    i += n;
    const num = (v: number): string => pad(v, n);
    switch (ch) {
      case 'y': case 'Y': case 'u': out += n === 2 ? pad(f.year % 100, 2) : num(f.year); break;
      case 'x': out += n === 2 ? pad(isoWeek(f).year % 100, 2) : num(isoWeek(f).year); break;
      case 'w': out += num(isoWeek(f).week); break;
      case 'C': out += num(Math.floor(f.year / 100)); break;
      case 'G': out += f.year > 0 ? 'AD' : 'BC'; break;
      case 'M': out += n >= 4 ? MONTHS[f.month - 1]! : n === 3 ? MONTHS[f.month - 1]!.slice(0, 3) : num(f.month); break;
      case 'd': out += num(f.day); break;
      case 'D': out += num(f.doy); break;
      case 'e': out += num(f.dow); break;
      case 'E': out += n >= 4 ? DAYS[f.dow - 1]! : DAYS[f.dow - 1]!.slice(0, 3); break;
      case 'a': out += f.hour < 12 ? 'AM' : 'PM'; break;
      case 'H': out += num(f.hour); break;
      case 'k': out += num(f.hour === 0 ? 24 : f.hour); break;
      case 'K': out += num(f.hour % 12); break;
      case 'h': out += num(hour12(f.hour)); break;
      case 'm': out += num(f.minute); break;
      case 's': out += num(f.second); break;
      case 'S': out += pad(f.micros, 6).slice(0, Math.min(n, 6)).padEnd(n, '0'); break;
      case 'Z': out += n === 1 ? formatOffset(f.offsetMs).replace(':', '') : n === 2 ? formatOffset(f.offsetMs) : f.zone; break;
      case 'z': out += f.zone; break;
      default:
        throw new ShoalError('INVALID_FUNCTION_ARGUMENT', `Illegal pattern component: ${ch.repeat(n)}`);
    }
  }
  return out;
}

/** date_parse: the MySQL specifiers of date_format that carry fields; the whole text must match. */
function mysqlParse(text: string, format: string): bigint {
  let y = 1970, mo = 1, d = 1, h = 0, mi = 0, s = 0, frac = 0, pm: boolean | undefined, doy: number | undefined;
  let at = 0;
  const bad = (): never => {
    throw new ShoalError('INVALID_FUNCTION_ARGUMENT', `Invalid format: "${text}"`);
  };
  const digits = (min: number, max: number): number => {
    const m = new RegExp(`^\\d{${min},${max}}`).exec(text.slice(at));
    if (m === null) return bad();
    at += m[0].length;
    return Number(m[0]);
  };
  const name = (names: readonly string[], short: boolean): number => {
    const rest = text.slice(at).toLowerCase();
    for (let k = 0; k < names.length; k++) {
      const n = short ? names[k]!.slice(0, 3) : names[k]!;
      if (rest.startsWith(n.toLowerCase())) { at += n.length; return k; }
    }
    return bad();
  };
  for (let i = 0; i < format.length; i++) {
    const ch = format[i]!;
    if (ch !== '%' || i + 1 >= format.length) {
      if (text[at] !== ch) bad();
      at++;
      continue;
    }
    const spec = format[++i]!;
    switch (spec) {
      case 'Y': y = digits(4, 4); break;
      case 'y': y = 2000 + digits(2, 2); break;
      case 'm': case 'c': mo = digits(1, 2); break;
      case 'd': case 'e': d = digits(1, 2); break;
      case 'H': case 'k': h = digits(1, 2); break;
      case 'h': case 'I': case 'l': h = digits(1, 2); break;
      case 'i': mi = digits(2, 2); break;
      case 'S': case 's': s = digits(2, 2); break;
      case 'f': {
        const m = /^\d{1,9}/.exec(text.slice(at));
        if (m === null) return bad();
        at += m[0].length;
        frac = Number(m[0].padEnd(6, '0').slice(0, 6));
        break;
      }
      case 'j': doy = digits(3, 3); break;
      case 'M': mo = name(MONTHS, false) + 1; break;
      case 'b': mo = name(MONTHS, true) + 1; break;
      case 'W': name(DAYS, false); break;
      case 'a': name(DAYS, true); break;
      case 'p': pm = name(['AM', 'PM'], false) === 1; break;
      case 'T': h = digits(2, 2); if (text[at++] !== ':') bad(); mi = digits(2, 2); if (text[at++] !== ':') bad(); s = digits(2, 2); break;
      case '%': if (text[at++] !== '%') bad(); break;
      default:
        throw new ShoalError('INVALID_FUNCTION_ARGUMENT', `%${spec} not supported in date format string`);
    }
  }
  if (at !== text.length) bad();
  if (pm !== undefined) {
    if (h < 1 || h > 12) bad();
    h = (h % 12) + (pm ? 12 : 0);
  }
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) bad();
  const days = doy === undefined ? daysFromCivil(y, mo, d) : daysFromCivil(y, 1, 1) + doy - 1;
  return (BigInt(days) * 86_400n + BigInt(h * 3600 + mi * 60 + s)) * 1_000_000n + BigInt(Math.floor(frac / 1000) * 1000);
}

const TEMPORAL_AND_FORMAT = (args: readonly SqlType[]): readonly SqlType[] | undefined => {
  if (args.length !== 2) return undefined;
  const t = args[0]!;
  return t.kind === 'timestamp' || t.kind === 'date' ? [t, VARCHAR] : t.kind === 'unknown' ? [timestampType(3), VARCHAR] : undefined;
};

export const FORMAT_FUNCTIONS: readonly [ScalarFunction, ...string[]][] = [
  [scalarFunction('date_format', [doc('timestamp(p), varchar', 'varchar', 'Formats x with a MySQL format string (%Y-%m-%d %H:%i:%s)')], [
    { params: TEMPORAL_AND_FORMAT, returns: VARCHAR, kernel: (p) => rowwise(p, VARCHAR, ([v, fmt]) => mysqlFormat(fieldsOf(v!, p[0]!), fmt as string)) },
  ])],
  [scalarFunction('format_datetime', [doc('timestamp(p), varchar', 'varchar', 'Formats x with a Joda-Time pattern (yyyy-MM-dd HH:mm:ss)')], [
    { params: TEMPORAL_AND_FORMAT, returns: VARCHAR, kernel: (p) => rowwise(p, VARCHAR, ([v, fmt]) => jodaFormat(fieldsOf(v!, p[0]!), fmt as string)) },
  ])],
  [scalarFunction('date_parse', [doc('varchar, varchar', 'timestamp(3)', 'Parses a timestamp with a MySQL format string')], [
    { params: [VARCHAR, VARCHAR], returns: timestampType(3), kernel: () => rowwise([VARCHAR, VARCHAR], timestampType(3), ([s, fmt]) => mysqlParse(s as string, fmt as string)) },
  ])],
];
