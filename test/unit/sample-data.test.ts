/**
 * The committed sample data (sample-data/nyc, written by `npm run sample-data`) checked with DuckDB as an
 * independent reader: layout, schema, row counts, the planted oddities, money arithmetic, the zone CSV, and
 * that regenerating gives identical bytes.
 */
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SAMPLE_PLAN, SAMPLE_ROW_GROUP_ROWS, partitionFile, writeSamplePartition, writeZoneCsv, zoneCsvPath,
} from '../../scripts/sample-data.js';
import { TripGenerator, timestampColumns, type TaxiService, type TripStats } from '../../scripts/taxi-generator.js';
import { TAXI_ZONES } from '../../scripts/taxi-zones.js';

const root = fileURLToPath(new URL('../../sample-data/nyc', import.meta.url));
const glob = (service: TaxiService): string => `read_parquet('${join(root, `${service}_tripdata`)}/*/*/*.parquet', hive_partitioning = true)`;
const SERVICES: readonly TaxiService[] = ['yellow', 'green'];

let db: DuckDBInstance;
let conn: DuckDBConnection;

async function rows(sql: string): Promise<unknown[][]> {
  return (await conn.runAndReadAll(sql)).getRowsJS();
}

function num(v: unknown): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  throw new Error(`expected a number, got ${String(v)}`);
}

async function scalar(sql: string): Promise<number> {
  const r = await rows(sql);
  return num(r[0]?.[0]);
}

/** What the generator says it planted, summed over the service's months (regenerated in memory). */
function expectedStats(service: TaxiService): TripStats {
  const sum: TripStats = { rows: 0, nullRows: 0, zeroPassengers: 0, zeroDistance: 0, refunds: 0, outsideMonth: 0, dropoffBeforePickup: 0 };
  for (const spec of SAMPLE_PLAN.filter((s) => s.service === service)) {
    const gen = new TripGenerator(spec);
    while (gen.remaining > 0) gen.nextBatch(SAMPLE_ROW_GROUP_ROWS);
    for (const k of Object.keys(sum) as (keyof TripStats)[]) sum[k] += gen.stats[k];
  }
  return sum;
}

beforeAll(async () => {
  db = await DuckDBInstance.create(':memory:', { threads: '2' });
  conn = await db.connect();
});

afterAll(() => {
  conn.closeSync();
  db.closeSync();
});

describe('sample data layout', () => {
  it('has one Parquet file per planned partition and nothing else, under 10 MB in total', async () => {
    const found: string[] = [];
    let bytes = 0;
    for (const e of await readdir(root, { withFileTypes: true, recursive: true })) {
      if (!e.isFile()) continue;
      const path = join(e.parentPath, e.name);
      found.push(path);
      bytes += (await stat(path)).size;
    }
    const expected = [...SAMPLE_PLAN.map((s) => partitionFile(root, s)), zoneCsvPath(root)];
    expect(found.sort()).toEqual(expected.sort());
    expect(bytes).toBeLessThan(10 * 1024 * 1024);
  });

  it('uses hive partition folders with unpadded months', () => {
    expect(partitionFile(root, { service: 'yellow', year: 2024, month: 3 })).toMatch(/yellow_tripdata[/\\]year=2024[/\\]month=3[/\\]part-0\.parquet$/);
  });
});

describe.each(SERVICES)('%s_tripdata', (service) => {
  const [pickup, dropoff] = timestampColumns(service);

  it('has the TLC column names and types', async () => {
    const described = await rows(`DESCRIBE SELECT * FROM read_parquet('${partitionFile(root, { service, year: 2024, month: 1 })}', hive_partitioning = false)`);
    const got = described.map((r) => `${String(r[0])} ${String(r[1])}`);
    const yellow = [
      'VendorID INTEGER', 'tpep_pickup_datetime TIMESTAMP', 'tpep_dropoff_datetime TIMESTAMP', 'passenger_count BIGINT',
      'trip_distance DOUBLE', 'RatecodeID BIGINT', 'store_and_fwd_flag VARCHAR', 'PULocationID INTEGER', 'DOLocationID INTEGER',
      'payment_type BIGINT', 'fare_amount DOUBLE', 'extra DOUBLE', 'mta_tax DOUBLE', 'tip_amount DOUBLE', 'tolls_amount DOUBLE',
      'improvement_surcharge DOUBLE', 'total_amount DOUBLE', 'congestion_surcharge DOUBLE', 'Airport_fee DOUBLE',
    ];
    const green = [
      'VendorID INTEGER', 'lpep_pickup_datetime TIMESTAMP', 'lpep_dropoff_datetime TIMESTAMP', 'store_and_fwd_flag VARCHAR',
      'RatecodeID BIGINT', 'PULocationID INTEGER', 'DOLocationID INTEGER', 'passenger_count BIGINT', 'trip_distance DOUBLE',
      'fare_amount DOUBLE', 'extra DOUBLE', 'mta_tax DOUBLE', 'tip_amount DOUBLE', 'tolls_amount DOUBLE', 'ehail_fee DOUBLE',
      'improvement_surcharge DOUBLE', 'total_amount DOUBLE', 'payment_type BIGINT', 'trip_type BIGINT', 'congestion_surcharge DOUBLE',
    ];
    expect(got).toEqual(service === 'yellow' ? yellow : green);
  });

  it('has the planned rows per partition, in row groups with statistics', async () => {
    const counts = await rows(`SELECT year, month, count(*) FROM ${glob(service)} GROUP BY ALL ORDER BY ALL`);
    const plan = SAMPLE_PLAN.filter((s) => s.service === service);
    expect(counts.map((r) => [num(r[0]), num(r[1]), num(r[2])])).toEqual(plan.map((s) => [s.year, s.month, s.rows]));
    for (const spec of plan) {
      const groups = await rows(
        `SELECT row_group_id, any_value(row_group_num_rows), count(*) FILTER (WHERE stats_min_value IS NULL AND path_in_schema <> 'ehail_fee')
         FROM parquet_metadata('${partitionFile(root, spec)}') GROUP BY 1 ORDER BY 1`,
      );
      expect(groups.length).toBe(Math.ceil(spec.rows / SAMPLE_ROW_GROUP_ROWS));
      for (const g of groups) {
        expect(num(g[1])).toBeLessThanOrEqual(SAMPLE_ROW_GROUP_ROWS);
        expect(num(g[2])).toBe(0);
      }
    }
  });

  it('has exactly the oddities the generator planted', async () => {
    const want = expectedStats(service);
    const [r] = await rows(`
      SELECT count(*),
             count(*) FILTER (WHERE passenger_count IS NULL),
             count(*) FILTER (WHERE passenger_count = 0),
             count(*) FILTER (WHERE trip_distance = 0),
             count(*) FILTER (WHERE total_amount < 0),
             count(*) FILTER (WHERE ${pickup} < make_timestamp(year, month, 1, 0, 0, 0)
                                 OR ${pickup} >= make_timestamp(year, month, 1, 0, 0, 0) + INTERVAL 1 MONTH),
             count(*) FILTER (WHERE ${dropoff} < ${pickup})
      FROM ${glob(service)}`);
    expect((r ?? []).map(num)).toEqual([
      want.rows, want.nullRows, want.zeroPassengers, want.zeroDistance, want.refunds, want.outsideMonth, want.dropoffBeforePickup,
    ]);
    // Real files carry these, so the sample does too; but they stay rare.
    expect(want.dropoffBeforePickup).toBeGreaterThan(service === 'yellow' ? 0 : -1);
    expect(want.dropoffBeforePickup / want.rows).toBeLessThan(0.001);
    expect(want.outsideMonth / want.rows).toBeLessThan(0.001);
    expect(want.nullRows / want.rows).toBeGreaterThan(0.03);
    expect(want.nullRows / want.rows).toBeLessThan(0.06);
  });

  it('has NULLs only where TLC files have them', async () => {
    const nullable = service === 'yellow'
      ? ['passenger_count', 'RatecodeID', 'store_and_fwd_flag', 'congestion_surcharge', 'Airport_fee']
      : ['passenger_count', 'RatecodeID', 'store_and_fwd_flag', 'congestion_surcharge', 'payment_type', 'trip_type'];
    const described = await rows(`DESCRIBE SELECT * FROM ${glob(service)}`);
    for (const [name] of described) {
      const col = String(name);
      const nulls = await scalar(`SELECT count(*) FILTER (WHERE "${col}" IS NULL) FROM ${glob(service)}`);
      if (col === 'ehail_fee') expect(nulls, col).toBe(await scalar(`SELECT count(*) FROM ${glob(service)}`));
      else if (nullable.includes(col)) expect(nulls, col).toBe(await scalar(`SELECT count(*) FILTER (WHERE passenger_count IS NULL) FROM ${glob(service)}`));
      else expect(nulls, col).toBe(0);
    }
  });

  it('adds up money: cents everywhere, total_amount = sum of the parts, tips on card payments', async () => {
    const parts = ['fare_amount', 'extra', 'mta_tax', 'tip_amount', 'tolls_amount', 'improvement_surcharge', 'congestion_surcharge',
      ...(service === 'yellow' ? ['Airport_fee'] : [])];
    const sum = parts.map((p) => `coalesce(${p}, 0)`).join(' + ');
    expect(await scalar(`SELECT count(*) FROM ${glob(service)} WHERE abs(total_amount - (${sum})) >= 0.01`)).toBe(0);
    const notCents = [...parts, 'total_amount'].map((p) => `abs(${p} * 100 - round(${p} * 100)) > 1e-6`).join(' OR ');
    expect(await scalar(`SELECT count(*) FROM ${glob(service)} WHERE ${notCents}`)).toBe(0);
    expect(await scalar(`SELECT count(*) FROM ${glob(service)} WHERE payment_type = 2 AND tip_amount <> 0`)).toBe(0);
    const cardTipShare = await scalar(`SELECT avg((tip_amount > 0)::INT) FROM ${glob(service)} WHERE payment_type = 1`);
    expect(cardTipShare).toBeGreaterThan(0.7);
    // Fares follow distance.
    expect(await scalar(`SELECT corr(fare_amount, trip_distance) FROM ${glob(service)} WHERE fare_amount > 0`)).toBeGreaterThan(0.8);
    // No negative zeros (they print differently across engines).
    expect(await scalar(`SELECT count(*) FROM ${glob(service)} WHERE ${parts.map((p) => `${p}::VARCHAR = '-0.0'`).join(' OR ')}`)).toBe(0);
  });

  it('uses only known zones, with the expected hot spots', async () => {
    const zones = `read_csv('${zoneCsvPath(root)}')`;
    expect(await scalar(`SELECT count(*) FROM ${glob(service)} t ANTI JOIN ${zones} z ON t.PULocationID = z.LocationID`)).toBe(0);
    expect(await scalar(`SELECT count(*) FROM ${glob(service)} t ANTI JOIN ${zones} z ON t.DOLocationID = z.LocationID`)).toBe(0);
    const top = await rows(`SELECT PULocationID FROM ${glob(service)} GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 5`);
    const topIds = top.map((r) => num(r[0]));
    if (service === 'yellow') expect(topIds).toEqual(expect.arrayContaining([132, 161]));
    else expect(topIds).toEqual(expect.arrayContaining([74, 75]));
  });
});

describe('taxi_zone_lookup.csv', () => {
  it('has 265 zones in TLC quoting', async () => {
    const text = await readFile(zoneCsvPath(root), 'utf8');
    const lines = text.split('\n');
    expect(lines[0]).toBe('"LocationID","Borough","Zone","service_zone"');
    expect(lines[1]).toBe('1,"EWR","Newark Airport","EWR"');
    expect(lines).toContain('132,"Queens","JFK Airport","Airports"');
    expect(lines).toContain('138,"Queens","LaGuardia Airport","Airports"');
    expect(lines).toContain('161,"Manhattan","Midtown Center","Yellow Zone"');
    expect(lines).toContain('237,"Manhattan","Upper East Side South","Yellow Zone"');
    expect(lines.at(-1)).toBe('');
    expect(lines.length).toBe(267);
    for (const line of lines.slice(1, -1)) expect(line).toMatch(/^\d+,"[^"]*","[^"]*","[^"]*"$/);
  });

  it('parses with DuckDB to the generator table', async () => {
    const got = await rows(
      `SELECT LocationID, Borough, Zone, service_zone FROM read_csv('${zoneCsvPath(root)}', header = true, quote = '"') ORDER BY 1`,
    );
    expect(got.map((r) => [num(r[0]), r[1], r[2], r[3]])).toEqual(TAXI_ZONES.map((z) => [z.locationId, z.borough, z.zone, z.serviceZone]));
    const boroughs = await rows(`SELECT DISTINCT Borough FROM read_csv('${zoneCsvPath(root)}') ORDER BY 1`);
    expect(boroughs.map((r) => r[0])).toEqual(['Bronx', 'Brooklyn', 'EWR', 'Manhattan', 'Queens', 'Staten Island', 'Unknown']);
    const services = await rows(`SELECT DISTINCT service_zone FROM read_csv('${zoneCsvPath(root)}') ORDER BY 1`);
    expect(services.map((r) => r[0])).toEqual(['Airports', 'Boro Zone', 'EWR', 'N/A', 'Yellow Zone']);
  });
});

describe('determinism', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shoal-sample-test-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it.each(SERVICES)('regenerating %s month 1 gives the committed bytes', async (service) => {
    const spec = SAMPLE_PLAN.find((s) => s.service === service && s.month === 1);
    if (!spec) throw new Error('no month 1 in the plan');
    const written = await writeSamplePartition(tmp, spec);
    expect((await readFile(written.path)).equals(await readFile(partitionFile(root, spec)))).toBe(true);
  });

  it('regenerating the zone CSV gives the committed bytes', async () => {
    const path = await writeZoneCsv(tmp);
    expect((await readFile(path)).equals(await readFile(zoneCsvPath(root)))).toBe(true);
  });

  it('gives the same rows whatever the batch size', () => {
    const spec = { service: 'green' as const, year: 2024, month: 2, rows: 3000 };
    const column = (batchRows: number, name: string): number[] => {
      const gen = new TripGenerator(spec);
      const out: number[] = [];
      while (gen.remaining > 0) {
        const col = gen.nextBatch(batchRows).getChild(name);
        if (!col) throw new Error(`no column ${name}`);
        for (const v of col.toArray() as Iterable<number | bigint>) out.push(Number(v));
      }
      return out;
    };
    for (const name of ['lpep_pickup_datetime', 'PULocationID', 'total_amount']) {
      expect(column(1000, name)).toEqual(column(8192, name));
    }
  });
});
