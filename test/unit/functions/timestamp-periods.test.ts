import { describe, expect, test } from 'vitest';
import { builtinFunctions, type ScalarFunction } from '../../../src/functions/index.js';
import { castColumn } from '../../../src/expr/kernels/cast-kernel.js';
import {
  DATE, VARCHAR, arrayValue, makeColumn, newBitmap, scalarAt, scalarValue, setBit, timestampType, type Column, type ColumnarValue, type Scalar, type SqlType,
} from '../../../src/types/index.js';

const CTX = { timeZone: 'UTC', queryStartMicros: 0n };
const HOUR = 3_600_000_000n, DAY = 24n * HOUR;

/**
 * Timestamps (µs) in time order with many rows per period, then the same shuffled, around period edges
 * (the first and last µs of hours, days, months, years), before 1970, and far from it.
 */
function instants(): bigint[] {
  const base = [
    0n, -1n, 1n, HOUR - 1n, HOUR, DAY - 1n, DAY, -DAY, -DAY - 1n, 1_704_067_199_999_999n, 1_704_067_200_000_000n,
    951_782_400_000_000n - 1n, 951_782_400_000_000n, 253_402_300_799_999_999n, -62_135_596_800_000_000n, 4_102_444_800_000_000n,
  ];
  const sorted: bigint[] = [];
  for (let t = 1_700_000_000_000_000n; sorted.length < 300; t += 1_234_567_891n) sorted.push(t);
  const mixed = [...base, ...sorted].map((_, i, a) => a[(i * 7919) % a.length]!);
  return [...base, ...sorted, ...mixed];
}

function column(values: readonly bigint[], type: SqlType, nullEvery: number): Column {
  const valid = newBitmap(values.length);
  values.forEach((_, i) => { if (i % nullEvery !== 3) setBit(valid, i); });
  return makeColumn(type, values.length, BigInt64Array.from(values), valid);
}

function run(name: string, types: SqlType[], args: ColumnarValue[], rows: number): Scalar[] {
  const fn = (builtinFunctions().lookup(name) as ScalarFunction).resolve(types)!;
  const out = fn.kernel(args, rows, CTX);
  if (out.kind === 'scalar') return [out.value];
  return Array.from({ length: rows }, (_, i) => scalarAt(out.column, fn.returnType, i));
}

const TYPES: SqlType[] = [timestampType(6), timestampType(6, true, 'America/New_York'), timestampType(6, true, 'Asia/Kolkata')];

describe('timestamp parts and truncation remembered per period match row-by-row results', () => {
  const values = instants();
  test.each(TYPES.map((t) => [JSON.stringify(t), t] as const))('extract on %s', (_, type) => {
    const col = column(values, type, 17);
    for (const name of ['hour', 'minute', 'second', 'millisecond', 'year', 'quarter', 'month', 'day', 'day_of_week', 'day_of_year', 'week', 'year_of_week']) {
      const got = run(name, [type], [arrayValue(col)], values.length);
      const want = values.map((v, i) => (i % 17 === 3 ? null : run(name, [type], [scalarValue(v)], 1)[0]));
      expect(got, name).toEqual(want);
    }
  });

  test.each(TYPES.map((t) => [JSON.stringify(t), t] as const))('date_trunc on %s', (_, type) => {
    const col = column(values, type, 13);
    for (const unit of ['millisecond', 'second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year']) {
      const got = run('date_trunc', [VARCHAR, type], [scalarValue(unit), arrayValue(col)], values.length);
      const want = values.map((v, i) => (i % 13 === 3 ? null : run('date_trunc', [VARCHAR, type], [scalarValue(unit), scalarValue(v)], 1)[0]));
      expect(got, unit).toEqual(want);
    }
  });

  test('hour boundaries', () => {
    const type = timestampType(6);
    const col = makeColumn(type, 4, BigInt64Array.from([HOUR - 1n, HOUR, 2n * HOUR - 1n, -1n]));
    expect(run('hour', [type], [arrayValue(col)], 4)).toEqual([0n, 1n, 1n, 23n]);
    expect(run('date_trunc', [VARCHAR, type], [scalarValue('hour'), arrayValue(col)], 4)).toEqual([0n, HOUR, HOUR, -HOUR]);
  });

  test('CAST(timestamp AS date) floors to days, before 1970 too, NULL rows NULL', () => {
    // Without values past 2^53 µs the column has an exact double view (the fast path); with them, BigInt.
    const safe = values.filter((v) => v < 2n ** 53n && v > -(2n ** 53n));
    expect(safe.length).toBeLessThan(values.length);
    for (const [type, all] of [[timestampType(6), values], [timestampType(6), safe], [timestampType(3), safe], [timestampType(9), values]] as const) {
      const vals = type.kind === 'timestamp' && type.precision > 6 ? all.filter((v) => v < 2n ** 62n / 1000n && v > -(2n ** 62n) / 1000n).map((v) => v * 1000n) : all;
      const perDay = type.kind === 'timestamp' && type.precision > 6 ? DAY * 1000n : DAY;
      const got = castColumn(column(vals, type, 11), type, DATE, false);
      const want = vals.map((v, i) => (i % 11 === 3 ? null : Number(v / perDay - (v % perDay < 0n ? 1n : 0n))));
      expect(Array.from({ length: vals.length }, (_, i) => scalarAt(got, DATE, i)), JSON.stringify(type)).toEqual(want);
    }
  });
});
