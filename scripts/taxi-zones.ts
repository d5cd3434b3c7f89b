/**
 * Geography for the trip generator: rough zone positions (miles east/north of the Battery), pickup and
 * dropoff popularity per service, and the zone lookup CSV in the quoting style of TLC's file.
 */
import { Rng } from './prng.js';
import { TAXI_ZONES, type TaxiZone } from './taxi-zone-list.js';

export { TAXI_ZONES, type TaxiZone } from './taxi-zone-list.js';

export const ZONE_COUNT = 265;
export const JFK = 132;
export const LAGUARDIA = 138;
export const NEWARK = 1;
export const UNKNOWN_ZONES: readonly number[] = [264, 265];

/**
 * Manhattan zones by approximate distance north of the Battery (miles) and side of the island
 * (-1 west, 0 middle, 1 east). The island runs about 29 degrees east of north, hence x grows with y.
 */
const MANHATTAN: ReadonlyArray<readonly [id: number, north: number, side: number]> = [
  [4, 2.2, 1], [12, 0, 0], [13, 0.6, -1], [24, 7.0, -1], [41, 8.3, 0], [42, 9.2, 0], [43, 6.2, 0],
  [45, 1.2, 0.5], [48, 4.6, -0.5], [50, 4.6, -1], [68, 3.3, -0.5], [74, 8.2, 1], [75, 7.3, 1],
  [79, 2.4, 0.5], [87, 0.6, 0], [88, 0.3, 0], [90, 3.1, 0], [100, 4.0, -0.3], [103, -0.9, -0.5],
  [104, -0.9, -1.5], [105, -0.9, -2], [107, 3.0, 0.5], [113, 2.6, -0.3], [114, 2.1, -0.3],
  [116, 9.8, -1], [120, 10.8, 0.5], [125, 1.8, -1], [127, 12.5, 0], [128, 12.8, -1], [137, 3.4, 1],
  [140, 5.8, 1], [141, 5.7, 0.3], [142, 5.2, -0.5], [143, 5.3, -1], [144, 1.5, 0], [148, 1.6, 1],
  [151, 7.6, -0.5], [152, 9.2, -1], [153, 13.2, 0.5], [158, 2.8, -1], [161, 4.4, 0], [162, 4.3, 0.7],
  [163, 4.8, 0], [164, 3.8, 0], [166, 8.5, -1], [170, 3.7, 0.7], [186, 3.7, -0.3], [194, 8.0, 2.5],
  [202, 5.0, 2.2], [209, 0.7, 0.5], [211, 1.6, -0.5], [224, 2.7, 1.2], [229, 4.9, 1], [230, 4.3, -0.3],
  [231, 1.1, -0.5], [232, 1.0, 1], [233, 4.1, 1], [234, 2.8, 0], [236, 6.7, 0.7], [237, 6.0, 0.7],
  [238, 7.2, -0.7], [239, 6.2, -0.7], [243, 11.5, 0], [244, 10.6, 0], [246, 3.5, -1], [249, 2.4, -0.7],
  [261, 0.8, -0.3], [262, 6.8, 1.3], [263, 6.9, 0.9],
];

/** Borough centres and radii in the same frame, from their latitude/longitude. */
const BOROUGH_DISCS: Readonly<Record<'Brooklyn' | 'Queens' | 'Bronx' | 'Staten Island', readonly [number, number, number]>> = {
  Brooklyn: [3.5, -3.7, 4.2],
  Queens: [10.3, 1.2, 5.0],
  Bronx: [7.7, 10.1, 3.2],
  'Staten Island': [-7.0, -8.5, 3.8],
};

/** [x, y] per zone, index = LocationID - 1; NaN for the unknown zones (their distances are random). */
export const ZONE_XY: readonly (readonly [number, number])[] = buildPositions();

function buildPositions(): (readonly [number, number])[] {
  const rng = new Rng('shoal-taxi-zone-positions-v1');
  const manhattan = new Map<number, readonly [number, number]>();
  for (const [id, north, side] of MANHATTAN) manhattan.set(id, [0.45 * north + 0.7 * side, north]);
  return TAXI_ZONES.map((z): readonly [number, number] => {
    // Draw for every zone so positions do not shift when one table entry changes.
    const r = Math.sqrt(rng.float());
    const a = rng.float() * 2 * Math.PI;
    const id = z.locationId;
    if (id === NEWARK) return [-8.3, -0.9];
    if (id === JFK) return [12.4, -4.0];
    if (id === LAGUARDIA) return [7.5, 5.1];
    const m = manhattan.get(id);
    if (m) return m;
    if (z.borough === 'Manhattan') throw new Error(`no position for Manhattan zone ${id}`);
    if (z.borough === 'Unknown' || z.borough === 'EWR') return [Number.NaN, Number.NaN];
    const [cx, cy, radius] = BOROUGH_DISCS[z.borough];
    return [cx + radius * r * Math.cos(a), cy + radius * r * Math.sin(a)];
  });
}

/** True for the zones inside the congestion-pricing surcharge area (Manhattan's Yellow Zone, roughly). */
export function inCongestionArea(zone: TaxiZone): boolean {
  return zone.borough === 'Manhattan' && zone.serviceZone === 'Yellow Zone' && ![103, 104, 105, 194].includes(zone.locationId);
}

/** Pickup popularity, in percent-like units, of the busiest zones of each service (2023-24 TLC shape). */
const YELLOW_PICKUP_HOT: Readonly<Record<number, number>> = {
  132: 5.2, 161: 4.7, 237: 4.5, 236: 4.1, 162: 3.6, 138: 3.3, 186: 3.4, 230: 3.2, 142: 3.0, 170: 3.0,
  163: 2.8, 239: 2.8, 48: 2.6, 234: 2.5, 68: 2.4, 141: 2.3, 79: 2.1, 249: 2.0, 107: 2.0, 164: 2.0,
  140: 1.9, 43: 1.8, 113: 1.7, 100: 1.7, 238: 1.6, 90: 1.5, 263: 1.4, 262: 1.2, 229: 1.2, 233: 1.1,
  137: 1.1, 246: 1.2, 114: 1.1, 158: 1.0, 231: 1.0, 151: 0.9, 224: 0.7, 211: 0.7, 144: 0.7, 87: 0.7,
  88: 0.5, 13: 0.5, 148: 0.8, 125: 0.6, 50: 0.6, 166: 0.6, 75: 0.6, 74: 0.5, 41: 0.4, 264: 0.9,
  265: 0.1, 7: 0.3, 1: 0.02,
};
const GREEN_PICKUP_HOT: Readonly<Record<number, number>> = {
  74: 9.0, 75: 7.0, 41: 5.0, 42: 3.0, 166: 4.0, 95: 2.5, 97: 2.0, 7: 2.5, 82: 2.0, 129: 2.5,
  255: 1.5, 181: 1.5, 65: 2.5, 244: 2.2, 33: 1.5, 260: 1.5, 226: 1.2, 152: 1.4, 116: 1.3, 243: 1.2,
  92: 1.0, 130: 1.5, 61: 1.2, 25: 1.0, 17: 0.8, 49: 0.8, 112: 0.8, 145: 0.8, 146: 0.9, 223: 0.6,
  179: 0.8, 264: 1.0, 265: 0.1, 132: 0.15, 138: 0.2,
};

function baseWeight(service: 'yellow' | 'green', end: 'pickup' | 'dropoff', z: TaxiZone): number {
  const core = z.borough === 'Manhattan' && z.serviceZone === 'Yellow Zone';
  if (service === 'yellow') {
    if (end === 'pickup') {
      if (z.borough === 'Staten Island') return 0.005;
      return core ? 0.2 : 0.03;
    }
    if (z.locationId === NEWARK) return 0.25;
    if (z.locationId === JFK) return 2.0;
    if (z.locationId === LAGUARDIA) return 2.5;
    if (z.borough === 'Staten Island') return 0.02;
    return core ? 0.5 : 0.12;
  }
  if (end === 'pickup') {
    if (z.borough === 'Staten Island') return 0.01;
    return core ? 0.05 : 0.2;
  }
  if (z.borough === 'Staten Island') return 0.03;
  return core ? 0.6 : 0.4;
}

/** Pickup weights per zone (index = LocationID - 1). */
export function pickupWeights(service: 'yellow' | 'green'): number[] {
  const hot = service === 'yellow' ? YELLOW_PICKUP_HOT : GREEN_PICKUP_HOT;
  return TAXI_ZONES.map((z) => hot[z.locationId] ?? baseWeight(service, 'pickup', z));
}

/**
 * Dropoff weights given the pickup zone: popularity (pickup popularity blended with a flatter base) times a
 * preference for nearby zones, so most trips are short and airports draw from everywhere.
 */
export function dropoffWeights(service: 'yellow' | 'green', pickupIndex: number): number[] {
  const hot = service === 'yellow' ? YELLOW_PICKUP_HOT : GREEN_PICKUP_HOT;
  const p = ZONE_XY[pickupIndex] ?? [Number.NaN, Number.NaN];
  return TAXI_ZONES.map((z, j) => {
    const id = z.locationId;
    // Airports draw from everywhere: a fixed share, no distance penalty.
    if (id === JFK) return service === 'yellow' ? 0.5 : 0.08;
    if (id === LAGUARDIA) return service === 'yellow' ? 0.65 : 0.12;
    if (id === NEWARK) return 0.12;
    const popularity = 0.6 * (hot[id] ?? 0) + baseWeight(service, 'dropoff', z);
    const q = ZONE_XY[j] ?? [Number.NaN, Number.NaN];
    const d = Math.hypot(p[0] - q[0], p[1] - q[1]);
    const near = Number.isNaN(d) ? 0.12 : (service === 'yellow' ? 0.06 : 0.015) + Math.exp(-d / 1.25);
    const same = j === pickupIndex ? 1.5 : 1;
    return popularity * near * same;
  });
}

/** Straight-line distance in miles between two zones, or NaN when either has no position. */
export function zoneDistance(i: number, j: number): number {
  const p = ZONE_XY[i];
  const q = ZONE_XY[j];
  if (p === undefined || q === undefined) return Number.NaN;
  return Math.hypot(p[0] - q[0], p[1] - q[1]);
}

/**
 * The lookup CSV exactly as TLC publishes it: a fully quoted header, LocationID unquoted, the text fields
 * quoted, LF line ends, a final newline.
 */
export function zoneLookupCsv(): string {
  const q = (s: string): string => `"${s.replaceAll('"', '""')}"`;
  const lines = ['"LocationID","Borough","Zone","service_zone"'];
  for (const z of TAXI_ZONES) lines.push(`${z.locationId},${q(z.borough)},${q(z.zone)},${q(z.serviceZone)}`);
  return `${lines.join('\n')}\n`;
}
