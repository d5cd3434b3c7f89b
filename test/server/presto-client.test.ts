import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import presto, { type ClientOptions, type PrestoColumn, type PrestoError, type PrestoStats } from 'presto-client';
import type { ShoalServer } from '../../src/server/index.js';
import { BIG_SQL, ENDLESS_ROWS_SQL, eventually, startServer } from './server-fixture.js';

// The npm presto-client (1.2.0) used unchanged, with both its Presto (default) and Trino header families.
let server: ShoalServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

interface Outcome {
  rows: unknown[][];
  columns: PrestoColumn[];
  states: string[];
  error?: PrestoError;
  info?: unknown;
}

function run(sql: string, o: Partial<ClientOptions> = {}, extra: { cancel?: () => boolean; info?: boolean } = {}): Promise<Outcome> {
  const client = new presto.Client({ host: '127.0.0.1', port: server.port, user: 'tester', catalog: 'lake', schema: 'nyc', checkInterval: 5, ...o });
  const out: Outcome = { rows: [], columns: [], states: [] };
  return new Promise((resolve) => {
    client.execute({
      query: sql,
      ...extra,
      state: (_e: unknown, _id: string, stats: PrestoStats) => out.states.push(stats.state),
      columns: (_e: unknown, cols: PrestoColumn[]) => { out.columns = cols; },
      data: (_e: unknown, rows: unknown[][]) => { out.rows.push(...rows); },
      success: (_e: unknown, _stats: PrestoStats, info?: unknown) => { out.info = info; resolve(out); },
      error: (e: PrestoError) => { out.error = e; resolve(out); },
    });
  });
}

describe('presto-client against shoal serve', () => {
  it('runs a query with X-Presto-* headers and fetches the query info', async () => {
    const r = await run("SELECT locationid, zone FROM taxi_zone_lookup WHERE locationid <= 2 ORDER BY 1", {}, { info: true });
    expect(r.error).toBeUndefined();
    expect(r.columns.map((c) => [c.name, c.type])).toEqual([['locationid', 'integer'], ['zone', 'varchar']]);
    expect(r.rows).toEqual([[1, 'Newark Airport'], [2, 'Jamaica Bay']]);
    expect(r.states.at(-1)).toBe('FINISHED');
    expect(r.info).toMatchObject({ state: 'FINISHED', session: { user: 'tester' } });
  });

  it('runs with engine: trino and keeps bigint digits exact for a big-number-aware parser', async () => {
    // Trino writes BIGINT as a JSON number; JSON.parse rounds beyond 2^53, so presto-client takes a parser.
    const parser = { parse: (text: string): unknown => JSON.parse(text.replace(/(?<=[[,])(-?\d{16,})(?=[\],])/g, '"$1"')) };
    const r = await run('SELECT 9223372036854775807, -9007199254740993', { engine: 'trino', jsonParser: parser });
    expect(r.rows).toEqual([['9223372036854775807', '-9007199254740993']]);
  });

  it('delivers a result of more than 10 MB complete and in order', async () => {
    const started = performance.now();
    const r = await run(BIG_SQL, { timeout: 120 });
    expect(r.error).toBeUndefined();
    expect(r.rows.length).toBe(265 * 265);
    expect(r.rows.every((row, k) => row[0] === Math.floor(k / 265) + 1 && row[1] === (k % 265) + 1)).toBe(true);
    console.log(`presto-client: ${r.rows.length} rows in ${Math.round(performance.now() - started)} ms`);
  });

  it('reports errorName and errorLocation of a bad query', async () => {
    const r = await run('SELECT * FROM\n nope');
    expect(r.error?.errorName).toBe('TABLE_NOT_FOUND');
    expect(r.error?.errorLocation).toEqual({ lineNumber: 2, columnNumber: 2 });
  });

  it('cancels with DELETE on nextUri', async () => {
    let stop = false;
    const pending = run(ENDLESS_ROWS_SQL, {}, { cancel: () => stop });
    await eventually(() => server.runningQueries === 1);
    stop = true;
    const r = await pending;
    expect(r.error?.message).toBe('query fetch canceled by operation');
    await eventually(() => server.runningQueries === 0);
  });

  it('answers GET /v1/node', async () => {
    const client = new presto.Client({ host: '127.0.0.1', port: server.port, user: 'tester' });
    const nodes = await new Promise((resolve) => client.nodes(null, (_e, n) => resolve(n)));
    expect(nodes).toEqual([]);
  });
});
