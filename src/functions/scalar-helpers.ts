import {
  arrayValue, canCoerce, columnFromScalars, dictionaryOf, getBit, isDictionary, makeColumn, scalarAt, scalarValue, takeColumn,
  validity, broadcastScalar,
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
    const perEntry = perDictionaryEntry(argTypes, returnType, f, args, rows);
    if (perEntry !== undefined) return perEntry;
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

/**
 * rowwise when the only column argument is dictionary-encoded with fewer entries than rows: `f` runs once per
 * entry some valid row uses (entries no row uses are never evaluated, so they raise no error), and each row takes
 * its entry's result. Undefined when the arguments have another shape.
 */
function perDictionaryEntry(
  argTypes: readonly SqlType[], returnType: SqlType, f: (args: Scalar[]) => Scalar, args: readonly ColumnarValue[], rows: number,
): ColumnarValue | undefined {
  let at = -1;
  for (let k = 0; k < args.length; k++) {
    if (args[k]!.kind !== 'array') continue;
    if (at >= 0) return undefined;
    at = k;
  }
  const col = (args[at] as { column: Column } | undefined)?.column;
  if (col === undefined || !isDictionary(col)) return undefined;
  const dict = dictionaryOf(col);
  if (dict.length >= rows) return undefined;
  const codes = col.values as Int32Array;
  const valid = validity(col);
  const used = new Uint8Array(dict.length);
  for (let i = 0; i < rows; i++) if (valid === null || getBit(valid, i)) used[codes[i]!] = 1;
  const vals = args.map((a) => (a.kind === 'scalar' ? a.value : null));
  const results: Scalar[] = new Array<Scalar>(dict.length).fill(null);
  for (let e = 0; e < dict.length; e++) {
    if (used[e] === 0) continue;
    const v = scalarAt(dict, argTypes[at]!, e);
    if (v === null) continue;
    vals[at] = v;
    results[e] = f(vals);
  }
  const take = new Int32Array(rows);
  for (let i = 0; i < rows; i++) take[i] = valid === null || getBit(valid, i) ? codes[i]! : -1;
  return arrayValue(takeColumn(columnFromScalars(returnType, results), take, rows));
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
