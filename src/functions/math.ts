/** Mathematical functions (Trino's names and result types). */
import { ShoalError } from '../common/index.js';
import {
  DOUBLE, BIGINT, commonSuperType, compareValuesOfType, decimalType, divRoundHalfUp, isNumeric, makeColumn, pow10,
  type Column, type Scalar, type SqlType,
} from '../types/index.js';
import type { ScalarFunction } from './function.js';
import { doubleMap, rowwise, scalarFunction, type Overload } from './scalar-helpers.js';

function doubleFn(name: string, description: string, f: (x: number) => number, ...aliases: string[]): [ScalarFunction, ...string[]] {
  return [scalarFunction(name, [{ signature: `${name}(double) → double`, description }], [
    { params: [DOUBLE], returns: DOUBLE, kernel: () => doubleMap(f, DOUBLE) },
  ]), ...aliases];
}

/** Round half away from zero (Trino), unlike Math.round which rounds half up. */
export function roundHalfAway(x: number, digits = 0): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  const y = Math.abs(x) * f;
  // Correct for binary representation: 2.675 * 100 = 267.49999…; nudge by one ulp before rounding.
  const r = Math.round(y + y * Number.EPSILON) / f;
  return x < 0 ? -r : r;
}

const NUMERIC_SAME = (args: readonly SqlType[]): readonly SqlType[] | undefined =>
  args.length === 1 && (isNumeric(args[0]!) || args[0]!.kind === 'unknown') ? [args[0]!.kind === 'unknown' ? DOUBLE : args[0]!] : undefined;

function negateIfNeeded(v: Scalar): Scalar {
  if (typeof v === 'number') return Math.abs(v);
  if (typeof v === 'bigint') return v < 0n ? -v : v;
  return v;
}

/** Rounding of an unscaled decimal value to `digits` fraction digits, keeping scale `scale`. */
function roundDecimal(v: bigint, scale: number, digits: number, mode: 'round' | 'floor' | 'ceil' | 'trunc'): bigint {
  if (digits >= scale) return v;
  const q = pow10(scale - digits);
  let r: bigint;
  switch (mode) {
    case 'round': r = divRoundHalfUp(v, q); break;
    case 'trunc': r = v / q; break;
    case 'floor': r = v / q - (v % q < 0n ? 1n : 0n); break;
    case 'ceil': r = v / q + (v % q > 0n ? 1n : 0n); break;
  }
  return r;
}

function roundingFunction(name: 'round' | 'floor' | 'ceil' | 'truncate', description: string): ScalarFunction {
  const mode = name === 'truncate' ? 'trunc' : name;
  const dbl = name === 'round' ? (x: number) => roundHalfAway(x) : name === 'floor' ? Math.floor : name === 'ceil' ? Math.ceil : Math.trunc;
  const overloads: Overload[] = [
    {
      params: (args) => (args.length === 1 && args[0]!.kind === 'decimal' ? args : undefined),
      returns: (p) => {
        const t = p[0]!;
        if (t.kind !== 'decimal') return t;
        return decimalType(Math.min(38, t.precision - t.scale + Math.min(t.scale, 1)), 0);
      },
      kernel: (p) => rowwise(p, p[0]!, ([v]) => {
        const t = p[0]!;
        return t.kind === 'decimal' ? roundDecimal(v as bigint, t.scale, 0, mode) : (v ?? null);
      }),
    },
    {
      params: (args) => (args.length === 1 && args[0]!.kind !== 'decimal' && isNumeric(args[0]!) && args[0]!.kind !== 'real' && args[0]!.kind !== 'double' ? args : undefined),
      returns: (p) => p[0]!,
      kernel: (p) => rowwise(p, p[0]!, ([v]) => v ?? null),
    },
    { params: [DOUBLE], returns: DOUBLE, kernel: () => doubleMap(dbl, DOUBLE) },
  ];
  if (name === 'round' || name === 'truncate') {
    overloads.push(
      {
        params: (args) => (args.length === 2 && args[0]!.kind === 'decimal' ? [args[0]!, BIGINT] : undefined),
        returns: (p) => p[0]!,
        kernel: (p) => rowwise(p, p[0]!, ([v, d]) => {
          const t = p[0]!;
          if (t.kind !== 'decimal') return v ?? null;
          const digits = Number(d);
          const r = roundDecimal(v as bigint, t.scale, digits, mode);
          return digits >= t.scale ? r : r * pow10(t.scale - Math.max(digits, -38));
        }),
      },
      {
        params: [DOUBLE, BIGINT],
        returns: DOUBLE,
        kernel: () => rowwise([DOUBLE, BIGINT], DOUBLE, ([v, d]) => {
          const x = v as number, digits = Number(d);
          if (name === 'round') return roundHalfAway(x, digits);
          const f = 10 ** digits;
          return Math.trunc(x * f) / f;
        }),
      },
    );
  }
  return scalarFunction(name, [{ signature: `${name}(x [, d])`, description }], overloads);
}

/** Variadic greatest/least over the arguments' common type; NULL if any argument is NULL (Trino). */
function extremum(name: 'greatest' | 'least'): ScalarFunction {
  return scalarFunction(name, [{ signature: `${name}(x, y, …)`, description: `The ${name} of the arguments` }], [
    {
      params: (args) => {
        if (args.length < 1) return undefined;
        let t: SqlType | undefined = args[0]!;
        for (const a of args.slice(1)) t = t === undefined ? undefined : commonSuperType(t, a);
        return t === undefined ? undefined : args.map(() => t!);
      },
      returns: (p) => p[0]!,
      kernel: (p) => rowwise(p, p[0]!, (vals) => {
        let best: Scalar = vals[0] ?? null;
        for (const v of vals.slice(1)) {
          const c = compareValuesOfType(v, best, p[0]!);
          if (name === 'greatest' ? c > 0 : c < 0) best = v;
        }
        return best;
      }),
    },
  ]);
}

function modFunction(): ScalarFunction {
  return scalarFunction('mod', [{ signature: 'mod(n, m)', description: 'Remainder of n divided by m (sign of n)' }], [
    {
      params: (args) => (args.length === 2 && args.every((a) => a.kind === 'tinyint' || a.kind === 'smallint' || a.kind === 'integer' || a.kind === 'bigint') ? [BIGINT, BIGINT] : undefined),
      returns: BIGINT,
      kernel: () => rowwise([BIGINT, BIGINT], BIGINT, ([a, b]) => {
        if (b === 0n) throw new ShoalError('DIVISION_BY_ZERO', 'Division by zero');
        return (a as bigint) % (b as bigint);
      }),
    },
    { params: [DOUBLE, DOUBLE], returns: DOUBLE, kernel: () => rowwise([DOUBLE, DOUBLE], DOUBLE, ([a, b]) => (a as number) % (b as number)) },
  ]);
}

export const MATH_FUNCTIONS: readonly [ScalarFunction, ...string[]][] = [
  [scalarFunction('abs', [{ signature: 'abs(x) → same type', description: 'Absolute value' }], [
    { params: NUMERIC_SAME, returns: (p) => p[0]!, kernel: (p) => rowwise(p, p[0]!, ([v]) => negateIfNeeded(v ?? null)) },
  ])],
  [roundingFunction('round', 'Rounds half away from zero, to d decimal places')],
  [roundingFunction('floor', 'Largest integer not greater than x')],
  [roundingFunction('ceil', 'Smallest integer not less than x'), 'ceiling'],
  [roundingFunction('truncate', 'Drops the fraction (toward zero)')],
  [modFunction()],
  doubleFn('sqrt', 'Square root', Math.sqrt),
  doubleFn('cbrt', 'Cube root', Math.cbrt),
  doubleFn('exp', "Euler's number raised to x", Math.exp),
  doubleFn('ln', 'Natural logarithm', Math.log),
  doubleFn('log2', 'Base-2 logarithm', Math.log2),
  doubleFn('log10', 'Base-10 logarithm', Math.log10),
  doubleFn('sign', 'Sign of x: -1, 0 or 1', Math.sign),
  doubleFn('radians', 'Degrees to radians', (x) => (x * Math.PI) / 180),
  doubleFn('degrees', 'Radians to degrees', (x) => (x * 180) / Math.PI),
  doubleFn('sin', 'Sine', Math.sin),
  doubleFn('cos', 'Cosine', Math.cos),
  doubleFn('tan', 'Tangent', Math.tan),
  doubleFn('asin', 'Arc sine', Math.asin),
  doubleFn('acos', 'Arc cosine', Math.acos),
  doubleFn('atan', 'Arc tangent', Math.atan),
  [scalarFunction('power', [{ signature: 'power(x, p) → double', description: 'x raised to p' }], [
    { params: [DOUBLE, DOUBLE], returns: DOUBLE, kernel: () => rowwise([DOUBLE, DOUBLE], DOUBLE, ([a, b]) => (a as number) ** (b as number)) },
  ]), 'pow'],
  [scalarFunction('pi', [{ signature: 'pi() → double', description: 'π' }], [
    { params: [], returns: DOUBLE, kernel: () => rowwise([], DOUBLE, () => Math.PI) },
  ])],
  [scalarFunction('e', [{ signature: 'e() → double', description: "Euler's number" }], [
    { params: [], returns: DOUBLE, kernel: () => rowwise([], DOUBLE, () => Math.E) },
  ])],
  [scalarFunction('random', [{ signature: 'random() → double', description: 'A pseudo-random value in [0, 1)' }], [
    { params: [], returns: DOUBLE, deterministic: false, kernel: () => (_args, rows) => {
      const out = new Float64Array(rows);
      for (let i = 0; i < rows; i++) out[i] = Math.random();
      return { kind: 'array', column: makeDoubleColumn(out) };
    } },
  ]), 'rand'],
  [extremum('greatest')],
  [extremum('least')],
];

function makeDoubleColumn(values: Float64Array): Column {
  return makeColumn(DOUBLE, values.length, values, null);
}
