/**
 * Small deterministic taxi-like data files for object-store tests, written by DuckDB: an 18-column Parquet file
 * (TLC yellow-trip columns, several row groups) and a CSV of some of its columns.
 */
import path from 'node:path';
import { DuckOracle } from './duckdb-oracle.js';

/** `rows` rows of an 18-column taxi-like table (the TLC yellow-trip columns without airport_fee). */
export function taxiSelect(rows: number): string {
  return `SELECT (i % 2 + 1)::INTEGER AS vendorid,
  make_timestamp(1704067200000000 + i * 333333) AS tpep_pickup_datetime,
  make_timestamp(1704067200000000 + i * 333333 + 600000000) AS tpep_dropoff_datetime,
  CASE WHEN i % 50 = 0 THEN NULL ELSE (1 + hash(i) % 4)::BIGINT END AS passenger_count,
  (hash(i * 7) % 2000) / 100.0 AS trip_distance, (1 + hash(i * 3) % 6)::BIGINT AS ratecodeid,
  CASE WHEN i % 10 = 0 THEN 'Y' ELSE 'N' END AS store_and_fwd_flag,
  (1 + hash(i * 11) % 265)::INTEGER AS pulocationid, (1 + hash(i * 13) % 265)::INTEGER AS dolocationid,
  (hash(i * 17) % 5)::BIGINT AS payment_type, (hash(i * 19) % 6000) / 100.0 AS fare_amount,
  (hash(i * 23) % 3)::DOUBLE AS extra, 0.5 AS mta_tax, (hash(i * 29) % 1000) / 100.0 AS tip_amount,
  (hash(i * 37) % 700) / 100.0 AS tolls_amount, 1.0 AS improvement_surcharge,
  (hash(i * 31) % 9000) / 100.0 AS total_amount, CASE WHEN i % 3 = 0 THEN 0.0 ELSE 2.5 END AS congestion_surcharge
  FROM range(${rows}) t(i)`;
}

export interface TaxiFiles {
  /** 18 columns, `rows` rows in row groups of `rowGroupRows`. */
  readonly parquet: string;
  /** vendorid, pulocationid, fare_amount, store_and_fwd_flag of the same rows, with a header. */
  readonly csv: string;
}

export async function writeTaxiFiles(dir: string, rows = 60_000, rowGroupRows = 20_000): Promise<TaxiFiles> {
  const parquet = path.join(dir, 'taxi.parquet');
  const csv = path.join(dir, 'taxi.csv');
  const duck = await DuckOracle.create();
  try {
    await duck.run(`COPY (${taxiSelect(rows)}) TO '${parquet}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE ${rowGroupRows})`);
    await duck.run(`COPY (SELECT vendorid, pulocationid, fare_amount, store_and_fwd_flag FROM read_parquet('${parquet}')) TO '${csv}' (FORMAT csv, HEADER true)`);
  } finally {
    duck.close();
  }
  return { parquet, csv };
}
