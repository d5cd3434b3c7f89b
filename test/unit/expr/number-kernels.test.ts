import { describe, expect, test } from 'vitest';
import { compareColumnScalar, compareColumns, type PlainCompareOp } from '../../../src/expr/kernels/compare-kernel.js';
import { inListColumn } from '../../../src/expr/kernels/in-list-kernel.js';
import { arithmetic } from '../../../src/expr/kernels/arith-kernel.js';
import {
  BIGINT, BOOLEAN, DATE, DOUBLE, INTEGER, REAL, SMALLINT, TINYINT, arrayValue, decimalType, makeColumn, newBitmap, numbersToDecimals,
  scalarAt, scalarValue, setBit, type Column, type SqlType,
} from '../../../src/types/index.js';

const OPS: PlainCompareOp[] = ['=', '<>', '<', '<=', '>', '>='];

/** The reference: JavaScript's comparison of doubles (NaN unordered and unequal, -0 equal to 0). */
function decide(op: PlainCompareOp, x: number, y: number): boolean {
  switch (op) {
    case '=': return x === y;
    case '<>': return x !== y;
    case '<': return x < y;
    case '<=': return x <= y;
    case '>': return x > y;
    case '>=': return x >= y;
  }
}

function bools(col: Column): (boolean | null)[] {
  return Array.from({ length: col.length }, (_, i) => scalarAt(col, BOOLEAN, i) as boolean | null);
}

interface Kind { readonly type: SqlType; readonly make: (v: readonly number[]) => ArrayBufferView; readonly values: readonly number[] }

const ints = [0, 1, -1, 5, 7, -7, 100, -100, 3, 3, 2, 9, 127, -128];
const KINDS: Kind[] = [
  { type: TINYINT, make: (v) => Int8Array.from(v), values: ints },
  { type: SMALLINT, make: (v) => Int16Array.from(v), values: [...ints, 32767, -32768] },
  { type: INTEGER, make: (v) => Int32Array.from(v), values: [...ints, 2147483647, -2147483648] },
  { type: DATE, make: (v) => Int32Array.from(v), values: [...ints, 19000, -719162] },
  { type: BIGINT, make: (v) => BigInt64Array.from(v.map(BigInt)), values: [...ints, 2 ** 53 - 1, -(2 ** 53) + 1] },
  { type: decimalType(15, 2), make: (v) => numbersToDecimals(v, v.length), values: [...ints, 99999999999999, -99999999999999] },
  { type: REAL, make: (v) => Float32Array.from(v), values: [...ints, 0.5, -0, Number.NaN, Infinity, -Infinity] },
  { type: DOUBLE, make: (v) => Float64Array.from(v), values: [...ints, 0.1, -0, Number.NaN, Infinity, -Infinity, 1e300] },
];

/** Rows cycling through `values`, rotated by `shift`, `n` long; every 5th row NULL when `nulls`. */
function column(kind: Kind, n: number, shift: number, nulls: boolean): { col: Column; rows: number[]; valid: boolean[] } {
  const rows = Array.from({ length: n }, (_, i) => kind.values[(i + shift) % kind.values.length]!);
  const valid = rows.map((_, i) => !nulls || i % 5 !== 2);
  let bitmap: Uint8Array | null = null;
  if (nulls) {
    bitmap = newBitmap(n);
    valid.forEach((v, i) => { if (v) setBit(bitmap!, i); });
  }
  return { col: makeColumn(kind.type, n, kind.make(rows), bitmap), rows, valid };
}

describe('number comparisons, every numeric type, against JavaScript comparison', () => {
  // Lengths around whole output bytes: empty, tail only, exactly one byte, bytes plus a tail.
  const lengths = [0, 1, 7, 8, 9, 16, 37];
  test.each(KINDS.map((k) => [k.type.kind, k] as const))('%s column vs constant', (_, kind) => {
    for (const n of lengths) {
      for (const nulls of [false, true]) {
        const { col, rows, valid } = column(kind, n, 3, nulls);
        for (const s of kind.values.slice(0, 8).concat(kind.values.slice(-3))) {
          for (const op of OPS) {
            const scalar = kind.type.kind === 'bigint' || kind.type.kind === 'decimal' ? BigInt(s) : s;
            if (typeof scalar === 'bigint' && Number.isNaN(s)) continue;
            const got = bools(compareColumnScalar(op, col, scalar, kind.type));
            const want = rows.map((x, i) => (valid[i] ? decide(op, x, s) : null));
            expect(got, `${op} ${s} n=${n}`).toEqual(want);
          }
        }
      }
    }
  });

  test.each(KINDS.map((k) => [k.type.kind, k] as const))('%s column vs column', (_, kind) => {
    for (const n of lengths) {
      const a = column(kind, n, 0, true), b = column(kind, n, 5, false);
      for (const op of OPS) {
        const got = bools(compareColumns(op, a.col, b.col, kind.type));
        const want = a.rows.map((x, i) => (a.valid[i] ? decide(op, x, b.rows[i]!) : null));
        expect(got, `${op} n=${n}`).toEqual(want);
      }
    }
  });

  test('-0 equals 0 and NaN matches nothing but <>', () => {
    const col = makeColumn(DOUBLE, 3, Float64Array.from([-0, 0, Number.NaN]));
    expect(bools(compareColumnScalar('=', col, 0, DOUBLE))).toEqual([true, true, false]);
    expect(bools(compareColumnScalar('=', col, Number.NaN, DOUBLE))).toEqual([false, false, false]);
    expect(bools(compareColumnScalar('<>', col, Number.NaN, DOUBLE))).toEqual([true, true, true]);
    expect(bools(compareColumnScalar('>=', col, -0, DOUBLE))).toEqual([true, true, false]);
  });
});

describe('IN lists over numbers, short (compared member by member) and long (hashed)', () => {
  test.each(KINDS.map((k) => [k.type.kind, k] as const))('%s', (_, kind) => {
    const { col, rows, valid } = column(kind, 37, 2, true);
    // Reversed, the float kinds' NaN, -0 and infinities come first, into the short lists.
    for (const pool of [kind.values, [...kind.values].reverse()]) for (let size = 1; size <= 10; size++) {
      for (const withNull of [false, true]) {
        for (const negated of [false, true]) {
          const members = pool.slice(0, size).filter((v) => !(typeof v === 'number' && Number.isNaN(v) && (kind.type.kind === 'bigint' || kind.type.kind === 'decimal')));
          const items = [...members.map((v) => (kind.type.kind === 'bigint' || kind.type.kind === 'decimal' ? BigInt(v) : v)), ...(withNull ? [null] : [])];
          const got = bools(inListColumn(col, kind.type, items, negated));
          const want = rows.map((x, i) => {
            if (!valid[i]) return null;
            const hit = members.some((m) => (Number.isNaN(m) ? Number.isNaN(x) : m === x));
            if (hit) return !negated;
            return withNull ? null : negated;
          });
          expect(got, `${size} ${withNull} ${negated}`).toEqual(want);
        }
      }
    }
  });
});

describe('double arithmetic (Float64Array loops) and real arithmetic (generic loops) match JavaScript', () => {
  const xs = [1.5, -2.25, 0, -0, Number.NaN, Infinity, -Infinity, 1e308, 7, -7, 3.3, 0.1, 2, 9];
  const ys = [...xs].reverse();
  const ops = ['+', '-', '*', '/', '%'] as const;
  const js = (op: (typeof ops)[number], x: number, y: number): number =>
    op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : op === '/' ? x / y : x % y;
  const valuesOf = (col: Column, type: SqlType): (number | null)[] => Array.from({ length: col.length }, (_, i) => scalarAt(col, type, i) as number | null);
  test.each([DOUBLE, REAL])('%o', (type) => {
    const round = type.kind === 'real' ? Math.fround : (v: number): number => v;
    const make = (v: readonly number[]): ArrayBufferView => (type.kind === 'real' ? Float32Array.from(v) : Float64Array.from(v));
    const a = makeColumn(type, xs.length, make(xs)), b = makeColumn(type, ys.length, make(ys));
    const t = { left: type, right: type, result: type };
    for (const op of ops) {
      const cc = arithmetic(op, arrayValue(a), arrayValue(b), t, xs.length);
      expect(cc.kind === 'array' && valuesOf(cc.column, type), op).toEqual(xs.map((x, i) => round(js(op, round(x), round(ys[i]!)))));
      const cs = arithmetic(op, arrayValue(a), scalarValue(2.5), t, xs.length);
      expect(cs.kind === 'array' && valuesOf(cs.column, type), `${op} scalar`).toEqual(xs.map((x) => round(js(op, round(x), 2.5))));
    }
  });
});
