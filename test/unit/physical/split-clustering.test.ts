import { describe, expect, test } from 'vitest';
import { sharedKeys } from '../../../src/physical/split-clustering.js';

const intervals = (s: ReturnType<typeof sharedKeys>): [number, number][] | undefined =>
  s === undefined ? undefined : [...s.lo].map((lo, k) => [lo, s.hi[k]!]);

describe('sharedKeys: the values two or more split ranges cover', () => {
  test('sorted ranges that touch at their ends share those values only', () => {
    expect(intervals(sharedKeys([{ min: 201, max: 300 }, { min: 1, max: 100 }, { min: 100, max: 201 }]))).toEqual([[100, 100], [201, 201]]);
  });

  test('disjoint ranges share nothing', () => {
    expect(intervals(sharedKeys([{ min: 1, max: 10 }, { min: 11, max: 20 }]))).toEqual([]);
  });

  test('a value in three ranges, nested and overlapping ranges: every shared value is covered, adjacent overlaps merge', () => {
    const got = intervals(sharedKeys([
      { min: 0, max: 1000 }, { min: 1000, max: 1000 }, { min: 1000, max: 2000 }, { min: 2000, max: 2004 }, { min: 2003, max: 3000 },
      { min: 5000, max: 100_000 },
    ]));
    expect(got).toEqual([[1000, 1000], [2000, 2000], [2003, 2004]]);
    expect(intervals(sharedKeys([{ min: 0, max: 10 }, { min: 10, max: 20 }, { min: 11, max: 300 }]))).toEqual([[10, 20]]);
  });

  test('ranges that overlap across much of the key range are not clustered', () => {
    expect(sharedKeys([{ min: 0, max: 100 }, { min: 10, max: 110 }])).toBeUndefined();
    const random = Array.from({ length: 20 }, (_, k) => ({ min: k, max: 1000 - k }));
    expect(sharedKeys(random)).toBeUndefined();
  });
});
