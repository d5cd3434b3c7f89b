import { beforeAll, describe, expect, test } from 'vitest';
import type { Session } from '../../../src/index.js';
import { sampleSession, shoalRows } from '../../support/shoal-runner.js';

/**
 * Window frames over about a million rows (the 127,075 sample yellow trips times 8). A running sum, a 1000-row
 * sliding count and a sliding min must each be computed in one pass: re-aggregating each row's frame would feed
 * about 5 * 10^11 rows for the running sum alone and never finish within the test timeout, so this test fails on a
 * quadratic implementation without asserting any time. The results are checked exactly.
 */
describe('window frames scale linearly', () => {
  let session: Session;
  beforeAll(async () => {
    session = await sampleSession();
  });

  test('running and sliding aggregates over ~1M rows', async () => {
    const sql = `
      SELECT count(*), max(running), min(running), max(sliding), min(sliding), sum(CASE WHEN lo = k THEN 1 ELSE 0 END)
      FROM (
        SELECT k,
               sum(1) OVER (ORDER BY y.tpep_pickup_datetime, k ROWS UNBOUNDED PRECEDING) AS running,
               count(*) OVER (ORDER BY y.tpep_pickup_datetime, k ROWS BETWEEN 999 PRECEDING AND CURRENT ROW) AS sliding,
               min(k) OVER (PARTITION BY k ORDER BY y.tpep_pickup_datetime ROWS BETWEEN 10 PRECEDING AND 10 FOLLOWING) AS lo
        FROM yellow_tripdata y CROSS JOIN (VALUES 1, 2, 3, 4, 5, 6, 7, 8) t(k)
      ) s`;
    const { rows } = await shoalRows(session, sql);
    const n = 127_075 * 8;
    expect(rows).toEqual([[n, n, 1, 1000, 1, n]]);
  }, 120_000);
});
