import { describe, expect, test } from 'vitest';
import {
  decimalAt, decimalsToNumbers, divRoundHalfUp, divRoundHalfUpNumber, numbersToDecimals, setDecimal,
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
