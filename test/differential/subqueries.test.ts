import { describeDifferential, type DifferentialCase } from '../support/differential.js';

// Subqueries in expressions (decorrelated into joins) and the join kinds, against DuckDB on the sample data.
const CASES: readonly DifferentialCase[] = [
  { name: 'uncorrelated scalar subquery in WHERE', sql: 'SELECT count(*) FROM green_tripdata WHERE fare_amount > (SELECT avg(fare_amount) FROM green_tripdata)' },
  // 100e0, a double: with 100.0 Trino divides decimals at scale 1 (0.2) where DuckDB gives a double.
  { name: 'uncorrelated scalar subquery in SELECT', sql: 'SELECT PULocationID, count(*) * 100e0 / (SELECT count(*) FROM green_tripdata) AS pct FROM green_tripdata GROUP BY PULocationID' },
  { name: 'scalar subquery in HAVING', sql: 'SELECT PULocationID, sum(total_amount) FROM yellow_tripdata GROUP BY PULocationID HAVING sum(total_amount) > (SELECT sum(total_amount) * 0.01 FROM yellow_tripdata)' },
  { name: 'correlated scalar aggregate (TPC-H Q17 shape)', sql: 'SELECT sum(fare_amount) FROM green_tripdata g WHERE fare_amount < (SELECT 0.5 * avg(fare_amount) FROM green_tripdata g2 WHERE g2.PULocationID = g.PULocationID)' },
  { name: 'correlated count is 0, not NULL, for a missing group', sql: 'SELECT z.LocationID, (SELECT count(*) FROM green_tripdata g WHERE g.PULocationID = z.LocationID AND g.fare_amount > 60) AS n FROM taxi_zone_lookup z' },
  { name: 'correlated scalar with two keys', sql: 'SELECT count(*) FROM yellow_tripdata y WHERE total_amount >= (SELECT max(total_amount) FROM yellow_tripdata y2 WHERE y2.PULocationID = y.PULocationID AND y2.payment_type = y.payment_type)' },
  { name: 'correlated scalar subquery in SELECT over a grouped query', sql: 'SELECT PULocationID, count(*) AS n, (SELECT count(*) FROM green_tripdata g WHERE g.PULocationID = y.PULocationID) AS green_n FROM yellow_tripdata y GROUP BY PULocationID' },
  { name: 'EXISTS correlated', sql: 'SELECT count(*) FROM taxi_zone_lookup z WHERE EXISTS (SELECT 1 FROM green_tripdata g WHERE g.PULocationID = z.LocationID AND g.fare_amount > 70)' },
  { name: 'NOT EXISTS correlated with a non-equi condition (TPC-H Q21 shape)', sql: 'SELECT count(*) FROM green_tripdata g1 WHERE g1.fare_amount > 50 AND NOT EXISTS (SELECT * FROM green_tripdata g2 WHERE g2.PULocationID = g1.PULocationID AND g2.fare_amount > g1.fare_amount)' },
  { name: 'EXISTS and NOT EXISTS uncorrelated', sql: 'SELECT count(*) FROM taxi_zone_lookup WHERE EXISTS (SELECT 1 FROM green_tripdata WHERE fare_amount > 100) AND NOT EXISTS (SELECT 1 FROM green_tripdata WHERE fare_amount > 1e9)' },
  { name: 'EXISTS in SELECT', sql: 'SELECT LocationID, EXISTS (SELECT 1 FROM green_tripdata g WHERE g.DOLocationID = z.LocationID AND g.tip_amount > 20) AS big_tip FROM taxi_zone_lookup z' },
  { name: 'IN subquery with GROUP BY and HAVING (TPC-H Q18 shape)', sql: 'SELECT Borough, count(*) FROM taxi_zone_lookup WHERE LocationID IN (SELECT PULocationID FROM yellow_tripdata GROUP BY PULocationID HAVING count(*) > 1000) GROUP BY Borough' },
  { name: 'NOT IN subquery', sql: 'SELECT count(*) FROM taxi_zone_lookup WHERE LocationID NOT IN (SELECT DOLocationID FROM green_tripdata WHERE fare_amount > 30)' },
  { name: 'IN subquery with coercion (integer vs bigint)', sql: 'SELECT count(*) FROM green_tripdata WHERE VendorID IN (SELECT CAST(VendorID AS bigint) FROM yellow_tripdata WHERE VendorID = 2)' },
  { name: 'IN subquery correlated', sql: 'SELECT count(*) FROM yellow_tripdata y WHERE y.DOLocationID IN (SELECT g.DOLocationID FROM green_tripdata g WHERE g.PULocationID = y.PULocationID)' },
  { name: 'NOT IN correlated', sql: 'SELECT count(*) FROM yellow_tripdata y WHERE y.DOLocationID NOT IN (SELECT g.DOLocationID FROM green_tripdata g WHERE g.PULocationID = y.PULocationID)' },
  { name: 'correlated IN in SELECT with NULLs on both sides (three-valued)', sql: 'SELECT PULocationID, passenger_count, passenger_count IN (SELECT g.passenger_count FROM green_tripdata g WHERE g.PULocationID = y.PULocationID AND g.fare_amount > 50) AS seen FROM yellow_tripdata y WHERE PULocationID IN (132, 138, 161)' },
  { name: 'IN subquery in SELECT (three-valued)', sql: 'SELECT passenger_count, passenger_count IN (SELECT passenger_count FROM green_tripdata WHERE passenger_count > 4) AS big FROM yellow_tripdata WHERE PULocationID = 132' },
  { name: 'nested subqueries (TPC-H Q20 shape)', sql: 'SELECT count(*) FROM taxi_zone_lookup z WHERE z.LocationID IN (SELECT g.PULocationID FROM green_tripdata g WHERE g.DOLocationID IN (SELECT LocationID FROM taxi_zone_lookup WHERE Borough = \'Queens\') AND g.fare_amount > (SELECT 2 * avg(g2.fare_amount) FROM green_tripdata g2 WHERE g2.PULocationID = g.PULocationID))' },
  { name: 'subquery over a CTE (TPC-H Q15 shape)', sql: 'WITH rev AS (SELECT PULocationID AS zone, sum(total_amount) AS total FROM green_tripdata GROUP BY PULocationID) SELECT zone, total FROM rev WHERE total = (SELECT max(total) FROM rev)' },
  { name: 'scalar subquery returning no row is NULL', sql: 'SELECT count(*), count((SELECT fare_amount FROM green_tripdata WHERE fare_amount > 1e9)) FROM taxi_zone_lookup' },
  { name: 'NOT IN with a NULL in the subquery matches nothing', sql: 'SELECT count(*) FROM taxi_zone_lookup WHERE LocationID NOT IN (SELECT CAST(NULL AS integer) UNION ALL SELECT 1)' },
  // Runtime filters: the join's probe keys filter the input of the aggregation it builds on.
  { name: 'runtime filter: a correlated avg per key over a filtered outer query (TPC-H Q17 shape)', sql: 'SELECT count(*), sum(fare_amount) FROM green_tripdata g WHERE g.PULocationID < 50 AND fare_amount < (SELECT 0.5 * avg(fare_amount) FROM green_tripdata g2 WHERE g2.PULocationID = g.PULocationID)' },
  { name: 'runtime filter: NULL outer keys and NULL subquery keys; count(*) of no rows is 0', sql: 'SELECT x, (SELECT count(*) FROM green_tripdata g WHERE g.passenger_count = t.x) FROM (VALUES (1), (NULL), (7), (2)) t(x)' },
  { name: 'runtime filter: an empty outer side', sql: 'SELECT count(*), sum(fare_amount) FROM green_tripdata g WHERE g.PULocationID < 0 AND fare_amount < (SELECT avg(fare_amount) FROM green_tripdata g2 WHERE g2.PULocationID = g.PULocationID)' },
  { name: 'runtime filter: LEFT JOIN to a renamed aggregation, unmatched and NULL keys', sql: 'SELECT t.k, a.n FROM (VALUES (1), (NULL), (74), (9999)) t(k) LEFT JOIN (SELECT PULocationID AS k, count(*) AS n FROM green_tripdata GROUP BY 1) a ON a.k = t.k' },
  { name: 'runtime filter: an outer side too large to read ahead streams through unfiltered', sql: 'SELECT count(*), sum(a.n), count(a.n) FROM (SELECT PULocationID FROM yellow_tripdata UNION ALL SELECT DOLocationID FROM yellow_tripdata) y LEFT JOIN (SELECT PULocationID AS k, count(*) AS n FROM green_tripdata WHERE fare_amount > 20 GROUP BY 1) a ON a.k = y.PULocationID' },
  { name: 'runtime filter: the join key is one of two group keys, with a residual condition and HAVING', sql: "SELECT z.LocationID, a.n, a.s FROM taxi_zone_lookup z LEFT JOIN (SELECT PULocationID AS k, passenger_count AS p, count(*) AS n, sum(fare_amount) AS s FROM green_tripdata GROUP BY 1, 2 HAVING count(*) > 3) a ON a.k = z.LocationID AND a.p = 1 WHERE z.Borough = 'Bronx'" },
];

describeDifferential('subqueries: Shoal and DuckDB agree on the sample data', CASES);
