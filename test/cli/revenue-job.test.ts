/**
 * The README's batch-job walkthrough, step by step: `shoal run` of examples/revenue-by-zone.job.sql for January,
 * again for January (a retry), then February, on a copy of the bundled catalog; the curated table then holds one
 * partition per month with exactly the rows DuckDB computes from the raw files.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runCli } from '../support/cli-runner.js';
import { DuckOracle } from '../support/duckdb-oracle.js';
import { firstDifference, sortRows, type Cell } from '../support/normalize.js';
import { REPO_ROOT } from '../support/paths.js';

const JOB = path.join(REPO_ROOT, 'examples', 'revenue-by-zone.job.sql');
let root: string;
let catalogDir: string;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'shoal-revenue-job-'));
  catalogDir = path.join(root, 'catalog');
  cpSync(path.join(REPO_ROOT, 'catalog'), catalogDir, { recursive: true });
  symlinkSync(path.join(REPO_ROOT, 'sample-data'), path.join(root, 'sample-data'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

interface Report {
  status: string;
  exitCode: number;
  statements: { kind: string; status: string; rows: number | null; bytesWritten: number | null; filesWritten: number | null; dryRun: unknown }[];
}

async function runJob(month: string, ...extra: string[]): Promise<Report> {
  const r = await runCli(['run', JOB, '--param', `month=${month}`, '--catalog-dir', catalogDir, ...extra]);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as Report;
}

function monthFiles(): string[] {
  const dir = path.join(root, 'warehouse', 'lake', 'curated', 'revenue_by_zone');
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.parquet')).map((f) => path.dirname(f)).sort();
}

async function curated(): Promise<Cell[][]> {
  const r = await runCli(['--catalog-dir', catalogDir, '--format', 'json', '-e',
    "SELECT CAST(month AS varchar), borough, pickup_zone, service_type, trips, revenue FROM lake.curated.revenue_by_zone"]);
  expect(r.code, r.err).toBe(0);
  return sortRows((JSON.parse(r.out) as Record<string, Cell>[]).map((o) => Object.values(o)));
}

test('the revenue job, run twice for January and once for February, leaves one partition per month with DuckDB\'s rows', async () => {
  const dry = await runJob('2024-01-01', '--dry-run');
  expect(dry.statements.map((s) => s.kind)).toEqual(['set_session', 'create_schema', 'create_table', 'insert']);
  // Nothing created: no schema folder, no warehouse.
  expect(existsSync(path.join(catalogDir, 'lake', 'curated'))).toBe(false);
  expect(existsSync(path.join(root, 'warehouse'))).toBe(false);

  const first = await runJob('2024-01-01');
  expect(first.status).toBe('succeeded');
  const insert = first.statements[3]!;
  expect(insert).toMatchObject({ kind: 'insert', status: 'succeeded', rows: 488, filesWritten: 1 });
  expect(insert.bytesWritten).toBeGreaterThan(0);
  const january = await curated();

  const retry = await runJob('2024-01-01');
  expect(retry.statements[3]!.rows).toBe(488);
  expect(await curated()).toEqual(january);
  expect(monthFiles()).toEqual(['month=2024-01-01']);

  await runJob('2024-02-01');
  expect(monthFiles()).toEqual(['month=2024-01-01', 'month=2024-02-01']);

  const duck = await (await DuckOracle.create()).withSampleTables();
  try {
    const want = await duck.query(`
      WITH trips AS (
        SELECT 'yellow' AS service_type, tpep_pickup_datetime AS pickup_at, pulocationid, total_amount FROM yellow_tripdata
        UNION ALL SELECT 'green', lpep_pickup_datetime, pulocationid, total_amount FROM green_tripdata)
      SELECT CAST(date_trunc('month', pickup_at) AS DATE)::VARCHAR, z.borough, z.zone, t.service_type, count(*), round(sum(t.total_amount), 2)
      FROM trips t JOIN taxi_zone_lookup z ON t.pulocationid = z.locationid
      WHERE pickup_at >= TIMESTAMP '2024-01-01' AND pickup_at < TIMESTAMP '2024-03-01'
      GROUP BY ALL`);
    expect(firstDifference(await curated(), sortRows(want.rows))).toBeUndefined();
  } finally {
    duck.close();
  }
});
