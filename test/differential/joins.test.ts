import { describeDifferential, type DifferentialCase } from '../support/differential.js';

// Join kinds against DuckDB on the sample data. The small zone table joins the trips on location ids; some
// ids (264, 265 and the trips' unknown zones) have no partner, so outer joins produce NULL sides.
const CASES: readonly DifferentialCase[] = [
  { name: 'INNER JOIN … ON', sql: 'SELECT z.Borough, count(*) FROM green_tripdata g JOIN taxi_zone_lookup z ON g.PULocationID = z.LocationID GROUP BY 1' },
  { name: 'LEFT JOIN keeps unmatched left rows', sql: 'SELECT z.LocationID, g.fare_amount FROM taxi_zone_lookup z LEFT JOIN green_tripdata g ON g.PULocationID = z.LocationID AND g.fare_amount > 80' },
  { name: 'RIGHT JOIN keeps unmatched right rows, columns in written order', sql: 'SELECT g.fare_amount, z.LocationID, z.Zone FROM green_tripdata g RIGHT JOIN taxi_zone_lookup z ON g.PULocationID = z.LocationID AND g.fare_amount > 80' },
  { name: 'FULL JOIN keeps both sides', sql: 'SELECT a.LocationID, b.PULocationID, b.n FROM (SELECT LocationID FROM taxi_zone_lookup WHERE LocationID < 60) a FULL JOIN (SELECT PULocationID, count(*) AS n FROM green_tripdata WHERE PULocationID BETWEEN 40 AND 100 GROUP BY 1) b ON a.LocationID = b.PULocationID' },
  { name: 'FULL JOIN with a residual condition', sql: 'SELECT a.LocationID, b.PULocationID FROM (SELECT LocationID FROM taxi_zone_lookup WHERE LocationID < 30) a FULL OUTER JOIN (SELECT DISTINCT PULocationID FROM green_tripdata WHERE PULocationID < 50) b ON a.LocationID = b.PULocationID AND a.LocationID % 2 = 0' },
  { name: 'FULL JOIN without equality (nested loop)', sql: 'SELECT a.x, b.y FROM (VALUES (1), (2), (3)) a(x) FULL JOIN (VALUES (2), (4)) b(y) ON a.x > b.y' },
  { name: 'JOIN … USING', sql: 'SELECT PULocationID, count(*) FROM green_tripdata JOIN (SELECT LocationID AS PULocationID, Borough FROM taxi_zone_lookup) z USING (PULocationID) GROUP BY PULocationID' },
  { name: 'SELECT * over USING puts the merged column first', sql: 'SELECT * FROM (VALUES (1, \'a\'), (2, \'b\')) l(k, x) JOIN (VALUES (2, \'B\'), (3, \'C\')) r(k, y) USING (k)' },
  { name: 'FULL JOIN USING merges with coalesce', sql: 'SELECT k, l.k, r.k, x, y FROM (VALUES (1, \'a\'), (2, \'b\')) l(k, x) FULL JOIN (VALUES (2, \'B\'), (3, \'C\')) r(k, y) USING (k)' },
  { name: 'NATURAL JOIN', sql: 'SELECT * FROM (VALUES (1, \'a\'), (2, \'b\')) l(k, x) NATURAL JOIN (VALUES (2, \'B\'), (3, \'C\')) r(k, y)' },
  { name: 'self join with aliases', sql: 'SELECT a.Borough, count(*) FROM taxi_zone_lookup a JOIN taxi_zone_lookup b ON a.Borough = b.Borough AND a.LocationID < b.LocationID GROUP BY 1' },
  { name: 'non-equi join', sql: 'SELECT count(*) FROM taxi_zone_lookup a JOIN taxi_zone_lookup b ON a.LocationID BETWEEN b.LocationID - 2 AND b.LocationID + 2' },
  { name: 'CROSS JOIN', sql: 'SELECT count(*), sum(a.LocationID * b.x) FROM taxi_zone_lookup a CROSS JOIN (VALUES (1), (2), (3)) b(x)' },
  { name: 'comma joins with WHERE equalities (TPC-H Q5 shape)', sql: 'SELECT z1.Borough, count(*) FROM yellow_tripdata y, taxi_zone_lookup z1, taxi_zone_lookup z2, green_tripdata g WHERE y.PULocationID = z1.LocationID AND y.DOLocationID = z2.LocationID AND g.PULocationID = z2.LocationID AND z1.Borough = \'Bronx\' AND g.fare_amount > 90 GROUP BY 1' },
  { name: 'an OR across two joined tables (TPC-H Q7 shape)', sql: "SELECT z1.Borough, z2.Borough, count(*) FROM green_tripdata g JOIN taxi_zone_lookup z1 ON g.PULocationID = z1.LocationID JOIN taxi_zone_lookup z2 ON g.DOLocationID = z2.LocationID WHERE (z1.Borough = 'Queens' AND z2.Borough = 'Bronx') OR (z1.Borough = 'Bronx' AND z2.Borough = 'Queens') GROUP BY 1, 2" },
  { name: 'LEFT JOIN with a right-side filter in WHERE (not an inner join)', sql: 'SELECT count(*) FROM taxi_zone_lookup z LEFT JOIN green_tripdata g ON g.PULocationID = z.LocationID WHERE g.fare_amount IS NULL' },
  { name: 'a 4-way join ordered by estimates, with a NULL-keyed side and an anti join', sql: "SELECT z1.Borough, count(*), sum(g.fare_amount) FROM yellow_tripdata y, taxi_zone_lookup z1, taxi_zone_lookup z2, green_tripdata g WHERE y.PULocationID = z1.LocationID AND z1.LocationID = z2.LocationID AND g.PULocationID = z1.LocationID AND z2.Borough IN ('Queens', 'Bronx') AND g.fare_amount > 60 AND NOT EXISTS (SELECT 1 FROM green_tripdata g2 WHERE g2.DOLocationID = y.DOLocationID AND g2.fare_amount > 100) GROUP BY 1" },
  { name: 'a join tree over a LEFT JOIN whose right side has no match (NULL keys) and an empty filtered side', sql: "SELECT count(*), count(z2.LocationID) FROM (SELECT y.PULocationID AS k, z.LocationID AS zk FROM yellow_tripdata y LEFT JOIN taxi_zone_lookup z ON y.DOLocationID = z.LocationID AND z.Borough = 'Nowhere') a, taxi_zone_lookup z2, green_tripdata g WHERE a.k = z2.LocationID AND g.PULocationID = z2.LocationID AND g.fare_amount > 95 AND a.zk IS NULL" },
  { name: 'a CTE aggregated once and read twice (TPC-H Q15 shape)', sql: 'WITH r AS (SELECT PULocationID AS k, sum(fare_amount) AS s FROM green_tripdata GROUP BY 1) SELECT k, s FROM r WHERE s = (SELECT max(s) FROM r)' },
  { name: 'a CTE read twice in a self join and a UNION ALL', sql: 'WITH r AS (SELECT PULocationID AS k, count(*) AS n FROM yellow_tripdata GROUP BY 1) SELECT a.k, a.n, b.n FROM r a JOIN r b ON a.k = b.k + 1 UNION ALL SELECT k, n, n FROM r WHERE k < 5' },
];

describeDifferential('joins: Shoal and DuckDB agree on the sample data', CASES);
