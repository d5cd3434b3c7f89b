import { describe, expect, test } from 'vitest';
import { sampleSession } from '../../support/shoal-runner.js';

/**
 * ORDER BY … LIMIT n (a top-N that skips rows worse than its worst row on the first key, then compares the rest in
 * full) against the full sort of the same rows cut to n, over a third of the 127,075 sample trips (many batches, so the top is
 * full for most of them). Keys cover ties on the first key, NULLs, NaN, 64-bit keys and keys without a prefilter.
 */
const ORDERS = [
  'total_amount DESC, tpep_pickup_datetime',
  'passenger_count DESC, trip_distance, tpep_pickup_datetime DESC',
  'airport_fee DESC NULLS FIRST, tpep_pickup_datetime',
  'airport_fee NULLS LAST, total_amount DESC, tpep_pickup_datetime',
  'tpep_pickup_datetime DESC, total_amount',
  'store_and_fwd_flag DESC, total_amount, tpep_pickup_datetime',
  'x DESC, tpep_pickup_datetime',
  'x, tpep_pickup_datetime',
];
// About a third of the trips (still many batches); x is NaN on some rows.
const FROM = `(SELECT *, CASE WHEN PULocationID = 132 THEN nan() ELSE fare_amount END AS x FROM yellow_tripdata WHERE DOLocationID % 3 = 0) t`;

describe('top-N', () => {
  for (const order of ORDERS) {
    test(order, async () => {
      const session = await sampleSession();
      const cols = 'tpep_pickup_datetime, total_amount, passenger_count, trip_distance, airport_fee, store_and_fwd_flag, x';
      const all = await (await session.query(`SELECT ${cols} FROM ${FROM} ORDER BY ${order}`)).toArray();
      for (const n of [1, 100]) {
        const top = await (await session.query(`SELECT ${cols} FROM ${FROM} ORDER BY ${order} LIMIT ${n}`)).toArray();
        expect(top).toEqual(all.slice(0, n));
      }
    }, 60_000);
  }
});
