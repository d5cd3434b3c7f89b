import { describe, expect, test } from 'vitest';
import { BatchGroupRuns, builtinFunctions, type AggregateFunction } from '../../../src/functions/index.js';
import {
  BIGINT, decimalAt, decimalType, divRoundHalfUp, getBit, makeColumn, newBitmap, setBit, setDecimal,
  type Column, type SqlType,
} from '../../../src/types/index.js';
import { ShoalError } from '../../../src/common/index.js';
import { rng } from '../../support/rng.js';

const registry = builtinFunctions();

function aggregate(name: string): AggregateFunction {
  const fn = registry.lookup(name);
  if (fn?.kind !== 'aggregate') throw new Error(`${name} is not an aggregate`);
  return fn;
}

function column(type: SqlType, values: readonly (bigint | null)[]): Column {
  const n = values.length;
  const valid = newBitmap(n);
  let nulls = false;
  const words = type.kind === 'decimal' ? new Uint32Array(4 * n) : null;
  const longs = type.kind === 'bigint' ? new BigInt64Array(n) : null;
  values.forEach((v, i) => {
    if (v === null) { nulls = true; return; }
    setBit(valid, i);
    if (words !== null) setDecimal(words, i, v);
    else longs![i] = v;
  });
  return makeColumn(type, n, (words ?? longs)!, nulls ? valid : null);
}

interface Batch { values: (bigint | null)[]; groups: number[]; mask: boolean[] | null }

/** Runs `name` over the batches (offering group runs when `withRuns`); returns each group's result (null for NULL). */
function run(name: string, type: SqlType, batches: readonly Batch[], numGroups: number, withRuns = false): (bigint | null)[] {
  const acc = aggregate(name).resolve([type], { star: false, distinct: false })!.create();
  for (const b of batches) {
    const n = b.values.length;
    let mask: Uint8Array | null = null;
    if (b.mask !== null) {
      mask = newBitmap(n);
      b.mask.forEach((m, i) => { if (m) setBit(mask!, i); });
    }
    const gids = Int32Array.from(b.groups);
    acc.update([column(type, b.values)], gids, n, numGroups, mask, withRuns ? new BatchGroupRuns(gids, n, numGroups) : undefined);
  }
  const out = acc.finish(numGroups);
  const valid = out.nullCount > 0 ? (out.nullBitmap as Uint8Array) : null;
  const res: (bigint | null)[] = [];
  for (let g = 0; g < numGroups; g++) {
    if (valid !== null && !getBit(valid, g)) res.push(null);
    else res.push(out.type.typeId === BIGINT_TYPE_ID ? (out.values as BigInt64Array)[g]! : decimalAt(out.values as Uint32Array, g));
  }
  return res;
}
const BIGINT_TYPE_ID = makeColumn(BIGINT, 0, new BigInt64Array(0)).type.typeId;

function reference(batches: readonly Batch[], numGroups: number): { sums: bigint[]; counts: number[] } {
  const sums = new Array<bigint>(numGroups).fill(0n), counts = new Array<number>(numGroups).fill(0);
  for (const b of batches) {
    b.values.forEach((v, i) => {
      if (v === null || (b.mask !== null && !b.mask[i])) return;
      sums[b.groups[i]!] = sums[b.groups[i]!]! + v;
      counts[b.groups[i]!]!++;
    });
  }
  return { sums, counts };
}

function randomBatches(r: () => number, count: number, rows: number, numGroups: number, magnitude: () => bigint, withMask: boolean, nullRate = 0.1): Batch[] {
  return Array.from({ length: count }, () => ({
    values: Array.from({ length: rows }, () => (r() < nullRate ? null : (r() < 0.4 ? -1n : 1n) * magnitude())),
    // Group numGroups-1 never gets a row: its SUM and AVG are NULL.
    groups: Array.from({ length: rows }, () => Math.floor(r() * (numGroups - 1))),
    mask: withMask ? Array.from({ length: rows }, () => r() < 0.7) : null,
  }));
}

describe('sum and avg of decimals and bigints stay exact without a BigInt per row', () => {
  const r = rng(5);
  const randBits = (bits: number) => (): bigint => BigInt(Math.floor(r() * 2 ** bits));
  const cases: [string, SqlType, () => bigint][] = [
    ['money, decimal(15,2)', decimalType(15, 2), randBits(30)],
    ['values near 2^52 carry into the high limb', decimalType(18, 0), () => 2n ** 52n - BigInt(Math.floor(r() * 1000))],
    ['values near 2^53', decimalType(18, 4), () => 2n ** 53n - 1n - BigInt(Math.floor(r() * 1000))],
    ['wide decimals past 2^53 mixed with small ones', decimalType(38, 2), () => (r() < 0.5 ? 10n ** 30n + BigInt(Math.floor(r() * 1e9)) : randBits(20)())],
    ['bigint', BIGINT, randBits(50)],
    ['bigint near the int64 edge of doubles', BIGINT, () => 2n ** 60n + BigInt(Math.floor(r() * 1e6))],
  ];
  test.each(cases)('%s', (_label, type, magnitude) => {
    // Group runs are used only for batches without NULLs or a mask.
    for (const [withMask, nullRate, withRuns] of [[false, 0.1, false], [true, 0.1, false], [false, 0, false], [false, 0, true]] as const) {
      const numGroups = 5;
      const batches = randomBatches(r, 6, 700, numGroups, magnitude, withMask, nullRate);
      const { sums, counts } = reference(batches, numGroups);
      const wantSum = sums.map((s, g) => (counts[g] === 0 ? null : s));
      if (type.kind === 'bigint' && sums.some((s) => s >= 2n ** 63n || s < -(2n ** 63n))) {
        expect(() => run('sum', type, batches, numGroups, withRuns)).toThrow(ShoalError);
      } else {
        expect(run('sum', type, batches, numGroups, withRuns)).toEqual(wantSum);
      }
      if (type.kind === 'decimal') {
        const wantAvg = sums.map((s, g) => (counts[g] === 0 ? null : divRoundHalfUp(s, BigInt(counts[g]!))));
        expect(run('avg', type, batches, numGroups, withRuns)).toEqual(wantAvg);
      }
    }
  });

  test('avg rounds half away from zero', () => {
    const t = decimalType(15, 2);
    const b: Batch = { values: [1n, 2n, -1n, -2n, 5n, null], groups: [0, 0, 1, 1, 2, 2], mask: null };
    expect(run('avg', t, [b], 3)).toEqual([2n, -2n, 5n]);
    expect(run('sum', t, [{ values: [], groups: [], mask: null }], 1)).toEqual([null]);
  });

  test('one group summing far past 2^85 moves into BigInt and stays exact', () => {
    const t = decimalType(38, 0);
    const v = 2n ** 53n - 1n;
    const values = Array.from({ length: 4000 }, () => v);
    // 4000 · (2^53 - 1) ≈ 2^65: many carries; repeated batches push hi towards its limit only slowly, so also
    // add a few values past 2^53 (the BigInt part) to check the three parts add up.
    const batches: Batch[] = [
      { values, groups: values.map(() => 0), mask: null },
      { values: [10n ** 37n, -(10n ** 36n), 7n], groups: [0, 0, 0], mask: null },
    ];
    const want = 4000n * v + 10n ** 37n - 10n ** 36n + 7n;
    expect(run('sum', t, batches, 1)).toEqual([want]);
    expect(run('sum', t, batches, 1, true)).toEqual([want]);
    // Runs over several groups, each carrying (two running locals per group, folded when one would pass 2^52).
    const mixed: Batch = { values: values.map((x, i) => (i % 3 === 0 ? -x : x)), groups: values.map((_, i) => i % 3), mask: null };
    const wantMixed = [0, 1, 2].map((g) => mixed.values.reduce<bigint>((a, x, i) => (i % 3 === g ? a + x! : a), 0n));
    expect(run('sum', t, [mixed, mixed], 3, true)).toEqual(wantMixed.map((x) => 2n * x));
  });

  test('count with group runs counts as row by row', () => {
    const r = rng(9);
    const fn = aggregate('count').resolve([BIGINT], { star: false, distinct: false })!;
    const plain = fn.create(), withRuns = fn.create();
    for (let b = 0; b < 4; b++) {
      const n = 1000 + b;
      const gids = Int32Array.from({ length: n }, () => Math.floor(r() * 7));
      const col = column(BIGINT, Array.from({ length: n }, () => 1n));
      plain.update([col], gids, n, 8, null);
      withRuns.update([col], gids, n, 8, null, new BatchGroupRuns(gids, n, 8));
    }
    expect(Array.from(withRuns.finish(8).values as BigInt64Array)).toEqual(Array.from(plain.finish(8).values as BigInt64Array));
  });
});
