import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RecordBatchReader, Table, tableFromIPC, type RecordBatch } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ARROW_STATEMENT_PATH, handleArrowRequest, type ArrowSessionRequest, type ArrowStreamOutcome } from '../../src/server/arrow-endpoint.js';
import { Shoal } from '../../src/index.js';
import { REPO_ROOT, SAMPLE_CATALOG } from '../support/paths.js';

/** A real HTTP server serving only the Arrow endpoint on the sample catalog; it records each request's outcome. */
let server: Server;
let url: string;
let shoal: Shoal;
const outcomes: ArrowStreamOutcome[] = [];
const seen: ArrowSessionRequest[] = [];
let lastOutcome: Promise<ArrowStreamOutcome> | undefined;

beforeAll(async () => {
  shoal = await Shoal.open({ catalogDir: SAMPLE_CATALOG, cwd: REPO_ROOT });
  server = createServer((req, res) => {
    if (req.url !== ARROW_STATEMENT_PATH) {
      res.writeHead(404).end();
      return;
    }
    lastOutcome = handleArrowRequest(req, res, (r) => {
      seen.push(r);
      return shoal.session({ catalog: r.catalog ?? 'lake', schema: r.schema ?? 'nyc', timeZone: r.timeZone, properties: r.properties });
    }).then((o) => {
      outcomes.push(o);
      return o;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${ARROW_STATEMENT_PATH}`;
});
afterAll(() => server.close());

const post = (sql: string, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> =>
  fetch(url, { method: 'POST', body: sql, headers: { 'x-trino-user': 'test', ...headers }, ...(signal === undefined ? {} : { signal }) });

/** The session's own result as an Arrow Table (dictionary strings read back as strings by Row.toJSON). */
async function sessionTable(sql: string, properties: Record<string, string> = {}): Promise<{ table: Table; batches: RecordBatch[] }> {
  const result = await shoal.session({ catalog: 'lake', schema: 'nyc', properties }).query(sql);
  const batches: RecordBatch[] = [];
  for await (const b of result) batches.push(b);
  return { table: new Table(batches), batches };
}

const rowsOf = (t: Table): string[] => t.toArray().map((r: { toJSON(): unknown }) => JSON.stringify(r.toJSON(), (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)));

describe('POST /v1/arrow/statement', () => {
  test('a query over the sample data arrives as an Arrow stream equal to the session\'s own result', async () => {
    const sql = `SELECT z.borough, count(*) AS trips, sum(t.total_amount) AS revenue, max(t.tpep_pickup_datetime) AS last_pickup
      FROM yellow_tripdata t JOIN taxi_zone_lookup z ON t.pulocationid = z.locationid
      GROUP BY z.borough ORDER BY z.borough`;
    const r = await post(sql);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    const table = tableFromIPC(new Uint8Array(await r.arrayBuffer()));
    expect(table.schema.fields.map((f) => f.name)).toEqual(['borough', 'trips', 'revenue', 'last_pickup']);
    expect(String(table.schema.fields[0]!.type)).toBe('Utf8');
    const expected = await sessionTable(sql);
    expect(table.numRows).toBe(expected.table.numRows);
    expect(table.numRows).toBeGreaterThan(3);
    expect(rowsOf(table)).toEqual(rowsOf(expected.table));
    // Total trips equal the table's row count (independent of both encodings).
    const total = table.getChild('trips')!.toArray() as BigInt64Array;
    expect(total.reduce((a, b) => a + b, 0n)).toBeLessThanOrEqual(127075n);
  });

  test('a result of many batches streams batch by batch (X-Trino-Session batch_size), values equal', async () => {
    const sql = 'SELECT vendorid, tpep_pickup_datetime, passenger_count, trip_distance, store_and_fwd_flag, total_amount FROM yellow_tripdata WHERE month = 1';
    const r = await post(sql, { 'x-trino-session': 'batch_size=2048' });
    expect(r.status).toBe(200);
    expect(seen.at(-1)!.properties).toEqual({ batch_size: '2048' });
    const reader = await RecordBatchReader.from(r.body!);
    const got: RecordBatch[] = [];
    for await (const b of reader) got.push(b);
    const expected = await sessionTable(sql, { batch_size: '2048' });
    expect(got.length).toBeGreaterThan(2);
    expect(got.length).toBe(expected.batches.length);
    expect(rowsOf(new Table(got))).toEqual(rowsOf(expected.table));
    const outcome = await lastOutcome!;
    expect(outcome).toEqual({ kind: 'complete', rows: expected.table.numRows, batches: expected.batches.length });
  });

  test('dictionary-encoded strings (CSV columns) are sent as plain Utf8 under one schema', async () => {
    const sql = 'SELECT locationid, borough, zone, service_zone FROM taxi_zone_lookup';
    const expected = await sessionTable(sql);
    // The engine's batches carry dictionaries here; the stream must not (one schema for the whole stream).
    expect(expected.batches.some((b) => b.schema.fields.some((f) => String(f.type).startsWith('Dictionary')))).toBe(true);
    const table = tableFromIPC(new Uint8Array(await (await post(sql)).arrayBuffer()));
    expect(table.schema.fields.map((f) => String(f.type))).toEqual(['Int32', 'Utf8', 'Utf8', 'Utf8']);
    expect(table.numRows).toBe(265);
    expect(rowsOf(table)).toEqual(rowsOf(expected.table));
  });

  test('an empty result is a valid stream with the schema and no rows', async () => {
    const r = await post('SELECT vendorid, total_amount FROM yellow_tripdata WHERE vendorid = -1');
    const table = tableFromIPC(new Uint8Array(await r.arrayBuffer()));
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['vendorid', 'total_amount']);
  });

  test('a bad query is a 400 with Trino\'s error fields and location; GET is 405', async () => {
    const r = await post('SELECT nosuchcolumn\nFROM yellow_tripdata');
    expect(r.status).toBe(400);
    const body = (await r.json()) as { error: { errorName: string; errorType: string; errorCode: number; message: string; errorLocation: { lineNumber: number; columnNumber: number } } };
    expect(body.error.errorName).toBe('COLUMN_NOT_FOUND');
    expect(body.error.errorCode).toBe(47);
    expect(body.error.errorType).toBe('USER_ERROR');
    expect(body.error.errorLocation).toEqual({ lineNumber: 1, columnNumber: 8 });
    const get = await fetch(url);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(((await post('  ')).status)).toBe(400);
  });

  test('an error after the stream started cuts the connection: the client sees a truncated stream', async () => {
    // Row 5000 of the first month divides by zero; batches of 1024 rows before it have been sent already.
    const sql = `SELECT vendorid, 1 / (row_number() OVER (ORDER BY tpep_pickup_datetime, tpep_dropoff_datetime, total_amount) - 5000) AS x
      FROM yellow_tripdata WHERE month = 1`;
    const r = await post(sql, { 'x-trino-session': 'batch_size=1024' });
    expect(r.status).toBe(200);
    await expect(r.arrayBuffer()).rejects.toThrow();
    const outcome = await lastOutcome!;
    expect(outcome.kind).toBe('failed');
    if (outcome.kind === 'failed') expect(outcome.error.code).toBe('DIVISION_BY_ZERO');
  });

  test('a client that disconnects mid-stream cancels the query', async () => {
    const controller = new AbortController();
    const r = await post('SELECT * FROM yellow_tripdata', { 'x-trino-session': 'batch_size=1024' }, controller.signal);
    expect(r.status).toBe(200);
    const body = r.body!.getReader();
    const first = await body.read();
    expect(first.done).toBe(false);
    controller.abort();
    const outcome = await lastOutcome!;
    expect(outcome.kind).toBe('canceled');
    // Backpressure held the query back while the client did not read: far from all 127075 rows were produced.
    if (outcome.kind === 'canceled') expect(outcome.rows).toBeLessThan(127075);
  });
});
