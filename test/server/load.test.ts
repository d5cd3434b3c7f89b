import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import http from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ShoalServer } from '../../src/server/index.js';
import { ENDLESS_SQL, eventually, startServer } from './server-fixture.js';

// Issue 9 item 4: 100 concurrent clients on loopback mix short queries, long queries and cancellations against one
// in-process server. Every query that should succeed does with the serial answer, cancelled ones end USER_CANCELED,
// and afterwards heap, file descriptors and timers return to their baseline. Figures are printed, never asserted
// as timings (the machine is shared).

interface Page {
  id: string;
  nextUri?: string;
  data?: unknown[][];
  stats: { state: string };
  error?: { errorName: string; message: string };
}

const SHORT_SQL = 'SELECT count(*) FROM lake.nyc.yellow_tripdata WHERE month = 1';
/** 265 × 265 × 30 joined rows filtered and summed: a few hundred ms alone, a second or more under load. */
const LONG_SQL = `SELECT count(*), sum(a.locationid * b.locationid) FROM taxi_zone_lookup a CROSS JOIN taxi_zone_lookup b
  CROSS JOIN (SELECT * FROM taxi_zone_lookup LIMIT 30) c WHERE (a.locationid + b.locationid + c.locationid) % 7 = 0`;

const CLIENTS = 100;
type Kind = 'short' | 'long' | 'cancel';
/** 60 short, 15 long, 25 cancelled: bounded so the whole run stays within a few seconds of CPU on 2 cores. */
function kindOf(i: number): Kind {
  const k = i % 20;
  return k < 12 ? 'short' : k < 15 ? 'long' : 'cancel';
}

/** A full collection (V8's gc exposed at run time, so no vitest worker flags are needed). */
const gc: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

async function settle(): Promise<void> {
  for (let k = 0; k < 3; k++) {
    await new Promise((r) => setTimeout(r, 50));
    gc();
  }
}

function fdCount(): number {
  return readdirSync('/proc/self/fd').length;
}

function timerCount(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

let server: ShoalServer;
/** The clients' own connection pool, destroyed before the after-measurement so only server-side leaks count. */
let agent = new http.Agent({ keepAlive: true });
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  agent.destroy();
  await server.close();
});

/** One HTTP exchange over the clients' pool; returns the status and the body text. */
function request(method: string, url: string, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, headers: { 'X-Trino-User': 'load' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function post(sql: string): Promise<Page> {
  const res = await request('POST', `${server.url}/v1/statement`, sql);
  expect(res.status).toBe(200);
  return JSON.parse(res.text) as Page;
}

async function next(page: Page): Promise<Page> {
  const res = await request('GET', page.nextUri!);
  expect(res.status).toBe(200);
  return JSON.parse(res.text) as Page;
}

/** Pages a query to its end; returns its rows and its final error, if any. */
async function drain(first: Page): Promise<{ rows: unknown[][]; error: Page['error'] }> {
  const rows: unknown[][] = [];
  let page = first;
  while (page.nextUri !== undefined) {
    page = await next(page);
    rows.push(...(page.data ?? []));
  }
  return { rows, error: page.error };
}

async function runSql(sql: string): Promise<{ rows: unknown[][]; error: Page['error'] }> {
  return drain(await post(sql));
}

/** Starts the endless query, waits until the engine runs it, cancels it with DELETE nextUri and pages to the end. */
async function runCancelled(): Promise<{ rows: unknown[][]; error: Page['error'] }> {
  let page = await post(ENDLESS_SQL);
  while (page.stats.state === 'QUEUED' && page.nextUri !== undefined) page = await next(page);
  const del = await request('DELETE', page.nextUri!);
  expect(del.status).toBe(204);
  return drain(page);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

describe('shoal serve under load', () => {
  it('serves 100 concurrent clients mixing short, long and cancelled queries without leaking', async () => {
    // Serial answers first: they are the oracle, and the warm-up loads code and caches before the baseline.
    const shortWant = await runSql(SHORT_SQL);
    const longWant = await runSql(LONG_SQL);
    expect(shortWant.error).toBeUndefined();
    expect(longWant.error).toBeUndefined();
    expect(shortWant.rows).toHaveLength(1);
    expect((await runCancelled()).error?.errorName).toBe('USER_CANCELED');
    await eventually(() => server.runningQueries === 0);

    agent.destroy();
    agent = new http.Agent({ keepAlive: true });
    await eventually(() => server.openConnections === 0);
    await settle();
    const before = { heap: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss, fds: fdCount(), timers: timerCount() };

    const latencies: Record<Kind, number[]> = { short: [], long: [], cancel: [] };
    const started = performance.now();
    const outcomes = await Promise.all(Array.from({ length: CLIENTS }, async (_, i) => {
      const kind = kindOf(i);
      const t = performance.now();
      const r = kind === 'short' ? await runSql(SHORT_SQL) : kind === 'long' ? await runSql(LONG_SQL) : await runCancelled();
      latencies[kind].push(performance.now() - t);
      return { kind, ...r };
    }));
    const wallMs = performance.now() - started;

    for (const o of outcomes) {
      if (o.kind === 'cancel') {
        expect(o.error?.errorName).toBe('USER_CANCELED');
      } else {
        // QUERY_QUEUE_FULL would only be right if limits were configured; the defaults (16 running, 1000 queued) hold 100.
        expect(o.error).toBeUndefined();
        expect(o.rows).toEqual(o.kind === 'short' ? shortWant.rows : longWant.rows);
      }
    }
    await eventually(() => server.runningQueries === 0 && server.queuedQueries === 0);
    const peakConnections = server.openConnections;
    agent.destroy();
    await eventually(() => server.openConnections === 0);
    await settle();
    const after = { heap: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss, fds: fdCount(), timers: timerCount() };
    const all = [...latencies.short, ...latencies.long, ...latencies.cancel].sort((a, b) => a - b);
    const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;
    console.log([
      `load: ${CLIENTS} clients (${latencies.short.length} short, ${latencies.long.length} long, ${latencies.cancel.length} cancelled) in ${wallMs.toFixed(0)} ms`,
      `latency ms: p50 ${percentile(all, 0.5).toFixed(0)}, p99 ${percentile(all, 0.99).toFixed(0)}; short p50 ${percentile(latencies.short.sort((a, b) => a - b), 0.5).toFixed(0)}, long p50 ${percentile(latencies.long.sort((a, b) => a - b), 0.5).toFixed(0)}`,
      `heapUsed ${mb(before.heap)} -> ${mb(after.heap)}, rss ${mb(before.rss)} -> ${mb(after.rss)}, fds ${before.fds} -> ${after.fds} (client connections at the end: ${peakConnections}), timers ${before.timers} -> ${after.timers}`,
    ].join('\n'));

    // Finished queries are retained for their info URIs (15 minutes, results dropped), so allow a few MB of records.
    expect(after.heap - before.heap).toBeLessThan(32 * 1024 * 1024);
    expect(peakConnections).toBeGreaterThan(0);
    // With every client connection closed, the server holds no descriptor per query (files, sockets, spills).
    expect(after.fds - before.fds).toBeLessThanOrEqual(2);
    expect(after.timers).toBeLessThanOrEqual(before.timers);
  });
});
