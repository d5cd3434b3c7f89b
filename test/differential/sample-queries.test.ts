import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describeDifferential, type DifferentialCase } from '../support/differential.js';
import { REPO_ROOT } from '../support/paths.js';

// Cases: see test/support/differential.ts for what each field means.
const CASES: readonly DifferentialCase[] = [
  { name: 'count all rows', sql: 'SELECT count(*) FROM yellow_tripdata' },
  { name: 'projection with aliases and arithmetic', sql: 'SELECT VendorID AS vendor, fare_amount + tip_amount AS fare_tip, trip_distance * 1.609344 AS km FROM yellow_tripdata WHERE PULocationID = 132' },
  { name: 'WHERE with AND/OR/NOT', sql: 'SELECT count(*) FROM yellow_tripdata WHERE (payment_type = 1 OR payment_type = 2) AND NOT (trip_distance > 10) AND fare_amount > 0' },
  { name: 'GROUP BY names with HAVING', sql: 'SELECT PULocationID, count(*) AS n, sum(total_amount) AS revenue FROM yellow_tripdata GROUP BY PULocationID HAVING count(*) > 500' },
  { name: 'GROUP BY ordinals', sql: 'SELECT payment_type, VendorID, count(*), avg(fare_amount) FROM yellow_tripdata GROUP BY 1, 2' },
  { name: 'GROUP BY expression', sql: 'SELECT CAST(trip_distance AS integer) / 5 AS bucket, count(*) FROM yellow_tripdata WHERE trip_distance < 100 GROUP BY CAST(trip_distance AS integer) / 5', duck: 'SELECT CAST(round(trip_distance) AS integer) // 5 AS bucket, count(*) FROM yellow_tripdata WHERE trip_distance < 100 GROUP BY 1' },
  // Trino: integer / integer truncates, and CAST(double AS integer) rounds half away from zero; DuckDB spells them // and round().
  { name: 'aggregates over nullable columns', sql: 'SELECT count(passenger_count), count(*), sum(passenger_count), min(passenger_count), max(passenger_count), avg(passenger_count), min(store_and_fwd_flag), max(store_and_fwd_flag) FROM yellow_tripdata' },
  { name: 'count distinct with group', sql: 'SELECT month, count(DISTINCT PULocationID) AS zones, count(DISTINCT payment_type) AS payment_types, count(*) FROM yellow_tripdata GROUP BY month' },
  { name: 'global aggregate over empty input', sql: 'SELECT count(*), sum(total_amount), max(VendorID) FROM yellow_tripdata WHERE fare_amount > 1e9' },
  { name: 'ORDER BY with NULLS FIRST/LAST and LIMIT/OFFSET', sql: 'SELECT passenger_count, tpep_pickup_datetime, total_amount FROM yellow_tripdata ORDER BY passenger_count DESC NULLS FIRST, tpep_pickup_datetime, total_amount LIMIT 25 OFFSET 10', ordered: true },
  { name: 'ORDER BY default NULLS LAST (Trino)', sql: 'SELECT passenger_count, count(*) FROM yellow_tripdata GROUP BY passenger_count ORDER BY passenger_count', duck: 'SELECT passenger_count, count(*) FROM yellow_tripdata GROUP BY passenger_count ORDER BY passenger_count NULLS LAST', ordered: true },
  { name: 'ORDER BY DESC puts NULLs last too (Trino)', sql: 'SELECT RatecodeID, count(*) FROM yellow_tripdata GROUP BY RatecodeID ORDER BY RatecodeID DESC', duck: 'SELECT RatecodeID, count(*) FROM yellow_tripdata GROUP BY RatecodeID ORDER BY RatecodeID DESC NULLS LAST', ordered: true },
  { name: 'ORDER BY an expression not selected', sql: 'SELECT tpep_pickup_datetime FROM yellow_tripdata WHERE PULocationID = 1 ORDER BY total_amount DESC, tpep_pickup_datetime', ordered: true },
  { name: 'SELECT DISTINCT', sql: 'SELECT DISTINCT payment_type, VendorID FROM yellow_tripdata' },
  { name: 'searched and simple CASE', sql: "SELECT CASE WHEN trip_distance < 1 THEN 'short' WHEN trip_distance < 5 THEN 'medium' ELSE 'long' END AS len, CASE payment_type WHEN 1 THEN 'card' WHEN 2 THEN 'cash' END AS pay, count(*) FROM yellow_tripdata GROUP BY 1, 2" },
  { name: 'CAST, COALESCE, NULLIF', sql: 'SELECT CAST(total_amount AS integer) AS t, COALESCE(passenger_count, -1) AS p, NULLIF(payment_type, 0) AS pt, CAST(tpep_pickup_datetime AS date) AS d FROM yellow_tripdata WHERE DOLocationID = 236', duck: 'SELECT CAST(round(total_amount) AS integer) AS t, COALESCE(passenger_count, -1) AS p, NULLIF(payment_type, 0) AS pt, CAST(tpep_pickup_datetime AS date) AS d FROM yellow_tripdata WHERE DOLocationID = 236' },
  { name: 'BETWEEN, IN, NOT IN, LIKE', sql: "SELECT count(*) FROM taxi_zone_lookup WHERE LocationID BETWEEN 10 AND 200 AND Borough IN ('Queens', 'Brooklyn') AND Zone LIKE '%Park%' AND service_zone NOT IN ('Airports')" },
  { name: 'IS NULL and IS NOT NULL', sql: 'SELECT count(*) FILTER (WHERE passenger_count IS NULL) AS nulls, count(*) FILTER (WHERE congestion_surcharge IS NOT NULL) AS present FROM yellow_tripdata' },
  { name: 'IS DISTINCT FROM', sql: "SELECT count(*) FROM yellow_tripdata WHERE store_and_fwd_flag IS DISTINCT FROM 'N'" },
  { name: 'date_trunc, extract, year/month/day', sql: "SELECT date_trunc('month', tpep_pickup_datetime) AS m, extract(hour FROM tpep_pickup_datetime) AS h, year(tpep_pickup_datetime) AS y, month(tpep_pickup_datetime) AS mo, day(tpep_pickup_datetime) AS dd, count(*) FROM yellow_tripdata GROUP BY 1, 2, 3, 4, 5" },
  { name: 'day_of_week and quarter', sql: 'SELECT day_of_week(tpep_pickup_datetime) AS dow, quarter(tpep_pickup_datetime) AS q, count(*) FROM yellow_tripdata GROUP BY 1, 2', duck: 'SELECT isodow(tpep_pickup_datetime) AS dow, quarter(tpep_pickup_datetime) AS q, count(*) FROM yellow_tripdata GROUP BY 1, 2' },
  { name: 'DATE/TIMESTAMP literals and interval arithmetic', sql: "SELECT count(*) FROM yellow_tripdata WHERE tpep_pickup_datetime >= TIMESTAMP '2024-03-01 00:00:00' AND tpep_pickup_datetime < TIMESTAMP '2024-03-01 00:00:00' + INTERVAL '7' DAY AND tpep_dropoff_datetime - tpep_pickup_datetime > INTERVAL '30' MINUTE" },
  { name: 'date minus interval on a date', sql: "SELECT count(*) FROM yellow_tripdata WHERE CAST(tpep_pickup_datetime AS date) <= DATE '2024-06-30' - INTERVAL '90' DAY" },
  { name: 'UNION ALL of two tables', sql: "SELECT 'yellow' AS service, count(*) FROM yellow_tripdata UNION ALL SELECT 'green', count(*) FROM green_tripdata" },
  { name: 'UNION (distinct)', sql: 'SELECT PULocationID FROM yellow_tripdata WHERE PULocationID < 20 UNION SELECT PULocationID FROM green_tripdata WHERE PULocationID < 20' },
  { name: 'WITH and a subquery in FROM', sql: 'WITH t AS (SELECT PULocationID AS z, total_amount FROM yellow_tripdata WHERE payment_type = 1) SELECT z, n FROM (SELECT z, count(*) AS n FROM t GROUP BY z) AS s WHERE n > 100' },
  { name: 'INNER JOIN with the zones', sql: 'SELECT z.Borough, count(*), sum(y.total_amount) FROM yellow_tripdata y JOIN taxi_zone_lookup z ON y.PULocationID = z.LocationID GROUP BY z.Borough' },
  { name: 'LEFT JOIN keeps unmatched rows', sql: 'SELECT z.LocationID, z.Zone, g.n FROM taxi_zone_lookup z LEFT JOIN (SELECT PULocationID, count(*) AS n FROM green_tripdata GROUP BY PULocationID) g ON z.LocationID = g.PULocationID' },
  { name: 'join on two keys with a residual condition', sql: 'SELECT count(*) FROM yellow_tripdata a JOIN taxi_zone_lookup p ON a.PULocationID = p.LocationID JOIN taxi_zone_lookup d ON a.DOLocationID = d.LocationID AND p.Borough <> d.Borough' },
  { name: 'comma join with WHERE equality', sql: "SELECT count(*) FROM green_tripdata g, taxi_zone_lookup z WHERE g.DOLocationID = z.LocationID AND z.service_zone = 'Boro Zone'" },
  { name: 'partition columns and pruning', sql: 'SELECT year, month, count(*) FROM yellow_tripdata WHERE month IN (2, 3) GROUP BY year, month' },
  { name: 'string functions', sql: "SELECT upper(Borough), lower(Zone), length(Zone), substr(Zone, 1, 3), concat(Borough, '/', service_zone), replace(Zone, ' ', '_'), trim('  x  ') FROM taxi_zone_lookup WHERE LocationID < 50" },
  { name: 'math functions', sql: 'SELECT round(total_amount, 1), abs(fare_amount), floor(trip_distance), ceil(trip_distance), sqrt(trip_distance), power(trip_distance, 2) FROM yellow_tripdata WHERE PULocationID = 4' },
  // Trino: avg(decimal(p,s)) is decimal(p,s) (rounded half up); DuckDB returns a double.
  { name: 'decimal arithmetic stays exact', sql: 'SELECT sum(CAST(total_amount AS decimal(15, 2))), avg(CAST(fare_amount AS decimal(10, 2))) FROM yellow_tripdata', duck: 'SELECT sum(CAST(total_amount AS decimal(15, 2))), CAST(avg(CAST(fare_amount AS decimal(10, 2))) AS decimal(10, 2)) FROM yellow_tripdata' },
  { name: 'read_parquet with hive partitions', sql: "SELECT month, count(*) FROM read_parquet('sample-data/nyc/green_tripdata/*/*/*.parquet', hive_partitioning => true) GROUP BY month", duck: `SELECT month, count(*) FROM read_parquet('${path.join(REPO_ROOT, 'sample-data/nyc/green_tripdata/*/*/*.parquet')}', hive_partitioning = true) GROUP BY month` },
  { name: 'a quoted path in FROM', sql: "SELECT count(*), sum(fare_amount) FROM 'sample-data/nyc/yellow_tripdata/year=2024/month=1/part-0.parquet'", duck: `SELECT count(*), sum(fare_amount) FROM '${path.join(REPO_ROOT, 'sample-data/nyc/yellow_tripdata/year=2024/month=1/part-0.parquet')}'` },
  { name: 'read_csv with header', sql: "SELECT Borough, count(*) FROM read_csv('sample-data/nyc/taxi_zone_lookup.csv', header => true) GROUP BY Borough", duck: `SELECT Borough, count(*) FROM read_csv('${path.join(REPO_ROOT, 'sample-data/nyc/taxi_zone_lookup.csv')}', header = true) GROUP BY Borough` },
  { name: 'the monthly revenue report', sql: readFileSync(path.join(REPO_ROOT, 'examples/monthly-revenue.sql'), 'utf8'), ordered: true },
];

describeDifferential('Shoal and DuckDB agree on the sample data', CASES);
