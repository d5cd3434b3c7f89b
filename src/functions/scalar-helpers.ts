import {
  arrayValue, canCoerce, columnFromScalars, makeColumn, scalarAt, scalarValue, validity, broadcastScalar,
  type Column, type ColumnarValue, type Scalar, type SqlType,
} from '../types/index.js';
import type { FunctionDoc, ResolvedScalar, ScalarFunction, ScalarKernel } from './function.js';

/** The argument as a column of `rows` rows. */
export function argColumn(v: ColumnarValue, type: SqlType, rows: number): Column {
  return v.kind === 'array' ? v.column : broadcastScalar(type, v.value, rows);
}

/** NULL if any argument is a NULL scalar (strict functions). */
export function anyNullScalar(args: readonly ColumnarValue[]): boolean {
  return args.some((a) => a.kind === 'scalar' && a.value === null);
}

/**
 * A strict kernel computed row by row on Scalars. For functions whose per-row work dwarfs the value boxing
 * (string functions, calendar functions on rare types); hot numeric and date functions use typed loops instead.
 */
export function rowwise(argTypes: readonly SqlType[], returnType: SqlType, f: (args: Scalar[]) => Scalar): ScalarKernel {
  return (args, rows) => {
    if (anyNullScalar(args)) return scalarValue(null);
    if (args.every((a) => a.kind === 'scalar')) {
      return scalarValue(f(args.map((a) => (a as { value: Scalar }).value)));
    }
    const cols = args.map((a) => (a.kind === 'array' ? a.column : null));
    const out: Scalar[] = new Array(rows);
    const vals: Scalar[] = new Array(args.length);
    for (let i = 0; i < rows; i++) {
      let isNull = false;
      for (let k = 0; k < args.length; k++) {
        const col = cols[k];
        const v = col === null || col === undefined ? (args[k] as { value: Scalar }).value : scalarAt(col, argTypes[k]!, i);
        if (v === null) { isNull = true; break; }
        vals[k] = v;
      }
      out[i] = isNull ? null : f(vals);
    }
    return arrayValue(columnFromScalars(returnType, out));
  };
}

/** Like rowwise but NULL arguments are passed through to `f` (non-strict functions such as concat_ws). */
export function rowwiseNullable(argTypes: readonly SqlType[], returnType: SqlType, f: (args: Scalar[]) => Scalar): ScalarKernel {
  return (args, rows) => {
    if (args.every((a) => a.kind === 'scalar')) return scalarValue(f(args.map((a) => (a as { value: Scalar }).value)));
    const out: Scalar[] = new Array(rows);
    for (let i = 0; i < rows; i++) {
      out[i] = f(args.map((a, k) => (a.kind === 'array' ? scalarAt(a.column, argTypes[k]!, i) : a.value)));
    }
    return arrayValue(columnFromScalars(returnType, out));
  };
}

/** A double → double kernel over typed arrays. */
export function doubleMap(f: (x: number) => number, returnType: SqlType): ScalarKernel {
  return (args, rows) => {
    const a = args[0]!;
    if (a.kind === 'scalar') return scalarValue(a.value === null ? null : f(a.value as number));
    const src = a.column.values as Float64Array;
    const out = returnType.kind === 'real' ? new Float32Array(rows) : new Float64Array(rows);
    for (let i = 0; i < rows; i++) out[i] = f(src[i]!);
    const v = validity(a.column);
    return arrayValue(makeColumn(returnType, rows, out, v === null ? null : v.slice()));
  };
}

/** Declares a function with fixed overloads: the first whose parameter types accept the arguments wins. */
export interface Overload {
  readonly params: readonly SqlType[] | ((args: readonly SqlType[]) => readonly SqlType[] | undefined);
  readonly returns: SqlType | ((params: readonly SqlType[]) => SqlType);
  readonly kernel: (params: readonly SqlType[], returnType: SqlType) => ScalarKernel;
  readonly deterministic?: boolean;
  /** See ResolvedScalar.zoneArgument. */
  readonly zoneArgument?: number;
}

export function scalarFunction(name: string, docs: readonly FunctionDoc[], overloads: readonly Overload[]): ScalarFunction {
  return {
    kind: 'scalar',
    name,
    docs,
    resolve(argTypes): ResolvedScalar | undefined {
      for (const o of overloads) {
        const params = typeof o.params === 'function' ? o.params(argTypes) : o.params;
        if (params === undefined || params.length !== argTypes.length) continue;
        if (!params.every((p, i) => canCoerce(argTypes[i]!, p))) continue;
        const returnType = typeof o.returns === 'function' ? o.returns(params) : o.returns;
        return { argTypes: params, returnType, kernel: o.kernel(params, returnType), deterministic: o.deterministic ?? true, zoneArgument: o.zoneArgument };
      }
      return undefined;
    },
  };
}
