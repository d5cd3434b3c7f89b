import { describe, test } from 'vitest';
import { expectSameRows, useDifferentialEngines, type DifferentialCase } from '../support/differential.js';

/**
 * Window functions through Shoal and DuckDB: first over a small table built in both engines with ties, NULLs in
 * partition and order keys and single-row partitions, then over the sample trips. Rows compare as multisets
 * (every query selects a row key), numbers to 9 significant digits. `duck` spells Trino's meaning where the
 * dialects differ, with the reason in a comment.
 */
const SMALL_TABLE = `(id integer, g varchar, x integer, d decimal(10, 2), f double, dt date)`;
const SMALL_ROWS = `
  (1, 'a', 10, 1.10, 0.5, DATE '2024-01-01'), (2, 'a', 20, 2.20, NULL, DATE '2024-01-02'),
  (3, 'a', 20, NULL, 1.5, DATE '2024-01-04'), (4, 'a', NULL, 4.40, 2.5, DATE '2024-01-05'),
  (5, 'a', 40, 5.55, -1.0, DATE '2024-01-09'), (6, 'b', 5, 6.60, 3.25, DATE '2024-01-01'),
  (7, 'b', 5, 7.70, NULL, DATE '2024-01-01'), (8, 'b', NULL, 8.80, 4.0, DATE '2024-01-03'),
  (9, NULL, 1, 9.90, 5.5, DATE '2024-01-02'), (10, NULL, NULL, NULL, NULL, NULL),
  (11, 'c', 7, 0.01, 6.0, DATE '2024-02-01'), (12, 'a', 30, 3.33, 7.75, DATE '2024-01-07')`;

const SMALL: readonly DifferentialCase[] = [
  { name: 'ranking functions with ties and NULL keys', sql: 'SELECT id, rank() OVER w, dense_rank() OVER w, percent_rank() OVER w, cume_dist() OVER w, row_number() OVER (PARTITION BY g ORDER BY x, id) FROM w WINDOW w AS (PARTITION BY g ORDER BY x)' },
  { name: 'ranking in DESC NULLS FIRST order', sql: 'SELECT id, rank() OVER (ORDER BY x DESC NULLS FIRST), dense_rank() OVER (PARTITION BY g ORDER BY x DESC NULLS FIRST) FROM w' },
  { name: 'ntile', sql: 'SELECT id, ntile(3) OVER (ORDER BY id), ntile(5) OVER (PARTITION BY g ORDER BY id), ntile(20) OVER (ORDER BY id) FROM w' },
  { name: 'lag and lead with offsets and defaults', sql: 'SELECT id, lag(x) OVER (PARTITION BY g ORDER BY id), lead(x, 2, -1) OVER (PARTITION BY g ORDER BY id), lag(x, 0) OVER (ORDER BY id), lead(d) OVER (ORDER BY id), lag(g, 3, \'none\') OVER (ORDER BY id) FROM w' },
  // DuckDB writes IGNORE NULLS inside the call's parentheses; Trino after them.
  {
    name: 'IGNORE NULLS',
    sql: 'SELECT id, lag(x) IGNORE NULLS OVER (ORDER BY id), lead(x, 2) IGNORE NULLS OVER (ORDER BY id), first_value(f) IGNORE NULLS OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING), last_value(f) IGNORE NULLS OVER (PARTITION BY g ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), nth_value(x, 2) IGNORE NULLS OVER (ORDER BY id) FROM w',
    duck: 'SELECT id, lag(x IGNORE NULLS) OVER (ORDER BY id), lead(x, 2 IGNORE NULLS) OVER (ORDER BY id), first_value(f IGNORE NULLS) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING), last_value(f IGNORE NULLS) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), nth_value(x, 2 IGNORE NULLS) OVER (ORDER BY id) FROM w',
  },
  { name: 'first, last and nth value with the default frame (peers included)', sql: 'SELECT id, first_value(id) OVER (PARTITION BY g ORDER BY x), last_value(x) OVER (PARTITION BY g ORDER BY x), nth_value(d, 2) OVER (ORDER BY x), nth_value(d, 3) OVER (PARTITION BY g) IS NULL FROM w' },
  { name: 'aggregates with the default RANGE frame: peers are included', sql: 'SELECT id, sum(x) OVER (PARTITION BY g ORDER BY x), count(x) OVER (ORDER BY x), count(*) OVER (ORDER BY x), avg(f) OVER (PARTITION BY g ORDER BY x), min(f) OVER (ORDER BY x), max(g) OVER (ORDER BY x) FROM w' },
  { name: 'aggregates over the whole partition', sql: 'SELECT id, sum(x) OVER (PARTITION BY g), count(*) OVER (), avg(x) OVER (PARTITION BY g), min(dt) OVER (PARTITION BY g), max(d) OVER () FROM w' },
  { name: 'sliding ROWS frames', sql: 'SELECT id, sum(x) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING), avg(f) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING), min(x) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), max(f) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING), count(x) OVER (ORDER BY id ROWS 3 PRECEDING) FROM w' },
  { name: 'ROWS frames ending before or starting after the current row', sql: 'SELECT id, sum(x) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), min(g) OVER (ORDER BY id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING), max(x) OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND 2 PRECEDING), count(*) OVER (ORDER BY id ROWS BETWEEN 5 FOLLOWING AND 7 FOLLOWING) FROM w' },
  { name: 'RANGE with numeric offsets, ASC and DESC, NULL keys', sql: 'SELECT id, sum(id) OVER (PARTITION BY g ORDER BY x RANGE BETWEEN 10 PRECEDING AND 5 FOLLOWING), count(*) OVER (ORDER BY x DESC RANGE BETWEEN 10 PRECEDING AND CURRENT ROW), max(id) OVER (ORDER BY f RANGE BETWEEN 1.5 PRECEDING AND 1 FOLLOWING) FROM w' },
  { name: 'RANGE over a date with an interval', sql: "SELECT id, count(*) OVER (ORDER BY dt RANGE BETWEEN INTERVAL '2' DAY PRECEDING AND CURRENT ROW), sum(x) OVER (PARTITION BY g ORDER BY dt RANGE BETWEEN CURRENT ROW AND INTERVAL '3' DAY FOLLOWING) FROM w" },
  { name: 'GROUPS frames', sql: 'SELECT id, sum(id) OVER (ORDER BY x GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW), count(*) OVER (PARTITION BY g ORDER BY x GROUPS BETWEEN CURRENT ROW AND 1 FOLLOWING) FROM w' },
  // Trino: sum(decimal(10,2)) is decimal(38,2) and avg(decimal(10,2)) is decimal(10,2), the exact mean rounded half
  // up (avg(4.40, 5.55) = 4.98); DuckDB's avg is a double (4.975 → 4.97), so DuckDB gets the exact mean in cents.
  {
    name: 'decimal sums stay exact',
    sql: 'SELECT id, sum(d) OVER (ORDER BY id), sum(d) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING), avg(d) OVER (PARTITION BY g ORDER BY id ROWS 1 PRECEDING) FROM w',
    duck: 'SELECT id, sum(d) OVER (ORDER BY id), sum(d) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING), ((2 * sum(CAST(d * 100 AS bigint)) OVER v + count(d) OVER v) // (2 * count(d) OVER v)) / 100 FROM w WINDOW v AS (PARTITION BY g ORDER BY id ROWS 1 PRECEDING)',
  },
  // Trino: bigint * 100.0 / bigint is a decimal of scale 1 (16.7); DuckDB computes a double, rounded here.
  {
    name: 'window over aggregates',
    sql: 'SELECT g, sum(x), rank() OVER (ORDER BY sum(x) DESC), sum(sum(x)) OVER (), count(*) * 100.0 / sum(count(*)) OVER () FROM w GROUP BY g',
    duck: 'SELECT g, sum(x), rank() OVER (ORDER BY sum(x) DESC), sum(sum(x)) OVER (), round(count(*) * 100.0 / sum(count(*)) OVER (), 1) FROM w GROUP BY g',
  },
  { name: 'window in ORDER BY and over a filtered input', sql: 'SELECT id, x FROM w WHERE x > 1 ORDER BY row_number() OVER (ORDER BY x DESC, id) LIMIT 5' },
  // Aggregates without a sliding kernel: running frames feed each row once; count_if, bool_and/bool_or and the
  // variance family take rows back out of sliding frames; min_by/max_by, arbitrary and array_agg aggregate each
  // sliding frame anew.
  {
    name: 'running statistics, truth aggregates and max_by',
    sql: 'SELECT id, stddev_samp(f) OVER (PARTITION BY g ORDER BY x), var_pop(x) OVER (ORDER BY x), stddev_pop(d) OVER (ORDER BY id), bool_and(x > 10) OVER (PARTITION BY g ORDER BY id), bool_or(f > 3) OVER (ORDER BY id ROWS UNBOUNDED PRECEDING), count_if(f > 1) OVER (ORDER BY x), max_by(id, f) OVER (ORDER BY id), min_by(x, f) OVER (PARTITION BY g ORDER BY dt, id) FROM w',
  },
  {
    name: 'sliding statistics and truth aggregates over ROWS and RANGE frames',
    sql: 'SELECT id, stddev_pop(f) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING), var_samp(x) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING), variance(f) OVER (ORDER BY id ROWS 3 PRECEDING), bool_or(f > 3) OVER (ORDER BY id ROWS 2 PRECEDING), bool_and(x >= 10) OVER (ORDER BY id ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING), count_if(x > 10) OVER (ORDER BY x RANGE BETWEEN 10 PRECEDING AND 5 FOLLOWING) FROM w',
    // Trino's count_if over an empty frame is 0, like count; DuckDB's is NULL.
    duck: 'SELECT id, stddev_pop(f) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING), var_samp(x) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING), variance(f) OVER (ORDER BY id ROWS 3 PRECEDING), bool_or(f > 3) OVER (ORDER BY id ROWS 2 PRECEDING), bool_and(x >= 10) OVER (ORDER BY id ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING), coalesce(count_if(x > 10) OVER (ORDER BY x RANGE BETWEEN 10 PRECEDING AND 5 FOLLOWING), 0) FROM w',
  },
  {
    name: 'sliding max_by, min_by and array_agg (aggregated frame by frame)',
    sql: 'SELECT id, max_by(id, f) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 2 FOLLOWING), min_by(g, f) OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING), cardinality(array_agg(x) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)), cardinality(array_agg(x) OVER (ORDER BY id)) FROM w',
    // Trino's min_by returns x even when it is NULL (the row with the least y wins); DuckDB's skips NULL x unless
    // spelled arg_min_null.
    duck: 'SELECT id, max_by(id, f) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 2 FOLLOWING), arg_min_null(g, f) OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING), len(array_agg(x) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)), len(array_agg(x) OVER (ORDER BY id)) FROM w',
  },
  {
    name: 'statistics and count_if over GROUPS frames and frames ending before the current row',
    sql: 'SELECT id, stddev_samp(x) OVER (ORDER BY x GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW), var_pop(f) OVER (ORDER BY x GROUPS BETWEEN CURRENT ROW AND 1 FOLLOWING), bool_and(f > 0) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), count_if(f > 2) OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND 2 PRECEDING), stddev_samp(f) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM w',
    // count_if over an empty frame: 0 in Trino, NULL in DuckDB.
    duck: 'SELECT id, stddev_samp(x) OVER (ORDER BY x GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW), var_pop(f) OVER (ORDER BY x GROUPS BETWEEN CURRENT ROW AND 1 FOLLOWING), bool_and(f > 0) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), coalesce(count_if(f > 2) OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND 2 PRECEDING), 0), stddev_samp(f) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM w',
  },
  { name: 'refining a named window', sql: 'SELECT id, sum(x) OVER (p ORDER BY id), count(*) OVER p, first_value(id) OVER (p ORDER BY id DESC) FROM w WINDOW p AS (PARTITION BY g)' },
];

const SAMPLE: readonly DifferentialCase[] = [
  { name: 'top zones per month by revenue', sql: 'SELECT * FROM (SELECT month, PULocationID, sum(total_amount) AS revenue, rank() OVER (PARTITION BY month ORDER BY sum(total_amount) DESC) AS r FROM yellow_tripdata GROUP BY month, PULocationID) t WHERE r <= 3' },
  { name: 'share of trips per payment type', sql: 'SELECT payment_type, count(*) AS n, CAST(count(*) AS double) / sum(count(*)) OVER () AS share FROM yellow_tripdata GROUP BY payment_type' },
  { name: 'running total of daily trips', sql: 'SELECT d, n, sum(n) OVER (ORDER BY d) AS running FROM (SELECT CAST(lpep_pickup_datetime AS date) AS d, count(*) AS n FROM green_tripdata GROUP BY 1) t' },
  { name: '7-day moving average of daily revenue', sql: 'SELECT d, avg(rev) OVER (ORDER BY d ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS ma, min(rev) OVER (ORDER BY d ROWS BETWEEN 3 PRECEDING AND 3 FOLLOWING) AS lo, max(rev) OVER (ORDER BY d ROWS BETWEEN 3 PRECEDING AND 3 FOLLOWING) AS hi FROM (SELECT CAST(tpep_pickup_datetime AS date) AS d, sum(total_amount) AS rev FROM yellow_tripdata GROUP BY 1) t' },
  { name: 'month over month change with lag', sql: 'SELECT month, n, n - lag(n) OVER (ORDER BY month) AS change, lead(n, 1, 0) OVER (ORDER BY month) AS next FROM (SELECT month, count(*) AS n FROM green_tripdata GROUP BY month) t' },
  { name: 'row_number per vendor over a total order', sql: 'SELECT VendorID, tpep_pickup_datetime, fare_amount, row_number() OVER (PARTITION BY VendorID ORDER BY tpep_pickup_datetime, tpep_dropoff_datetime, fare_amount, total_amount, PULocationID, DOLocationID) AS rn FROM yellow_tripdata WHERE PULocationID = 132 AND month = 2' },
  { name: 'dense_rank, percent_rank and cume_dist of distances', sql: 'SELECT trip_distance, dense_rank() OVER (ORDER BY trip_distance) AS dr, percent_rank() OVER (ORDER BY trip_distance) AS pr, cume_dist() OVER (ORDER BY trip_distance) AS cd FROM green_tripdata WHERE PULocationID = 74' },
  { name: 'ntile quartiles of fares per payment type', sql: 'SELECT payment_type, q, count(*), min(fare_amount), max(fare_amount) FROM (SELECT payment_type, fare_amount, ntile(4) OVER (PARTITION BY payment_type ORDER BY fare_amount) AS q FROM green_tripdata) t GROUP BY 1, 2' },
  { name: 'first and last trip of each zone', sql: 'SELECT DISTINCT PULocationID, first_value(lpep_pickup_datetime) OVER w AS first_at, last_value(lpep_pickup_datetime) OVER w AS last_at, count(*) OVER w AS n FROM green_tripdata WINDOW w AS (PARTITION BY PULocationID ORDER BY lpep_pickup_datetime ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)' },
  { name: 'trips within an hour before each trip (RANGE over timestamps)', sql: "SELECT count(*), sum(n), max(n) FROM (SELECT count(*) OVER (PARTITION BY PULocationID ORDER BY lpep_pickup_datetime RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW) AS n FROM green_tripdata) t" },
  { name: 'yellow and green daily counts side by side with ranks', sql: "SELECT service, d, n, rank() OVER (PARTITION BY service ORDER BY n DESC) AS r, sum(n) OVER (PARTITION BY d) AS both FROM (SELECT 'yellow' AS service, CAST(tpep_pickup_datetime AS date) AS d, count(*) AS n FROM yellow_tripdata GROUP BY 2 UNION ALL SELECT 'green', CAST(lpep_pickup_datetime AS date), count(*) FROM green_tripdata GROUP BY 2) t" },
  {
    name: 'running and sliding spread of trip distances per zone',
    sql: 'SELECT PULocationID, lpep_pickup_datetime, trip_distance, stddev_samp(trip_distance) OVER w AS running_sd, var_pop(fare_amount) OVER (w ROWS BETWEEN 20 PRECEDING AND CURRENT ROW) AS sliding_var, count_if(tip_amount > 0) OVER (w ROWS BETWEEN 10 PRECEDING AND 10 FOLLOWING) AS tipped, bool_or(passenger_count > 4) OVER w AS crowded, max_by(trip_distance, total_amount) OVER w AS priciest FROM green_tripdata WHERE PULocationID IN (7, 41, 42, 74) WINDOW w AS (PARTITION BY PULocationID ORDER BY lpep_pickup_datetime, lpep_dropoff_datetime, trip_distance, total_amount, DOLocationID)',
  },
  {
    name: 'distance to the previous trip in the same zone, NULLs ignored',
    sql: 'SELECT PULocationID, lpep_pickup_datetime, trip_distance, lag(passenger_count) IGNORE NULLS OVER w AS prev_passengers, sum(trip_distance) OVER (w ROWS BETWEEN 5 PRECEDING AND 5 FOLLOWING) AS nearby FROM green_tripdata WHERE PULocationID IN (41, 42) WINDOW w AS (PARTITION BY PULocationID ORDER BY lpep_pickup_datetime, lpep_dropoff_datetime, trip_distance, total_amount, DOLocationID)',
    duck: 'SELECT PULocationID, lpep_pickup_datetime, trip_distance, lag(passenger_count IGNORE NULLS) OVER w AS prev_passengers, sum(trip_distance) OVER (w ROWS BETWEEN 5 PRECEDING AND 5 FOLLOWING) AS nearby FROM green_tripdata WHERE PULocationID IN (41, 42) WINDOW w AS (PARTITION BY PULocationID ORDER BY lpep_pickup_datetime, lpep_dropoff_datetime, trip_distance, total_amount, DOLocationID)',
  },
];

describe('window functions: Shoal and DuckDB agree', () => {
  const engines = useDifferentialEngines(async ({ duck, session }) => {
    await session.query(`CREATE TABLE memory.default.w ${SMALL_TABLE}`);
    await session.query(`INSERT INTO memory.default.w VALUES ${SMALL_ROWS}`);
    await duck.run(`CREATE TABLE w ${SMALL_TABLE}`);
    await duck.run(`INSERT INTO w VALUES ${SMALL_ROWS}`);
  });
  for (const c of SMALL) test(`small table: ${c.name}`, () => expectSameRows(engines(), c, c.sql.replace(/\bFROM w\b/g, 'FROM memory.default.w')));
  for (const c of SAMPLE) test(`sample data: ${c.name}`, () => expectSameRows(engines(), c));
});
