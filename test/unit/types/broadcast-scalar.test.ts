import { describe, expect, test } from 'vitest';
import {
  BIGINT, BOOLEAN, DATE, DOUBLE, INTEGER, INTERVAL_DAY_TIME, INTERVAL_YEAR_MONTH, REAL, SMALLINT, TINYINT, VARCHAR, arrayType,
  broadcastScalar, columnFromScalars, decimalType, scalarAt, timestampType, type Scalar, type SqlType,
} from '../../../src/types/index.js';

/** broadcastScalar's typed fills must build the same column as the general path (one value repeated). */
const CASES: readonly [SqlType, Scalar][] = [
  [BOOLEAN, true], [BOOLEAN, false], [TINYINT, -7], [SMALLINT, 1234], [INTEGER, 3], [INTEGER, -2147483648],
  [BIGINT, 9007199254740993n], [REAL, 1.5], [DOUBLE, -0.25], [DATE, 19800], [INTERVAL_YEAR_MONTH, 14],
  [INTERVAL_DAY_TIME, 86_400_000_000n], [timestampType(6), 1_700_000_000_000_000n],
  [decimalType(12, 2), 123456789n], [decimalType(38, 0), -(10n ** 37n) - 1n], [VARCHAR, 'Manhattan'], [arrayType(INTEGER), [1, null, 3]],
];

describe('broadcastScalar', () => {
  for (const [type, value] of CASES) {
    for (const n of [0, 1, 7, 8, 9, 1000]) {
      test(`${type.kind} ${String(value)} × ${n}`, () => {
        const fast = broadcastScalar(type, value, n);
        const slow = columnFromScalars(type, new Array<Scalar>(n).fill(value));
        expect(fast.length).toBe(n);
        for (let i = 0; i < n; i++) expect(scalarAt(fast, type, i)).toEqual(scalarAt(slow, type, i));
      });
    }
  }
  test('NULL is a null column', () => {
    const c = broadcastScalar(INTEGER, null, 5);
    for (let i = 0; i < 5; i++) expect(scalarAt(c, INTEGER, i)).toBeNull();
  });
});
