/**
 * The read-only http(s) file system against a real loopback file server (test/support/http-file-server.ts):
 * HEAD for size and version (or a one-byte GET where HEAD is refused), ranged GETs, servers that ignore Range,
 * version pinning, errors, no listing, and queries through the engine (with retries through the fault proxy).
 */
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { FileSystems, HttpFileSystem, newIoStats } from '../../src/fs/index.js';
import { Shoal } from '../../src/index.js';
import { FaultProxy, INTERNAL_ERROR } from '../support/fault-proxy.js';
import { HttpFileServer } from '../support/http-file-server.js';
import { shoalRows } from '../support/shoal-runner.js';
import { writeTaxiFiles, type TaxiFiles } from '../support/taxi-fixtures.js';
import { errorOf } from '../support/errors.js';

let dir: string;
let server: HttpFileServer;
let files: TaxiFiles;
const DATA = Uint8Array.from({ length: 50_000 }, (_, i) => (i * 31 + 7) & 0xff);
const fs = new HttpFileSystem('http', { retryBaseDelayMs: 1, maxAttempts: 2 });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'shoal-http-fs-'));
  writeFileSync(path.join(dir, 'data.bin'), DATA);
  files = await writeTaxiFiles(dir, 20_000, 10_000);
  server = await HttpFileServer.start(dir);
});

afterAll(async () => {
  await server?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  Object.assign(server.behaviour, { ranges: true, head: true, etag: true });
  server.clearLog();
});

const url = (name: string): string => `${server.url}/${name}`;

describe('HttpFileSystem', () => {
  test('stat uses HEAD: size, and the ETag (else Last-Modified) as version', async () => {
    const s = await fs.stat(url('data.bin'));
    expect(s.size).toBe(DATA.length);
    expect(s.etag).toMatch(/^[0-9a-f]+-[0-9a-f]+$/);
    server.behaviour.etag = false;
    expect((await fs.stat(url('data.bin'))).etag).toMatch(/^last-modified /);
    expect(server.log.map((r) => r.method)).toEqual(['HEAD', 'HEAD']);
  });

  test('where HEAD is refused, stat learns the size from a one-byte ranged GET', async () => {
    server.behaviour.head = false;
    const s = await fs.stat(url('data.bin'));
    expect(s.size).toBe(DATA.length);
    expect(server.log.map((r) => `${r.method} ${r.range ?? ''} ${r.status}`)).toEqual(['HEAD  405', 'GET bytes=0-0 206']);
  });

  test('reads are ranged GETs returning exactly the bytes asked for', async () => {
    const f = await fs.open(url('data.bin'));
    const stats = newIoStats();
    expect(await f.read(1000, 5000, { stats })).toEqual(DATA.subarray(1000, 6000));
    expect(await f.read(DATA.length - 5, 100, { stats })).toEqual(DATA.subarray(DATA.length - 5));
    expect(await f.readTail(300, { stats })).toEqual(DATA.subarray(DATA.length - 300));
    expect(stats).toEqual({ bytesRead: 5305, requests: 3 });
    expect(server.log.filter((r) => r.method === 'GET').map((r) => r.status)).toEqual([206, 206, 206]);
    await f.close();
  });

  test('a server that ignores Range is read whole once, and later reads come from that copy', async () => {
    server.behaviour.ranges = false;
    const f = await fs.open(url('data.bin'));
    const stats = newIoStats();
    expect(await f.read(20_000, 10, { stats })).toEqual(DATA.subarray(20_000, 20_010));
    expect(await f.readTail(10, { stats })).toEqual(DATA.subarray(DATA.length - 10));
    expect(stats).toEqual({ bytesRead: DATA.length, requests: 1 });
    await f.close();
  });

  test('a missing file is FILE_NOT_FOUND naming the URL', async () => {
    const e = await errorOf(fs.stat(url('missing.parquet')));
    expect(e.code).toBe('FILE_NOT_FOUND');
    expect(e.message).toContain(url('missing.parquet'));
    expect(e.message).toContain('HTTP 404');
  });

  test('a file replaced after open fails its next read with FILE_CHANGED', async () => {
    const p = path.join(dir, 'changing.bin');
    writeFileSync(p, DATA.subarray(0, 1000));
    const f = await fs.open(url('changing.bin'));
    expect(await f.read(0, 10)).toEqual(DATA.subarray(0, 10));
    writeFileSync(p, DATA.subarray(0, 2000));
    utimesSync(p, new Date(), new Date(Date.now() + 5000));
    const e = await errorOf(f.read(10, 10));
    expect(e.code).toBe('FILE_CHANGED');
    expect(e.message).toContain(`${url('changing.bin')} changed while the query was reading it`);
    await f.close();
  });

  test('nothing can be listed: globs are refused with a hint, a query string is not a glob', async () => {
    const registry = new FileSystems([fs]);
    const e = await errorOf(registry.expand(url('*.parquet')));
    expect(e.code).toBe('NOT_SUPPORTED');
    expect(e.hint).toMatch(/S3, GCS or a local folder/);
    expect((await errorOf((async () => { for await (const x of fs.list(url(''))) void x; })())).code).toBe('NOT_SUPPORTED');
    expect(await fs.isDirectory(url(''))).toBe(false);
    const [one] = await registry.expand(`${url('data.bin')}?version=1`);
    expect(one!.size).toBe(DATA.length);
  });

  test('messages never show a URL query (presigned signatures) or user info', async () => {
    const e = await errorOf(fs.stat(`${url('missing.parquet')}?X-Amz-Signature=SIGNATURE-SECRET`));
    expect(e.code).toBe('FILE_NOT_FOUND');
    expect(`${e.message} ${e.location ?? ''}`).not.toContain('SIGNATURE-SECRET');
    expect(e.message).toContain('missing.parquet?…');
    // User info becomes a Basic Authorization header, and is never shown.
    const withUser = (name: string): string => url(name).replace('http://', 'http://user:PASSWORD-SECRET@');
    expect((await fs.stat(withUser('data.bin'))).size).toBe(DATA.length);
    const u = await errorOf(fs.stat(withUser('missing.bin')));
    expect(u.code).toBe('FILE_NOT_FOUND');
    expect(`${u.message} ${u.location ?? ''}`).not.toContain('PASSWORD-SECRET');
  });
});

describe('http(s) files in queries', () => {
  test('Parquet and CSV over http give the same rows as the local files', async () => {
    const session = (await Shoal.open({ cwd: dir })).session();
    for (const [remote, local] of [
      [`SELECT count(*), sum(fare_amount), max(tpep_pickup_datetime) FROM '${url('taxi.parquet')}'`, `SELECT count(*), sum(fare_amount), max(tpep_pickup_datetime) FROM '${files.parquet}'`],
      [`SELECT vendorid, count(*), sum(fare_amount) FROM read_csv('${url('taxi.csv')}', header => true) GROUP BY 1 ORDER BY 1`, `SELECT vendorid, count(*), sum(fare_amount) FROM read_csv('${files.csv}', header => true) GROUP BY 1 ORDER BY 1`],
    ] as const) {
      const got = await shoalRows(session, remote);
      expect(got.rows.length).toBeGreaterThan(0);
      expect(got).toEqual(await shoalRows(session, local));
    }
    expect(server.log.some((r) => r.status === 206)).toBe(true);
  });

  test('EXPLAIN does not show the query string of a URL (presigned signatures)', async () => {
    const session = (await Shoal.open({ cwd: dir })).session();
    const signed = `${url('taxi.parquet')}?X-Amz-Signature=SIGNATURE-SECRET`;
    for (const sql of [`EXPLAIN SELECT count(*) FROM '${signed}'`, `EXPLAIN ANALYZE SELECT sum(fare_amount) FROM read_parquet('${signed}')`]) {
      const plan = JSON.stringify(await (await session.query(sql)).toArray());
      expect(plan).toContain(`${url('taxi.parquet')}?…`);
      expect(plan).not.toContain('SIGNATURE-SECRET');
    }
  });

  test('server errors are retried with the engine http settings', async () => {
    const proxy = await FaultProxy.start(server.url);
    try {
      proxy.addRule({ method: 'GET', times: 2, fault: INTERNAL_ERROR });
      const session = (await Shoal.open({ cwd: dir, storage: { http: { retryBaseDelayMs: 1, maxAttempts: 3 } } })).session();
      const got = await shoalRows(session, `SELECT count(*), sum(total_amount) FROM '${proxy.url}/taxi.parquet'`);
      expect(got).toEqual(await shoalRows(session, `SELECT count(*), sum(total_amount) FROM '${files.parquet}'`));
      expect(proxy.faultsInjected).toBe(2);
      proxy.reset();
      proxy.addRule({ method: 'GET', fault: INTERNAL_ERROR });
      const fresh = (await Shoal.open({ cwd: dir, storage: { http: { retryBaseDelayMs: 1, maxAttempts: 3 } } })).session();
      const e = await errorOf((async () => (await fresh.query(`SELECT count(*) FROM '${proxy.url}/taxi.parquet'`)).toArray())());
      expect(e.code).toBe('STORAGE_UNAVAILABLE');
      expect(e.message).toContain(`${proxy.url}/taxi.parquet: 3 attempts failed (last: HTTP 500 Internal Server Error)`);
    } finally {
      await proxy.close();
    }
  });
});
