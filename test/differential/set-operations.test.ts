import { describeDifferential, type DifferentialCase } from '../support/differential.js';

// Set operations and VALUES against DuckDB on the sample data.
const CASES: readonly DifferentialCase[] = [
  { name: 'UNION removes duplicates', sql: 'SELECT PULocationID FROM green_tripdata UNION SELECT DOLocationID FROM green_tripdata' },
  { name: 'UNION ALL keeps them', sql: 'SELECT payment_type FROM green_tripdata WHERE fare_amount > 60 UNION ALL SELECT payment_type FROM yellow_tripdata WHERE fare_amount > 150' },
  { name: 'INTERSECT', sql: 'SELECT PULocationID FROM green_tripdata WHERE fare_amount > 50 INTERSECT SELECT DOLocationID FROM yellow_tripdata WHERE fare_amount > 100' },
  { name: 'EXCEPT', sql: 'SELECT LocationID FROM taxi_zone_lookup EXCEPT SELECT PULocationID FROM green_tripdata' },
  { name: 'INTERSECT and EXCEPT treat NULLs as equal', sql: 'SELECT * FROM (VALUES (1, NULL), (2, \'b\'), (NULL, \'c\'), (1, NULL)) t(a, b) INTERSECT SELECT * FROM (VALUES (1, NULL), (NULL, \'c\'), (3, \'d\')) u(a, b)' },
  { name: 'EXCEPT with NULLs', sql: 'SELECT * FROM (VALUES (1, NULL), (2, \'b\'), (NULL, \'c\')) t(a, b) EXCEPT SELECT * FROM (VALUES (1, NULL)) u(a, b)' },
  { name: 'INTERSECT binds tighter than UNION', sql: 'SELECT 1 AS x UNION SELECT 2 INTERSECT SELECT 3', ordered: false },
  { name: 'set operation with ORDER BY and LIMIT', sql: 'SELECT PULocationID AS z FROM green_tripdata EXCEPT SELECT LocationID FROM taxi_zone_lookup WHERE LocationID > 10 ORDER BY z LIMIT 5', ordered: true },
  { name: 'INTERSECT coerces column types', sql: 'SELECT CAST(PULocationID AS bigint) FROM green_tripdata INTERSECT SELECT LocationID FROM taxi_zone_lookup WHERE LocationID < 100' },
  { name: 'INTERSECT ALL keeps min(m, n) copies', sql: 'SELECT payment_type FROM green_tripdata WHERE fare_amount > 40 INTERSECT ALL SELECT payment_type FROM yellow_tripdata WHERE fare_amount > 90' },
  { name: 'EXCEPT ALL keeps max(m - n, 0) copies', sql: 'SELECT payment_type, VendorID FROM green_tripdata WHERE fare_amount > 30 EXCEPT ALL SELECT payment_type, VendorID FROM green_tripdata WHERE fare_amount > 60' },
  { name: 'INTERSECT ALL and EXCEPT ALL with NULLs', sql: 'SELECT * FROM (VALUES (1, NULL), (1, NULL), (1, NULL), (2, \'b\')) t(a, b) EXCEPT ALL SELECT * FROM (VALUES (1, NULL), (2, \'b\'), (2, \'b\')) u(a, b)' },
  { name: 'VALUES as a table with aliases', sql: 'SELECT x, y FROM (VALUES (1, \'a\'), (2, \'b\')) AS t(x, y) WHERE x > 1' },
  { name: 'standalone VALUES', sql: 'VALUES (1, \'a\'), (2, \'b\'), (3, NULL)' },
];

describeDifferential('set operations: Shoal and DuckDB agree on the sample data', CASES);
