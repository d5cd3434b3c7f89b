import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RemoteRunner } from '../../src/cli/remote/remote-runner.js';
import { TrinoProtocolClient } from '../../src/cli/remote/trino-protocol-client.js';
import { formatRemoteValue } from '../../src/cli/remote/remote-values.js';
import { parseJsonLossless } from '../../src/cli/remote/lossless-json.js';
import type { ShoalServer } from '../../src/server/index.js';
import { runCli, type CliRun } from '../support/cli-runner.js';
import { BIG_SQL, ENDLESS_ROWS_SQL, eventually, startServer } from '../server/server-fixture.js';

/** The CLI in-process with captured streams (stdin not a terminal). */
function run(argv: string[], stdin = ''): Promise<CliRun> {
  return runCli(argv, stdin, { USER: 'tester' });
}

let server: ShoalServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

const SAME_AS_LOCAL = [
  "SELECT zone, locationid, CAST(NULL AS varchar) AS note FROM taxi_zone_lookup WHERE locationid IN (1, 132) ORDER BY locationid",
  "SELECT DATE '2024-01-31' AS d, TIMESTAMP '2024-01-31 12:00:00' AS ts, TIMESTAMP '2024-01-31 12:00:00.250' AS ts2, CAST(12.5 AS decimal(10,2)) AS amount, 2.0E0 AS dbl, 1.5E0 AS half, true AS yes, 9007199254740993 AS big",
  "SELECT ARRAY[1, 2, NULL] AS arr, MAP(ARRAY['k'], ARRAY[1]) AS m, CAST(ROW(1, 'abc') AS ROW(x integer, y varchar)) AS r, 'a,\"b\"' AS quoted",
  'SELECT vendorid, count(*) AS n, sum(total_amount) AS total FROM yellow_tripdata GROUP BY vendorid ORDER BY vendorid',
];

describe('shoal --server URL', () => {
  for (const format of ['table', 'csv', 'tsv', 'json', 'jsonl']) {
    test(`--format ${format}: the same output as the local CLI`, async () => {
      for (const sql of SAME_AS_LOCAL) {
        const local = await run(['-e', sql, '--format', format]);
        const remote = await run(['--server', server.url, '-e', sql, '--format', format]);
        expect(local.err).toBe('');
        expect(remote.err).toBe('');
        expect(remote.code).toBe(0);
        expect(remote.out).toBe(local.out);
      }
    });
  }

  test('nested values print as Trino’s CLI prints them', async () => {
    const r = await run(['--server', server.url, '--format', 'csv', '-e', "SELECT ARRAY[1, 2] AS a, MAP(ARRAY['k'], ARRAY['v']) AS m, CAST(ROW(1, 'abc') AS ROW(x integer, y varchar)) AS r"]);
    expect(r.out).toBe('a,m,r\n"[1, 2]",{k=v},"{x=1, y=abc}"\n');
  });

  test('an error shows the server’s position as line L:C and a caret under the script’s line', async () => {
    const r = await run(['--server', server.url, '-e', 'SELECT 1;\nSELECT nosuch\nFROM taxi_zone_lookup']);
    expect(r.code).toBe(1);
    const local = await run(['-e', 'SELECT 1;\nSELECT nosuch\nFROM taxi_zone_lookup']);
    const [head, line, caret] = r.err.split('\n');
    expect(head).toMatch(/^line 2:8: .*nosuch/);
    expect(line).toBe('SELECT nosuch');
    expect(caret).toBe('       ^');
    expect(local.err.split('\n')[0]).toBe(head);
  });

  test('USE, then an unqualified name', async () => {
    const r = await run(['--server', server.url, '--catalog', 'system', '--schema', 'runtime', '--format', 'csv', '-e',
      "USE lake.nyc; SELECT count(*) AS n FROM taxi_zone_lookup"]);
    expect(r.err).toBe('');
    expect(r.out).toBe('n\n265\n');
  });

  test('a connection failure is a one-line error, not a stack', async () => {
    const r = await run(['--server', 'http://127.0.0.1:9', '-e', 'SELECT 1']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^IO_ERROR: Cannot reach the server at http:\/\/127\.0\.0\.1:9: /);
    expect(r.err.split('\n').filter((l) => l !== '')).toHaveLength(1);
  });

  test('--server and --catalog-dir together are refused', async () => {
    const r = await run(['--server', server.url, '--catalog-dir', 'catalog', '-e', 'SELECT 1']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('not both');
  });
});

describe('TrinoProtocolClient', () => {
  test('a result over 1 MB arrives whole and in order across several pages, with stats', async () => {
    const client = new TrinoProtocolClient({ server: server.url, user: 'tester' });
    const result = await client.execute(BIG_SQL);
    expect(result.columns!.map((c) => c.name)).toEqual(['i', 'j', 'borough', 'zone', 'service_zone', 'b2', 'z2', 's2', 'pad', 'pad2']);
    let pages = 0, rows = 0, last = -1;
    for await (const page of result.pages()) {
      pages++;
      for (const row of page) {
        const key = Number(row[0]) * 1000 + Number(row[1]);
        expect(key).toBeGreaterThan(last);
        last = key;
        rows++;
      }
    }
    expect(rows).toBe(265 * 265);
    expect(pages).toBeGreaterThan(2);
    expect(result.stats!.state).toBe('FINISHED');
    expect(result.stats!.processedRows).toBeGreaterThan(0);
  });

  test('an AbortSignal cancels the query on the server', async () => {
    const client = new TrinoProtocolClient({ server: server.url, user: 'tester' });
    const ac = new AbortController();
    const result = await client.execute(ENDLESS_ROWS_SQL, ac.signal);
    await eventually(() => server.runningQueries === 1);
    let seen = 0;
    const reading = (async () => {
      for await (const page of result.pages()) {
        seen += page.length;
        if (seen > 0) ac.abort();
      }
    })();
    await expect(reading).rejects.toMatchObject({ code: 'USER_CANCELED' });
    await eventually(() => server.runningQueries === 0);
  });

  test('USE and SET SESSION replies fold into the client session for later statements', async () => {
    const client = new TrinoProtocolClient({ server: server.url, user: 'tester', catalog: 'system', schema: 'runtime' });
    for await (const _ of (await client.execute('USE lake.nyc')).pages()) { /* drain */ }
    for await (const _ of (await client.execute("SET SESSION query_max_execution_time = '2h'")).pages()) { /* drain */ }
    expect([client.session.catalog, client.session.schema]).toEqual(['lake', 'nyc']);
    expect(client.session.properties.get('query_max_execution_time')).toBe('2h');
    const rows = [];
    for await (const page of (await client.execute('SELECT count(*) FROM taxi_zone_lookup')).pages()) rows.push(...page);
    expect(rows).toEqual([[265]]);
  });
});

describe('remote values', () => {
  test('BIGINT beyond 2^53 stays exact', () => {
    expect(parseJsonLossless('{"data":[[9007199254740993,"x\\"y",1.5,-2]]}')).toEqual({ data: [[9007199254740993n, 'x"y', 1.5, -2]] });
  });

  test('text of nested values from their type signature', () => {
    const int = { rawType: 'integer', arguments: [] };
    const row = { rawType: 'row', arguments: [
      { kind: 'NAMED_TYPE' as const, value: { fieldName: { name: 'x' }, typeSignature: int } },
      { kind: 'NAMED_TYPE' as const, value: { fieldName: { name: 'y' }, typeSignature: { rawType: 'array', arguments: [{ kind: 'TYPE' as const, value: int }] } } },
    ] };
    expect(formatRemoteValue([1, [2, null]], row)).toBe('{x=1, y=[2, NULL]}');
    expect(formatRemoteValue(null, row)).toBeNull();
    expect(formatRemoteValue(3, { rawType: 'double', arguments: [] })).toBe('3.0');
    expect(formatRemoteValue('2024-01-01 00:00:00.000', { rawType: 'timestamp', arguments: [] })).toBe('2024-01-01 00:00:00');
  });
});

describe('RemoteRunner (the REPL over --server)', () => {
  test('display and JSON cells, progress, and names for completion', async () => {
    const runner = new RemoteRunner(new TrinoProtocolClient({ server: server.url, user: 'tester', catalog: 'lake', schema: 'nyc' }));
    const st = await runner.run('SELECT locationid, zone, ARRAY[1, 2] AS a FROM taxi_zone_lookup WHERE locationid = 1', new AbortController().signal);
    expect(st.columns).toEqual([
      { name: 'locationid', type: expect.any(String), numeric: true },
      { name: 'zone', type: expect.stringMatching(/^varchar/), numeric: false },
      { name: 'a', type: 'array(integer)', numeric: false },
    ]);
    const text: (string | null)[][] = [];
    const json: string[][] = [];
    for await (const chunk of st.chunks) {
      for (let r = 0; r < chunk.length; r++) {
        text.push(st.columns.map((_, c) => chunk.text(r, c)));
        json.push(st.columns.map((_, c) => chunk.json(r, c)));
      }
    }
    expect(text).toEqual([['1', 'Newark Airport', '[1, 2]']]);
    expect(json).toEqual([['1', '"Newark Airport"', '[1,2]']]);
    expect(st.progress().rows).toBeGreaterThanOrEqual(0);
    expect(await runner.catalogs()).toContain('lake');
    expect(await runner.schemas('lake')).toContain('nyc');
    expect(await runner.tables('lake', 'nyc')).toContain('taxi_zone_lookup');
    expect(await runner.columns('lake.nyc.taxi_zone_lookup')).toContain('zone');
    expect(runner.current()).toEqual({ catalog: 'lake', schema: 'nyc' });
  });
});
