import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, describe, expect, test } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { runCli, type CliRun } from '../../support/cli-runner.js';
import { REPO_ROOT, SAMPLE_DATA } from '../../support/paths.js';

// shoal run: parameters, the run report, exit codes, --dry-run and max_scan_bytes through the command line.
const root = mkdtempSync(path.join(tmpdir(), 'shoal-run-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function job(name: string, sql: string): string {
  const file = path.join(root, name);
  writeFileSync(file, sql);
  return file;
}

/** The report a run without --report prints: stdout is exactly one JSON line. */
function reportOf(r: CliRun): Record<string, unknown> & { statements: Record<string, unknown>[]; error: Record<string, unknown> | null } {
  const lines = r.out.split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toBe('');
  return JSON.parse(lines[0]!) as ReturnType<typeof reportOf>;
}

// A small catalog: a Parquet table whose data pages are zeroed (footer intact), one whose directory holds a
// symbolic link to itself (an I/O error even as root), and a file that is not Parquet.
const catalogDir = path.join(root, 'catalog');
const schemaDir = path.join(catalogDir, 'lab', 'raw');
mkdirSync(schemaDir, { recursive: true });
const zeroedDir = path.join(root, 'zeroed');
mkdirSync(zeroedDir);
const zeroed = path.join(zeroedDir, 'part-0.parquet');
copyFileSync(path.join(SAMPLE_DATA, 'nyc/yellow_tripdata/year=2024/month=1/part-0.parquet'), zeroed);
{
  const bytes = readFileSync(zeroed);
  const footerStart = bytes.length - 8 - bytes.readUInt32LE(bytes.length - 8);
  bytes.fill(0, 4, footerStart);
  writeFileSync(zeroed, bytes);
}
const loopDir = path.join(root, 'loop');
mkdirSync(loopDir);
symlinkSync(path.join(loopDir, 'a.parquet'), path.join(loopDir, 'a.parquet'));
writeFileSync(path.join(root, 'bad.parquet'), 'this is not a Parquet file');
const columns = [{ name: 'total_amount', type: 'double' }];
writeFileSync(path.join(schemaDir, 'zeroed.json'), JSON.stringify({ location: zeroedDir, format: 'parquet' }));
writeFileSync(path.join(schemaDir, 'looping.json'), JSON.stringify({ location: loopDir, format: 'parquet', columns }));
writeFileSync(path.join(schemaDir, 'bad.json'), JSON.stringify({ location: path.join(root, 'bad.parquet'), format: 'parquet', columns }));
const lab = ['--catalog-dir', catalogDir];

describe('shoal run: parameters', () => {
  test('values are substituted as literals; the report shows them and the SQL as run', async () => {
    const file = job('params.sql', [
      '-- revenue for ${run_date} (a comment: not substituted)',
      'SELECT count(*) AS trips, DATE ${run_date} AS day, \'${run_date}\' AS text',
      'FROM yellow_tripdata WHERE month = month(DATE ${run_date});',
    ].join('\n'));
    const r = await runCli(['run', file, '--param', 'run_date=2024-03-01', '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('trips,day,text\n22391,2024-03-01,2024-03-01\n');
    const rep = reportOf(r);
    expect(rep.parameters).toEqual({ run_date: '2024-03-01' });
    expect(rep.statements[0]!.sql).toBe("SELECT count(*) AS trips, DATE '2024-03-01' AS day, '2024-03-01' AS text\nFROM yellow_tripdata WHERE month = month(DATE '2024-03-01')");
  });

  test('an injection attempt is a harmless literal: the value comes back unchanged and the table survives', async () => {
    const evil = "1'; DROP TABLE memory.default.t; --";
    const file = job('inject.sql', [
      'CREATE TABLE memory.default.t AS SELECT 1 AS a;',
      "SELECT ${x} AS code, 'in a string: ${x}' AS str, /* ${x} */ 1 AS \"${x}\";",
      'SELECT count(*) AS n FROM memory.default.t;',
    ].join('\n'));
    const r = await runCli(['run', file, '--param', `x=${evil}`, '--format', 'jsonl']);
    expect(r.code).toBe(0);
    expect(r.err.trim().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([
      { code: evil, str: `in a string: ${evil}`, '${x}': 1 },
      { n: 1 },
    ]);
    expect(reportOf(r).statements).toHaveLength(3);
  });

  test('a missing parameter fails before anything runs, naming it with line:column and a hint', async () => {
    const file = job('missing.sql', 'CREATE TABLE memory.default.m AS SELECT 1 AS a;\nSELECT * FROM t WHERE d = DATE ${run_date};');
    const r = await runCli(['run', file]);
    expect(r.code).toBe(2);
    expect(r.err).toBe("line 2:32: No value for parameter 'run_date'. Pass --param run_date=VALUE\nSELECT * FROM t WHERE d = DATE ${run_date};\n                               ^~~~~~~~~~~\n");
    const rep = reportOf(r);
    expect(rep.statements).toEqual([]);
    expect(rep.error).toMatchObject({ code: 80, name: 'INVALID_PARAMETER_USAGE', type: 'USER_ERROR', location: { line: 2, column: 32 }, statement: null, retryable: false });
  });

  test('an unused --param is a warning, in the report too', async () => {
    const r = await runCli(['run', job('unused.sql', 'SELECT 1 AS one'), '--param', 'extra=1']);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`warning: Parameter 'extra' is not used by ${path.join(root, 'unused.sql')}`);
    const rep = reportOf(r);
    expect(rep.unusedParameters).toEqual(['extra']);
    expect(rep.warnings).toEqual([`Parameter 'extra' is not used by ${path.join(root, 'unused.sql')}`]);
  });

  test('error positions point into the job file, not the substituted text', async () => {
    const file = job('position.sql', "SELECT ${long}, '${long}' AS s, nosuch FROM taxi_zone_lookup");
    const r = await runCli(['run', file, '--param', 'long=a value much longer than the parameter']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^line 1:33: Column 'nosuch' cannot be resolved/);
    expect(reportOf(r).error).toMatchObject({ name: 'COLUMN_NOT_FOUND', location: { line: 1, column: 33 }, statement: 1 });
  });
});

describe('shoal run: the report and where output goes', () => {
  const sql = [
    "SET SESSION query_max_execution_time = '10m';",
    'CREATE TABLE memory.default.zones AS SELECT locationid, borough FROM taxi_zone_lookup;',
    'INSERT INTO memory.default.zones SELECT locationid + 1000, borough FROM taxi_zone_lookup WHERE borough = \'EWR\';',
    'SELECT borough, count(*) AS n FROM memory.default.zones GROUP BY 1 ORDER BY 1 LIMIT 2;',
    'SELECT count(*) AS trips FROM yellow_tripdata WHERE month = 1 AND trip_distance > 10;',
  ].join('\n');

  test('without --report: the report is stdout (one JSON line), query results go to stderr', async () => {
    const file = job('report.sql', sql);
    const r = await runCli(['run', file, '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('borough,n\nBronx,43\nBrooklyn,61\ntrips\n2612\n');
    const rep = reportOf(r);
    expect(Object.keys(rep)).toEqual([
      'reportVersion', 'shoalVersion', 'job', 'parameters', 'unusedParameters', 'dryRun', 'status', 'exitCode', 'retryable',
      'startedAt', 'finishedAt', 'durationMs', 'session', 'statements', 'error', 'warnings',
    ]);
    expect(rep).toMatchObject({ reportVersion: 1, job: file, dryRun: false, status: 'succeeded', exitCode: 0, retryable: false, error: null, warnings: [] });
    expect(rep.session).toEqual({ catalog: 'lake', schema: 'nyc', timeZone: 'UTC', properties: { query_max_execution_time: '10m' } });
    expect(Date.parse(String(rep.finishedAt))).toBeGreaterThanOrEqual(Date.parse(String(rep.startedAt)));
    expect(rep.durationMs).toEqual(expect.any(Number));
    const st = rep.statements;
    expect(st.map((s) => [s.index, s.kind, s.line, s.status, s.rows])).toEqual([
      [1, 'set_session', 1, 'succeeded', null],
      [2, 'create_table_as', 2, 'succeeded', 265],
      [3, 'insert', 3, 'succeeded', 1],
      [4, 'query', 4, 'succeeded', 2],
      [5, 'query', 5, 'succeeded', 1],
    ]);
    for (const s of st) {
      expect(Object.keys(s)).toEqual(['index', 'kind', 'line', 'column', 'status', 'sql', 'rows', 'bytesRead', 'spilledBytes', 'bytesWritten', 'filesWritten', 'durationMs', 'dryRun', 'note', 'error']);
      expect(s.durationMs).toEqual(expect.any(Number));
      expect(s.error).toBeNull();
    }
    expect(st[4]!.bytesRead).toBeGreaterThan(0); // the trip_distance column chunks of one file
    expect(st[3]!.bytesRead).toBe(0); // a memory table
  });

  test('with --report FILE: query results on stdout, the report (pretty JSON) in the file', async () => {
    const file = job('report2.sql', sql);
    const reportFile = path.join(root, 'out', 'report.json');
    mkdirSync(path.dirname(reportFile), { recursive: true });
    const r = await runCli(['run', file, '--format', 'csv', '--report', reportFile]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('borough,n\nBronx,43\nBrooklyn,61\ntrips\n2612\n');
    expect(r.err).toBe('');
    const text = readFileSync(reportFile, 'utf8');
    expect(text.split('\n').length).toBeGreaterThan(10);
    expect(JSON.parse(text)).toMatchObject({ status: 'succeeded', exitCode: 0 });
    expect(existsSync(`${reportFile}.${process.pid}.tmp`)).toBe(false);
  });

  test('a failure stops the job: later statements are not run, the failed one carries the error', async () => {
    const file = job('fails.sql', 'SELECT 1 AS one;\nSELECT * FROM no_such_table;\nSELECT 2 AS two;');
    const r = await runCli(['run', file]);
    expect(r.code).toBe(2);
    const rep = reportOf(r);
    expect(rep.status).toBe('failed');
    expect(rep.statements.map((s) => s.status)).toEqual(['succeeded', 'failed', 'not_run']);
    expect(rep.statements[1]!.error).toEqual(rep.error);
    expect(rep.error).toMatchObject({ code: 46, name: 'TABLE_NOT_FOUND', type: 'USER_ERROR', location: { line: 2, column: 15 }, file: null, statement: 2, retryable: false });
    expect(r.err).toContain("line 2:15: Table 'lake.nyc.no_such_table' does not exist");
  });
});

describe('shoal run: exit codes', () => {
  test('a syntax error anywhere is a user error (2) and nothing runs', async () => {
    const file = job('syntax.sql', 'CREATE TABLE memory.default.s AS SELECT 1 AS a;\nSELEC 1;');
    const r = await runCli(['run', file]);
    expect(r.code).toBe(2);
    const rep = reportOf(r);
    expect(rep.statements).toEqual([]);
    expect(rep.error).toMatchObject({ name: 'SYNTAX_ERROR', location: { line: 2, column: 1 }, retryable: false });
  });

  test('a bad command line is 64 (EX_USAGE)', async () => {
    const r1 = await runCli(['run']);
    expect([r1.code, r1.err]).toEqual([64, 'INVALID_COMMAND_LINE: shoal run needs a job file: shoal run job.sql [--param name=value]…. Run shoal --help for usage\n']);
    expect((await runCli(['run', 'a.sql', '--param', 'novalue'])).code).toBe(64);
    expect((await runCli(['run', 'a.sql', '--param', 'a=1', '--param', 'a=2'])).code).toBe(64);
    expect((await runCli(['run', 'a.sql', '--dryrun'])).err).toContain("Did you mean '--dry-run'?");
    const missing = await runCli(['run', path.join(root, 'no-such-job.sql')]);
    expect(missing.code).toBe(64);
    expect(reportOf(missing).error).toMatchObject({ name: 'INVALID_COMMAND_LINE' });
    const session = await runCli(['run', job('ok.sql', 'SELECT 1'), '--session', 'max_scan_bytes=lots']);
    expect(session.code).toBe(64);
    expect(session.err).toMatch(/max_scan_bytes must be a data size/);
    // shoal -e/-f keep their exit codes.
    expect((await runCli(['-e', 'SELEC 1'])).code).toBe(1);
    expect((await runCli(['--nope'])).code).toBe(2);
  });

  test('an I/O error is transient (75): retry', async () => {
    const r = await runCli(['run', job('io.sql', 'SELECT sum(total_amount) FROM lab.raw.looping'), ...lab]);
    expect(r.code).toBe(75);
    expect(reportOf(r)).toMatchObject({ status: 'failed', exitCode: 75, retryable: true, error: { name: 'IO_ERROR', type: 'EXTERNAL', retryable: true, statement: 1 } });
    expect(reportOf(r).error!.file).toBe(path.join(loopDir, 'a.parquet'));
  });

  test('a missing input (a partition that has not arrived) is transient (75)', async () => {
    const file = job('late.sql', `SELECT count(*) FROM read_parquet('${root}/landing/dt=\${run_date}/*.parquet')`);
    const r = await runCli(['run', file, '--param', 'run_date=2024-03-02']);
    expect(r.code).toBe(75);
    expect(reportOf(r).error).toMatchObject({ name: 'FILE_NOT_FOUND', retryable: true, file: `${root}/landing/dt=2024-03-02/*.parquet` });
  });

  test('corrupt input data is 65 (EX_DATAERR): do not retry', async () => {
    const r = await runCli(['run', job('bad.sql', 'SELECT sum(total_amount) FROM lab.raw.bad'), ...lab]);
    expect(r.code).toBe(65);
    expect(reportOf(r).error).toMatchObject({ name: 'CORRUPT_FILE', type: 'EXTERNAL', retryable: false });
  });

  test('SIGINT/SIGTERM cancels the job: status canceled, exit 128 + signal', async () => {
    const stdout = new PassThrough();
    const out: Buffer[] = [];
    stdout.on('data', (c: Buffer) => out.push(c));
    const code = await main(['run', job('cancel.sql', 'SELECT 1; SELECT 2;')], { stdin: Readable.from(['']), stdout, stderr: new PassThrough(), env: {}, cwd: REPO_ROOT }, () => Promise.resolve('SIGTERM'));
    expect(code).toBe(143);
    const rep = JSON.parse(Buffer.concat(out).toString()) as { status: string; exitCode: number; error: { name: string } };
    expect(rep).toMatchObject({ status: 'canceled', exitCode: 143, error: { name: 'USER_CANCELED' } });
  });
});

describe('shoal run --dry-run', () => {
  test('plans every statement from footers alone: data pages are never read', async () => {
    const file = job('dry.sql', [
      'CREATE TABLE memory.default.rev AS SELECT count(*) AS trips, sum(total_amount) AS revenue FROM lab.raw.zeroed;',
      'SELECT * FROM memory.default.rev;',
    ].join('\n'));
    const real = await runCli(['run', file, ...lab]);
    expect(real.code).toBe(65); // CORRUPT_FILE: the data pages are zeros
    const reportFile = path.join(root, 'dry.json');
    const r = await runCli(['run', file, '--dry-run', '--report', reportFile, ...lab]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('-- statement 1 (line 1), create_table_as: planned, not run: nothing written to memory.default.rev');
    expect(r.out).toMatch(/Scan lab\.raw\.zeroed columns=\[total_amount\] files=1\/1 row_groups=3\/3 bytes=/);
    expect(r.out).toContain(`--   ${zeroed}\n`);
    expect(r.out).toContain('-- statement 2 (line 2), query: skipped. Reads memory.default.rev, which statement 1 of this job creates');
    expect(r.out).toMatch(/-- dry run: 2 statements \(1 planned, 0 run, 0 with nothing to plan, 1 skipped\); [\d.]+ KiB to scan in total; no data was read and nothing was written\n$/);
    const rep = JSON.parse(readFileSync(reportFile, 'utf8')) as { dryRun: boolean; statements: { status: string; dryRun: { action: string; target: string | null; scanBytes: number; scans: { files: string[]; filesOmitted: number; bytes: number }[] } | null }[] };
    expect(rep.dryRun).toBe(true);
    const [ctas, select] = rep.statements;
    expect(ctas).toMatchObject({ status: 'succeeded', dryRun: { action: 'planned', target: 'memory.default.rev' } });
    expect(ctas!.dryRun!.scans).toEqual([expect.objectContaining({ table: 'lab.raw.zeroed', files: [zeroed], filesOmitted: 0, filesKept: 1, rowGroupsKept: 3 })]);
    expect(ctas!.dryRun!.scanBytes).toBe(ctas!.dryRun!.scans[0]!.bytes);
    expect(select).toMatchObject({ status: 'skipped', dryRun: null });
  });

  test('a dry run fails like the run would: unknown tables and max_scan_bytes', async () => {
    const r = await runCli(['run', job('dry-bad.sql', 'SELECT * FROM lab.raw.nope'), '--dry-run', ...lab]);
    expect(r.code).toBe(2);
    expect(reportOf(r).error).toMatchObject({ name: 'TABLE_NOT_FOUND' });
  });
});

describe('shoal run: max_scan_bytes', () => {
  test('a larger scan is refused before any data is read (the zeroed pages would fail the read): user error 2', async () => {
    const file = job('limit.sql', 'SELECT sum(total_amount) FROM lab.raw.zeroed');
    const r = await runCli(['run', file, '--session', 'max_scan_bytes=1kB', ...lab]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^EXCEEDED_SCAN_LIMIT: Query would scan [\d.]+ KiB \(\d+ bytes\), more than max_scan_bytes = 1kB; largest scans: lab\.raw\.zeroed /);
    expect(reportOf(r).error).toMatchObject({ code: 131081, name: 'EXCEEDED_SCAN_LIMIT', type: 'INSUFFICIENT_RESOURCES', retryable: false, location: { line: 1, column: 1 } });
  });

  test('a scan under the limit runs', async () => {
    const file = job('under.sql', "SET SESSION max_scan_bytes = '100kB';\nSELECT count(*) AS n FROM yellow_tripdata WHERE month = 3 AND trip_distance > 10;");
    const r = await runCli(['run', file, '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('n\n2988\n');
  });
});
