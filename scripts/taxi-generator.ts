/**
 * Deterministic generator of NYC-TLC-shaped taxi trips (yellow and green, 2024 layout) as Arrow record batches.
 *
 * One generator covers one service and one month: `nextBatch(n)` hands out the month's rows in pickup order,
 * so any row count can be produced in bounded memory, and the rows are the same whatever the batch sizes.
 * Everything derives from a seeded PRNG (see prng.ts): the same (service, year, month, rows, seed) gives
 * the same rows on every run. The shape follows TLC's published data: evening peaks and quiet nights,
 * weekday/weekend profiles, skewed zones (Midtown, the Upper East Side and the airports for yellow; upper
 * Manhattan, Brooklyn and Queens for green), durations and metered fares that follow distance, surcharges
 * by time and place, tips mostly on card payments, cents-exact totals, ~4-5% "app" rows with NULLs, and
 * the odd rows real files carry (zero passengers, zero distance, refunds, stray pickup timestamps, a rare
 * dropoff before its pickup). `stats` counts what was planted so tests can check the files exactly.
 */
import type { RecordBatch } from 'apache-arrow';
import { Rng, cumulative } from './prng.js';
import { allocateBuffers, buffersToBatch, type TaxiService, type TripBuffers } from './taxi-arrow.js';
import {
  JFK, LAGUARDIA, NEWARK, TAXI_ZONES, dropoffWeights, inCongestionArea, pickupWeights, zoneDistance, type TaxiZone,
} from './taxi-zones.js';

export { tripSchema, timestampColumns, type TaxiService } from './taxi-arrow.js';

/** Bump when the generated rows change, so cached benchmark data is rebuilt. */
export const GENERATOR_VERSION = 1;

export interface MonthSpec {
  readonly service: TaxiService;
  readonly year: number;
  /** 1-12 */
  readonly month: number;
  /** Rows in this month's file. */
  readonly rows: number;
  /** Extra seed text; different seeds give independent data sets. */
  readonly seed?: string;
}

/** What the generator planted, for exact checks against the written files. */
export interface TripStats {
  rows: number;
  /** Rows with NULL passenger_count / RatecodeID / store_and_fwd_flag / congestion_surcharge (and Airport_fee, or green payment_type / trip_type). */
  nullRows: number;
  zeroPassengers: number;
  zeroDistance: number;
  /** Rows with negated amounts (refunds and disputes). */
  refunds: number;
  /** Rows whose pickup lies outside the partition's month. */
  outsideMonth: number;
  /** Rows whose dropoff is before the pickup. */
  dropoffBeforePickup: number;
}

const HOUR_US = 3_600_000_000;
const SECOND_US = 1_000_000;

/** Relative pickups per hour of day (TLC yellow 2023-24 shape). */
const WEEKDAY_HOURS = [2.0, 1.2, 0.8, 0.5, 0.45, 0.6, 1.5, 2.8, 3.8, 4.2, 4.4, 4.7, 5.1, 5.3, 5.8, 6.1, 6.3, 7.0, 7.3, 6.6, 5.9, 5.9, 5.5, 4.2];
const WEEKEND_HOURS = [4.0, 3.2, 2.3, 1.5, 0.9, 0.6, 0.7, 1.2, 2.0, 3.0, 3.9, 4.6, 5.2, 5.5, 5.7, 5.8, 5.9, 6.3, 6.6, 6.2, 5.6, 5.6, 5.6, 5.2];
/** Sunday..Saturday */
const DAY_FACTOR = [0.85, 0.9, 1.0, 1.05, 1.1, 1.08, 1.0];
/** Traffic speed (mph) by hour of day for the time part of the meter. */
const SPEED_MPH = [17, 18, 19, 19, 18, 16, 13, 11, 10, 10, 10, 10, 10, 10, 9.5, 9, 8.5, 8.5, 9, 10, 12, 13, 14, 15];

const MANHATTAN_IDS = new Set(TAXI_ZONES.filter((z) => z.borough === 'Manhattan').map((z) => z.locationId));

const PASSENGERS: Readonly<Record<TaxiService, Float64Array>> = {
  yellow: cumulative([0.012, 0.74, 0.14, 0.035, 0.02, 0.028, 0.025]),
  green: cumulative([0.01, 0.83, 0.09, 0.02, 0.01, 0.025, 0.015]),
};
/** payment_type 1..4 (card, cash, no charge, dispute) for rows that have one. */
const PAYMENTS: Readonly<Record<TaxiService, Float64Array>> = {
  yellow: cumulative([0.8, 0.17, 0.008, 0.022]),
  green: cumulative([0.66, 0.32, 0.008, 0.012]),
};
/** Tip-screen choices: none, 15, 20, 25, 30 percent, custom. */
const TIP_CHOICES = cumulative([0.12, 0.05, 0.42, 0.2, 0.1, 0.11]);

const PICKUP_CDF: Readonly<Record<TaxiService, Float64Array>> = {
  yellow: cumulative(pickupWeights('yellow')),
  green: cumulative(pickupWeights('green')),
};
const dropoffCdfCache = new Map<string, Float64Array>();
function dropoffCdf(service: TaxiService, pickupIndex: number): Float64Array {
  const key = `${service}:${pickupIndex}`;
  let cdf = dropoffCdfCache.get(key);
  if (!cdf) {
    cdf = cumulative(dropoffWeights(service, pickupIndex));
    dropoffCdfCache.set(key, cdf);
  }
  return cdf;
}

function zoneAt(index: number): TaxiZone {
  const z = TAXI_ZONES[index];
  if (z === undefined) throw new Error(`no zone at index ${index}`);
  return z;
}

export class TripGenerator {
  readonly spec: MonthSpec;
  readonly stats: TripStats;
  private readonly rng: Rng;
  /** Cumulative pickup intensity per hour of the month, normalised to end at 1. */
  private readonly hourCdf: Float64Array;
  private readonly monthStartUs: number;
  private readonly monthEndUs: number;
  private emitted = 0;
  /** The last sorted uniform handed out (order statistics are drawn ascending). */
  private u = 0;
  private hourCursor = 0;
  private buffers: TripBuffers | undefined;

  constructor(spec: MonthSpec) {
    if (!Number.isInteger(spec.rows) || spec.rows < 0) throw new Error(`rows must be a non-negative integer, got ${spec.rows}`);
    if (!Number.isInteger(spec.month) || spec.month < 1 || spec.month > 12) throw new Error(`bad month ${spec.month}`);
    this.spec = spec;
    this.rng = new Rng(`shoal-taxi-v${GENERATOR_VERSION}:${spec.service}:${spec.year}-${spec.month}:${spec.seed ?? ''}`);
    this.stats = { rows: 0, nullRows: 0, zeroPassengers: 0, zeroDistance: 0, refunds: 0, outsideMonth: 0, dropoffBeforePickup: 0 };
    this.monthStartUs = Date.UTC(spec.year, spec.month - 1, 1) * 1000;
    this.monthEndUs = Date.UTC(spec.year, spec.month, 1) * 1000;
    this.hourCdf = this.buildHourCdf();
  }

  get remaining(): number {
    return this.spec.rows - this.emitted;
  }

  private buildHourCdf(): Float64Array {
    const hours = Math.round((this.monthEndUs - this.monthStartUs) / HOUR_US);
    const weights: number[] = [];
    let dayNoise = 1;
    for (let h = 0; h < hours; h++) {
      const hourOfDay = h % 24;
      if (hourOfDay === 0) dayNoise = 0.85 + 0.3 * this.rng.float();
      const dow = new Date((this.monthStartUs + h * HOUR_US) / 1000).getUTCDay();
      const profile = dow === 0 || dow === 6 ? WEEKEND_HOURS : WEEKDAY_HOURS;
      const green = this.spec.service === 'green' ? (hourOfDay >= 7 && hourOfDay <= 18 ? 1.15 : 0.9) : 1;
      weights.push((profile[hourOfDay] ?? 1) * (DAY_FACTOR[dow] ?? 1) * dayNoise * green);
    }
    const cdf = cumulative(weights);
    const total = cdf[cdf.length - 1] ?? 1;
    for (let i = 0; i < cdf.length; i++) cdf[i] = (cdf[i] ?? 0) / total;
    return cdf;
  }

  /** Next pickup time (µs, whole seconds) in ascending order over the month. */
  private nextPickupUs(): number {
    const left = this.spec.rows - this.emitted;
    // The next order statistic of `left` remaining uniforms above u.
    this.u = 1 - (1 - this.u) * Math.pow(this.rng.floatOpen(), 1 / left);
    const cdf = this.hourCdf;
    while (this.hourCursor < cdf.length - 1 && (cdf[this.hourCursor] ?? 1) <= this.u) this.hourCursor++;
    const h = this.hourCursor;
    const lo = h > 0 ? (cdf[h - 1] ?? 0) : 0;
    const hi = cdf[h] ?? 1;
    const frac = hi > lo ? Math.min(1, Math.max(0, (this.u - lo) / (hi - lo))) : 0;
    const seconds = Math.min(3599, Math.floor(frac * 3600));
    return this.monthStartUs + h * HOUR_US + seconds * SECOND_US;
  }

  /** The next up to `maxRows` rows of the month (empty when exhausted). */
  nextBatch(maxRows: number): RecordBatch {
    const n = Math.max(0, Math.min(maxRows, this.remaining));
    if (!this.buffers || this.buffers.capacity < n) this.buffers = allocateBuffers(n);
    for (let i = 0; i < n; i++) {
      this.fillRow(this.buffers, i);
      this.emitted++;
    }
    this.stats.rows += n;
    return buffersToBatch(this.spec.service, this.buffers, n);
  }

  private fillRow(b: TripBuffers, i: number): void {
    const rng = this.rng;
    const yellow = this.spec.service === 'yellow';
    const c = b.num;
    let pickupUs = this.nextPickupUs();

    // Vendor and the app-booked rows whose meter fields are NULL in TLC files.
    const vr = rng.float();
    const vendor = yellow ? (vr < 0.0005 ? 6 : vr < 0.24 ? 1 : 2) : vr < 0.12 ? 1 : 2;
    const nullRow = rng.chance(yellow ? 0.042 : 0.05);
    if (nullRow) this.stats.nullRows++;

    // Zones and distance.
    const puIndex = rng.pickCdf(PICKUP_CDF[this.spec.service]);
    let doIndex = rng.pickCdf(dropoffCdf(this.spec.service, puIndex));
    const zeroDistance = rng.chance(0.012);
    if (zeroDistance && rng.chance(0.6)) doIndex = puIndex;
    const pu = puIndex + 1;
    const dz = doIndex + 1;
    const straight = zoneDistance(puIndex, doIndex);
    let miles: number;
    if (zeroDistance) miles = 0;
    else if (Number.isNaN(straight)) miles = dz === 265 || pu === 265 ? rng.range(8, 45) : Math.exp(0.7 + 0.8 * rng.normal());
    else if (puIndex === doIndex) miles = rng.range(0.3, 1.6);
    else miles = straight * rng.range(1.15, 1.4) + rng.range(0, 0.3);
    miles = Math.min(Math.round(miles * 100) / 100, 120);
    if (zeroDistance) this.stats.zeroDistance++;

    // Duration from distance and the hour's traffic.
    const hourOfDay = Math.floor((pickupUs - this.monthStartUs) / HOUR_US) % 24;
    const mph = (SPEED_MPH[hourOfDay] ?? 10) * (miles > 8 ? 1.8 : miles > 3 ? 1.25 : 1);
    let minutes = zeroDistance ? rng.range(0.2, 9) : 1.5 + (miles / mph) * 60 * Math.exp(0.25 * rng.normal());
    minutes = Math.min(minutes, 240);
    const durationS = Math.max(1, Math.round(minutes * 60));

    // Rate code.
    const manhattanEnd = MANHATTAN_IDS.has(pu) || MANHATTAN_IDS.has(dz);
    let ratecode = 1;
    const rr = rng.float();
    const tripType = !yellow && rng.chance(0.03) ? 2 : 1;
    if ((pu === JFK || dz === JFK) && manhattanEnd && rr < 0.9) ratecode = 2;
    else if ((pu === NEWARK || dz === NEWARK) && rr < 0.8) ratecode = 3;
    else if (tripType === 2 && rr < 0.7) ratecode = 5;
    else if (rr < 0.004) ratecode = 5;
    else if (rr < 0.006) ratecode = 4;
    else if (rr < 0.008) ratecode = 99;

    // Money, in cents, so total_amount is exactly the sum of its parts.
    const slowMinutes = Math.max(0, minutes - (miles / 12) * 60) * 0.8;
    const metered = 300 + 70 * Math.ceil(miles * 5 + slowMinutes);
    let fare = metered;
    if (ratecode === 2) fare = 7000;
    else if (ratecode === 3) fare = metered + 2000;
    else if (ratecode === 5) fare = Math.max(1, Math.round((metered / 100) * rng.range(0.8, 1.3))) * 100;
    const dow = new Date(pickupUs / 1000).getUTCDay();
    const weekday = dow >= 1 && dow <= 5;
    const peak = weekday && hourOfDay >= 16 && hourOfDay < 20;
    let extra = peak ? 250 : hourOfDay >= 20 || hourOfDay < 6 ? 100 : 0;
    if (ratecode === 2 && peak) extra = 500;
    const mta = ratecode === 5 && rng.chance(0.5) ? 0 : 50;
    const improvement = 100;
    const puZone = zoneAt(puIndex);
    const doZone = zoneAt(doIndex);
    const congestion = inCongestionArea(puZone) || inCongestionArea(doZone) ? (yellow ? 250 : 275) : 0;
    const airport = yellow && (pu === JFK || pu === LAGUARDIA) ? 175 : 0;
    const puBorough = puZone.borough;
    const doBorough = doZone.borough;
    const crossing = puBorough !== doBorough && puBorough !== 'Unknown' && doBorough !== 'Unknown';
    const tolls = crossing && !zeroDistance && rng.chance(0.35) ? (rng.chance(0.15) ? 1388 : 694) : 0;

    let payment = nullRow ? 0 : 1 + rng.pickCdf(PAYMENTS[this.spec.service]);
    let tip = 0;
    if (payment === 1 || (payment === 0 && rng.chance(0.5))) {
      const base = fare + extra + mta + improvement + congestion + airport;
      switch (rng.pickCdf(TIP_CHOICES)) {
        case 0: tip = 0; break;
        case 1: tip = Math.round(base * 0.15); break;
        case 2: tip = Math.round(base * 0.2); break;
        case 3: tip = Math.round(base * 0.25); break;
        case 4: tip = Math.round(base * 0.3); break;
        default: tip = rng.chance(0.5) ? 100 * (1 + rng.int(10)) : Math.round(base * rng.range(0.05, 0.4));
      }
    }

    // Refunds and disputes: every amount negated, no tip.
    let sign = 1;
    if (!nullRow && rng.chance(0.003)) {
      sign = -1;
      tip = 0;
      const pr = rng.float();
      payment = pr < 0.6 ? 4 : pr < 0.85 ? 3 : 2;
      this.stats.refunds++;
    }

    // Passengers.
    let passengers = Number.NaN;
    if (!nullRow) {
      passengers = vendor === 6 ? 1 : rng.pickCdf(PASSENGERS[this.spec.service]);
      if (passengers === 0) this.stats.zeroPassengers++;
    }

    // Stray timestamps outside the partition month, and the rare dropoff recorded before its pickup.
    if (rng.chance(0.0001)) {
      pickupUs = rng.chance(0.8)
        ? this.monthStartUs - (60 + rng.int(6 * 3600)) * SECOND_US
        : this.monthEndUs + (30 + rng.int(2 * 3600)) * SECOND_US;
      this.stats.outsideMonth++;
    }
    let dropoffUs = pickupUs + durationS * SECOND_US;
    if (rng.chance(0.00006)) {
      dropoffUs = pickupUs - (60 + rng.int(3600)) * SECOND_US;
      this.stats.dropoffBeforePickup++;
    }
    const flagged = !nullRow && vendor === 1 && rng.chance(0.015);

    const total = sign * (fare + extra + mta + improvement + (nullRow ? 0 : congestion + airport) + tolls) + tip;
    c.vendor[i] = vendor;
    c.pickup[i] = pickupUs;
    c.dropoff[i] = dropoffUs;
    c.passengers[i] = passengers;
    c.distance[i] = miles;
    c.ratecode[i] = nullRow ? Number.NaN : ratecode;
    b.flag[i] = nullRow ? 0 : flagged ? 2 : 1;
    c.pu[i] = pu;
    c.do[i] = dz;
    c.payment[i] = nullRow && !yellow ? Number.NaN : payment;
    // `+ 0` turns the -0 of a negated zero into 0: refunds must not write negative zeros.
    c.fare[i] = (sign * fare) / 100 + 0;
    c.extra[i] = (sign * extra) / 100 + 0;
    c.mta[i] = (sign * mta) / 100 + 0;
    c.tip[i] = tip / 100;
    c.tolls[i] = (sign * tolls) / 100 + 0;
    c.improvement[i] = (sign * improvement) / 100 + 0;
    c.congestion[i] = nullRow ? Number.NaN : (sign * congestion) / 100 + 0;
    c.airport[i] = nullRow ? Number.NaN : (sign * airport) / 100 + 0;
    c.total[i] = total / 100 + 0;
    c.tripType[i] = nullRow ? Number.NaN : tripType;
    c.ehail[i] = Number.NaN;
  }
}

/** Generates every row of a month in batches of `batchRows` (the generator's output does not depend on it). */
export function* generateMonth(spec: MonthSpec, batchRows = 8192): Generator<RecordBatch, TripStats> {
  const gen = new TripGenerator(spec);
  while (gen.remaining > 0) yield gen.nextBatch(batchRows);
  return gen.stats;
}

/** Months 1..n of TLC's 2024 yellow volumes, relative; used to split a total row count over months. */
export const MONTH_VOLUME_2024: readonly number[] = [2.96, 3.01, 3.58, 3.51, 3.72, 3.54, 3.08, 2.98, 3.63, 3.83, 3.65, 3.67];

/** Splits `total` rows over `months` months in proportion to MONTH_VOLUME_2024 (largest remainder, deterministic). */
export function splitRows(total: number, months: number): number[] {
  const w = MONTH_VOLUME_2024.slice(0, months);
  while (w.length < months) w.push(3.5);
  const sum = w.reduce((a, b) => a + b, 0);
  const exact = w.map((x) => (total * x) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    out[i] = (out[i] ?? 0) + 1;
    left--;
  }
  return out;
}
