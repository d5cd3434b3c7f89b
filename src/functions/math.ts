/** Mathematical functions (Trino's names and result types). */
import { ShoalError } from '../common/index.js';
import {
  BOOLEAN, DOUBLE, BIGINT, INT64_MAX, INT64_MIN, broadcastScalar, commonSuperType, compareValuesOfType, decimalType,
  divRoundHalfUp, isIntegerKind, isNumeric, makeColumn, pow10, scalarValue, type Scalar, type SqlType,
} from '../types/index.js';
import { doc, type ScalarFunction, type ScalarKernel } from './function.js';
import { doubleMap, rowwise, scalarFunction, type Overload } from './scalar-helpers.js';

function doubleFn(name: string, description: string, f: (x: number) => number, ...aliases: string[]): [ScalarFunction, ...string[]] {
  return [scalarFunction(name, [doc('double', 'double', description)], [
    { params: [DOUBLE], returns: DOUBLE, kernel: () => doubleMap(f, DOUBLE) },
  ]), ...aliases];
}

/** A double function of two doubles (other numeric arguments are coerced to double). */
function doubleFn2(name: string, description: string, f: (a: number, b: number) => number, ...aliases: string[]): [ScalarFunction, ...string[]] {
  return [scalarFunction(name, [doc('double, double', 'double', description)], [
    { params: [DOUBLE, DOUBLE], returns: DOUBLE, kernel: () => rowwise([DOUBLE, DOUBLE], DOUBLE, ([a, b]) => f(a as number, b as number)) },
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
        // round(integer, d): d >= 0 leaves the value; negative d rounds to tens, hundreds…
        params: (args) => (args.length === 2 && isIntegerKind(args[0]!.kind) ? [args[0]!, BIGINT] : undefined),
        returns: (p) => p[0]!,
        kernel: (p) => rowwise(p, p[0]!, ([v, d]) => {
          const digits = Number(d);
          if (digits >= 0) return v ?? null;
          if (digits < -18) return p[0]!.kind === 'bigint' ? 0n : 0;
          const x = BigInt(v as number | bigint);
          const q = pow10(-digits);
          const r = name === 'round' ? divRoundHalfUp(x, q) * q : (x / q) * q;
          return p[0]!.kind === 'bigint' ? checkBigint(r) : checkIntRange(Number(r), p[0]!);
        }),
      },
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
          return digits >= 0 ? Math.trunc(x * f) / f : Math.trunc(x / 10 ** -digits) * 10 ** -digits;
        }),
      },
    );
  }
  const docs = [doc('T', 'T', description)];
  if (name === 'round' || name === 'truncate') docs.push(doc('T, integer', 'T', `${description}, to d decimal places (negative d: left of the point)`));
  return scalarFunction(name, docs, overloads);
}

/** Variadic greatest/least over the arguments' common type; NULL if any argument is NULL (Trino). */
function extremum(name: 'greatest' | 'least'): ScalarFunction {
  return scalarFunction(name, [doc('T, T...', 'T', `The ${name} of the arguments; NULL if any is NULL`)], [
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

function checkBigint(v: bigint): bigint {
  if (v > INT64_MAX || v < INT64_MIN) throw new ShoalError('NUMERIC_VALUE_OUT_OF_RANGE', `bigint overflow: ${v}`);
  return v;
}

function checkIntRange(v: number, t: SqlType): number {
  const bits = t.kind === 'integer' ? 31 : t.kind === 'smallint' ? 15 : 7;
  if (v >= 2 ** bits || v < -(2 ** bits)) throw new ShoalError('NUMERIC_VALUE_OUT_OF_RANGE', `${t.kind} overflow: ${v}`);
  return v;
}

const INTEGER_ARGS = (n: number) => (args: readonly SqlType[]): readonly SqlType[] | undefined => {
  if (args.length !== n || !args.every((a) => isIntegerKind(a.kind) || a.kind === 'unknown')) return undefined;
  let t: SqlType = args[0]!.kind === 'unknown' ? BIGINT : args[0]!;
  for (const a of args) if (a.kind !== 'unknown') t = commonSuperType(t, a) ?? BIGINT;
  return args.map(() => t);
};

/** mod(n, m) and sign(x) keep the argument's type (Trino); doubles use IEEE semantics. */
function modFunction(): ScalarFunction {
  return scalarFunction('mod', [doc('T, T', 'T', 'Remainder of n divided by m, with the sign of n')], [
    {
      params: INTEGER_ARGS(2),
      returns: (p) => p[0]!,
      kernel: (p) => rowwise(p, p[0]!, ([a, b]) => {
        if (typeof a === 'bigint') {
          if (b === 0n) throw new ShoalError('DIVISION_BY_ZERO', 'Division by zero');
          return a % (b as bigint);
        }
        if (b === 0) throw new ShoalError('DIVISION_BY_ZERO', 'Division by zero');
        return (a as number) % (b as number);
      }),
    },
    {
      params: (args) => (args.length === 2 && args.every((a) => a.kind === 'decimal' || isIntegerKind(a.kind)) && args.some((a) => a.kind === 'decimal') ? (() => {
        const t = commonSuperType(args[0]!, args[1]!);
        return t === undefined ? undefined : [t, t];
      })() : undefined),
      returns: (p) => p[0]!,
      kernel: (p) => rowwise(p, p[0]!, ([a, b]) => {
        if (b === 0n) throw new ShoalError('DIVISION_BY_ZERO', 'Division by zero');
        return (a as bigint) % (b as bigint);
      }),
    },
    { params: [DOUBLE, DOUBLE], returns: DOUBLE, kernel: () => rowwise([DOUBLE, DOUBLE], DOUBLE, ([a, b]) => (a as number) % (b as number)) },
  ]);
}

function signFunction(): ScalarFunction {
  return scalarFunction('sign', [doc('T', 'T', 'Sign of x: -1, 0 or 1 (NaN for NaN)')], [
    {
      params: (args) => (args.length === 1 && isIntegerKind(args[0]!.kind) ? args : undefined),
      returns: (p) => p[0]!,
      kernel: (p) => rowwise(p, p[0]!, ([v]) => (typeof v === 'bigint' ? (v > 0n ? 1n : v < 0n ? -1n : 0n) : Math.sign(v as number))),
    },
    {
      params: (args) => (args.length === 1 && args[0]!.kind === 'decimal' ? args : undefined),
      returns: () => decimalType(1, 0),
      kernel: (p) => rowwise(p, decimalType(1, 0), ([v]) => ((v as bigint) > 0n ? 1n : (v as bigint) < 0n ? -1n : 0n)),
    },
    { params: [DOUBLE], returns: DOUBLE, kernel: () => doubleMap(Math.sign, DOUBLE) },
  ]);
}

function doublePredicate(name: string, description: string, f: (x: number) => boolean): [ScalarFunction] {
  return [scalarFunction(name, [doc('double', 'boolean', description)], [
    { params: [DOUBLE], returns: BOOLEAN, kernel: () => rowwise([DOUBLE], BOOLEAN, ([x]) => f(x as number)) },
  ])];
}

function constant(name: string, description: string, value: number): [ScalarFunction] {
  return [scalarFunction(name, [doc('', 'double', description)], [{ params: [], returns: DOUBLE, kernel: () => () => scalarValue(value) }])];
}

function randomFunction(): ScalarFunction {
  const randomInt = (lo: bigint, hi: bigint): bigint => {
    if (hi <= lo) throw new ShoalError('INVALID_FUNCTION_ARGUMENT', 'upper bound must be greater than lower bound');
    return lo + BigInt(Math.floor(Math.random() * Number(hi - lo)));
  };
  return scalarFunction('random', [
    doc('', 'double', 'A pseudo-random value in [0.0, 1.0)', false),
    doc('T', 'T', 'A pseudo-random integer in [0, n)', false),
    doc('T, T', 'T', 'A pseudo-random integer in [m, n)', false),
  ], [
    { params: [], returns: DOUBLE, deterministic: false, kernel: () => (_args, rows) => {
      const out = new Float64Array(rows);
      for (let i = 0; i < rows; i++) out[i] = Math.random();
      return { kind: 'array', column: makeColumn(DOUBLE, rows, out, null) };
    } },
    { params: INTEGER_ARGS(1), returns: (p) => p[0]!, deterministic: false, kernel: (p) => randomRows(p, (v) => randomInt(0n, BigInt(v[0] as number | bigint))) },
    { params: INTEGER_ARGS(2), returns: (p) => p[0]!, deterministic: false, kernel: (p) => randomRows(p, (v) => randomInt(BigInt(v[0] as number | bigint), BigInt(v[1] as number | bigint))) },
  ]);
}

/** A random kernel computed per row even when its arguments are constants. */
function randomRows(p: readonly SqlType[], f: (v: Scalar[]) => bigint): ScalarKernel {
  const t = p[0]!;
  const inner = rowwise(p, t, (v) => {
    const r = f(v);
    return t.kind === 'bigint' ? r : Number(r);
  });
  return (args, rows, ctx) => {
    if (args.every((a) => a.kind === 'scalar')) {
      const cols = args.map((a, k) => ({ kind: 'array' as const, column: broadcastScalar(p[k]!, (a as { value: Scalar }).value, rows) }));
      return inner(cols, rows, ctx);
    }
    return inner(args, rows, ctx);
  };
}

export const MATH_FUNCTIONS: readonly [ScalarFunction, ...string[]][] = [
  [scalarFunction('abs', [doc('T', 'T', 'Absolute value')], [
    { params: NUMERIC_SAME, returns: (p) => p[0]!, kernel: (p) => rowwise(p, p[0]!, ([v]) => absChecked(v ?? null, p[0]!)) },
  ])],
  [roundingFunction('round', 'Rounds half away from zero')],
  [roundingFunction('floor', 'Largest integer not greater than x')],
  [roundingFunction('ceil', 'Smallest integer not less than x'), 'ceiling'],
  [roundingFunction('truncate', 'Drops the fraction (rounds toward zero)')],
  [modFunction()],
  [signFunction()],
  doubleFn('sqrt', 'Square root (NaN for negative x)', Math.sqrt),
  doubleFn('cbrt', 'Cube root', Math.cbrt),
  doubleFn('exp', "Euler's number raised to x", Math.exp),
  doubleFn('ln', 'Natural logarithm (NaN for negative x, -Infinity for 0)', Math.log),
  doubleFn('log2', 'Base-2 logarithm', Math.log2),
  doubleFn('log10', 'Base-10 logarithm', Math.log10),
  doubleFn2('log', 'Base-b logarithm of x: log(b, x)', (b, x) => Math.log(x) / Math.log(b)),
  doubleFn('radians', 'Degrees to radians', (x) => (x * Math.PI) / 180),
  doubleFn('degrees', 'Radians to degrees', (x) => (x * 180) / Math.PI),
  doubleFn('sin', 'Sine', Math.sin),
  doubleFn('cos', 'Cosine', Math.cos),
  doubleFn('tan', 'Tangent', Math.tan),
  doubleFn('asin', 'Arc sine', Math.asin),
  doubleFn('acos', 'Arc cosine', Math.acos),
  doubleFn('atan', 'Arc tangent', Math.atan),
  doubleFn('sinh', 'Hyperbolic sine', Math.sinh),
  doubleFn('cosh', 'Hyperbolic cosine', Math.cosh),
  doubleFn('tanh', 'Hyperbolic tangent', Math.tanh),
  doubleFn2('atan2', 'Arc tangent of y / x', Math.atan2),
  doubleFn2('power', 'x raised to the power p', (a, b) => a ** b, 'pow'),
  constant('pi', 'The constant π', Math.PI),
  constant('e', "Euler's number", Math.E),
  constant('nan', 'The not-a-number value', Number.NaN),
  constant('infinity', 'Positive infinity', Number.POSITIVE_INFINITY),
  doublePredicate('is_nan', 'Whether x is not-a-number', Number.isNaN),
  doublePredicate('is_finite', 'Whether x is finite', Number.isFinite),
  doublePredicate('is_infinite', 'Whether x is infinite', (x) => x === Infinity || x === -Infinity),
  [randomFunction(), 'rand'],
  [extremum('greatest')],
  [extremum('least')],
];

/** abs of the most negative integer does not fit its type (Trino raises NUMERIC_VALUE_OUT_OF_RANGE). */
function absChecked(v: Scalar, t: SqlType): Scalar {
  const r = negateIfNeeded(v);
  if (typeof r === 'bigint' && t.kind === 'bigint') return checkBigint(r);
  if (typeof r === 'number' && isIntegerKind(t.kind)) return checkIntRange(r, t);
  return r;
}
