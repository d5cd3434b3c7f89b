import { describe, expect, test } from 'vitest';
import { avgMerge } from '../../../src/physical/avg-merge.js';
import {
  BIGINT, DOUBLE, decimalAt, decimalType, divRoundHalfUp, makeColumn, newBitmap, setBit, setDecimal, type Column,
} from '../../../src/types/index.js';
import { rng } from '../../support/rng.js';

/** The final step of a parallel avg over decimal partial sums equals the exact BigInt merge, for every path. */
const SUM = decimalType(38, 2);
const RESULT = decimalType(12, 2);

function sums(values: readonly (bigint | null)[]): Column {
  const words = new Uint32Array(4 * values.length);
  const valid = newBitmap(values.length);
  values.forEach((v, i) => {
    if (v === null) return;
    setBit(valid, i);
    setDecimal(words, i, v);
  });
  return makeColumn(SUM, values.length, words, values.includes(null) ? valid : null);
}

function counts(values: readonly number[]): Column {
  return makeColumn(BIGINT, values.length, BigInt64Array.from(values.map(BigInt)), null);
}

interface Partial { readonly sum: bigint | null; readonly count: number; readonly group: number; readonly masked?: boolean }

function merge(batches: readonly (readonly Partial[])[], numGroups: number): (bigint | null)[] {
  const acc = avgMerge(SUM, RESULT).create();
  for (const b of batches) {
    let mask: Uint8Array | null = null;
    if (b.some((p) => p.masked === true)) {
      mask = newBitmap(b.length);
      b.forEach((p, i) => { if (p.masked !== true) setBit(mask!, i); });
    }
    acc.update([sums(b.map((p) => p.sum)), counts(b.map((p) => p.count))], Int32Array.from(b.map((p) => p.group)), b.length, numGroups, mask);
  }
  const out = acc.finish(numGroups);
  const valid = out.nullBitmap as Uint8Array | null;
  return Array.from({ length: numGroups }, (_, g) =>
    (out.nullCount > 0 && valid !== null && ((valid[g >>> 3]! >>> (g & 7)) & 1) === 0 ? null : decimalAt(out.values as Uint32Array, g)));
}

function expected(batches: readonly (readonly Partial[])[], numGroups: number): (bigint | null)[] {
  const s = new Array<bigint>(numGroups).fill(0n);
  const c = new Array<bigint>(numGroups).fill(0n);
  for (const b of batches) {
    for (const p of b) {
      if (p.masked === true || p.sum === null) continue;
      s[p.group] = s[p.group]! + p.sum;
      c[p.group] = c[p.group]! + BigInt(p.count);
    }
  }
  return s.map((v, g) => (c[g] === 0n ? null : divRoundHalfUp(v, c[g]!)));
}

describe('avg merge (final step of a parallel avg)', () => {
  test('rounds half away from zero, skips NULL partials and masked rows, groups with no values are NULL', () => {
    const batches: Partial[][] = [
      [{ sum: 5n, count: 2, group: 0 }, { sum: -5n, count: 2, group: 1 }, { sum: null, count: 0, group: 2 }],
      [{ sum: 10n, count: 1, group: 0 }, { sum: 1n, count: 3, group: 1 }, { sum: 7n, count: 1, group: 3, masked: true }],
    ];
    expect(merge(batches, 4)).toEqual(expected(batches, 4));
    expect(merge(batches, 4)[2]).toBeNull();
    expect(merge(batches, 4)[3]).toBeNull();
  });

  test('sums past 2^53 and near the decimal(38) limit stay exact', () => {
    const big = 10n ** 36n;
    const batches: Partial[][] = [
      [{ sum: 2n ** 60n + 1n, count: 3, group: 0 }, { sum: big, count: 7, group: 1 }, { sum: -(2n ** 52n), count: 1, group: 2 }],
      [{ sum: 2n ** 60n + 2n, count: 4, group: 0 }, { sum: big + 3n, count: 5, group: 1 }, { sum: -(2n ** 52n) - 1n, count: 2, group: 2 }],
    ];
    expect(merge(batches, 3)).toEqual(expected(batches, 3));
  });

  test('random partials equal the BigInt merge', () => {
    const r = rng(7);
    for (let round = 0; round < 20; round++) {
      const numGroups = 1 + Math.floor(r() * 50);
      const batches: Partial[][] = [];
      for (let b = 0; b < 4; b++) {
        batches.push(Array.from({ length: 1 + Math.floor(r() * 200) }, () => {
          const count = Math.floor(r() * 1000);
          const scale = r() < 0.1 ? 2n ** 70n : 1_000_000n;
          const sum = r() < 0.05 || count === 0 ? null : BigInt(Math.floor((r() - 0.4) * 1e6)) * scale;
          return { sum, count: sum === null ? 0 : count, group: Math.floor(r() * numGroups), masked: r() < 0.05 };
        }));
      }
      expect(merge(batches, numGroups)).toEqual(expected(batches, numGroups));
    }
  });

  test('double sums divide by the summed counts', () => {
    const acc = avgMerge(DOUBLE, DOUBLE).create();
    acc.update([makeColumn(DOUBLE, 3, Float64Array.from([1.5, 2.5, 4]), null), counts([1, 2, 4])], Int32Array.from([0, 0, 1]), 3, 2, null);
    const out = acc.finish(2);
    expect(Array.from(out.values as Float64Array)).toEqual([4 / 3, 1]);
  });
});
