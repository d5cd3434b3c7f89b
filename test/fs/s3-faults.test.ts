/**
 * Faults between Shoal and a real S3 server (s3rver), injected by a loopback proxy (test/support/fault-proxy.ts):
 * 5xx and 503 SlowDown answers, connections reset or cut mid-body, responses that stall past the request timeout.
 * Queries still return DuckDB's rows for the same local file, or fail with STORAGE_UNAVAILABLE naming the
 * location, the attempts and the last cause once retries are spent. Backoff is tiny so the suite stays fast.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Shoal, ShoalError, type Session } from '../../src/index.js';
import { DuckOracle } from '../support/duckdb-oracle.js';
import { FaultProxy, INTERNAL_ERROR, SLOW_DOWN, type FaultRule } from '../support/fault-proxy.js';
import { sortRows } from '../support/normalize.js';
import { useS3Server } from '../support/s3-server.js';
import { shoalRows } from '../support/shoal-runner.js';
import { writeTaxiFiles, type TaxiFiles } from '../support/taxi-fixtures.js';

const s3 = useS3Server(['lake']);
let dir: string;
let files: TaxiFiles;
let proxy: FaultProxy;
let duck: DuckOracle;
let catalogDir: string;

const REQUEST_TIMEOUT_MS = 600;
const MAX_ATTEMPTS = 4;
const GET_OBJECT = /x-id=GetObject/;
const LIST = /list-type=2/;

function writeJson(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(value, null, 2));
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'shoal-s3-faults-'));
  files = await writeTaxiFiles(dir, 30_000, 10_000);
  await s3().putFile('lake', 'taxi/taxi.parquet', files.parquet);
  await s3().putFile('lake', 'csv/taxi.csv', files.csv);
  proxy = await FaultProxy.start(s3().endpoint);
  duck = await DuckOracle.create();
  catalogDir = path.join(dir, 'catalog');
  writeJson(path.join(catalogDir, 'flaky.json'), {
    s3: { endpoint: proxy.url, retry_base_delay_ms: 1, retry_max_delay_ms: 20, request_timeout_ms: REQUEST_TIMEOUT_MS, max_attempts: MAX_ATTEMPTS },
  });
  writeJson(path.join(catalogDir, 'flaky', 't', 'taxi.json'), { location: 's3://lake/taxi/taxi.parquet' });
  writeJson(path.join(catalogDir, 'flaky', 't', 'taxi_csv.json'), { location: 's3://lake/csv/taxi.csv', format: 'csv' });
});

afterAll(async () => {
  await proxy?.close();
  duck?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** A fresh engine (no cached footers) whose only rules are `rules`. */
async function session(...rules: FaultRule[]): Promise<Session> {
  proxy.reset();
  for (const r of rules) proxy.addRule(r);
  const shoal = await Shoal.open({ catalogDir, cwd: dir });
  return shoal.session({ catalog: 'flaky', schema: 't' });
}

const PARQUET_SQL = 'SELECT vendorid, count(*), sum(fare_amount), max(tpep_pickup_datetime), count(passenger_count) FROM {t} GROUP BY vendorid';
const CSV_SQL = 'SELECT store_and_fwd_flag, count(*), sum(fare_amount), max(pulocationid) FROM {t} GROUP BY store_and_fwd_flag';

async function expectDuckRows(s: Session, sql: string, shoalTable: string, duckTable: string): Promise<void> {
  const ours = await shoalRows(s, sql.replace('{t}', shoalTable));
  const theirs = await duck.query(sql.replace('{t}', duckTable));
  expect(ours.rows.length).toBeGreaterThan(0);
  expect(sortRows(ours.rows)).toEqual(sortRows(theirs.rows));
}

const expectParquetRows = (s: Session): Promise<void> => expectDuckRows(s, PARQUET_SQL, 'taxi', `read_parquet('${files.parquet}')`);

async function failure(s: Session, sql: string, signal?: AbortSignal): Promise<ShoalError> {
  try {
    await (await s.query(sql, { signal })).toArray();
  } catch (e) {
    expect(e).toBeInstanceOf(ShoalError);
    return e as ShoalError;
  }
  throw new Error(`expected ${sql} to fail`);
}

describe('transient faults are retried and the query returns the right rows', () => {
  const cases: readonly [string, FaultRule][] = [
    ['HTTP 500 on three ranged GETs', { method: 'GET', path: GET_OBJECT, times: 3, fault: INTERNAL_ERROR }],
    ['503 SlowDown on three ranged GETs', { method: 'GET', path: GET_OBJECT, times: 3, fault: SLOW_DOWN }],
    ['503 SlowDown on listings', { method: 'GET', path: LIST, times: 2, fault: SLOW_DOWN }],
    ['HTTP 500 on HEAD', { method: 'HEAD', times: 2, fault: INTERNAL_ERROR }],
    ['connections reset before the response', { path: GET_OBJECT, times: 3, fault: { kind: 'reset' } }],
    ['responses cut off halfway through the body', { path: GET_OBJECT, times: 3, fault: { kind: 'cut-body' } }],
    ['a body that stalls past the request timeout', { path: GET_OBJECT, times: 1, fault: { kind: 'stall-body' } }],
    ['a listing that never answers', { path: LIST, times: 1, fault: { kind: 'stall' } }],
  ];
  test.each(cases)('%s', async (_name, rule) => {
    const s = await session(rule);
    await expectParquetRows(s);
    expect(proxy.faultsInjected).toBe(rule.times);
  });

  test('a CSV table with 500s and cut bodies', async () => {
    // Rules apply in order, so the first reads see 500, cut, cut: three failures, one attempt left.
    const s = await session({ path: GET_OBJECT, times: 1, fault: INTERNAL_ERROR }, { path: GET_OBJECT, times: 2, fault: { kind: 'cut-body' } });
    await expectDuckRows(s, CSV_SQL, 'taxi_csv', `read_csv('${files.csv}', header = true)`);
    expect(proxy.faultsInjected).toBe(3);
  });

  test('a path query with the endpoint from the engine settings', async () => {
    proxy.reset();
    proxy.addRule({ path: GET_OBJECT, times: 2, fault: SLOW_DOWN });
    const shoal = await Shoal.open({ cwd: dir, storage: { s3: { endpoint: proxy.url, retryBaseDelayMs: 1, maxAttempts: 3 } } });
    const s = shoal.session();
    const ours = await shoalRows(s, "SELECT count(*), sum(total_amount) FROM 's3://lake/taxi/taxi.parquet'");
    expect(ours.rows).toEqual((await duck.query(`SELECT count(*), sum(total_amount) FROM read_parquet('${files.parquet}')`)).rows);
    expect(proxy.faultsInjected).toBe(2);
  });
});

describe('when retries are spent the query fails with STORAGE_UNAVAILABLE', () => {
  test('HTTP 500 on every read', async () => {
    const s = await session({ path: GET_OBJECT, fault: INTERNAL_ERROR });
    const e = await failure(s, 'SELECT sum(fare_amount) FROM taxi');
    expect(e.code).toBe('STORAGE_UNAVAILABLE');
    expect(e.message).toContain('s3://lake/taxi/taxi.parquet');
    expect(e.message).toContain(`${MAX_ATTEMPTS} attempts failed`);
    expect(e.message).toContain('HTTP 500 InternalError');
    expect(proxy.faultsInjected).toBe(MAX_ATTEMPTS);
  });

  test('SlowDown on every listing', async () => {
    const s = await session({ path: LIST, fault: SLOW_DOWN });
    const e = await failure(s, 'SELECT count(*) FROM taxi');
    expect(e.code).toBe('STORAGE_UNAVAILABLE');
    expect(e.message).toContain('HTTP 503 SlowDown: Please reduce your request rate');
  });

  test('every read stalls past the request timeout', async () => {
    proxy.reset();
    proxy.addRule({ path: GET_OBJECT, fault: { kind: 'stall-body' } });
    const shoal = await Shoal.open({ cwd: dir, storage: { s3: { endpoint: proxy.url, requestTimeoutMs: 200, maxAttempts: 2, retryBaseDelayMs: 1 } } });
    const e = await failure(shoal.session(), "SELECT count(*) FROM 's3://lake/taxi/taxi.parquet'");
    expect(e.code).toBe('STORAGE_UNAVAILABLE');
    expect(e.message).toContain('s3://lake/taxi/taxi.parquet: 2 attempts failed (last: no complete response within 200 ms)');
  });

  test('a 403 is not retried', async () => {
    const s = await session({ path: GET_OBJECT, fault: { kind: 'status', status: 403, contentType: 'application/xml', body: '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>' } });
    const e = await failure(s, 'SELECT count(*) FROM taxi');
    expect(e.code).toBe('PERMISSION_DENIED');
    expect(e.message).toContain('s3://lake/taxi/taxi.parquet');
    expect(e.message).toContain('AccessDenied');
    expect(proxy.faultsInjected).toBe(1);
  });
});

test('credentials that may read objects but not list the bucket can still query a single object', async () => {
  const denied = { kind: 'status', status: 403, contentType: 'application/xml', body: '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>' } as const;
  const s = await session({ path: LIST, fault: denied });
  await expectParquetRows(s);
  const viaProxy = (await Shoal.open({ cwd: dir, storage: { s3: { endpoint: proxy.url } } })).session();
  const e = await failure(viaProxy, "SELECT count(*) FROM 's3://lake/taxi/*.parquet'");
  expect(e.code).toBe('PERMISSION_DENIED');
  expect(e.message).toContain('s3://lake/taxi/');
});

test('canceling a query stops a stalled request at once, without waiting for its timeout', async () => {
  proxy.reset();
  proxy.addRule({ path: GET_OBJECT, fault: { kind: 'stall' } });
  const shoal = await Shoal.open({ cwd: dir, storage: { s3: { endpoint: proxy.url, requestTimeoutMs: 3_600_000 } } });
  const ac = new AbortController();
  const done = failure(shoal.session(), "SELECT count(*) FROM 's3://lake/taxi/taxi.parquet'", ac.signal);
  while (proxy.faultsInjected === 0) await new Promise((r) => setTimeout(r, 10));
  ac.abort();
  expect((await done).code).toBe('USER_CANCELED');
}, 10_000);
