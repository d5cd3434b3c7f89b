import { describe, expect, test } from 'vitest';
import { describeDifferential, useDifferentialEngines, type DifferentialCase } from '../support/differential.js';
import type { Cell } from '../support/normalize.js';
import { shoalRows } from '../support/shoal-runner.js';

/**
 * Grouping sets and the aggregate library: the same SQL over the sample files through Shoal and DuckDB. Where
 * the spelling differs, `duck` gives DuckDB's spelling of Trino's semantics and says why. Rows compare as
 * multisets (numbers to 9 significant digits).
 */
const CASES: readonly DifferentialCase[] = [
  {
    name: 'ROLLUP with grouping()',
    sql: 'SELECT VendorID, payment_type, count(*), sum(total_amount), grouping(VendorID, payment_type) FROM yellow_tripdata GROUP BY ROLLUP (VendorID, payment_type)',
  },
  {
    name: 'CUBE over a nullable key keeps NULL keys apart from rolled-up rows',
    sql: 'SELECT passenger_count, payment_type, count(*), avg(fare_amount), grouping(passenger_count), grouping(payment_type) FROM yellow_tripdata GROUP BY CUBE (passenger_count, payment_type)',
  },
  {
    name: 'GROUPING SETS with an empty set and HAVING on grouping()',
    sql: 'SELECT month, PULocationID, count(*) AS n, max(trip_distance) FROM yellow_tripdata GROUP BY GROUPING SETS ((month), (month, PULocationID), ()) HAVING grouping(PULocationID) = 1 OR count(*) > 400',
  },
  {
    name: 'plain keys crossed with ROLLUP (cross product)',
    sql: 'SELECT month, VendorID, payment_type, count(*) FROM yellow_tripdata GROUP BY month, ROLLUP (VendorID, payment_type)',
  },
  {
    name: 'ROLLUP with DISTINCT and FILTER aggregates',
    sql: 'SELECT VendorID, month, count(DISTINCT PULocationID), count(DISTINCT payment_type), count(*) FILTER (WHERE tip_amount > 0), sum(DISTINCT passenger_count) FROM yellow_tripdata GROUP BY ROLLUP (VendorID, month)',
  },
  {
    name: 'GROUP BY DISTINCT drops repeated sets',
    sql: 'SELECT VendorID, payment_type, count(*) FROM yellow_tripdata GROUP BY DISTINCT ROLLUP (VendorID, payment_type), ROLLUP (VendorID)',
    // DuckDB has no GROUP BY DISTINCT: the product's distinct sets spelled out.
    duck: 'SELECT VendorID, payment_type, count(*) FROM yellow_tripdata GROUP BY GROUPING SETS ((VendorID, payment_type), (VendorID), ())',
  },
  {
    name: 'without DISTINCT a repeated set repeats its rows (Trino)',
    sql: 'SELECT VendorID, count(*) FROM yellow_tripdata GROUP BY ROLLUP (VendorID), ROLLUP (VendorID)',
    duck: 'SELECT VendorID, count(*) FROM yellow_tripdata GROUP BY GROUPING SETS ((VendorID), (VendorID), (VendorID), ())',
  },
  {
    name: 'several DISTINCT aggregates mixed with plain ones',
    sql: 'SELECT payment_type, count(DISTINCT PULocationID), sum(DISTINCT passenger_count), avg(DISTINCT VendorID), count(*), sum(fare_amount) FROM yellow_tripdata GROUP BY payment_type',
  },
  {
    name: 'variance and standard deviation',
    sql: 'SELECT payment_type, stddev(fare_amount), stddev_samp(trip_distance), stddev_pop(fare_amount), variance(tip_amount), var_samp(passenger_count), var_pop(total_amount) FROM yellow_tripdata GROUP BY payment_type',
  },
  {
    name: 'bool_and, every, bool_or, count_if',
    sql: 'SELECT PULocationID, bool_and(fare_amount > 0), every(trip_distance < 50), bool_or(tip_amount > 20), count_if(passenger_count > 2) FROM yellow_tripdata GROUP BY PULocationID',
    // DuckDB has no every(); it is Trino's alias of bool_and.
    duck: 'SELECT PULocationID, bool_and(fare_amount > 0), bool_and(trip_distance < 50), bool_or(tip_amount > 20), count_if(passenger_count > 2) FROM yellow_tripdata GROUP BY PULocationID',
  },
  {
    // DuckDB spells min_by/max_by arg_min/arg_max. The HAVING keeps groups whose keys are unique, so the chosen
    // row is determined.
    name: 'min_by and max_by',
    sql: 'SELECT DOLocationID, min_by(total_amount, tpep_pickup_datetime), max_by(PULocationID, tpep_pickup_datetime), min_by(Zone, trip_distance) FROM yellow_tripdata JOIN taxi_zone_lookup ON PULocationID = LocationID WHERE DOLocationID < 80 GROUP BY DOLocationID HAVING count(DISTINCT tpep_pickup_datetime) = count(*) AND count(DISTINCT trip_distance) = count(*)',
    duck: 'SELECT DOLocationID, arg_min(total_amount, tpep_pickup_datetime), arg_max(PULocationID, tpep_pickup_datetime), arg_min(Zone, trip_distance) FROM yellow_tripdata JOIN taxi_zone_lookup ON PULocationID = LocationID WHERE DOLocationID < 80 GROUP BY DOLocationID HAVING count(DISTINCT tpep_pickup_datetime) = count(*) AND count(DISTINCT trip_distance) = count(*)',
  },
  {
    // arbitrary() picks any value: over a group of one distinct value the answer is determined.
    name: 'arbitrary and any_value',
    sql: 'SELECT LocationID, arbitrary(Borough), any_value(Zone) FROM taxi_zone_lookup GROUP BY LocationID',
  },
  {
    // Trino has no string_agg; DuckDB's string_agg(x, sep ORDER BY …) is the same aggregate.
    name: 'listagg WITHIN GROUP',
    sql: "SELECT Borough, listagg(Zone, '; ') WITHIN GROUP (ORDER BY Zone DESC), listagg(service_zone, ',') WITHIN GROUP (ORDER BY LocationID) FROM taxi_zone_lookup GROUP BY Borough",
    duck: "SELECT Borough, string_agg(Zone, '; ' ORDER BY Zone DESC), string_agg(service_zone, ',' ORDER BY LocationID) FROM taxi_zone_lookup GROUP BY Borough",
  },
  {
    name: 'aggregates over empty input without GROUP BY',
    sql: 'SELECT stddev(fare_amount), var_pop(fare_amount), bool_and(fare_amount > 0), count_if(fare_amount > 0), arbitrary(VendorID), min_by(VendorID, fare_amount), count(*) FROM yellow_tripdata WHERE fare_amount > 1e9',
    // Trino's count_if is a count (0 on empty input); DuckDB's returns NULL there.
    duck: 'SELECT stddev(fare_amount), var_pop(fare_amount), bool_and(fare_amount > 0), count(*) FILTER (WHERE fare_amount > 0), arbitrary(VendorID), arg_min(VendorID, fare_amount), count(*) FROM yellow_tripdata WHERE fare_amount > 1e9',
  },
];

describeDifferential('Shoal and DuckDB agree on grouping sets and aggregates', CASES);

describe('approximate aggregates are within their error bounds of DuckDB\'s exact answers', () => {
  const engines = useDifferentialEngines();

  /** Relative error of `approx` against `exact`, per row (rows matched by the first column). */
  const relativeErrors = (approx: Cell[][], exact: Cell[][]): number[] => {
    const byKey = new Map(exact.map((r) => [String(r[0]), Number(r[1])]));
    expect(approx.length).toBe(exact.length);
    return approx.map((r) => {
      const want = byKey.get(String(r[0]));
      expect(want, `group ${String(r[0])}`).toBeDefined();
      return Math.abs(Number(r[1]) - want!) / Math.max(1, want!);
    });
  };

  test('approx_distinct is within 3 standard errors (2.3%) of the exact count per group', async () => {
    const { duck, session } = engines();
    const sql = (agg: string): string => `SELECT month, ${agg} FROM yellow_tripdata GROUP BY month`;
    const [ours, theirs] = await Promise.all([
      shoalRows(session, sql('approx_distinct(tpep_pickup_datetime)')),
      duck.query(sql('count(DISTINCT tpep_pickup_datetime)')),
    ]);
    for (const e of relativeErrors(ours.rows, theirs.rows)) expect(e).toBeLessThan(3 * 0.023);
  });

  test('approx_percentile is within 1% in rank of the exact quantile', async () => {
    // Exact rank of Shoal's answer among the values: DuckDB counts the values at or below it.
    const { duck, session } = engines();
    for (const p of [0.1, 0.5, 0.9, 0.99]) {
      const ours = await shoalRows(session, `SELECT payment_type, approx_percentile(fare_amount, ${p}) FROM yellow_tripdata GROUP BY payment_type`);
      for (const [key, value] of ours.rows) {
        const where = key === null ? 'payment_type IS NULL' : `payment_type = ${String(key)}`;
        const r = await duck.query(`SELECT count(*) FILTER (WHERE fare_amount < ${Number(value)}), count(*) FILTER (WHERE fare_amount <= ${Number(value)}), count(fare_amount) FROM yellow_tripdata WHERE ${where}`);
        const [below, atOrBelow, n] = r.rows[0]!.map(Number) as [number, number, number];
        const target = p * n;
        // The answer's rank range [below, atOrBelow] must come within 1% of n of the target rank.
        const miss = target < below ? below - target : target > atOrBelow ? target - atOrBelow : 0;
        expect(miss / n, `p=${p} group ${String(key)}`).toBeLessThanOrEqual(0.01);
      }
    }
  });
});
