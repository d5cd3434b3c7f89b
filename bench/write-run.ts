/**
 * Write benchmark: time and peak RSS of writing the benchmark's yellow trips (bench/gen-data.ts, 3M rows by
 * default) with CREATE TABLE … AS, each case in a fresh process, against reading the same rows without writing.
 *
 *   node --import tsx bench/gen-data.ts            # once
 *   node --import tsx bench/write-run.ts [--data bench/data]
 *
 * A measurement, not a test: it prints a table and asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { data: { type: 'string', default: join(repoRoot, 'bench/data') } } });
const data = resolve(values.data!);

const CASES: readonly { name: string; sql: string }[] = [
  { name: 'read only (all 18 columns, no write)', sql: 'SELECT * FROM yellow_tripdata' },
  { name: 'CTAS Parquet snappy', sql: 'CREATE TABLE w1 AS SELECT * FROM yellow_tripdata' },
  { name: 'CTAS Parquet zstd, partitioned by month', sql: "CREATE TABLE w2 WITH (compression = 'ZSTD', partitioned_by = ARRAY['month']) AS SELECT * FROM yellow_tripdata" },
  { name: 'CTAS CSV', sql: "CREATE TABLE w3 WITH (format = 'CSV') AS SELECT * FROM yellow_tripdata" },
];


const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(0)} MB`;
const lines = ['| case | rows | time | files | bytes written | peak RSS |', '|---|---:|---:|---:|---:|---:|'];
for (const c of CASES) {
  const scratch = mkdtempSync(join(tmpdir(), 'shoal-write-bench-'));
  try {
    // The data's catalog with absolute locations, in a scratch folder whose warehouse receives the tables.
    cpSync(join(data, 'catalog'), join(scratch, 'catalog'), { recursive: true });
    for (const t of ['yellow_tripdata', 'taxi_zone_lookup']) {
      const file = join(scratch, 'catalog/lake/nyc', `${t}.json`);
      const def = JSON.parse(readFileSync(file, 'utf8')) as { location: string };
      def.location = resolve(data, def.location);
      writeFileSync(file, JSON.stringify(def));
    }
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'bench/write-child.ts'), join(scratch, 'catalog'), scratch, c.sql], {
      cwd: data, encoding: 'utf8', maxBuffer: 1 << 20,
    });
    const r = JSON.parse(out.trim().split('\n').at(-1)!) as { ms: number; rows: number; files: number; bytes: number; maxRssBytes: number };
    lines.push(`| ${c.name} | ${r.rows.toLocaleString('en-US')} | ${(r.ms / 1000).toFixed(2)} s | ${r.files} | ${r.bytes === 0 ? '—' : mb(r.bytes)} | ${mb(r.maxRssBytes)} |`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
process.stdout.write(`${lines.join('\n')}\n`);
