import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { DuckOracle } from '../../support/duckdb-oracle.js';
import { runCli, type CliRun } from '../../support/cli-runner.js';
import { REPO_ROOT } from '../../support/paths.js';

/** The CLI in-process with captured streams (stdin not a terminal). */
function run(argv: string[], stdin = ''): Promise<CliRun> {
  return runCli(argv, stdin);
}

describe('shoal -e / -f / stdin', () => {
  test('a table with aligned numbers, a NULL and a row count', async () => {
    const r = await run(['-e', "SELECT zone, locationid, CAST(NULL AS varchar) AS note FROM taxi_zone_lookup WHERE locationid IN (1, 132) ORDER BY locationid"]);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toContain('│ zone           │ locationid │ note    │');
    expect(r.out).toContain('│ Newark Airport │          1 │ NULL    │');
    expect(r.out).toContain('│ JFK Airport    │        132 │ NULL    │');
    expect(r.out).toContain('(2 rows)');
  });

  test('CSV: RFC 4180 with a header; NULL empty; dates, timestamps and decimals as DESIGN.md says', async () => {
    const r = await run(['-e', "SELECT 'a,b' AS s, '' AS e, NULL AS n, DATE '2024-01-31' AS d, TIMESTAMP '2024-01-31 10:00:00' AS t, TIMESTAMP '2024-01-31 10:00:00.250' AS f, 12.50 AS dec, 'say \"hi\"' AS q", '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('s,e,n,d,t,f,dec,q\n"a,b","",,2024-01-31,2024-01-31 10:00:00,2024-01-31 10:00:00.25,12.50,"say ""hi"""\n');
  });

  test('TSV, JSON and JSON lines', async () => {
    const sql = 'SELECT locationid, zone FROM taxi_zone_lookup WHERE locationid < 3 ORDER BY 1';
    expect((await run(['-e', sql, '--format', 'tsv'])).out).toBe('locationid\tzone\n1\tNewark Airport\n2\tJamaica Bay\n');
    const json = (await run(['-e', sql, '--format', 'json'])).out;
    expect(JSON.parse(json)).toEqual([{ locationid: 1, zone: 'Newark Airport' }, { locationid: 2, zone: 'Jamaica Bay' }]);
    const lines = (await run(['-e', sql, '--format', 'jsonl'])).out.trim().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(lines).toEqual([{ locationid: 1, zone: 'Newark Airport' }, { locationid: 2, zone: 'Jamaica Bay' }]);
  });

  test('bigint stays exact in JSON', async () => {
    const r = await run(['-e', 'SELECT CAST(9007199254740993 AS bigint) AS big', '--format', 'jsonl']);
    expect(r.out).toBe('{"big":9007199254740993}\n');
  });

  test('several statements from a file, with USE between them', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shoal-cli-'));
    const file = path.join(dir, 'job.sql');
    writeFileSync(file, '-- a job\nUSE memory.default;\nCREATE TABLE t (x integer);\nINSERT INTO t VALUES (1), (2);\nSELECT sum(x) AS total FROM t;\n');
    const r = await run(['-f', file, '--format', 'csv']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe('total\n3\n');
  });

  test('SQL on standard input', async () => {
    const r = await run(['--format', 'csv'], 'SELECT count(*) AS n FROM taxi_zone_lookup;\nSELECT 1 AS one;');
    expect(r.code).toBe(0);
    expect(r.out).toBe('n\n265\none\n1\n');
  });

  test('--output writes to a file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shoal-cli-'));
    const out = path.join(dir, 'zones.csv');
    const r = await run(['-e', "SELECT borough, count(*) AS n FROM taxi_zone_lookup GROUP BY borough ORDER BY n DESC, borough LIMIT 2", '--format', 'csv', '--output', out]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(readFileSync(out, 'utf8')).toBe('borough,n\nManhattan,69\nQueens,69\n');
  });

  test('a failing statement: exit 1, `line L:C: message`, the line and a caret on stderr, nothing else', async () => {
    const r = await run(['-e', 'SELECT 1;\nSELECT zonee\nFROM taxi_zone_lookup', '--format', 'csv']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('_col0\n1\n');
    expect(r.err).toBe("line 2:8: Column 'zonee' cannot be resolved. Did you mean 'zone'?\nSELECT zonee\n       ^~~~~\n");
  });

  test('a syntax error names its position and never the parser internals', async () => {
    const r = await run(['-e', 'SELECT * FROM taxi_zone_lookup WHERE']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^line 1:\d+: Syntax error/);
    expect(r.err).not.toMatch(/Expected .*but .*found/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  test('a bad command line exits 2 with usage help', async () => {
    const r = await run(['--formt', 'csv']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Unknown option --formt');
    expect(r.err).toContain('--format');
    expect((await run(['-e', '1', '--format', 'xml'])).err).toContain("Unknown format 'xml'");
  });

  test('--catalog-dir pointing nowhere is a clear error', async () => {
    const r = await run(['--catalog-dir', 'no/such/dir', '-e', 'SELECT 1']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Catalog directory');
    expect(r.err).toContain('no/such/dir');
  });

  test('EXPLAIN prints the plan as text, with what the scan keeps (the README example)', async () => {
    const r = await run(['-e', 'EXPLAIN SELECT count(*) FROM yellow_tripdata WHERE month = 3 AND trip_distance > 10']);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toBe('Project [_col0 := count]');
    expect(lines[3]).toMatch(/^      Scan lake\.nyc\.yellow_tripdata columns=\[trip_distance, month\] .* partitions=1\/6 files=1\/6 row_groups=3\/3 bytes=\d/);
  });

  test('--session sets a session property; an unknown one is refused before anything runs', async () => {
    const ok = await run(['--session', 'batch_size=2048', '-e', 'SELECT count(*) AS n FROM yellow_tripdata WHERE month = 2', '--format', 'csv']);
    expect(ok.code).toBe(0);
    expect(ok.out).toBe('n\n18797\n');
    const bad = await run(['--session', 'batch_sise=2048', '-e', 'SELECT 1']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("Session property 'batch_sise' does not exist. Did you mean 'batch_size'?");
    expect(bad.out).toBe('');
  });

  test('--threads, --max-query-memory and --spill-path set the engine; bad values and --server are refused', async () => {
    const ok = await run(['--threads', '2', '--max-query-memory', '64MB', '--spill-path', tmpdir(), '-e', 'SHOW SESSION', '--format', 'csv']);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('\nquery_max_memory,64MB,2GB,');
    const threads = await run(['--threads', '0', '-e', 'SELECT 1']);
    expect(threads.code).toBe(2);
    expect(threads.err).toContain("Option --threads needs a number from 1 to 64, not '0'");
    const memory = await run(['--max-query-memory', 'lots', '-e', 'SELECT 1']);
    expect(memory.code).toBe(2);
    expect(memory.err).toContain("query_max_memory must be a data size of at least 1024 bytes such as '128MB' or '1GB', not lots");
    const remote = await run(['--server', 'http://127.0.0.1:1', '--spill-path', tmpdir(), '-e', 'SELECT 1']);
    expect(remote.code).toBe(2);
    expect(remote.err).toContain('--spill-path applies to local runs and shoal serve');
  });

  test('--time-zone sets the session time zone; an unknown zone is refused', async () => {
    const ok = await run(['--time-zone', 'America/New_York', '-e', "SELECT current_timezone() AS z, from_unixtime(0) AS t", '--format', 'csv']);
    expect(ok.code).toBe(0);
    expect(ok.out).toBe('z,t\nAmerica/New_York,1969-12-31 19:00:00.000 America/New_York\n');
    const bad = await run(['--time-zone', 'Mars/Base', '-e', 'SELECT 1']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('Time zone not supported: Mars/Base');
  });

  test('--help', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('shoal -e "SQL"');
  });
});

describe('the installed binary', () => {
  test('started with V8 flags (refused in a worker execArgv), it still reads and writes Parquet in its workers', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shoal-v8-flags-'));
    const shoal = async (sql: string): Promise<string> => (await promisify(execFile)(process.execPath,
      ['--max-old-space-size=2048', '--heap-growing-percent=150', path.join(REPO_ROOT, 'bin/shoal.js'), '-e', sql, '--format', 'csv'],
      { cwd: REPO_ROOT })).stdout;
    await shoal(`UNLOAD (SELECT vendorid, fare_amount FROM yellow_tripdata WHERE month = 1) TO '${dir}/out' WITH (format = 'PARQUET')`);
    const back = await shoal(`SELECT count(*) AS n, sum(fare_amount) AS s FROM read_parquet('${dir}/out/')`);
    expect(back).toBe(await shoal('SELECT count(*) AS n, sum(fare_amount) AS s FROM yellow_tripdata WHERE month = 1'));
    expect(back).toMatch(/^n,s\n18529,/);
  });

  test('npx shoal -f examples/monthly-revenue.sql --format csv prints the rows DuckDB computes', async () => {
    const sql = readFileSync(path.join(REPO_ROOT, 'examples/monthly-revenue.sql'), 'utf8');
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(REPO_ROOT, 'bin/shoal.js'), '-e', sql, '--format', 'csv'], { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 });
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('month,borough,pickup_zone,service_type,trips,revenue');
    const duck = await (await DuckOracle.create()).withSampleTables();
    try {
      const theirs = await duck.query(sql.replace(/lake\.nyc\./g, '').replace(/;\s*$/, ''));
      expect(lines.length - 1).toBe(theirs.rows.length);
      const ours = lines.slice(1).map((l) => l.split(','));
      theirs.rows.forEach((row, i) => {
        const o = ours[i]!;
        expect([o[0], o[1], o[2], o[3]]).toEqual(row.slice(0, 4).map(String));
        expect(Number(o[4])).toBe(row[4]);
        expect(Number(o[5])).toBeCloseTo(row[5] as number, 2);
      });
    } finally {
      duck.close();
    }
  });
});
