/**
 * The benchmark's fixed queries, written once in the dialect both engines accept (the data has no NULL ordering
 * or integer-division subtleties in these). `lake.nyc.` prefixes are stripped for DuckDB, which reads the same
 * files through views.
 */
export interface BenchQuery {
  readonly name: string;
  readonly sql: string;
}

export const BENCH_QUERIES: readonly BenchQuery[] = [
  { name: 'q1_count', sql: 'SELECT count(*) FROM lake.nyc.yellow_tripdata' },
  { name: 'q2_sum_by_zone', sql: 'SELECT PULocationID, count(*), sum(total_amount), avg(trip_distance) FROM lake.nyc.yellow_tripdata GROUP BY PULocationID' },
  { name: 'q3_filter_group', sql: 'SELECT payment_type, passenger_count, count(*), avg(tip_amount) FROM lake.nyc.yellow_tripdata WHERE trip_distance > 2 AND fare_amount > 10 GROUP BY payment_type, passenger_count' },
  { name: 'q4_month_hour', sql: "SELECT date_trunc('month', tpep_pickup_datetime) AS m, hour(tpep_pickup_datetime) AS h, count(*), sum(fare_amount) FROM lake.nyc.yellow_tripdata GROUP BY 1, 2" },
  { name: 'q5_join_zones', sql: 'SELECT z.Borough, count(*), sum(y.total_amount) FROM lake.nyc.yellow_tripdata y JOIN lake.nyc.taxi_zone_lookup z ON y.PULocationID = z.LocationID GROUP BY z.Borough' },
  { name: 'q6_top_n', sql: 'SELECT tpep_pickup_datetime, PULocationID, total_amount FROM lake.nyc.yellow_tripdata ORDER BY total_amount DESC, tpep_pickup_datetime LIMIT 10' },
  { name: 'q7_count_distinct', sql: 'SELECT month, count(DISTINCT PULocationID), count(DISTINCT DOLocationID) FROM lake.nyc.yellow_tripdata GROUP BY month' },
  { name: 'q8_pruned_partition', sql: 'SELECT count(*), sum(total_amount) FROM lake.nyc.yellow_tripdata WHERE month = 3 AND trip_distance > 10' },
  {
    name: 'q9_revenue_report',
    sql: `SELECT CAST(date_trunc('month', y.tpep_pickup_datetime) AS date) AS month, z.Borough, z.Zone, count(*) AS trips, round(sum(y.total_amount), 2) AS revenue
FROM lake.nyc.yellow_tripdata y JOIN lake.nyc.taxi_zone_lookup z ON y.PULocationID = z.LocationID
WHERE y.tpep_pickup_datetime >= TIMESTAMP '2024-01-01 00:00:00' AND y.tpep_pickup_datetime < TIMESTAMP '2024-07-01 00:00:00'
GROUP BY 1, 2, 3 ORDER BY month, revenue DESC`,
  },
];
