import { Storage } from '@google-cloud/storage';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Shoal, ShoalError, type Session } from '../../../src/index.js';
import { DuckOracle } from '../../support/duckdb-oracle.js';
import { startGcsServer, type GcsTestServer } from '../../support/gcs-server.js';
import { firstDifference } from '../../support/normalize.js';
import { REPO_ROOT, SAMPLE_CATALOG, SAMPLE_DATA } from '../../support/paths.js';
import { shoalRows } from '../../support/shoal-runner.js';

/**
 * Queries over Parquet and CSV objects in the GCS test server, through `FROM 'gs://…'` (endpoint from
 * STORAGE_EMULATOR_HOST) and through a catalog whose settings file names the endpoint. Results must equal Shoal on
 * the local copies and DuckDB on the same local files.
 */

const NYC = path.join(SAMPLE_DATA, 'nyc');
const YELLOW_JAN = 'nyc/yellow_tripdata/year=2024/month=1/part-0.parquet';

function localFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(parquet|csv)$/.test(f)).sort();
}

async function failure(session: Session, sql: string): Promise<ShoalError> {
  try {
    await (await session.query(sql)).toArray();
  } catch (e) {
    expect(e).toBeInstanceOf(ShoalError);
    return e as ShoalError;
  }
  throw new Error(`expected '${sql}' to fail`);
}

describe('queries over gs:// objects', () => {
  let server: GcsTestServer;
  let duck: DuckOracle;
  let local: Session;
  let direct: Session;
  let catalogDir: string;
  let savedEmulatorHost: string | undefined;

  const same = async (gcsSql: string, localSql: string, duckSql: string): Promise<void> => {
    const [g, l, d] = await Promise.all([shoalRows(direct, gcsSql), shoalRows(local, localSql), duck.query(duckSql)]);
    expect(g.rows.length).toBeGreaterThan(0);
    expect(firstDifference(g.rows, l.rows), 'gs:// vs local').toBeUndefined();
    expect(firstDifference(g.rows, d.rows), 'gs:// vs DuckDB').toBeUndefined();
  };

  beforeAll(async () => {
    server = await startGcsServer();
    savedEmulatorHost = process.env['STORAGE_EMULATOR_HOST'];
    process.env['STORAGE_EMULATOR_HOST'] = server.endpoint;
    const client = new Storage({ projectId: 'test', retryOptions: { autoRetry: false } });
    await client.createBucket('lake');
    server.forbidBucket('locked');
    for (const rel of localFiles(NYC)) {
      await client.bucket('lake').file(`nyc/${rel}`).save(readFileSync(path.join(NYC, rel)), { resumable: false });
    }
    server.putObject('locked', 'nyc/taxi_zone_lookup.csv', readFileSync(path.join(NYC, 'taxi_zone_lookup.csv')));

    catalogDir = mkdtempSync(path.join(tmpdir(), 'shoal-gcs-'));
    mkdirSync(path.join(catalogDir, 'gcs/nyc'), { recursive: true });
    writeFileSync(path.join(catalogDir, 'gcs.json'), JSON.stringify({ gcs: { endpoint: server.endpoint, project: 'test' } }));
    const yellow = JSON.parse(readFileSync(path.join(SAMPLE_CATALOG, 'lake/nyc/yellow_tripdata.json'), 'utf8')) as Record<string, unknown>;
    const zones = JSON.parse(readFileSync(path.join(SAMPLE_CATALOG, 'lake/nyc/taxi_zone_lookup.json'), 'utf8')) as Record<string, unknown>;
    const table = (name: string, spec: Record<string, unknown>): void => writeFileSync(path.join(catalogDir, 'gcs/nyc', `${name}.json`), JSON.stringify(spec));
    table('yellow_tripdata', { ...yellow, location: 'gs://lake/nyc/yellow_tripdata' });
    table('taxi_zone_lookup', { ...zones, location: 'gs://lake/nyc/taxi_zone_lookup.csv' });
    table('no_bucket', { ...yellow, location: 'gs://no-such-bucket/nyc/yellow_tripdata' });
    table('locked_zones', { ...zones, location: 'gs://locked/nyc/taxi_zone_lookup.csv' });

    duck = await (await DuckOracle.create()).withSampleTables();
    local = (await Shoal.open({ catalogDir: SAMPLE_CATALOG, cwd: REPO_ROOT })).session({ catalog: 'lake', schema: 'nyc' });
    direct = (await Shoal.open({ catalogDir, cwd: REPO_ROOT })).session({ catalog: 'gcs', schema: 'nyc' });
  });

  afterAll(async () => {
    if (savedEmulatorHost === undefined) delete process.env['STORAGE_EMULATOR_HOST'];
    else process.env['STORAGE_EMULATOR_HOST'] = savedEmulatorHost;
    duck?.close();
    await server?.close();
    if (catalogDir !== undefined) rmSync(catalogDir, { recursive: true, force: true });
  });

  test("FROM 'gs://…parquet' equals the local file and DuckDB", async () => {
    const q = (from: string): string =>
      `SELECT vendorid, count(*) AS n, sum(passenger_count) AS p, round(sum(total_amount), 2) AS t FROM ${from} GROUP BY vendorid ORDER BY vendorid`;
    await same(q(`'gs://lake/${YELLOW_JAN}'`), q(`'${path.join(SAMPLE_DATA, YELLOW_JAN)}'`), q(`read_parquet('${path.join(SAMPLE_DATA, YELLOW_JAN)}')`));
  });

  test("FROM 'gs://…/**/*.parquet' (a glob) equals the local glob and DuckDB", async () => {
    const q = (from: string): string => `SELECT count(*) AS n, round(sum(tip_amount), 2) AS tips FROM ${from}`;
    const glob = (root: string): string => `${root}/yellow_tripdata/**/*.parquet`;
    await same(q(`'${glob('gs://lake/nyc')}'`), q(`'${glob(NYC)}'`), q(`read_parquet('${glob(NYC)}')`));
  });

  test("FROM 'gs://…csv' equals the local file and DuckDB", async () => {
    const csv = path.join(NYC, 'taxi_zone_lookup.csv');
    const q = (from: string): string => `SELECT borough, count(*) AS n, min(zone) AS z FROM ${from} GROUP BY borough ORDER BY borough`;
    await same(q(`'gs://lake/nyc/taxi_zone_lookup.csv'`), q(`'${csv}'`), q(`read_csv('${csv}', header = true)`));
  });

  test('a catalog table over gs:// (endpoint from the catalog settings) equals the sample catalog and DuckDB', async () => {
    await same(
      'SELECT month, count(*) AS n, round(sum(fare_amount), 2) AS f FROM yellow_tripdata GROUP BY month ORDER BY month',
      'SELECT month, count(*) AS n, round(sum(fare_amount), 2) AS f FROM yellow_tripdata GROUP BY month ORDER BY month',
      'SELECT month, count(*) AS n, round(sum(fare_amount), 2) AS f FROM yellow_tripdata GROUP BY month ORDER BY month',
    );
    const join = `SELECT z.borough, count(*) AS n FROM yellow_tripdata y JOIN taxi_zone_lookup z ON y.pulocationid = z.locationid
                  WHERE y.month = 3 GROUP BY z.borough ORDER BY z.borough`;
    await same(join, join, join);
  });

  test('the catalog endpoint is used even when STORAGE_EMULATOR_HOST points elsewhere', async () => {
    process.env['STORAGE_EMULATOR_HOST'] = 'http://127.0.0.1:9'; // nothing listens there
    try {
      const s = (await Shoal.open({ catalogDir, cwd: REPO_ROOT })).session({ catalog: 'gcs', schema: 'nyc' });
      expect(await (await s.query('SELECT count(*) AS n FROM taxi_zone_lookup')).toArray()).toEqual([{ n: 265n }]);
    } finally {
      process.env['STORAGE_EMULATOR_HOST'] = server.endpoint;
    }
  });

  test('a filter on a partition column reads only that partition\'s objects', async () => {
    // The schema comes from the first file's footer; once known (and its footer cached), only month 4 is read.
    await (await direct.query('DESCRIBE yellow_tripdata')).toArray();
    server.requests.length = 0;
    await (await direct.query('SELECT sum(fare_amount) FROM yellow_tripdata WHERE month = 4')).toArray();
    const read = new Set(server.requests.filter((r) => r.op === 'media' || r.op === 'get').map((r) => r.object));
    expect([...read]).toEqual(['nyc/yellow_tripdata/year=2024/month=4/part-0.parquet']);
  });

  test('missing bucket, missing object and forbidden bucket errors name the location', async () => {
    const b = await failure(direct, 'SELECT count(*) FROM no_bucket');
    expect(b.code).toBe('STORAGE_CONFIGURATION_ERROR');
    expect(b.message).toContain("bucket 'no-such-bucket' does not exist");
    expect(b.message).toContain('gs://no-such-bucket/nyc/yellow_tripdata');

    const o = await failure(direct, "SELECT * FROM 'gs://lake/nyc/missing.parquet'");
    expect(o.code).toBe('FILE_NOT_FOUND');
    expect(o.message).toContain('gs://lake/nyc/missing.parquet');

    const p = await failure(direct, 'SELECT count(*) FROM locked_zones');
    expect(p.code).toBe('PERMISSION_DENIED');
    expect(p.message).toContain('gs://locked/nyc/taxi_zone_lookup.csv');
    expect(p.message).toContain('does not have storage.objects.get access');
  });

  test('with the first two requests failing with 503 the query still returns the right rows', async () => {
    server.failNext(2, 503);
    server.requests.length = 0;
    const q = (from: string): string => `SELECT payment_type, count(*) AS n FROM ${from} GROUP BY payment_type ORDER BY payment_type`;
    const [g, l] = await Promise.all([
      shoalRows(direct, q(`'gs://lake/nyc/yellow_tripdata/year=2024/month=2/part-0.parquet'`)),
      shoalRows(local, q(`'${path.join(NYC, 'yellow_tripdata/year=2024/month=2/part-0.parquet')}'`)),
    ]);
    expect(firstDifference(g.rows, l.rows)).toBeUndefined();
    // The first request failed twice and was repeated.
    const first = server.requests[0]!;
    const repeats = server.requests.filter((r) => r.op === first.op && r.object === first.object && r.range === first.range && r.query['pageToken'] === first.query['pageToken']);
    expect(repeats.length).toBeGreaterThanOrEqual(3);
  });
  test('the retry settings of a catalog bound its GCS requests: max_attempts 2 gives up after two 503s', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shoal-gcs-retry-'));
    try {
      writeFileSync(path.join(dir, 'g.json'), JSON.stringify({ gcs: { endpoint: server.endpoint, project: 'test', max_attempts: 2, retry_base_delay_ms: 1 } }));
      mkdirSync(path.join(dir, 'g', 'nyc'), { recursive: true });
      writeFileSync(path.join(dir, 'g', 'nyc', 'zones.json'), JSON.stringify({ location: 'gs://lake/nyc/taxi_zone_lookup.csv', format: 'csv' }));
      const s = (await Shoal.open({ catalogDir: dir })).session({ catalog: 'g', schema: 'nyc' });
      server.failNext(2, 503);
      const e = await failure(s, 'SELECT count(*) FROM zones');
      expect(e.code).toBe('STORAGE_UNAVAILABLE');
      expect(e.message).toContain('2 attempts failed');
      expect(await (await s.query('SELECT count(*) AS n FROM zones')).toArray()).toEqual([{ n: 265n }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('catalog gcs settings', () => {
  test('a bad gcs setting fails loading with an error naming the catalog file; an unknown scheme lists the supported ones', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shoal-gcs-bad-'));
    try {
      writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ gcs: { endpoint: 'http://127.0.0.1:1', key_fle: 'x.json' } }));
      const e = await Shoal.open({ catalogDir: dir }).then(() => undefined, (x: unknown) => x);
      expect(e).toBeInstanceOf(ShoalError);
      expect((e as ShoalError).code).toBe('INVALID_CATALOG_FILE');
      expect((e as ShoalError).message).toContain(path.join(dir, 'bad.json'));
      expect((e as ShoalError).message).toContain("unknown key 'key_fle'");
      expect((e as ShoalError).hint).toContain('key_file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const s = (await Shoal.open({})).session();
    const u = await failure(s, "SELECT * FROM 'abfs://c/x.parquet'");
    expect(u.code).toBe('NOT_SUPPORTED');
    expect(u.hint).toContain('gs://');
  });
});
