import { describe, expect, test } from 'vitest';
import { arithmetic } from '../../../src/expr/kernels/arith-kernel.js';
import { ShoalError } from '../../../src/common/index.js';
import {
  arrayValue, decimalAt, decimalType, getBit, makeColumn, newBitmap, numberView, rescale, scalarValue, setBit, setDecimal,
  type Column, type ColumnarValue, type SqlType,
} from '../../../src/types/index.js';
import { rng } from '../../support/rng.js';

type Dec = SqlType & { kind: 'decimal' };

function decimalColumn(type: Dec, values: readonly (bigint | null)[]): Column {
  const words = new Uint32Array(4 * values.length);
  const valid = newBitmap(values.length);
  let nulls = false;
  values.forEach((v, i) => {
    if (v === null) nulls = true;
    else {
      setDecimal(words, i, v);
      setBit(valid, i);
    }
  });
  return makeColumn(type, values.length, words, nulls ? valid : null);
}

function randomUnscaled(r: () => number, precision: number): bigint {
  const digits = 1 + Math.floor(r() * precision);
  let s = '';
  for (let i = 0; i < digits; i++) s += String(Math.floor(r() * 10));
  const v = BigInt(s);
  return r() < 0.3 ? -v : v;
}

/** Trino's result types for + - and *. */
function resultType(op: '+' | '-' | '*', a: Dec, b: Dec): Dec {
  if (op === '*') return decimalType(Math.min(38, a.precision + b.precision), a.scale + b.scale) as Dec;
  const s = Math.max(a.scale, b.scale);
  return decimalType(Math.min(38, Math.max(a.precision - a.scale, b.precision - b.scale) + s + 1), s) as Dec;
}

/** The BigInt reference; undefined where the result overflows the result precision. */
function reference(op: '+' | '-' | '*', x: bigint, y: bigint, a: Dec, b: Dec, res: Dec): bigint | undefined {
  const v = op === '*' ? x * y
    : op === '+' ? rescale(x, a.scale, res.scale) + rescale(y, b.scale, res.scale)
    : rescale(x, a.scale, res.scale) - rescale(y, b.scale, res.scale);
  const limit = 10n ** BigInt(res.precision);
  return v >= limit || v <= -limit ? undefined : v;
}

function valuesOf(col: Column, n: number): (bigint | null)[] {
  const valid = col.nullCount > 0 ? (col.nullBitmap as Uint8Array) : null;
  const out: (bigint | null)[] = [];
  for (let i = 0; i < n; i++) out.push(valid !== null && !getBit(valid, i) ? null : decimalAt(col.values as Uint32Array, i));
  return out;
}

function run(op: '+' | '-' | '*', l: ColumnarValue, r: ColumnarValue, a: Dec, b: Dec, res: Dec, n: number): (bigint | null)[] {
  const out = arithmetic(op, l, r, { left: a, right: b, result: res }, n);
  if (out.kind !== 'array') throw new Error('expected an array');
  const got = valuesOf(out.column, n);
  // The remembered double view must agree with the words wherever it exists.
  const view = numberView(out.column, res);
  // + 0: a -0 in the view (from a negative times zero) is the same value.
  if (view !== null) got.forEach((v, i) => { if (v !== null) expect(view[i]! + 0).toBe(Number(v)); });
  return got;
}

describe('decimal + - * on doubles match BigInt', () => {
  const r = rng(3);
  const ops = ['+', '-', '*'] as const;
  test.each([
    [15, 2, 15, 2], [15, 2, 16, 2], [10, 0, 12, 6], [18, 4, 5, 5], [38, 2, 38, 10], [31, 4, 16, 2], [20, 10, 20, 0],
  ])('decimal(%i,%i) op decimal(%i,%i), columns, scalars and NULLs', (p1, s1, p2, s2) => {
    const a = decimalType(p1, s1) as Dec, b = decimalType(p2, s2) as Dec;
    const n = 300;
    for (const op of ops) {
      const res = resultType(op, a, b);
      // Magnitudes from tiny to the type's full precision: some batches prove exactness by bound, some fall back.
      for (const pa of [Math.min(p1, 6), p1]) {
        const xs = Array.from({ length: n }, (_, i) => (i % 17 === 5 ? null : randomUnscaled(r, pa)));
        const ys = Array.from({ length: n }, (_, i) => (i % 13 === 7 ? null : randomUnscaled(r, Math.min(p2, 8))));
        const want = xs.map((x, i) => {
          const y = ys[i]!;
          return x === null || y === null ? null : reference(op, x, y, a, b, res);
        });
        const ca = decimalColumn(a, xs), cb = decimalColumn(b, ys);
        if (want.some((w) => w === undefined)) {
          expect(() => run(op, arrayValue(ca), arrayValue(cb), a, b, res, n)).toThrowError(/overflow/);
          continue;
        }
        expect(run(op, arrayValue(ca), arrayValue(cb), a, b, res, n)).toEqual(want);
        const y0 = ys[0] ?? 1n;
        const wantR = xs.map((x) => (x === null ? null : reference(op, x, y0, a, b, res)));
        if (!wantR.some((w) => w === undefined)) expect(run(op, arrayValue(ca), scalarValue(y0), a, b, res, n)).toEqual(wantR);
        const x0 = xs[1] ?? 1n;
        const wantL = ys.map((y) => (y === null ? null : reference(op, x0, y, a, b, res)));
        if (!wantL.some((w) => w === undefined)) expect(run(op, scalarValue(x0), arrayValue(cb), a, b, res, n)).toEqual(wantL);
      }
    }
  });

  test('overflow of the result precision is NUMERIC_VALUE_OUT_OF_RANGE, but not on a NULL row', () => {
    const a = decimalType(3, 0) as Dec, res = decimalType(3, 0) as Dec;
    const big = decimalColumn(a, [1n, 999n]);
    const one = decimalColumn(a, [1n, 1n]);
    let err: unknown;
    try { run('+', arrayValue(big), arrayValue(one), a, a, res, 2); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ShoalError);
    expect((err as ShoalError).code).toBe('NUMERIC_VALUE_OUT_OF_RANGE');
    const oneNull = decimalColumn(a, [1n, null]);
    expect(run('+', arrayValue(big), arrayValue(oneNull), a, a, res, 2)).toEqual([2n, null]);
    expect(run('*', arrayValue(big), arrayValue(oneNull), a, a, res, 2)).toEqual([1n, null]);
  });

  test('results just past 2^53 fall back to BigInt exactly', () => {
    const a = decimalType(18, 0) as Dec, res = decimalType(19, 0) as Dec;
    const m = 2n ** 53n - 1n;
    const xs = [m, -m, m, 5n], ys = [1n, -1n, m, -5n];
    const got = run('+', arrayValue(decimalColumn(a, xs)), arrayValue(decimalColumn(a, ys)), a, a, res, 4);
    expect(got).toEqual([m + 1n, -m - 1n, 2n * m, 0n]);
    const r38 = decimalType(38, 0) as Dec;
    const prod = run('*', arrayValue(decimalColumn(a, xs)), arrayValue(decimalColumn(a, ys)), a, a, r38, 4);
    expect(prod).toEqual([m, m, m * m, -25n]);
    // The bound (2^40·2^40) is past 2^53 but every row's product is exact: the per-row checked loop.
    const p40 = 2n ** 40n;
    const rows = run('*', arrayValue(decimalColumn(a, [p40, 3n, null])), arrayValue(decimalColumn(a, [1n, p40, p40])), a, a, r38, 3);
    expect(rows).toEqual([p40, 3n * p40, null]);
  });
});
