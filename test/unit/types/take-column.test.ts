import { describe, expect, test } from 'vitest';
import {
  BIGINT, BOOLEAN, DOUBLE, INTEGER, SMALLINT, TINYINT, VARCHAR, arrayType, columnFromScalars, decimalType, makeDictionaryColumn,
  newBitmap, rowRuns, rowType, scalarAt, setBit, sliceColumn, stringColumnFromValues, takeColumn, type Column, type Scalar,
  type SqlType,
} from '../../../src/types/index.js';

const N = 300;

/** Deterministic values of each type, every seventh NULL when nullable. */
function valuesOf(type: SqlType, nullable: boolean): Scalar[] {
  return Array.from({ length: N }, (_, i): Scalar => {
    if (nullable && i % 7 === 3) return null;
    switch (type.kind) {
      case 'boolean': return i % 3 === 0;
      case 'tinyint': return (i % 200) - 100;
      case 'smallint': return i * 37 - 5000;
      case 'integer': return i * 1_000_003 - 7;
      case 'bigint': return BigInt(i) * 10_000_000_000n - 3n;
      case 'double': return i / 3;
      case 'decimal': return BigInt(i) * 123_456_789_012_345n - 99n;
      case 'varchar': return i % 5 === 0 ? '' : `v${i}${'x'.repeat(i % 40)}`;
      case 'array': return i % 4 === 0 ? [] : [i, null, i + 1];
      case 'row': return [i, `r${i}`];
      default: throw new Error(type.kind);
    }
  });
}

const TYPES: SqlType[] = [
  BOOLEAN, TINYINT, SMALLINT, INTEGER, BIGINT, DOUBLE, decimalType(38, 2), VARCHAR, arrayType(INTEGER),
  rowType([{ name: 'a', type: INTEGER }, { name: 'b', type: VARCHAR }]),
];

/** Selections: everything, one run, a prefix, dense with a few gaps, long runs, scattered, reversed, with -1. */
function selections(): [string, Int32Array][] {
  const all = Int32Array.from({ length: N }, (_, i) => i);
  const dense = all.filter((i) => i % 53 !== 7 && i % 71 !== 0);
  const long = all.filter((i) => Math.floor(i / 40) % 2 === 0);
  return [
    ['all', all], ['middle run', all.slice(10, 250)], ['unaligned run', all.slice(3, 12)], ['dense', dense], ['long runs', long],
    ['scattered', all.filter((i) => i % 3 === 1)], ['reversed', all.slice().reverse()], ['with -1', Int32Array.from([...dense.slice(0, 100), -1, ...dense.slice(100)])],
    ['empty', new Int32Array(0)], ['repeats', Int32Array.from([5, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20])],
  ];
}

function read(col: Column, type: SqlType): Scalar[] {
  expect(col.length).toBeGreaterThanOrEqual(0);
  return Array.from({ length: col.length }, (_, i) => scalarAt(col, type, i));
}

describe('takeColumn', () => {
  for (const type of TYPES) {
    for (const nullable of [false, true]) {
      test(`${type.kind}${nullable ? ' nullable' : ''}`, () => {
        const values = valuesOf(type, nullable);
        const col = columnFromScalars(type, values);
        for (const [, sel] of selections()) {
          const expected = Array.from(sel, (i) => (i < 0 ? null : values[i]!));
          // Default (runs where they pay) and forced gather (the old path) agree with the values.
          const fast = takeColumn(col, sel, sel.length);
          const slow = takeColumn(col, sel, sel.length, null);
          expect(read(fast, type)).toEqual(expected);
          expect(read(slow, type)).toEqual(expected);
          expect(fast.nullCount).toBe(expected.filter((v) => v === null).length);
        }
      });
    }
  }

  test('dictionary columns take only their indices', () => {
    const dict = stringColumnFromValues(['a', null, 'ccc', '']);
    const idx = Int32Array.from({ length: N }, (_, i) => i % 4);
    const valid = newBitmap(N);
    for (let i = 0; i < N; i++) if (i % 11 !== 0) setBit(valid, i);
    const col = makeDictionaryColumn(N, idx, dict, valid);
    const values = read(col, VARCHAR);
    for (const [name, sel] of selections()) {
      const out = takeColumn(col, sel, sel.length);
      expect(read(out, VARCHAR), name).toEqual(Array.from(sel, (i) => (i < 0 ? null : values[i]!)));
      if (sel.length > 0) expect((out as unknown as { dictionary: unknown }).dictionary).toBe((col as unknown as { dictionary: unknown }).dictionary);
    }
  });

  test('sliceColumn', () => {
    for (const type of TYPES) {
      const values = valuesOf(type, true);
      const col = columnFromScalars(type, values);
      for (const [from, len] of [[0, N], [0, 10], [5, 100], [17, 0], [N - 1, 1]] as const) {
        expect(read(sliceColumn(col, from, len), type)).toEqual(values.slice(from, from + len));
      }
    }
  });

  test('rowRuns', () => {
    expect(rowRuns(new Int32Array(0), 0)).toBeNull();
    expect(rowRuns(Int32Array.from([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]), 10)).toBeNull();
    expect(rowRuns(Int32Array.from([-1, 0, 1]), 3)).toBeNull();
    const r = rowRuns(Int32Array.from({ length: 100 }, (_, i) => (i < 50 ? i : i + 10)), 100)!;
    expect([r.count, Array.from(r.starts.subarray(0, 2)), Array.from(r.lengths.subarray(0, 2))]).toEqual([2, [0, 60], [50, 50]]);
  });
});
