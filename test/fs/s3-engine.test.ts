/**
 * Queries over Parquet and CSV in a real S3-compatible server (s3rver on loopback), through a catalog whose
 * settings name the endpoint and through the standard AWS_ENDPOINT_URL variable: results equal the same queries
 * over the local copies; missing buckets, objects and permissions are errors naming the location; the secret
 * key never shows in errors or EXPLAIN.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Shoal, ShoalError, formatError, type Session, type StorageSettings } from '../../src/index.js';
import { REPO_ROOT, SAMPLE_DATA } from '../support/paths.js';
import { awsTestEnv, setEnv, TEST_SECRET, useS3Server } from '../support/s3-server.js';
import { shoalRows } from '../support/shoal-runner.js';
import { writeTaxiFiles, type TaxiFiles } from '../support/taxi-fixtures.js';

const s3 = useS3Server(['lake']);
let dir: string;
let files: TaxiFiles;
let catalogDir: string;

function writeJson(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(value, null, 2));
}

/** A catalog `local` over the local files and a catalog `s3lake` over the same files in S3, with `settings`. */
function writeCatalogs(root: string, s3Settings: Record<string, unknown>): string {
  const cat = path.join(root, 'catalog');
  const yellow = path.join(SAMPLE_DATA, 'nyc', 'yellow_tripdata');
  writeJson(path.join(cat, 'local', 'nyc', 'taxi.json'), { location: files.parquet });
  writeJson(path.join(cat, 'local', 'nyc', 'taxi_csv.json'), { location: files.csv, format: 'csv' });
  writeJson(path.join(cat, 'local', 'nyc', 'yellow_tripdata.json'), { location: yellow, partitioned_by: ['year', 'month'] });
  writeJson(path.join(cat, 's3lake.json'), { comment: 'the lake in S3', s3: s3Settings });
  writeJson(path.join(cat, 's3lake', 'nyc', 'taxi.json'), { location: 's3://lake/taxi/taxi.parquet' });
  writeJson(path.join(cat, 's3lake', 'nyc', 'taxi_csv.json'), { location: 's3://lake/csv/taxi.csv', format: 'csv' });
  writeJson(path.join(cat, 's3lake', 'nyc', 'yellow_tripdata.json'), { location: 's3://lake/nyc/yellow_tripdata', partitioned_by: ['year', 'month'] });
  return cat;
}

async function open(storage?: StorageSettings, cat: string = catalogDir): Promise<Session> {
  const shoal = await Shoal.open({ catalogDir: cat, cwd: dir, storage });
  return shoal.session({ catalog: 'local', schema: 'nyc' });
}

async function failure(session: Session, sql: string): Promise<ShoalError> {
  try {
    await (await session.query(sql)).toArray();
  } catch (e) {
    expect(e).toBeInstanceOf(ShoalError);
    return e as ShoalError;
  }
  throw new Error(`expected ${sql} to fail`);
}

/** Everything a user could see of an error. */
function shown(e: ShoalError): string {
  return `${formatError(e)}\n${e.describe()}\n${e.location ?? ''}`;
}

/** A loopback port with nothing listening on it. */
async function deadPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'shoal-s3-engine-'));
  files = await writeTaxiFiles(dir, 30_000, 10_000);
  await s3().putFile('lake', 'taxi/taxi.parquet', files.parquet);
  await s3().putFile('lake', 'csv/taxi.csv', files.csv);
  await s3().putFolder('lake', 'nyc/yellow_tripdata', path.join(SAMPLE_DATA, 'nyc', 'yellow_tripdata'));
  catalogDir = writeCatalogs(dir, { endpoint: s3().endpoint, retry_base_delay_ms: 1 });
});

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const TABLE_QUERIES = [
  'SELECT count(*), sum(fare_amount), min(tpep_pickup_datetime), max(total_amount), count(passenger_count) FROM {taxi}',
  'SELECT vendorid, store_and_fwd_flag, count(*), sum(tip_amount) FROM {taxi} GROUP BY 1, 2 ORDER BY 1, 2',
  'SELECT * FROM {taxi} WHERE pulocationid = 7 ORDER BY tpep_pickup_datetime LIMIT 5',
  'SELECT vendorid, count(*), sum(fare_amount), max(store_and_fwd_flag) FROM {taxi_csv} GROUP BY vendorid ORDER BY vendorid',
  'SELECT month, count(*), sum(total_amount) FROM {yellow_tripdata} WHERE month BETWEEN 2 AND 4 GROUP BY month ORDER BY month',
];

describe('S3 tables through a catalog whose settings name the endpoint', () => {
  test.each(TABLE_QUERIES)('%s: same rows as the local copy', async (sql) => {
    const session = await open();
    const local = await shoalRows(session, sql.replace(/\{(\w+)\}/g, 'local.nyc.$1'));
    const remote = await shoalRows(session, sql.replace(/\{(\w+)\}/g, 's3lake.nyc.$1'));
    expect(remote.rows.length).toBeGreaterThan(0);
    expect(remote).toEqual(local);
  });

  test('the catalog endpoint wins over AWS_ENDPOINT_URL; path queries use the environment', async () => {
    const port = await deadPort();
    const restore = setEnv({ AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` });
    try {
      const session = await open({ s3: { maxAttempts: 2, retryBaseDelayMs: 1 } });
      const rows = await shoalRows(session, 'SELECT count(*) FROM s3lake.nyc.taxi');
      expect(rows.rows).toEqual([[30000]]);
      const e = await failure(session, "SELECT count(*) FROM 's3://lake/taxi/taxi.parquet'");
      expect(e.code).toBe('STORAGE_UNAVAILABLE');
      expect(e.message).toContain('s3://lake/taxi/');
      expect(e.message).toContain('2 attempts');
      expect(e.message).toContain(`connection refused (ECONNREFUSED) talking to http://127.0.0.1:${port}`);
    } finally {
      restore();
    }
  });
});

describe('S3 paths in queries, configured by AWS_ENDPOINT_URL', () => {
  const PATH_QUERIES: readonly [string, string][] = [
    ["SELECT count(*), sum(fare_amount), max(tpep_dropoff_datetime) FROM 's3://lake/taxi/taxi.parquet'", 'taxi.parquet'],
    ["SELECT count(*), sum(fare_amount) FROM 's3://lake/taxi/*.parquet'", '*.parquet'],
    ["SELECT vendorid, count(*), sum(fare_amount) FROM 's3://lake/csv/taxi.csv' GROUP BY 1 ORDER BY 1", 'taxi.csv'],
    ["SELECT month, count(*), sum(fare_amount) FROM read_parquet('s3://lake/nyc/yellow_tripdata/**/*.parquet', hive_partitioning => true) GROUP BY 1 ORDER BY 1", ''],
  ];
  test.each(PATH_QUERIES)('%s: same rows as the local path', async (sql) => {
    const session = await open();
    const localSql = sql
      .replace('s3://lake/taxi/', `${dir}/`)
      .replace('s3://lake/csv/', `${dir}/`)
      .replace('s3://lake/nyc/', `${path.join(SAMPLE_DATA, 'nyc')}/`);
    const remote = await shoalRows(session, sql);
    expect(remote.rows.length).toBeGreaterThan(0);
    expect(remote).toEqual(await shoalRows(session, localSql));
  });
});

describe('S3 errors name the location and the cause', () => {
  test('a missing bucket', async () => {
    const session = await open();
    for (const sql of ["SELECT * FROM 's3://no-such-bucket/taxi.parquet'", "SELECT * FROM 's3://no-such-bucket/dir/*.parquet'"]) {
      const e = await failure(session, sql);
      expect(e.code).toBe('STORAGE_CONFIGURATION_ERROR');
      expect(e.message).toMatch(/^Bucket 'no-such-bucket' does not exist \(s3:\/\/no-such-bucket\//);
    }
  });

  test('a missing object and an empty glob', async () => {
    const session = await open();
    const e = await failure(session, "SELECT * FROM 's3://lake/taxi/missing.parquet'");
    expect(e.code).toBe('FILE_NOT_FOUND');
    expect(e.message).toContain('s3://lake/taxi/missing.parquet');
    const g = await failure(session, "SELECT * FROM 's3://lake/taxi/*.csv'");
    expect(g.code).toBe('FILE_NOT_FOUND');
    expect(g.message).toContain('s3://lake/taxi/*.csv');
  });

  test('a table whose object is missing names the table file and the object', async () => {
    const cat = path.join(dir, 'broken');
    writeJson(path.join(cat, 's3lake', 'nyc', 'gone.json'), { location: 's3://lake/taxi/gone.parquet' });
    const shoal = await Shoal.open({ catalogDir: cat, cwd: dir });
    const e = await failure(shoal.session({ catalog: 's3lake', schema: 'nyc' }), 'SELECT * FROM gone');
    expect(e.code).toBe('FILE_NOT_FOUND');
    expect(e.message).toContain('s3://lake/taxi/gone.parquet');
    expect(e.message).toContain('s3lake.nyc.gone');
  });

  test('refused credentials are PERMISSION_DENIED naming the location and the cause', async () => {
    const restore = setEnv({ AWS_ACCESS_KEY_ID: 'NOT-A-KEY-S3RVER-KNOWS' });
    try {
      const session = await open();
      const e = await failure(session, "SELECT count(*) FROM 's3://lake/taxi/taxi.parquet'");
      expect(e.code).toBe('PERMISSION_DENIED');
      expect(e.message).toContain('s3://lake/taxi/');
      expect(e.message).toMatch(/HTTP 403.*InvalidAccessKeyId/);
      expect(shown(e)).not.toContain(TEST_SECRET);
    } finally {
      restore();
    }
  });

  test('no credentials at all is a configuration error that says where credentials come from', async () => {
    const restore = setEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
    try {
      const session = await open();
      const e = await failure(session, "SELECT count(*) FROM 's3://lake/taxi/taxi.parquet'");
      expect(e.code).toBe('STORAGE_CONFIGURATION_ERROR');
      expect(e.message).toContain('No AWS credentials found');
      expect(e.message).toContain('s3://lake/taxi/');
      expect(e.hint).toContain('AWS_ACCESS_KEY_ID');
      expect(e.hint).toContain('AWS_PROFILE');
    } finally {
      restore();
    }
  });

  test('an endpoint variable that is not a URL is a configuration error naming the variable', async () => {
    const restore = setEnv({ AWS_ENDPOINT_URL: 'not a url' });
    try {
      const e = await failure(await open(), "SELECT count(*) FROM 's3://lake/taxi/taxi.parquet'");
      expect(e.code).toBe('STORAGE_CONFIGURATION_ERROR');
      expect(e.message).toContain('AWS_ENDPOINT_URL');
    } finally {
      restore();
    }
  });
});

describe('secrets', () => {
  test('the secret key never appears in errors, EXPLAIN or EXPLAIN ANALYZE', async () => {
    const session = await open();
    const texts: string[] = [];
    for (const sql of ['EXPLAIN SELECT count(*) FROM s3lake.nyc.taxi', 'EXPLAIN ANALYZE SELECT sum(fare_amount) FROM s3lake.nyc.taxi', "EXPLAIN ANALYZE SELECT count(*) FROM 's3://lake/csv/taxi.csv'"]) {
      const rows = await (await session.query(sql)).toArray();
      texts.push(JSON.stringify(rows));
    }
    expect(texts.join('\n')).toContain('s3://lake/');
    for (const sql of ["SELECT * FROM 's3://no-such-bucket/x.parquet'", "SELECT * FROM 's3://lake/nothing.parquet'"]) texts.push(shown(await failure(session, sql)));
    const restore = setEnv({ AWS_ACCESS_KEY_ID: 'WRONG' });
    try {
      texts.push(shown(await failure(await open(), "SELECT * FROM 's3://lake/taxi/taxi.parquet'")));
    } finally {
      restore();
    }
    expect(texts.join('\n')).not.toContain(TEST_SECRET);
  });
});

test('catalog storage settings are validated: unknown keys, bad values and credentials in URLs name the file and key', async () => {
  const cases: readonly [unknown, RegExp][] = [
    [{ s3: { endpont: 'http://x' } }, /unknown key 's3\.endpont'.*endpoint/s],
    [{ s3: { max_attempts: 0 } }, /s3\.max_attempts must be an integer from 1/],
    [{ s3: { path_style: 'yes' } }, /s3\.path_style must be true or false/],
    [{ s3: { endpoint: 'ftp://host' } }, /s3\.endpoint must be an http/],
    [{ s3: { endpoint: 'http://user:pw@host:9000' } }, /s3\.endpoint must not contain a user name or password/],
    [{ s3: { secret_access_key: 'x' } }, /looks like a secret/],
    [{ http: { request_timeout_ms: 'soon' } }, /http\.request_timeout_ms must be an integer/],
  ];
  for (const [settings, message] of cases) {
    const cat = mkdtempSync(path.join(dir, 'settings-'));
    writeJson(path.join(cat, 'bad.json'), settings);
    const e = await Shoal.open({ catalogDir: cat }).then(() => undefined, (x: unknown) => x as ShoalError);
    expect(e?.code).toBe('INVALID_CATALOG_FILE');
    expect(e?.message).toContain(path.join(cat, 'bad.json'));
    const full = `${e?.message} ${e?.hint ?? ''}`;
    expect(full).toMatch(message);
  }
});

test('the AWS SDK prints no Node version warning when Shoal uses it', () => {
  // A fresh process: the SDK warns once per process, at the first client.
  const script = `
    import { Shoal } from './src/index.ts';
    const shoal = await Shoal.open({});
    const r = await (await shoal.session().query("SELECT count(*) AS n FROM 's3://lake/taxi/taxi.parquet'")).toArray();
    console.log(JSON.stringify(r, (k, v) => typeof v === 'bigint' ? Number(v) : v));
  `;
  const env = { ...process.env, ...awsTestEnv(s3().endpoint) };
  delete env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'];
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, env: env as NodeJS.ProcessEnv, encoding: 'utf8', timeout: 30_000 });
  expect(r.stdout.trim()).toBe('[{"n":30000}]');
  expect(r.stderr).not.toMatch(/NodeVersionSupportWarning|AWS SDK/);
});
