import { describe, expect, test } from 'vitest';
import {
  decimalAt, decimalGatherIntoNumbers, decimalRunsIntoNumbers, decimalsToNumbers, divRoundHalfUp, divRoundHalfUpNumber, numbersToDecimals, setDecimal,
} from '../../../src/types/index.js';
import { rng } from '../../support/rng.js';

const EDGES = [0, -0, 1, -1, 2 ** 32, -(2 ** 32), 2 ** 32 - 1, -(2 ** 32) + 1, 2 ** 31, -(2 ** 31), 2 ** 52, -(2 ** 52),
  Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, -(2 ** 53)];

describe('decimal words <-> doubles', () => {
  test('round trip matches the BigInt path on edges and random values', () => {
    const r = rng(7);
    const vals = [...EDGES];
    for (let i = 0; i < 5000; i++) {
      const mag = 2 ** Math.floor(r() * 54);
      vals.push(Math.floor((r() * 2 - 1) * mag));
    }
    const words = numbersToDecimals(vals, vals.length);
    const big = new Uint32Array(4 * vals.length);
    vals.forEach((v, i) => setDecimal(big, i, BigInt(v)));
    expect(Array.from(words)).toEqual(Array.from(big));
    const back = decimalsToNumbers(words, vals.length);
    expect(back).not.toBeNull();
    vals.forEach((v, i) => expect(back!.view[i]).toBe(v === 0 ? 0 : v));
    expect(back!.maxAbs).toBe(2 ** 53);
  });

  test('values past 2^53 have no double view', () => {
    for (const v of [2n ** 53n, -(2n ** 53n) - 1n, 2n ** 64n, -(10n ** 37n), 2n ** 96n]) {
      const w = new Uint32Array(8);
      setDecimal(w, 0, 5n);
      setDecimal(w, 1, v);
      expect(decimalsToNumbers(w, 2)).toBeNull();
      expect(decimalAt(w, 1)).toBe(v);
    }
  });
});

/** The slow path: each value through decimalAt (BigInt), as a double when it is a safe integer (-2^53 included). */
function slowNumbers(words: Uint32Array, rows: readonly number[]): { values: number[]; maxAbs: number } {
  let maxAbs = 0;
  const values = rows.map((i) => {
    if (i < 0) return 0;
    const b = decimalAt(words, i);
    if (b > 2n ** 53n || b < -(2n ** 53n)) maxAbs = -1;
    const v = Number(b);
    if (maxAbs >= 0 && Math.abs(v) > maxAbs) maxAbs = Math.abs(v);
    return v;
  });
  return { values, maxAbs };
}

describe('branch-free decimal conversions (take paths) agree with decimalAt', () => {
  const r = rng(23);
  const vals: bigint[] = [...EDGES.map((v) => BigInt(v)), 2n ** 53n - 1n, -(2n ** 53n) + 1n];
  for (let i = 0; i < 3000; i++) vals.push(BigInt(Math.floor((r() * 2 - 1) * 2 ** Math.floor(r() * 54))));
  // Two extra leading values so that the words can be read through a view with a byte offset.
  const backing = new Uint32Array(4 * (vals.length + 2));
  vals.forEach((v, i) => setDecimal(backing, i + 2, v));
  const words = backing.subarray(8);

  test('runs and gathers of safe values, with -1 indices, offsets and empty selections', () => {
    const n = vals.length;
    const starts = Int32Array.of(0, 5, 40, n - 3), lengths = Int32Array.of(3, 20, 1, 3);
    const rows: number[] = [];
    for (let k = 0; k < starts.length; k++) for (let i = starts[k]!; i < starts[k]! + lengths[k]!; i++) rows.push(i);
    const out = new Float64Array(rows.length);
    const expected = slowNumbers(words, rows);
    expect(decimalRunsIntoNumbers(words, starts, lengths, starts.length, out)).toBe(expected.maxAbs);
    expect(Array.from(out)).toEqual(expected.values);

    const idx = Int32Array.from([...Array(500)].map(() => (r() < 0.1 ? -1 : Math.floor(r() * n))));
    const g = new Float64Array(idx.length);
    const ge = slowNumbers(words, Array.from(idx));
    expect(decimalGatherIntoNumbers(words, idx, idx.length, g)).toBe(ge.maxAbs);
    expect(Array.from(g)).toEqual(ge.values);

    expect(decimalRunsIntoNumbers(words, new Int32Array(0), new Int32Array(0), 0, new Float64Array(0))).toBe(0);
    expect(decimalGatherIntoNumbers(words, new Int32Array(0), 0, new Float64Array(0))).toBe(0);
    expect(decimalGatherIntoNumbers(words, Int32Array.of(-1, -1), 2, new Float64Array(2))).toBe(0);
  });

  test('one value past 2^53 (or whose words only round to a safe double) makes every path decline', () => {
    // -(2^53) - 1 has hi word -2^21 - 1 and would round to -(2^53) in doubles.
    for (const big of [2n ** 53n, -(2n ** 53n) - 1n, 2n ** 64n, -(2n ** 64n), -(10n ** 37n), 2n ** 96n, 2n ** 127n - 1n, -(2n ** 127n)]) {
      const w = new Uint32Array(4 * 40);
      for (let i = 0; i < 40; i++) setDecimal(w, i, BigInt(i) - 20n);
      setDecimal(w, 17, big);
      expect(decimalAt(w, 17)).toBe(big);
      expect(decimalsToNumbers(w, 40), String(big)).toBeNull();
      expect(decimalRunsIntoNumbers(w, Int32Array.of(10), Int32Array.of(10), 1, new Float64Array(10))).toBe(-1);
      expect(decimalRunsIntoNumbers(w, Int32Array.of(0), Int32Array.of(17), 1, new Float64Array(17))).toBe(20);
      expect(decimalGatherIntoNumbers(w, Int32Array.of(3, 17, -1), 3, new Float64Array(3))).toBe(-1);
      expect(decimalGatherIntoNumbers(w, Int32Array.of(3, -1, 39), 3, new Float64Array(3))).toBe(19);
    }
  });
});

describe('divRoundHalfUpNumber', () => {
  test('agrees with divRoundHalfUp (half away from zero)', () => {
    const r = rng(11);
    const cases: [number, number][] = [[5, 2], [-5, 2], [5, -2], [-5, -2], [7, 2], [1, 3], [2, 3], [-2, 3], [0, 7], [15, 10], [-15, 10],
      [2 ** 52 - 1, 2], [-(2 ** 52) + 1, 3], [2 ** 52 - 1, 2 ** 52 - 1], [4503599627370495, 4503599627370494], [1, 2 ** 52 - 1]];
    for (let i = 0; i < 20000; i++) {
      const a = Math.floor((r() * 2 - 1) * 2 ** Math.floor(r() * 53));
      let b = Math.floor((r() * 2 - 1) * 2 ** Math.floor(r() * 53));
      if (b === 0) b = 1;
      cases.push([a, b]);
    }
    for (const [a, b] of cases) {
      const q = divRoundHalfUpNumber(a, b);
      expect(q, `${a} / ${b}`).toBe(Number(divRoundHalfUp(BigInt(a), BigInt(b))));
    }
  });

  test('declines operands outside the exact range', () => {
    expect(divRoundHalfUpNumber(2 ** 52, 3)).toBeNaN();
    expect(divRoundHalfUpNumber(3, -(2 ** 52))).toBeNaN();
    expect(divRoundHalfUpNumber(3, 0)).toBeNaN();
  });
});
