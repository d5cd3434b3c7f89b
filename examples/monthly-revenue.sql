-- Monthly revenue per pickup zone, month and service type, over green UNION ALL yellow, joined to the zones.
-- Run: npx shoal -f examples/monthly-revenue.sql --format csv
WITH trips AS (
    SELECT 'yellow' AS service_type, tpep_pickup_datetime AS pickup_at, PULocationID AS pickup_zone_id, total_amount
    FROM lake.nyc.yellow_tripdata
    UNION ALL
    SELECT 'green', lpep_pickup_datetime, PULocationID, total_amount
    FROM lake.nyc.green_tripdata
)
SELECT
    CAST(date_trunc('month', t.pickup_at) AS date) AS month,
    z.Borough AS borough,
    z.Zone AS pickup_zone,
    t.service_type,
    count(*) AS trips,
    round(sum(t.total_amount), 2) AS revenue
FROM trips t
JOIN lake.nyc.taxi_zone_lookup z ON t.pickup_zone_id = z.LocationID
WHERE t.pickup_at >= TIMESTAMP '2024-01-01 00:00:00'
  AND t.pickup_at <  TIMESTAMP '2024-07-01 00:00:00'
GROUP BY 1, 2, 3, 4
ORDER BY month, revenue DESC, pickup_zone, service_type;
