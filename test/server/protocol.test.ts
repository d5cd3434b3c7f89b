import { afterEach, describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import type { Authenticator } from '../../src/server/index.js';
import { ShoalServer } from '../../src/server/index.js';
import { ENDLESS_ROWS_SQL, ENDLESS_SQL, eventually, startServer } from './server-fixture.js';

// The protocol rules clients rely on, checked over plain HTTP (fetch) where the npm clients hide them.

interface Page {
  id: string;
  infoUri: string;
  nextUri?: string;
  columns?: { name: string; type: string }[];
  data?: unknown[][];
  stats: { state: string; scheduled: boolean; nodes: number; totalSplits: number; completedSplits: number; progressPercentage?: number; processedRows: number };
  error?: { errorName: string; errorType: string; errorCode: number; message: string };
  updateType?: string;
}

let server: ShoalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function post(sql: string, headers: Record<string, string> = {}): Promise<Page> {
  const res = await fetch(`${server!.url}/v1/statement`, { method: 'POST', body: sql, headers: { 'X-Trino-User': 'u', ...headers } });
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
}

async function get(uri: string, headers: Record<string, string> = {}): Promise<{ page: Page; res: Response }> {
  const res = await fetch(uri, { headers });
  return { res, page: (await res.json()) as Page };
}

/** Pages until the end; returns every page after the POST. */
async function drain(first: Page, headers: Record<string, string> = {}): Promise<Page[]> {
  const pages: Page[] = [];
  let uri = first.nextUri;
  while (uri !== undefined) {
    const { page } = await get(uri, headers);
    pages.push(page);
    uri = page.nextUri;
  }
  return pages;
}

describe('Trino protocol endpoint', () => {
  it('answers the POST with id, infoUri and nextUri but no rows, and repeats a page when its token is fetched again', async () => {
    server = await startServer();
    const first = await post('SELECT locationid FROM taxi_zone_lookup ORDER BY 1');
    expect(first.id).toMatch(/^\d{8}_\d{6}_\d{5}_shoal$/);
    expect(first.infoUri).toBe(`${server.url}/v1/query/${first.id}`);
    expect(first.nextUri).toMatch(new RegExp(`/v1/statement/executing/${first.id}/[^/]+/1$`));
    expect(first.data).toBeUndefined();
    expect(['QUEUED', 'RUNNING']).toContain(first.stats.state);
    const a = await get(first.nextUri!, { 'X-Trino-Max-Size': '1kB' });
    const again = await get(first.nextUri!);
    expect(await JSON.stringify(again.page)).toBe(JSON.stringify(a.page));
    // 1 kB pages: each page holds only part of the 265 rows.
    const rows = [...(a.page.data ?? [])];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(265);
    let uri = a.page.nextUri;
    let stale: string | undefined = first.nextUri;
    while (uri !== undefined) {
      const { page } = await get(uri, { 'X-Trino-Max-Size': '1kB' });
      rows.push(...(page.data ?? []));
      uri = page.nextUri;
      if (stale !== undefined) {
        expect((await fetch(stale)).status).toBe(410);
        stale = undefined;
      }
      if (uri === undefined) {
        expect(page.stats.state).toBe('FINISHED');
        expect(page.stats.progressPercentage).toBe(100);
        expect(page.stats.totalSplits).toBeGreaterThan(0);
        expect(page.stats.processedRows).toBe(265);
      }
    }
    expect(rows).toEqual(Array.from({ length: 265 }, (_, k) => [k + 1]));
    const info = (await (await fetch(first.infoUri)).json()) as { queryId: string; state: string; query: string; session: { user: string } };
    expect(info).toMatchObject({ queryId: first.id, state: 'FINISHED', query: 'SELECT locationid FROM taxi_zone_lookup ORDER BY 1', session: { user: 'u' } });
  });

  it('answers unknown queries with 404 and serves /v1/info and /v1/node', async () => {
    server = await startServer({ version: '9.9' });
    expect((await fetch(`${server.url}/v1/statement/executing/20240101_000000_00001_shoal/x/1`)).status).toBe(404);
    const missing = await fetch(`${server.url}/v1/query/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toMatch(/does not exist/);
    const info = (await (await fetch(`${server.url}/v1/info`)).json()) as Record<string, unknown>;
    expect(info).toMatchObject({ nodeVersion: { version: '9.9' }, coordinator: true, starting: false });
    expect(await (await fetch(`${server.url}/v1/node`)).json()).toEqual([]);
    expect((await fetch(`${server.url}/v1/statement`, { method: 'POST', body: '  ' })).status).toBe(400);
  });

  it('keeps BIGINT digits exact in the JSON text', async () => {
    server = await startServer();
    const res = await post('SELECT 9223372036854775807');
    let next = res.nextUri;
    let text = '';
    while (next !== undefined) {
      const r = await fetch(next);
      text = await r.text();
      next = (JSON.parse(text) as Page).nextUri;
      if (text.includes('"data"')) break;
    }
    expect(text).toContain('"data":[[9223372036854775807]]');
  });

  it('answers Presto headers with X-Presto-Set-* and Trino headers with X-Trino-Set-*', async () => {
    server = await startServer();
    const res = await fetch(`${server.url}/v1/statement`, { method: 'POST', body: 'USE lake.information_schema', headers: { 'X-Presto-User': 'p', 'X-Presto-Catalog': 'lake' } });
    const first = (await res.json()) as Page;
    let uri = first.nextUri;
    let headers: Headers | undefined;
    while (uri !== undefined) {
      const r = await fetch(uri);
      headers = r.headers;
      uri = ((await r.json()) as Page).nextUri;
    }
    expect(headers?.get('x-presto-set-schema')).toBe('information_schema');
    expect(headers?.get('x-presto-set-catalog')).toBe(null); // unchanged
    const set = await post("SET SESSION query_max_execution_time = '10m'");
    let u = set.nextUri;
    let h: Headers | undefined;
    while (u !== undefined) {
      const r = await fetch(u);
      h = r.headers;
      u = ((await r.json()) as Page).nextUri;
    }
    expect(h?.get('x-trino-set-session')).toBe('query_max_execution_time=10m');
    const reset = await post('RESET SESSION query_max_execution_time', { 'X-Trino-Session': 'query_max_execution_time=10m' });
    u = reset.nextUri;
    while (u !== undefined) {
      const r = await fetch(u);
      h = r.headers;
      u = ((await r.json()) as Page).nextUri;
    }
    expect(h?.get('x-trino-clear-session')).toBe('query_max_execution_time');
  });

  it('rejects queries beyond the running and queued limits with QUERY_QUEUE_FULL', async () => {
    server = await startServer({ maxRunning: 1, maxQueued: 1 });
    const running = await post(ENDLESS_SQL);
    const queued = await post('SELECT 1');
    const rejected = await post('SELECT 2');
    await eventually(() => server!.runningQueries === 1 && server!.queuedQueries === 1);
    const pages = await drain(rejected);
    expect(pages.at(-1)!.error).toMatchObject({ errorName: 'QUERY_QUEUE_FULL', errorType: 'INSUFFICIENT_RESOURCES', errorCode: 131074 });
    const { page } = await get(queued.nextUri!);
    expect(page.stats.state).toBe('QUEUED');
    expect(page.stats.scheduled).toBe(false);
    expect((await fetch(running.nextUri!, { method: 'DELETE' })).status).toBe(204);
    const done = await drain(page);
    expect(done.flatMap((p) => p.data ?? [])).toEqual([[1]]);
    await eventually(() => server!.runningQueries === 0);
    const cancelled = await drain(running);
    expect(cancelled.at(-1)!.error?.errorName).toBe('USER_CANCELED');
  });

  it('cancels a query whose client stops polling', async () => {
    server = await startServer({ abandonedAfterMs: 200 });
    const q = await post(ENDLESS_ROWS_SQL);
    await eventually(() => server!.runningQueries === 1);
    await eventually(() => server!.runningQueries === 0);
    const pages = await drain(q);
    expect(pages.at(-1)!.error?.errorName).toBe('ABANDONED_QUERY');
  });

  it('fails a query that cannot spill past the memory limit with EXCEEDED_MEMORY_LIMIT', async () => {
    // Joins, aggregations and sorts spill; a window over every row cannot.
    server = await startServer({ maxQueryMemoryBytes: 1024 });
    const pages = await drain(await post('SELECT pulocationid, row_number() OVER (ORDER BY fare_amount) FROM yellow_tripdata'));
    expect(pages.at(-1)!.error).toMatchObject({ errorName: 'EXCEEDED_MEMORY_LIMIT', errorType: 'INSUFFICIENT_RESOURCES' });
    await eventually(() => server!.runningQueries === 0);
  });

  it('fails a query over query_max_execution_time set as a server default', async () => {
    server = await startServer({ sessionProperties: { query_max_execution_time: '100ms' } });
    const pages = await drain(await post(ENDLESS_SQL));
    expect(pages.at(-1)!.error).toMatchObject({ errorName: 'EXCEEDED_TIME_LIMIT', errorType: 'INSUFFICIENT_RESOURCES' });
  });

  it('refuses an unauthenticated non-loopback bind unless allowed', async () => {
    await expect(startServer({ host: '0.0.0.0' })).rejects.toThrow(/without authentication/);
    server = await startServer({ host: '0.0.0.0', allowInsecure: true });
    expect(server.port).toBeGreaterThan(0);
  });

  it('asks the authenticator for every request except /v1/info and runs as the authenticated user', async () => {
    const auth: Authenticator = {
      kind: 'test',
      authenticate: async (req: IncomingMessage) => (req.headers.authorization === 'Bearer good'
        ? { ok: true, user: 'alice' }
        : { ok: false, challenge: 'Bearer realm="shoal"', message: 'Authentication failed' }),
    };
    server = await startServer({ authenticator: auth });
    expect((await fetch(`${server.url}/v1/info`)).status).toBe(200);
    const refused = await fetch(`${server.url}/v1/statement`, { method: 'POST', body: 'SELECT 1' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="shoal"');
    expect(await refused.text()).toBe('Authentication failed');
    // Trino refuses a session user other than the authenticated one (no impersonation rules in Shoal).
    const other = await fetch(`${server.url}/v1/statement`, { method: 'POST', body: 'SELECT 1', headers: { Authorization: 'Bearer good', 'X-Trino-User': 'mallory' } });
    expect(other.status).toBe(403);
    expect(await other.text()).toBe('User alice cannot impersonate user mallory');
    const ok = await post('SELECT 1', { Authorization: 'Bearer good', 'X-Trino-User': 'alice' });
    expect((await fetch(ok.nextUri!)).status).toBe(401);
    await drain(ok, { Authorization: 'Bearer good' });
    const info = (await (await fetch(ok.infoUri, { headers: { Authorization: 'Bearer good' } })).json()) as { session: { user: string } };
    expect(info.session.user).toBe('alice');
  });
});
