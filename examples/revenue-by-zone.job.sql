-- Batch job: revenue per pickup zone and service type for one month, written into the curated table
-- lake.curated.revenue_by_zone (Parquet, partitioned by month).
--
--   shoal run examples/revenue-by-zone.job.sql --param month=2024-01-01
--
-- Safe to retry: the INSERT replaces exactly the month it writes (insert_existing_partitions_behavior =
-- 'OVERWRITE'), staged and published all or nothing, so running a month twice leaves the same table.
SET SESSION insert_existing_partitions_behavior = 'OVERWRITE';

CREATE SCHEMA IF NOT EXISTS lake.curated;

CREATE TABLE IF NOT EXISTS lake.curated.revenue_by_zone (
    borough      varchar,
    pickup_zone  varchar,
    service_type varchar,
    trips        bigint,
    revenue      double,
    month        date
) WITH (format = 'PARQUET', partitioned_by = ARRAY['month']);

INSERT INTO lake.curated.revenue_by_zone
WITH trips AS (
    SELECT 'yellow' AS service_type, tpep_pickup_datetime AS pickup_at, PULocationID AS pickup_zone_id, total_amount
    FROM lake.nyc.yellow_tripdata
    UNION ALL
    SELECT 'green', lpep_pickup_datetime, PULocationID, total_amount
    FROM lake.nyc.green_tripdata
)
SELECT z.Borough, z.Zone, t.service_type, count(*), round(sum(t.total_amount), 2), DATE ${month}
FROM trips t
JOIN lake.nyc.taxi_zone_lookup z ON t.pickup_zone_id = z.LocationID
WHERE t.pickup_at >= CAST(DATE ${month} AS timestamp)
  AND t.pickup_at <  CAST(date_add('month', 1, DATE ${month}) AS timestamp)
GROUP BY 1, 2, 3;
