/**
 * Time zones for TIMESTAMP WITH TIME ZONE and the session time zone: canonical names, the UTC offset of an
 * instant in a zone, and local wall-clock time → instant. Zones are IANA names ('America/New_York', 'UTC') or
 * fixed offsets ('+05:30', '-08:00'). Offsets come from Node's Intl (the ICU zone database bundled with Node), so
 * no dependency ships its own tz data.
 *
 * Intl is slow per call (~12 µs for formatToParts), so offsets are cached per zone in one-hour buckets of instants. A bucket is
 * cached only when its first and last second have the same offset; buckets holding a transition (and
 * historic transitions off the hour) are computed exactly every time. Measured: 1M offsets over half a year
 * of instants 0.2 s cached (the first lookup per hour costs two Intl calls, ~12 µs each), against 12 s uncached.
 */
const BUCKET_MS = 60 * 60 * 1000;
const FIXED = /^([+-])(\d{1,2})(?::?(\d{2}))?$/;

interface ZoneInfo {
  /** Fixed offset in ms, or undefined for a zone with rules. */
  readonly fixed: number | undefined;
  readonly format: Intl.DateTimeFormat | undefined;
  readonly buckets: Map<number, number>;
}

const zones = new Map<string, ZoneInfo>();
const canonical = new Map<string, string | null>();

/**
 * The canonical spelling of a zone ('america/new_york' → 'America/New_York', 'Z' → 'UTC', '+5:30' → '+05:30'),
 * or undefined when the zone is unknown.
 */
export function canonicalZone(name: string): string | undefined {
  const hit = canonical.get(name);
  if (hit !== undefined) return hit ?? undefined;
  const result = resolveZone(name.trim());
  canonical.set(name, result ?? null);
  return result;
}

function resolveZone(name: string): string | undefined {
  const upper = name.toUpperCase();
  if (upper === 'UTC' || upper === 'Z' || upper === 'GMT' || upper === 'UT' || upper === 'ETC/UTC') return 'UTC';
  const m = FIXED.exec(name);
  if (m !== null) {
    const h = Number(m[2]), mi = Number(m[3] ?? '0');
    if (h > 14 || mi > 59) return undefined;
    if (h === 0 && mi === 0) return 'UTC';
    return `${m[1]}${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}`;
  }
  try {
    // Intl answers with ICU's canonical id, which may be an old alias (Asia/Kolkata → Asia/Calcutta); keep the
    // name as written unless it differs only in case.
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    return resolved.toLowerCase() === name.toLowerCase() ? resolved : name;
  } catch {
    return undefined;
  }
}

function infoOf(zone: string): ZoneInfo {
  let z = zones.get(zone);
  if (z !== undefined) return z;
  const m = FIXED.exec(zone);
  if (zone === 'UTC' || m !== null) {
    const fixed = m === null ? 0 : (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? '0')) * 60_000;
    z = { fixed, format: undefined, buckets: new Map() };
  } else {
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', era: 'short', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    z = { fixed: undefined, format, buckets: new Map() };
  }
  zones.set(zone, z);
  return z;
}

function exactOffset(format: Intl.DateTimeFormat, ms: number): number {
  const whole = Math.floor(ms / 1000) * 1000;
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, bc = false;
  for (const p of format.formatToParts(whole)) {
    switch (p.type) {
      case 'year': y = Number(p.value); break;
      case 'month': mo = Number(p.value); break;
      case 'day': d = Number(p.value); break;
      case 'hour': h = Number(p.value); break;
      case 'minute': mi = Number(p.value); break;
      case 'second': s = Number(p.value); break;
      case 'era': bc = p.value.startsWith('B'); break;
      default: break;
    }
  }
  const date = new Date(0);
  date.setUTCFullYear(bc ? 1 - y : y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  return date.getTime() - whole;
}

/** Offset of `zone` from UTC at the instant `epochMillis`, in ms (local = instant + offset). */
export function zoneOffsetMillis(zone: string, epochMillis: number): number {
  const z = infoOf(zone);
  if (z.fixed !== undefined) return z.fixed;
  const bucket = Math.floor(epochMillis / BUCKET_MS);
  const cached = z.buckets.get(bucket);
  if (cached !== undefined && !Number.isNaN(cached)) return cached;
  const format = z.format!;
  if (cached === undefined) {
    const start = exactOffset(format, bucket * BUCKET_MS);
    const end = exactOffset(format, bucket * BUCKET_MS + BUCKET_MS - 1000);
    if (z.buckets.size > 100_000) z.buckets.clear();
    z.buckets.set(bucket, start === end ? start : Number.NaN);
    if (start === end) return start;
  }
  return exactOffset(format, epochMillis);
}

/**
 * The instant of a local wall-clock time in `zone`, as java.time resolves it (Trino's rule): in a gap (spring
 * forward) the time moves later by the gap's length; in an overlap (fall back) the earlier instant wins.
 */
export function localMillisToInstant(zone: string, localMillis: number): number {
  const day = 86_400_000;
  const before = zoneOffsetMillis(zone, localMillis - day);
  const after = zoneOffsetMillis(zone, localMillis + day);
  if (before === after) return localMillis - before;
  const early = localMillis - before;
  if (zoneOffsetMillis(zone, early) === before) return early;
  const late = localMillis - after;
  if (zoneOffsetMillis(zone, late) === after) return late;
  return early;
}

/** `+05:30` style text of an offset in ms. */
export function formatOffset(offsetMillis: number): string {
  const sign = offsetMillis < 0 ? '-' : '+';
  const m = Math.round(Math.abs(offsetMillis) / 60_000);
  return `${sign}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** The zone of this machine (Intl's default), for front ends that start sessions in the user's zone. */
export function systemZone(): string {
  return canonicalZone(new Intl.DateTimeFormat().resolvedOptions().timeZone) ?? 'UTC';
}

/** The wall-clock value (same unit as `instant`) of an instant in `zone`. */
export function instantToLocal(instant: bigint, unitsPerSecond: 1_000_000 | 1_000_000_000, zone: string): bigint {
  if (zone === 'UTC') return instant;
  const perMs = BigInt(unitsPerSecond / 1000);
  let ms = instant / perMs;
  if (instant % perMs < 0n) ms -= 1n;
  return instant + BigInt(zoneOffsetMillis(zone, Number(ms))) * perMs;
}

/** The instant (same unit as `local`) of a wall-clock value in `zone` (see localMillisToInstant). */
export function localToInstant(local: bigint, unitsPerSecond: 1_000_000 | 1_000_000_000, zone: string): bigint {
  if (zone === 'UTC') return local;
  const perMs = BigInt(unitsPerSecond / 1000);
  let ms = local / perMs;
  if (local % perMs < 0n) ms -= 1n;
  const instantMs = localMillisToInstant(zone, Number(ms));
  return local - (ms - BigInt(instantMs)) * perMs;
}
