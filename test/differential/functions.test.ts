import { describeDifferential, type DifferentialCase } from '../support/differential.js';

/**
 * Scalar functions over the sample data through Shoal and DuckDB. `duck` is DuckDB's spelling of the same Trino
 * semantics where the names differ (the comment says which); rows compare as multisets.
 */
const CASES: readonly DifferentialCase[] = [
  {
    name: 'case, length, substr, strpos, position',
    sql: "SELECT Zone, upper(Zone), lower(Borough), length(Zone), substr(Zone, 3), substr(Zone, -4, 2), strpos(Zone, 'a'), position('o' IN Zone) FROM taxi_zone_lookup WHERE Zone IS NOT NULL",
  },
  {
    name: 'replace, trim, pad, reverse, concat',
    sql: "SELECT replace(Zone, 'a', 'A'), trim(BOTH 'N' FROM Zone), ltrim(Zone, 'A'), lpad(Borough, 12, '.'), rpad(Borough, 3, '-'), reverse(Zone), Borough || '/' || service_zone, concat(Zone, '!') FROM taxi_zone_lookup WHERE Zone IS NOT NULL",
  },
  {
    // Past the last field Trino's split_part is NULL, DuckDB's ''.
    name: 'split_part and starts_with',
    sql: "SELECT split_part(Zone, ' ', 1), split_part(Zone, '/', 2), starts_with(Zone, 'East') FROM taxi_zone_lookup WHERE Zone IS NOT NULL",
    duck: "SELECT split_part(Zone, ' ', 1), CASE WHEN len(string_split(Zone, '/')) >= 2 THEN split_part(Zone, '/', 2) END, starts_with(Zone, 'East') FROM taxi_zone_lookup WHERE Zone IS NOT NULL",
  },
  {
    // DuckDB spells regexp_like as regexp_matches, and replaces every match only with the 'g' option and \1 groups.
    name: 'regular expressions',
    sql: "SELECT regexp_like(Zone, '^[A-M]'), regexp_extract(Zone, '([A-Z])([a-z]+)', 2), regexp_replace(Zone, '([aeiou])', '<$1>') FROM taxi_zone_lookup WHERE Zone IS NOT NULL",
    duck: "SELECT regexp_matches(Zone, '^[A-M]'), CASE WHEN regexp_matches(Zone, '([A-Z])([a-z]+)') THEN regexp_extract(Zone, '([A-Z])([a-z]+)', 2) END, regexp_replace(Zone, '([aeiou])', '<\\1>', 'g') FROM taxi_zone_lookup WHERE Zone IS NOT NULL",
  },
  {
    name: 'rounding and roots',
    sql: 'SELECT round(fare_amount, 1), round(trip_distance), ceil(trip_distance), floor(tip_amount), abs(total_amount), sqrt(trip_distance), cbrt(fare_amount), power(trip_distance, 3) FROM yellow_tripdata WHERE PULocationID = 4',
  },
  {
    name: 'logarithms, sign, greatest and least',
    // Logarithms of positive values only: for negative ones Trino answers NaN where DuckDB raises an error.
    sql: 'SELECT ln(trip_distance + 1), log10(abs(fare_amount) + 1), log2(abs(total_amount) + 1), exp(trip_distance / 100), sign(tip_amount - 1), greatest(fare_amount, tip_amount, 5), least(fare_amount, tip_amount) FROM yellow_tripdata WHERE PULocationID = 4',
  },
  {
    // Written with ln and % on DuckDB's side to avoid depending on DuckDB's log(b, x) argument order.
    name: 'log with a base, mod',
    sql: 'SELECT log(2, trip_distance + 1), mod(PULocationID, 7), mod(-PULocationID, 7) FROM yellow_tripdata WHERE PULocationID < 10',
    duck: 'SELECT ln(trip_distance + 1) / ln(2), PULocationID % 7, -PULocationID % 7 FROM yellow_tripdata WHERE PULocationID < 10',
  },
  {
    // Trino's day_of_week/day_of_year/last_day_of_month are DuckDB's isodow/dayofyear/last_day.
    name: 'calendar fields',
    sql: "SELECT year(tpep_pickup_datetime), quarter(tpep_pickup_datetime), week(tpep_pickup_datetime), day_of_week(tpep_pickup_datetime), day_of_year(tpep_pickup_datetime), hour(tpep_pickup_datetime), minute(tpep_pickup_datetime), second(tpep_pickup_datetime), last_day_of_month(tpep_pickup_datetime), count(*) FROM yellow_tripdata WHERE PULocationID = 132 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9",
    duck: "SELECT year(tpep_pickup_datetime), quarter(tpep_pickup_datetime), week(tpep_pickup_datetime), isodow(tpep_pickup_datetime), dayofyear(tpep_pickup_datetime), hour(tpep_pickup_datetime), minute(tpep_pickup_datetime), second(tpep_pickup_datetime), last_day(tpep_pickup_datetime), count(*) FROM yellow_tripdata WHERE PULocationID = 132 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9",
  },
  {
    // date_add(unit, n, x) is DuckDB's x + INTERVAL n unit; Trino's date_diff counts whole elapsed units, which is
    // DuckDB's date_sub (DuckDB's date_diff counts boundaries crossed).
    name: 'date_trunc, date_add, date_diff',
    sql: "SELECT date_trunc('hour', tpep_pickup_datetime), date_trunc('week', tpep_pickup_datetime), date_add('day', 3, tpep_pickup_datetime), date_add('month', 1, CAST(tpep_pickup_datetime AS date)), date_diff('minute', tpep_pickup_datetime, tpep_dropoff_datetime), date_diff('day', DATE '2024-01-01', CAST(tpep_pickup_datetime AS date)) FROM yellow_tripdata WHERE PULocationID = 4",
    duck: "SELECT date_trunc('hour', tpep_pickup_datetime), date_trunc('week', tpep_pickup_datetime), tpep_pickup_datetime + INTERVAL 3 DAY, CAST(CAST(tpep_pickup_datetime AS date) + INTERVAL 1 MONTH AS date), date_sub('minute', tpep_pickup_datetime, tpep_dropoff_datetime), date_diff('day', DATE '2024-01-01', CAST(tpep_pickup_datetime AS date)) FROM yellow_tripdata WHERE PULocationID = 4",
  },
  {
    // date_format's MySQL patterns are strftime's in DuckDB (%i minutes is %M, %s seconds is %S).
    name: 'date_format and to_unixtime',
    sql: "SELECT date_format(tpep_pickup_datetime, '%Y/%m/%d %H:%i:%s'), to_unixtime(tpep_pickup_datetime) FROM yellow_tripdata WHERE PULocationID = 4",
    duck: "SELECT strftime(tpep_pickup_datetime, '%Y/%m/%d %H:%M:%S'), epoch(tpep_pickup_datetime) FROM yellow_tripdata WHERE PULocationID = 4",
  },
  {
    name: 'coalesce, nullif, if and CASE with NULLs',
    sql: "SELECT coalesce(passenger_count, 0), nullif(payment_type, 1), if(tip_amount > 0, 'tip', 'none'), CASE WHEN congestion_surcharge IS NULL THEN 'n/a' END FROM yellow_tripdata WHERE PULocationID = 4",
    duck: "SELECT coalesce(passenger_count, 0), nullif(payment_type, 1), CASE WHEN tip_amount > 0 THEN 'tip' ELSE 'none' END, CASE WHEN congestion_surcharge IS NULL THEN 'n/a' END FROM yellow_tripdata WHERE PULocationID = 4",
  },
];

describeDifferential('Shoal and DuckDB agree on scalar functions', CASES);
