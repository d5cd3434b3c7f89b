/**
 * Benchmark data: a larger TLC-shaped yellow taxi data set from the same generator as the bundled sample.
 *
 *   node --import tsx bench/gen-data.ts [--rows 3000000] [--months 6] [--green-rows 0]
 *                                       [--row-group 122880] [--seed ""] [--out bench/data] [--force]
 *
 * Writes, under --out (git-ignored by default):
 *   yellow_tripdata/year=2024/month=<m>/part-0.parquet   rows split over the months like TLC's 2024 volumes,
 *                                                         snappy, 122,880-row groups (DuckDB's default)
 *   green_tripdata/...                                    only with --green-rows > 0
 *   taxi_zone_lookup.csv
 *   catalog/lake/nyc/*.json                               a catalog over these files (lake.nyc.*, as the sample)
 *   manifest.json                                         the parameters and files; a later run with the same
 *                                                         parameters and intact files does nothing
 * Generation streams row groups to disk, so memory stays bounded for any --rows.
 */
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { RecordBatch } from 'apache-arrow';
import { writeParquetFile } from '../scripts/parquet-out.js';
import { partitionFile, tableDir, writeZoneCsv } from '../scripts/sample-data.js';
import { GENERATOR_VERSION, TripGenerator, splitRows, type MonthSpec, type TaxiService } from '../scripts/taxi-generator.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const YEAR = 2024;
const BATCH_ROWS = 65_536;

interface Params {
  readonly generatorVersion: number;
  readonly year: number;
  readonly rows: number;
  readonly greenRows: number;
  readonly months: number;
  readonly rowGroupRows: number;
  readonly seed: string;
}

interface ManifestFile {
  readonly path: string;
  readonly rows: number;
  readonly bytes: number;
}

interface Manifest {
  readonly params: Params;
  readonly files: readonly ManifestFile[];
}

function positiveInt(name: string, text: string, allowZero = false): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) throw new Error(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${text}`);
  return n;
}

function isManifest(v: unknown): v is Manifest {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as { params?: unknown; files?: unknown };
  return typeof m.params === 'object' && m.params !== null && Array.isArray(m.files);
}

/** True when `out` already holds exactly what these parameters would write. */
async function upToDate(out: string, params: Params): Promise<boolean> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
  } catch {
    return false;
  }
  if (!isManifest(parsed) || JSON.stringify(parsed.params) !== JSON.stringify(params)) return false;
  for (const f of parsed.files) {
    const s = await stat(join(out, f.path)).catch(() => undefined);
    if (!s || s.size !== f.bytes) return false;
  }
  return true;
}

function catalogTable(location: string, comment: string): string {
  return `${JSON.stringify({ location, format: 'parquet', partitioned_by: ['year', 'month'], comment }, null, 2)}\n`;
}

async function writeCatalog(out: string, withGreen: boolean): Promise<void> {
  const dir = join(out, 'catalog', 'lake', 'nyc');
  await mkdir(dir, { recursive: true });
  await writeFile(join(out, 'catalog', 'lake.json'), `${JSON.stringify({ comment: 'Shoal benchmark data (bench/gen-data.ts)' }, null, 2)}\n`);
  await writeFile(join(dir, 'yellow_tripdata.json'), catalogTable('yellow_tripdata', 'Synthetic TLC yellow trips for benchmarks'));
  if (withGreen) await writeFile(join(dir, 'green_tripdata.json'), catalogTable('green_tripdata', 'Synthetic TLC green trips for benchmarks'));
  const zones = {
    location: 'taxi_zone_lookup.csv',
    format: 'csv',
    csv: { header: true, delimiter: ',', quote: '"', null: '', compression: 'auto' },
    columns: [
      { name: 'locationid', type: 'integer' },
      { name: 'borough', type: 'varchar' },
      { name: 'zone', type: 'varchar' },
      { name: 'service_zone', type: 'varchar' },
    ],
    comment: 'NYC TLC taxi zones',
  };
  await writeFile(join(dir, 'taxi_zone_lookup.json'), `${JSON.stringify(zones, null, 2)}\n`);
}

async function writeService(out: string, service: TaxiService, params: Params, total: number): Promise<ManifestFile[]> {
  const files: ManifestFile[] = [];
  const perMonth = splitRows(total, params.months);
  for (let m = 0; m < params.months; m++) {
    const spec: MonthSpec = { service, year: params.year, month: m + 1, rows: perMonth[m] ?? 0, seed: params.seed };
    const gen = new TripGenerator(spec);
    const batches = function* (): Generator<RecordBatch> {
      while (gen.remaining > 0) yield gen.nextBatch(BATCH_ROWS);
    };
    const path = partitionFile(out, spec);
    const t0 = performance.now();
    const bytes = await writeParquetFile(path, batches(), { rowGroupSize: params.rowGroupRows, compression: 'snappy' });
    const secs = (performance.now() - t0) / 1000;
    console.log(`${relative(repoRoot, path)}: ${spec.rows} rows, ${(bytes / 1048576).toFixed(1)} MiB, ${secs.toFixed(1)} s`);
    files.push({ path: relative(out, path), rows: spec.rows, bytes });
  }
  return files;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '3000000' },
      'green-rows': { type: 'string', default: '0' },
      months: { type: 'string', default: '6' },
      'row-group': { type: 'string', default: '122880' },
      seed: { type: 'string', default: '' },
      out: { type: 'string', default: join(repoRoot, 'bench', 'data') },
      force: { type: 'boolean', default: false },
    },
  });
  const months = positiveInt('months', values.months);
  if (months > 12) throw new Error('--months must be at most 12 (one year)');
  const params: Params = {
    generatorVersion: GENERATOR_VERSION,
    year: YEAR,
    rows: positiveInt('rows', values.rows),
    greenRows: positiveInt('green-rows', values['green-rows'], true),
    months,
    rowGroupRows: positiveInt('row-group', values['row-group']),
    seed: values.seed,
  };
  const out = resolve(values.out);
  if (!values.force && (await upToDate(out, params))) {
    console.log(`${relative(repoRoot, out) || out}: up to date (${params.rows} rows); --force regenerates`);
    return;
  }
  const t0 = performance.now();
  await rm(join(out, 'manifest.json'), { force: true });
  for (const service of ['yellow', 'green'] as const) await rm(tableDir(out, service), { recursive: true, force: true });
  await rm(join(out, 'catalog'), { recursive: true, force: true });
  const files = await writeService(out, 'yellow', params, params.rows);
  if (params.greenRows > 0) files.push(...(await writeService(out, 'green', params, params.greenRows)));
  const csv = await writeZoneCsv(out);
  files.push({ path: relative(out, csv), rows: 265, bytes: (await stat(csv)).size });
  await writeCatalog(out, params.greenRows > 0);
  const manifest: Manifest = { params, files };
  // Written last: its presence means the data set is complete.
  await writeFile(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const bytes = files.reduce((a, f) => a + f.bytes, 0);
  console.log(`${relative(repoRoot, out) || out}: ${(bytes / 1048576).toFixed(1)} MiB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

await main();
