import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Trino, type QueryResult } from 'trino-client';
import type { ShoalServer } from '../../src/server/index.js';
import { BIG_SQL, ENDLESS_ROWS_SQL, ENDLESS_SQL, eventually, startServer } from './server-fixture.js';

// The npm trino-client (0.2.9) used unchanged against `shoal serve` on 127.0.0.1.
let server: ShoalServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

function client(o: { catalog?: string; schema?: string } = { catalog: 'lake', schema: 'nyc' }): Trino {
  return Trino.create({ server: server.url, ...o });
}

/** trino-client's QueryResult type lacks updateType, which Trino sends for USE, SET SESSION and DDL. */
function updateTypeOf(page: QueryResult): unknown {
  return (page as QueryResult & { updateType?: string }).updateType;
}

async function collect(t: Trino, sql: string): Promise<{ pages: QueryResult[]; rows: unknown[][] }> {
  const pages: QueryResult[] = [];
  const rows: unknown[][] = [];
  for await (const page of await t.query(sql)) {
    pages.push(page);
    if (page.error !== undefined) break;
    rows.push(...((page.data ?? []) as unknown[][]));
  }
  return { pages, rows };
}

describe('trino-client against shoal serve', () => {
  it('maps every Shoal type to its Trino type name and value', async () => {
    // Expected texts are Trino's JSON encoding (client-protocol docs; Trino 4xx): DECIMAL as a string, temporal
    // values as strings with the type's precision, intervals as Trino prints them, ROW as an array, MAP as an object.
    const sql = `SELECT true AS b, CAST(1 AS tinyint) AS ti, CAST(2 AS smallint) AS si, 3 AS i, CAST(4 AS bigint) AS bi,
      CAST(0.1 AS real) AS r, 1.5e0 AS d, DECIMAL '12.30' AS dec, 'héllo' AS v, CAST('ab' AS varchar(5)) AS v5,
      DATE '2024-01-31' AS dt, TIMESTAMP '2024-01-31 12:00:00.123' AS ts3, CAST(TIMESTAMP '2024-01-31 12:00:00' AS timestamp(6)) AS ts6,
      TIMESTAMP '2024-01-31 12:00:00.000 UTC' AS tz, INTERVAL '2' DAY + INTERVAL '3' HOUR AS ids, INTERVAL '14' MONTH AS iym,
      ARRAY[1, NULL, 3] AS arr, MAP(ARRAY['a', 'b'], ARRAY[1, 2]) AS m, CAST(ROW(1, 'x') AS ROW(x integer, y varchar)) AS rw, NULL AS n`;
    const { pages, rows } = await collect(client(), sql);
    const last = pages[pages.length - 1]!;
    expect(last.error).toBeUndefined();
    const cols = last.columns!.map((c) => [c.name, c.type]);
    expect(cols).toEqual([
      ['b', 'boolean'], ['ti', 'tinyint'], ['si', 'smallint'], ['i', 'integer'], ['bi', 'bigint'], ['r', 'real'], ['d', 'double'],
      ['dec', 'decimal(4,2)'], ['v', 'varchar(5)'], ['v5', 'varchar(5)'], ['dt', 'date'], ['ts3', 'timestamp(3)'], ['ts6', 'timestamp(6)'],
      ['tz', 'timestamp(3) with time zone'], ['ids', 'interval day to second'], ['iym', 'interval year to month'],
      ['arr', 'array(integer)'], ['m', 'map(varchar(1), integer)'], ['rw', 'row(x integer, y varchar)'], ['n', 'unknown'],
    ]);
    expect(rows).toEqual([[
      true, 1, 2, 3, 4, 0.1, 1.5, '12.30', 'héllo', 'ab', '2024-01-31', '2024-01-31 12:00:00.123', '2024-01-31 12:00:00.000000',
      '2024-01-31 12:00:00.000 UTC', '2 03:00:00.000', '1-2', [1, null, 3], { a: 1, b: 2 }, [1, 'x'], null,
    ]]);
    const sig = Object.fromEntries(last.columns!.map((c) => [c.name, (c as unknown as { typeSignature: unknown }).typeSignature]));
    expect(sig['dec']).toEqual({ rawType: 'decimal', arguments: [{ kind: 'LONG', value: 4 }, { kind: 'LONG', value: 2 }] });
    expect(sig['tz']).toEqual({ rawType: 'timestamp with time zone', arguments: [{ kind: 'LONG', value: 3 }] });
    expect(sig['rw']).toEqual({ rawType: 'row', arguments: [
      { kind: 'NAMED_TYPE', value: { fieldName: { name: 'x' }, typeSignature: { rawType: 'integer', arguments: [] } } },
      { kind: 'NAMED_TYPE', value: { fieldName: { name: 'y' }, typeSignature: { rawType: 'varchar', arguments: [{ kind: 'LONG', value: 2147483647 }] } } },
    ] });
    expect(sig['m']).toEqual({ rawType: 'map', arguments: [
      { kind: 'TYPE', value: { rawType: 'varchar', arguments: [{ kind: 'LONG', value: 1 }] } },
      { kind: 'TYPE', value: { rawType: 'integer', arguments: [] } },
    ] });
  });

  it('delivers a result of more than 10 MB complete and in order', async () => {
    const started = performance.now();
    const { pages, rows } = await collect(client(), BIG_SQL);
    const ms = performance.now() - started;
    expect(pages[pages.length - 1]!.error).toBeUndefined();
    expect(rows.length).toBe(265 * 265);
    const bytes = rows.reduce((n: number, r) => n + JSON.stringify(r).length, 0);
    expect(bytes).toBeGreaterThan(10 * 1024 * 1024);
    for (let k = 0; k < rows.length; k++) {
      expect(rows[k]![0]).toBe(Math.floor(k / 265) + 1);
      expect(rows[k]![1]).toBe((k % 265) + 1);
    }
    // Pages are bounded to about 1 MB each.
    expect(pages.filter((p) => (p.data?.length ?? 0) > 0).length).toBeGreaterThanOrEqual(10);
    console.log(`trino-client: ${(bytes / 1024 / 1024).toFixed(1)} MB in ${Math.round(ms)} ms over ${pages.length} pages`);
  });

  it('reports a bad query with errorName and errorLocation', async () => {
    const { pages } = await collect(client(), 'SELECT 1,\n  nope FROM taxi_zone_lookup');
    const err = pages[pages.length - 1]!.error as unknown as { errorName: string; errorType: string; errorCode: number; errorLocation: unknown; message: string };
    expect(err.errorName).toBe('COLUMN_NOT_FOUND');
    expect(err.errorType).toBe('USER_ERROR');
    expect(err.errorCode).toBe(47);
    expect(err.errorLocation).toEqual({ lineNumber: 2, columnNumber: 3 });
    expect(err.message).toMatch(/nope/);
  });

  it('cancels a running query with DELETE /v1/query/{id}', async () => {
    const t = client();
    const iter = await t.query(ENDLESS_ROWS_SQL);
    const first = await iter.next();
    expect(first.value.data?.length).toBeGreaterThan(0);
    const id = first.value.id;
    await eventually(() => server.runningQueries === 1);
    await t.cancel(id);
    await eventually(() => server.runningQueries === 0);
    const info = await t.queryInfo(id) as { state: string; errorCode?: { name: string } };
    expect(info.state).toBe('FAILED');
    expect(info.errorCode?.name).toBe('USER_CANCELED');
  });

  it('runs 50 concurrent clients to completion', async () => {
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 50 }, async (_, k) => {
      const { pages, rows } = await collect(client(), `SELECT count(*) + ${k}, min(zone) FROM taxi_zone_lookup WHERE locationid > ${k}`);
      expect(pages[pages.length - 1]!.error).toBeUndefined();
      return rows;
    }));
    console.log(`50 concurrent trino-client queries in ${Math.round(performance.now() - started)} ms`);
    results.forEach((rows, k) => expect(rows).toEqual([[265 - k + k, expect.any(String)]]));
    expect(server.runningQueries).toBe(0);
  });

  it('carries USE and SET SESSION into later queries', async () => {
    const t = client();
    expect((await collect(t, 'USE lake.information_schema')).pages.at(-1)!.error).toBeUndefined();
    const before = await collect(t, 'SELECT count(*) FROM taxi_zone_lookup');
    expect((before.pages.at(-1)!.error as unknown as { errorName: string }).errorName).toBe('TABLE_NOT_FOUND');
    const use = await collect(t, 'USE lake.nyc');
    expect(use.pages.at(-1)!.error).toBeUndefined();
    expect(updateTypeOf(use.pages.at(-1)!)).toBe('USE');
    const after = await collect(t, 'SELECT count(*) FROM taxi_zone_lookup');
    expect(after.rows).toEqual([[265]]);
    const set = await collect(t, "SET SESSION query_max_execution_time = '1ms'");
    expect(updateTypeOf(set.pages.at(-1)!)).toBe('SET SESSION');
    const slow = await collect(t, ENDLESS_SQL);
    expect((slow.pages.at(-1)!.error as unknown as { errorName: string }).errorName).toBe('EXCEEDED_TIME_LIMIT');
    await eventually(() => server.runningQueries === 0);
    await collect(t, 'RESET SESSION query_max_execution_time');
    expect((await collect(t, 'SELECT count(*) FROM taxi_zone_lookup')).rows).toEqual([[265]]);
  });
});
