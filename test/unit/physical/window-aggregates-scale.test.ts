import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Session } from '../../../src/index.js';
import { DuckOracle } from '../../support/duckdb-oracle.js';
import { sampleSession, shoalRows } from '../../support/shoal-runner.js';

/**
 * Aggregates without a dedicated sliding kernel (stddev, var_pop, bool_and, count_if, max_by) over running frames of
 * about a million rows (the 127,075 sample yellow trips times 8), and stddev_pop over a sliding RANGE frame (rows
 * leave through the accumulator's remove). Aggregating each frame anew feeds about 5 * 10^11 rows per running
 * aggregate and would not finish within the timeout, so this fails on a quadratic implementation without asserting
 * any time. Frames are RANGE frames (peers included), so the results do not depend on how ties are ordered, and
 * max_by's key is unique per (amount, k) with k a function of it; the sums of the per-row results are compared
 * with DuckDB's on the same files (numbers to 9 significant digits).
 */
const SQL = `
  SELECT count(*), sum(sd), sum(vp), count_if(ok), sum(tips), sum(best), sum(spread)
  FROM (
    SELECT stddev(total_amount) OVER w AS sd,
           var_pop(trip_distance) OVER w AS vp,
           bool_and(total_amount > 0) OVER w AS ok,
           count_if(tip_amount > 0) OVER w AS tips,
           max_by(k, round(total_amount * 100) * 16 + k) OVER w AS best,
           stddev_pop(fare_amount) OVER (PARTITION BY k ORDER BY y.tpep_pickup_datetime RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW) AS spread
    FROM yellow_tripdata y CROSS JOIN (VALUES (1), (2), (3), (4), (5), (6), (7), (8)) t(k)
    WINDOW w AS (ORDER BY y.tpep_pickup_datetime, k)
  ) s`;

describe('aggregates without a sliding kernel scale linearly over running frames', () => {
  let session: Session;
  let duck: DuckOracle;
  beforeAll(async () => {
    session = await sampleSession();
    duck = await (await DuckOracle.create()).withSampleTables();
  });
  afterAll(() => duck.close());

  test('running stddev, var_pop, bool_and, count_if, max_by and a sliding stddev_pop over ~1M rows', async () => {
    const ours = await shoalRows(session, SQL);
    const theirs = await duck.query(SQL);
    expect(ours.rows[0]![0]).toBe(127_075 * 8);
    expect(ours.rows).toEqual(theirs.rows);
  }, 180_000);
});
