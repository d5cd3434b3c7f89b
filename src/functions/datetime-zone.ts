/**
 * Session-clock and time-zone functions (Trino's names and semantics): current_date, current_timestamp/now,
 * localtimestamp, current_timezone, from_unixtime, to_unixtime, from_iso8601_timestamp, from_iso8601_date,
 * to_iso8601, at_timezone (AT TIME ZONE), with_timezone.
 *
 * Results of type TIMESTAMP WITH TIME ZONE are instants; their display zone is fixed by the binder: the session
 * zone, or the constant zone argument named by `zoneArgument` (see ResolvedScalar).
 */
import { ShoalError } from '../common/index.js';
import {
  BIGINT, DATE, DOUBLE, VARCHAR, canonicalZone, daysFromCivil, daysInMonth, formatDate, formatOffset, formatTimestamp,
  localToInstant, timestampType, zoneOf, zoneOffsetMillis, scalarValue, type Scalar, type SqlType,
} from '../types/index.js';
import { doc, type ScalarFunction } from './function.js';
import { rowwise, scalarFunction } from './scalar-helpers.js';

const MICROS_PER_DAY = 86_400_000_000n;
const TZ3 = timestampType(3, true);

/** The canonical zone, or INVALID_FUNCTION_ARGUMENT worded as Trino's. */
export function requireZone(zone: string): string {
  const z = canonicalZone(zone);
  if (z === undefined) throw new ShoalError('INVALID_FUNCTION_ARGUMENT', `Time zone not supported: ${zone}`);
  return z;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b < 0n ? q - 1n : q;
}

/** Wall-clock µs of an instant (µs) in a zone. */
function localMicrosOf(instant: bigint, zone: string): bigint {
  return instant + BigInt(zoneOffsetMillis(zone, Number(floorDiv(instant, 1000n)))) * 1000n;
}

/** µs per unit of a timestamp type's values. */
function unitMicros(t: SqlType): 'us' | 'ns' {
  return t.kind === 'timestamp' && t.precision > 6 ? 'ns' : 'us';
}

function toMicros(v: bigint, t: SqlType): bigint {
  return unitMicros(t) === 'ns' ? floorDiv(v, 1000n) : v;
}

const ISO_TIMESTAMP = /^\s*(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?\s*$/i;

/** from_iso8601_timestamp: µs instant; text without an offset is wall-clock time in `zone`. */
function parseIso8601Timestamp(text: string, zone: string): bigint {
  const m = ISO_TIMESTAMP.exec(text);
  const bad = (): never => {
    throw new ShoalError('INVALID_FUNCTION_ARGUMENT', `Invalid format: "${text}"`);
  };
  if (m === null) return bad();
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  const h = Number(m[4] ?? 0), mi = Number(m[5] ?? 0), s = Number(m[6] ?? 0);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return bad();
  const frac = BigInt((m[7] ?? '').padEnd(6, '0').slice(0, 6) || '0');
  const local = (BigInt(daysFromCivil(y, mo, d)) * 86_400n + BigInt(h * 3600 + mi * 60 + s)) * 1_000_000n + frac;
  const offset = m[8];
  if (offset === undefined) return localToInstant(local, 1_000_000, zone);
  if (offset.toUpperCase() === 'Z') return local;
  const sign = offset[0] === '-' ? -1n : 1n;
  const digits = offset.slice(1).replace(':', '');
  const minutes = BigInt(Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
  return local - sign * minutes * 60_000_000n;
}

function parseIso8601Date(text: string): number {
  const m = /^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\s*$/.exec(text);
  if (m !== null) {
    const y = Number(m[1]), mo = Number(m[2] ?? 1), d = Number(m[3] ?? 1);
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo)) return daysFromCivil(y, mo, d);
  }
  throw new ShoalError('INVALID_FUNCTION_ARGUMENT', `Invalid format: "${text}"`);
}

/** to_iso8601: `2024-01-01`, `2024-01-01T10:00:00.000`, `2024-01-01T10:00:00.000-05:00` (Z for UTC). */
function toIso8601(v: Scalar, t: SqlType): string {
  if (t.kind === 'date') return formatDate(v as number);
  if (t.kind !== 'timestamp') return String(v);
  const ups = t.precision > 6 ? 1_000_000_000 : 1_000_000;
  const value = v as bigint;
  if (!t.withTimeZone) return formatTimestamp(value, ups, t.precision).replace(' ', 'T');
  const zone = zoneOf(t);
  const us = toMicros(value, t);
  const offsetMs = zoneOffsetMillis(zone, Number(floorDiv(us, 1000n)));
  const local = value + BigInt(offsetMs) * BigInt(ups / 1000);
  return `${formatTimestamp(local, ups, t.precision).replace(' ', 'T')}${offsetMs === 0 ? 'Z' : formatOffset(offsetMs)}`;
}

const TEMPORAL_ARG = (args: readonly SqlType[]): readonly SqlType[] | undefined => {
  if (args.length !== 1) return undefined;
  const k = args[0]!.kind;
  return k === 'date' || k === 'timestamp' ? args : k === 'unknown' ? [timestampType(3)] : undefined;
};

/** One timestamp argument, taken WITH TIME ZONE (plain timestamps convert in the session zone). */
const ZONED_ARG = (args: readonly SqlType[]): readonly SqlType[] | undefined => {
  const t = args[0];
  if (args.length !== 1 || t === undefined) return undefined;
  if (t.kind === 'unknown') return [TZ3];
  if (t.kind !== 'timestamp') return undefined;
  return [t.withTimeZone ? t : timestampType(t.precision, true)];
};

export const ZONE_FUNCTIONS: readonly [ScalarFunction, ...string[]][] = [
  [scalarFunction('current_date', [doc('', 'date', 'The date the query started, in the session time zone')], [
    { params: [], returns: DATE, kernel: () => (_a, _r, ctx) => scalarValue(Number(floorDiv(localMicrosOf(ctx.queryStartMicros, ctx.timeZone), MICROS_PER_DAY))) },
  ])],
  [scalarFunction('current_timestamp', [doc('', 'timestamp(3) with time zone', 'The instant the query started, in the session time zone')], [
    { params: [], returns: TZ3, kernel: () => (_a, _r, ctx) => scalarValue(floorDiv(ctx.queryStartMicros, 1000n) * 1000n) },
  ]), 'now'],
  [scalarFunction('localtimestamp', [doc('', 'timestamp(3)', 'The wall-clock time the query started, in the session time zone')], [
    { params: [], returns: timestampType(3), kernel: () => (_a, _r, ctx) => scalarValue(floorDiv(localMicrosOf(ctx.queryStartMicros, ctx.timeZone), 1000n) * 1000n) },
  ])],
  [scalarFunction('current_timezone', [doc('', 'varchar', 'The session time zone')], [
    { params: [], returns: VARCHAR, kernel: () => (_a, _r, ctx) => scalarValue(ctx.timeZone) },
  ])],
  [scalarFunction('from_unixtime', [
    doc('double', 'timestamp(3) with time zone', 'The instant unixtime seconds after 1970-01-01 00:00:00 UTC, in the session time zone'),
    doc('double, varchar', 'timestamp(3) with time zone', 'The instant unixtime seconds after the epoch, in the given zone'),
  ], [
    { params: [DOUBLE], returns: TZ3, kernel: () => rowwise([DOUBLE], TZ3, ([x]) => unixToMicros(x as number)) },
    {
      params: [DOUBLE, VARCHAR], returns: TZ3, zoneArgument: 1,
      kernel: () => rowwise([DOUBLE, VARCHAR], TZ3, ([x, z]) => {
        requireZone(z as string);
        return unixToMicros(x as number);
      }),
    },
  ])],
  [scalarFunction('to_unixtime', [doc('timestamp(p) with time zone', 'double', 'Seconds since 1970-01-01 00:00:00 UTC')], [
    { params: ZONED_ARG, returns: DOUBLE, kernel: (p) => rowwise(p, DOUBLE, ([v]) => Number(toMicros(v as bigint, p[0]!)) / 1e6) },
  ])],
  [scalarFunction('from_iso8601_timestamp', [doc('varchar', 'timestamp(3) with time zone', 'Parses an ISO 8601 timestamp; without an offset, in the session time zone')], [
    { params: [VARCHAR], returns: TZ3, kernel: () => (args, rows, ctx) => rowwise([VARCHAR], TZ3, ([s]) => roundToMillis(parseIso8601Timestamp(s as string, ctx.timeZone)))(args, rows, ctx) },
  ])],
  [scalarFunction('from_iso8601_date', [doc('varchar', 'date', 'Parses an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)')], [
    { params: [VARCHAR], returns: DATE, kernel: () => rowwise([VARCHAR], DATE, ([s]) => parseIso8601Date(s as string)) },
  ])],
  [scalarFunction('to_iso8601', [doc('T', 'varchar', 'ISO 8601 text of a date or timestamp')], [
    { params: TEMPORAL_ARG, returns: VARCHAR, kernel: (p) => rowwise(p, VARCHAR, ([v]) => toIso8601(v!, p[0]!)) },
  ])],
  [scalarFunction('at_timezone', [doc('timestamp(p) with time zone, varchar', 'timestamp(p) with time zone', 'The same instant in another zone (x AT TIME ZONE zone)')], [
    {
      params: (args) => (args.length === 2 ? [...(ZONED_ARG([args[0]!]) ?? []), VARCHAR] : undefined),
      returns: (p) => p[0]!, zoneArgument: 1,
      kernel: (p) => rowwise(p, p[0]!, ([v, z]) => {
        requireZone(z as string);
        return v!;
      }),
    },
  ])],
  ...(['hour', 'minute'] as const).map((part): [ScalarFunction] => [scalarFunction(`timezone_${part}`, [
    doc('timestamp(p) with time zone', 'bigint', `The ${part}s of the value's zone offset from UTC`),
  ], [
    {
      params: (args) => (args.length === 1 && args[0]!.kind === 'timestamp' && args[0]!.withTimeZone ? args : undefined),
      returns: BIGINT,
      kernel: (p) => rowwise(p, BIGINT, ([v]) => {
        const minutes = zoneOffsetMillis(zoneOf(p[0]!), Number(floorDiv(toMicros(v as bigint, p[0]!), 1000n))) / 60_000;
        return BigInt(Math.trunc(part === 'hour' ? minutes / 60 : minutes % 60));
      }),
    },
  ])]),
  [scalarFunction('with_timezone', [doc('timestamp(p), varchar', 'timestamp(p) with time zone', 'The wall-clock time x in the given zone')], [
    {
      params: (args) => (args.length === 2 && args[0]!.kind === 'timestamp' && !args[0]!.withTimeZone ? [args[0]!, VARCHAR] : undefined),
      returns: (p) => timestampType((p[0] as { precision: number }).precision, true), zoneArgument: 1,
      kernel: (p) => rowwise(p, timestampType((p[0] as { precision: number }).precision, true), ([v, z]) =>
        localToInstant(v as bigint, unitMicros(p[0]!) === 'ns' ? 1_000_000_000 : 1_000_000, requireZone(z as string))),
    },
  ])],
];

function unixToMicros(seconds: number): bigint {
  if (!Number.isFinite(seconds)) throw new ShoalError('INVALID_FUNCTION_ARGUMENT', `Invalid unixtime: ${seconds}`);
  return BigInt(Math.round(seconds * 1000)) * 1000n;
}

function roundToMillis(us: bigint): bigint {
  return floorDiv(us + 500n, 1000n) * 1000n;
}
