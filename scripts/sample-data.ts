/**
 * The bundled sample data set: what `npm run sample-data` writes under sample-data/nyc, and the plan the
 * tests check the committed files against.
 */
import { writeFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { writeParquetFile } from './parquet-out.js';
import { TripGenerator, type MonthSpec, type TaxiService, type TripStats } from './taxi-generator.js';
import { zoneLookupCsv } from './taxi-zones.js';

export const SAMPLE_YEAR = 2024;
/** Small row groups so even the sample files have several per month (row-group pruning is testable). */
export const SAMPLE_ROW_GROUP_ROWS = 8192;
export const SAMPLE_TABLES: readonly TaxiService[] = ['yellow', 'green'];

/**
 * Rows per month: TLC's published 2024 volumes scaled down (yellow 1/160, green 1/20), so the relative
 * month sizes and the yellow/green ratio keep their real shape at a committable size.
 */
const ROWS: Readonly<Record<TaxiService, readonly number[]>> = {
  yellow: [18_529, 18_797, 22_391, 21_964, 23_274, 22_120],
  green: [2_828, 2_679, 2_873, 2_824, 3_050, 2_737],
};

export const SAMPLE_PLAN: readonly MonthSpec[] = SAMPLE_TABLES.flatMap((service) =>
  ROWS[service].map((rows, i): MonthSpec => ({ service, year: SAMPLE_YEAR, month: i + 1, rows })),
);

export function tableDir(root: string, service: TaxiService): string {
  return join(root, `${service}_tripdata`);
}

/** Hive-style partition file: `<table>/year=2024/month=1/part-0.parquet` (month not zero-padded). */
export function partitionFile(root: string, spec: Pick<MonthSpec, 'service' | 'year' | 'month'>): string {
  return join(tableDir(root, spec.service), `year=${spec.year}`, `month=${spec.month}`, 'part-0.parquet');
}

export function zoneCsvPath(root: string): string {
  return join(root, 'taxi_zone_lookup.csv');
}

export interface WrittenPartition {
  readonly spec: MonthSpec;
  readonly path: string;
  readonly bytes: number;
  readonly stats: TripStats;
}

/** Writes one month of one service under `root`. */
export async function writeSamplePartition(root: string, spec: MonthSpec, rowGroupRows = SAMPLE_ROW_GROUP_ROWS): Promise<WrittenPartition> {
  const gen = new TripGenerator(spec);
  function* batches(): Generator<RecordBatch> {
    while (gen.remaining > 0) yield gen.nextBatch(rowGroupRows);
  }
  const path = partitionFile(root, spec);
  const bytes = await writeParquetFile(path, batches(), { rowGroupSize: rowGroupRows, compression: 'snappy' });
  return { spec, path, bytes, stats: { ...gen.stats } };
}

export async function writeZoneCsv(root: string): Promise<string> {
  await mkdir(root, { recursive: true });
  const path = zoneCsvPath(root);
  await writeFile(path, zoneLookupCsv());
  return path;
}

/** Rewrites the whole sample data set under `root` (the two table folders are replaced). */
export async function writeSampleData(root: string): Promise<WrittenPartition[]> {
  for (const service of SAMPLE_TABLES) await rm(tableDir(root, service), { recursive: true, force: true });
  await writeZoneCsv(root);
  const written: WrittenPartition[] = [];
  for (const spec of SAMPLE_PLAN) written.push(await writeSamplePartition(root, spec));
  return written;
}
