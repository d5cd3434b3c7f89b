/**
 * CREATE TABLE … AS, INSERT (partition overwrite), UNLOAD and DROP TABLE into S3 (s3rver) and GCS (the JSON-API
 * test server) through catalogs whose warehouse is a bucket: Shoal reads back the source query's rows, DuckDB
 * reads the same rows from the objects (downloaded), INSERT … OVERWRITE replaces only the partitions it writes,
 * and nothing of the staging stays behind.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FileSystems, type StorageSettings } from '../../src/fs/index.js';
import type { Session } from '../../src/index.js';
import { DuckOracle } from '../support/duckdb-oracle.js';
import { startGcsServer, type GcsTestServer } from '../support/gcs-server.js';
import { firstDifference, sortRows } from '../support/normalize.js';
import { useS3Server } from '../support/s3-server.js';
import { shoalRows } from '../support/shoal-runner.js';
import { run, writeLake } from '../support/write-lake.js';

const s3 = useS3Server(['lake']);
let gcs: GcsTestServer;
const lake = writeLake('objstore');
let session: Session;
let duck: DuckOracle;
let scratch: string;
let savedEmulator: string | undefined;

interface Store {
  readonly catalog: string;
  readonly scheme: string;
  readonly storage: () => StorageSettings;
}

const STORES: readonly Store[] = [
  { catalog: 's3w', scheme: 's3', storage: () => ({ s3: { endpoint: s3().endpoint, retryBaseDelayMs: 1 } }) },
  { catalog: 'gcsw', scheme: 'gs', storage: () => ({ gcs: { endpoint: gcs.endpoint, project: 'test' } }) },
];

beforeAll(async () => {
  gcs = await startGcsServer();
  gcs.createBucket('lake');
  // UNLOAD to a URL uses the environment's clients (s3: useS3Server's AWS variables).
  savedEmulator = process.env['STORAGE_EMULATOR_HOST'];
  process.env['STORAGE_EMULATOR_HOST'] = gcs.endpoint;
  writeFileSync(path.join(lake.catalogDir, 's3w.json'), JSON.stringify({ warehouse: 's3://lake/warehouse', s3: { endpoint: s3().endpoint, retry_base_delay_ms: 1 } }));
  writeFileSync(path.join(lake.catalogDir, 'gcsw.json'), JSON.stringify({ warehouse: 'gs://lake/warehouse', gcs: { endpoint: gcs.endpoint, project: 'test' } }));
  for (const c of ['s3w', 'gcsw']) mkdirSync(path.join(lake.catalogDir, c, 'curated'), { recursive: true });
  session = await lake.session();
  duck = await DuckOracle.create();
  scratch = mkdtempSync(path.join(tmpdir(), 'shoal-objstore-dl-'));
});

afterAll(async () => {
  if (savedEmulator === undefined) delete process.env['STORAGE_EMULATOR_HOST'];
  else process.env['STORAGE_EMULATOR_HOST'] = savedEmulator;
  duck?.close();
  await gcs?.close();
  lake.remove();
  rmSync(scratch, { recursive: true, force: true });
});

/** Every object under `prefix` (hidden ones included), as paths relative to it. */
async function objects(store: Store, prefix: string): Promise<string[]> {
  const fs = FileSystems.standard(store.storage());
  const out: string[] = [];
  for await (const f of fs.for(prefix).list(prefix)) out.push(f.location.slice(prefix.length + 1));
  return out.sort();
}

/** Copies the objects under `prefix` to a local folder (same relative paths) for DuckDB. */
async function download(store: Store, prefix: string, dir: string): Promise<void> {
  const fs = FileSystems.standard(store.storage());
  for await (const f of fs.for(prefix).list(prefix)) {
    const file = await fs.for(f.location).open(f.location, { status: f });
    try {
      const local = path.join(dir, f.location.slice(prefix.length + 1));
      mkdirSync(path.dirname(local), { recursive: true });
      writeFileSync(local, await file.read(0, f.size));
    } finally {
      await file.close();
    }
  }
}

const SOURCE = `SELECT vendorid, pulocationid, fare_amount, store_and_fwd_flag, month FROM lake.nyc.yellow_tripdata WHERE month <= 3`;

describe.each(STORES)('writes to $scheme://', (store) => {
  const table = `${store.catalog}.curated.trips`;
  const location = `${store.scheme}://lake/warehouse/curated/trips`;

  test('CREATE TABLE … AS partitioned by month: Shoal and DuckDB read back the source rows; no staging is left', async () => {
    const created = await run(session, `CREATE TABLE ${table} WITH (format = 'PARQUET', partitioned_by = ARRAY['month']) AS ${SOURCE}`);
    const source = await shoalRows(session, `SELECT vendorid, pulocationid, fare_amount, store_and_fwd_flag, month FROM (${SOURCE})`);
    expect(created).toEqual([{ rows: BigInt(source.rows.length) }]);
    const back = await shoalRows(session, `SELECT vendorid, pulocationid, fare_amount, store_and_fwd_flag, month FROM ${table}`);
    expect(firstDifference(sortRows(back.rows), sortRows(source.rows))).toBeUndefined();
    const keys = await objects(store, location);
    expect(keys.every((k) => /^month=[123]\/[^/]+\.parquet$/.test(k))).toBe(true);
    expect(new Set(keys.map((k) => k.split('/')[0]))).toEqual(new Set(['month=1', 'month=2', 'month=3']));
    const dir = path.join(scratch, store.scheme, 'ctas');
    await download(store, location, dir);
    const theirs = await duck.query(`SELECT vendorid, pulocationid, fare_amount, store_and_fwd_flag, month FROM read_parquet('${dir}/**/*.parquet', hive_partitioning = true)`);
    expect(firstDifference(sortRows(theirs.rows), sortRows(source.rows))).toBeUndefined();
  });

  test('INSERT with insert_existing_partitions_behavior = OVERWRITE replaces only the partitions written', async () => {
    const before = await objects(store, location);
    const overwrite = await lake.session({ insert_existing_partitions_behavior: 'OVERWRITE' });
    await run(overwrite, `INSERT INTO ${table} SELECT vendorid, pulocationid, fare_amount * 2, store_and_fwd_flag, month FROM lake.nyc.yellow_tripdata WHERE month = 2`);
    const after = await objects(store, location);
    expect(after.filter((k) => !k.startsWith('month=2/'))).toEqual(before.filter((k) => !k.startsWith('month=2/')));
    expect(after.filter((k) => k.startsWith('month=2/'))).not.toEqual(before.filter((k) => k.startsWith('month=2/')));
    const sums = await shoalRows(session, `SELECT month, round(sum(fare_amount), 2) FROM ${table} GROUP BY month ORDER BY month`);
    const want = await shoalRows(session, 'SELECT month, round(sum(CASE WHEN month = 2 THEN fare_amount * 2 ELSE fare_amount END), 2) FROM lake.nyc.yellow_tripdata WHERE month <= 3 GROUP BY month ORDER BY month');
    expect(sums.rows).toEqual(want.rows);
  });

  test('UNLOAD writes CSV DuckDB reads; a second UNLOAD to the same place is refused', async () => {
    const target = `${store.scheme}://lake/unload/zones`;
    await run(session, `UNLOAD (SELECT locationid, borough, zone FROM lake.nyc.taxi_zone_lookup) TO '${target}' WITH (format = 'CSV')`);
    const dir = path.join(scratch, store.scheme, 'unload');
    await download(store, target, dir);
    const theirs = await duck.query(`SELECT * FROM read_csv('${dir}/*.csv', header = true)`);
    const ours = await shoalRows(session, 'SELECT locationid, borough, zone FROM lake.nyc.taxi_zone_lookup');
    expect(firstDifference(sortRows(theirs.rows), sortRows(ours.rows))).toBeUndefined();
    await expect(run(session, `UNLOAD (SELECT 1 AS x) TO '${target}' WITH (format = 'CSV')`)).rejects.toThrow(/not empty|already exists/i);
  });

  test('DROP TABLE of a managed table deletes its objects', async () => {
    await run(session, `DROP TABLE ${table}`);
    expect(await objects(store, location)).toEqual([]);
    await expect(run(session, `SELECT count(*) FROM ${table}`)).rejects.toThrow(/does not exist/);
  });
});
