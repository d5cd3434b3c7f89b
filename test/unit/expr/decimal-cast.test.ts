import { describe, expect, test } from 'vitest';
import { castColumn } from '../../../src/expr/kernels/cast-kernel.js';
import {
  BIGINT, DOUBLE, INTEGER, REAL, decimalAt, decimalType, divRoundHalfUp, getBit, makeColumn, newBitmap, numberView, rescale,
  setBit, setDecimal, type Column, type SqlType,
} from '../../../src/types/index.js';
import { rng } from '../../support/rng.js';

function decimalColumn(type: SqlType, values: readonly (bigint | null)[]): Column {
  const words = new Uint32Array(4 * values.length);
  const valid = newBitmap(values.length);
  let nulls = false;
  values.forEach((v, i) => {
    if (v === null) nulls = true;
    else { setDecimal(words, i, v); setBit(valid, i); }
  });
  return makeColumn(type, values.length, words, nulls ? valid : null);
}

function isValidAt(col: Column, i: number): boolean {
  return col.nullCount === 0 || getBit(col.nullBitmap as Uint8Array, i);
}

function decimals(col: Column): (bigint | null)[] {
  return Array.from({ length: col.length }, (_, i) => (isValidAt(col, i) ? decimalAt(col.values as Uint32Array, i) : null));
}

function randomValues(r: () => number, digits: number, n: number): (bigint | null)[] {
  return Array.from({ length: n }, (_, i) => {
    if (i % 11 === 3) return null;
    let s = '';
    const d = 1 + Math.floor(r() * digits);
    for (let k = 0; k < d; k++) s += String(Math.floor(r() * 10));
    return (r() < 0.4 ? -1n : 1n) * BigInt(s);
  });
}

describe('decimal casts in doubles match the BigInt path', () => {
  const r = rng(9);
  test.each([[15, 2, 15, 4], [15, 4, 15, 2], [15, 4, 10, 0], [18, 6, 38, 2], [38, 10, 38, 2], [12, 2, 20, 12]])(
    'decimal(%i,%i) -> decimal(%i,%i)', (p1, s1, p2, s2) => {
      const from = decimalType(p1, s1), to = decimalType(p2, s2);
      const xs = randomValues(r, p1, 400).map((v) => (v === null ? null : v));
      // Rows past the target precision: an error for CAST, NULL for TRY_CAST.
      const want = xs.map((v) => (v === null ? null : rescale(v, s1, s2)));
      const limit = 10n ** BigInt(p2);
      const over = want.some((v) => v !== null && (v >= limit || v <= -limit));
      const col = decimalColumn(from, xs);
      if (over) {
        expect(() => castColumn(col, from, to, false)).toThrowError(/out of range/);
        const tried = castColumn(col, from, to, true);
        expect(decimals(tried)).toEqual(want.map((v) => (v !== null && (v >= limit || v <= -limit) ? null : v)));
      } else {
        const out = castColumn(col, from, to, false);
        expect(decimals(out)).toEqual(want);
        const view = numberView(out, to);
        if (view !== null) decimals(out).forEach((v, i) => { if (v !== null) expect(view[i]).toBe(Number(v)); });
      }
    });

  test('half-up rounding of negative and positive halves', () => {
    const from = decimalType(10, 2), to = decimalType(10, 1);
    const out = castColumn(decimalColumn(from, [5n, -5n, 15n, -15n, 14n, -14n, 0n]), from, to, false);
    expect(decimals(out)).toEqual([1n, -1n, 2n, -2n, 1n, -1n, 0n]);
    const toInt = castColumn(decimalColumn(from, [250n, -250n, 249n, -251n, null]), from, INTEGER, false);
    expect(Array.from(toInt.values as Int32Array).slice(0, 4)).toEqual([3, -3, 2, -3]);
    const toBig = castColumn(decimalColumn(from, [250n, -250n, 249n, -251n, null]), from, BIGINT, false);
    expect(Array.from(toBig.values as BigInt64Array).slice(0, 4)).toEqual([3n, -3n, 2n, -3n]);
    expect(isValidAt(toBig, 4)).toBe(false);
  });

  test('decimal to double and real, integer and bigint to decimal', () => {
    const from = decimalType(15, 2);
    const xs = randomValues(r, 15, 300);
    const col = decimalColumn(from, xs);
    const d = castColumn(col, from, DOUBLE, false).values as Float64Array;
    const f = castColumn(col, from, REAL, false).values as Float32Array;
    xs.forEach((v, i) => {
      if (v === null) return;
      expect(d[i]).toBe(Number.parseFloat(`${v < 0n ? '-' : ''}${(v < 0n ? -v : v) / 100n}.${String((v < 0n ? -v : v) % 100n).padStart(2, '0')}`));
      expect(f[i]).toBe(Math.fround(Number(v) / 100));
    });
    const ints = makeColumn(INTEGER, 4, Int32Array.from([1, -2, 2147483647, -2147483648]));
    expect(decimals(castColumn(ints, INTEGER, decimalType(12, 2), false))).toEqual([100n, -200n, 214748364700n, -214748364800n]);
    expect(() => castColumn(ints, INTEGER, decimalType(10, 2), false)).toThrowError(/out of range/);
    const bigs = makeColumn(BIGINT, 3, BigInt64Array.from([2n ** 62n, -3n, 0n]));
    expect(decimals(castColumn(bigs, BIGINT, decimalType(38, 3), false))).toEqual([2n ** 62n * 1000n, -3000n, 0n]);
    expect(divRoundHalfUp(-5n, 2n)).toBe(-3n);
  });
});
