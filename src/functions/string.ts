/**
 * String functions (Trino's names and semantics). Positions and lengths count Unicode code points, 1-based.
 * Most run row by row on JS strings; lower/upper/length also have byte-level fast paths for ASCII.
 */
import { ShoalError } from '../common/index.js';
import {
  BIGINT, BOOLEAN, VARCHAR, arrayValue, makeStringColumn, scalarValue, typeName, validity,
  isDictionary, decodeDictionary, type Column, type SqlType,
} from '../types/index.js';
import type { ScalarFunction, ScalarKernel } from './function.js';
import { rowwise, rowwiseNullable, scalarFunction } from './scalar-helpers.js';

const S = VARCHAR;

function codePoints(s: string): string[] {
  return [...s];
}

function fn(name: string, signature: string, description: string, params: readonly SqlType[], returns: SqlType, f: (args: (string | number | bigint | boolean)[]) => string | number | bigint | boolean | null): ScalarFunction {
  return scalarFunction(name, [{ signature, description }], [
    { params, returns, kernel: () => rowwise(params, returns, (vals) => f(vals as (string | number | bigint | boolean)[])) },
  ]);
}

/** ASCII case mapping straight on the bytes; non-ASCII values fall back to JS case mapping. */
function caseKernel(upper: boolean): ScalarKernel {
  const slow = rowwise([S], S, ([v]) => (upper ? (v as string).toUpperCase() : (v as string).toLowerCase()));
  return (args, rows, ctx) => {
    const a = args[0]!;
    if (a.kind === 'scalar') return slow(args, rows, ctx);
    const col: Column = isDictionary(a.column) ? decodeDictionary(a.column) : a.column;
    const bytes = col.values as Uint8Array;
    const offsets = col.valueOffsets as Int32Array;
    const start = offsets[0]!, end = offsets[col.length]!;
    for (let k = start; k < end; k++) if (bytes[k]! >= 0x80) return slow([{ kind: 'array', column: col }], rows, ctx);
    const out = bytes.slice(start, end);
    const lo = upper ? 0x61 : 0x41, hi = upper ? 0x7a : 0x5a;
    for (let k = 0; k < out.length; k++) {
      const b = out[k]!;
      if (b >= lo && b <= hi) out[k] = b ^ 0x20;
    }
    const shifted = start === 0 ? offsets : offsets.map((o) => o - start);
    const v = validity(col);
    return arrayValue(makeStringColumn(col.length, shifted, out, v === null ? null : v.slice()));
  };
}

function substr(s: string, start: number, length?: number): string {
  const cps = codePoints(s);
  if (start === 0) return '';
  let from = start > 0 ? start - 1 : cps.length + start;
  if (from < 0 || from >= cps.length) return '';
  let to = length === undefined ? cps.length : from + length;
  if (length !== undefined && length < 0) return '';
  if (to > cps.length) to = cps.length;
  from = Math.max(from, 0);
  return cps.slice(from, to).join('');
}

function pad(s: string, size: number, padding: string, left: boolean): string {
  if (padding === '') throw new ShoalError('INVALID_FUNCTION_ARGUMENT', 'Padding string must not be empty');
  const cps = codePoints(s);
  if (cps.length >= size) return cps.slice(0, size).join('');
  const fill = codePoints(padding);
  const need = size - cps.length;
  const filler: string[] = [];
  for (let i = 0; i < need; i++) filler.push(fill[i % fill.length]!);
  return left ? filler.join('') + s : s + filler.join('');
}

function trimChars(s: string, chars: string | undefined, leading: boolean, trailing: boolean): string {
  const set = new Set(codePoints(chars ?? ' '));
  const cps = codePoints(s);
  let a = 0, b = cps.length;
  if (leading) while (a < b && set.has(cps[a]!)) a++;
  if (trailing) while (b > a && set.has(cps[b - 1]!)) b--;
  return cps.slice(a, b).join('');
}

function trimFunction(name: string, leading: boolean, trailing: boolean): ScalarFunction {
  return scalarFunction(name, [{ signature: `${name}(s [, chars]) → varchar`, description: `Removes ${leading && trailing ? 'leading and trailing' : leading ? 'leading' : 'trailing'} whitespace (or the given characters)` }], [
    { params: [S], returns: S, kernel: () => rowwise([S], S, ([v]) => trimChars(v as string, undefined, leading, trailing)) },
    { params: [S, S], returns: S, kernel: () => rowwise([S, S], S, ([v, c]) => trimChars(v as string, c as string, leading, trailing)) },
  ]);
}

function regexpOf(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'u');
  } catch (e) {
    throw new ShoalError('INVALID_FUNCTION_ARGUMENT', `Invalid regular expression '${pattern}': ${(e as Error).message}`);
  }
}

/** concat(a, b, …): varchar arguments; NULL if any argument is NULL (Trino). */
const concatFunction: ScalarFunction = {
  kind: 'scalar',
  name: 'concat',
  docs: [{ signature: 'concat(s1, s2, …) → varchar', description: 'Concatenation; NULL if any argument is NULL' }],
  resolve(argTypes) {
    if (argTypes.length < 1) return undefined;
    if (!argTypes.every((t) => t.kind === 'varchar' || t.kind === 'unknown')) return undefined;
    const params = argTypes.map(() => S);
    return { argTypes: params, returnType: S, deterministic: true, kernel: rowwise(params, S, (vals) => (vals as string[]).join('')) };
  },
};

const concatWsFunction: ScalarFunction = {
  kind: 'scalar',
  name: 'concat_ws',
  docs: [{ signature: 'concat_ws(sep, s1, s2, …) → varchar', description: 'Joins the non-NULL arguments with sep' }],
  resolve(argTypes) {
    if (argTypes.length < 2 || !argTypes.every((t) => t.kind === 'varchar' || t.kind === 'unknown')) return undefined;
    const params = argTypes.map(() => S);
    return {
      argTypes: params, returnType: S, deterministic: true,
      kernel: rowwiseNullable(params, S, ([sep, ...rest]) => (sep === null ? null : rest.filter((x) => x !== null).join(sep as string))),
    };
  },
};

/** typeof(x): the SQL type name of the argument. */
const typeofFunction: ScalarFunction = {
  kind: 'scalar',
  name: 'typeof',
  docs: [{ signature: 'typeof(x) → varchar', description: 'The type of x' }],
  resolve(argTypes) {
    if (argTypes.length !== 1) return undefined;
    const name = typeName(argTypes[0]!);
    return { argTypes, returnType: S, deterministic: true, kernel: () => scalarValue(name) };
  },
};

export const STRING_FUNCTIONS: readonly [ScalarFunction, ...string[]][] = [
  [scalarFunction('lower', [{ signature: 'lower(s) → varchar', description: 'Lower case' }], [{ params: [S], returns: S, kernel: () => caseKernel(false) }])],
  [scalarFunction('upper', [{ signature: 'upper(s) → varchar', description: 'Upper case' }], [{ params: [S], returns: S, kernel: () => caseKernel(true) }])],
  [fn('length', 'length(s) → bigint', 'Number of characters', [S], BIGINT, ([s]) => BigInt(codePoints(s as string).length)), 'char_length', 'character_length'],
  [scalarFunction('substr', [{ signature: 'substr(s, start [, length]) → varchar', description: 'Substring from start (1-based; negative counts from the end)' }], [
    { params: [S, BIGINT], returns: S, kernel: () => rowwise([S, BIGINT], S, ([s, a]) => substr(s as string, Number(a))) },
    { params: [S, BIGINT, BIGINT], returns: S, kernel: () => rowwise([S, BIGINT, BIGINT], S, ([s, a, l]) => substr(s as string, Number(a), Number(l))) },
  ]), 'substring'],
  [concatFunction],
  [concatWsFunction],
  [trimFunction('trim', true, true)],
  [trimFunction('ltrim', true, false)],
  [trimFunction('rtrim', false, true)],
  [scalarFunction('replace', [{ signature: 'replace(s, search [, replacement]) → varchar', description: 'Replaces every occurrence of search' }], [
    { params: [S, S], returns: S, kernel: () => rowwise([S, S], S, ([s, f]) => (s as string).split(f as string).join('')) },
    { params: [S, S, S], returns: S, kernel: () => rowwise([S, S, S], S, ([s, f, r]) => (f === '' ? s! : (s as string).split(f as string).join(r as string))) },
  ])],
  [fn('strpos', 'strpos(s, sub) → bigint', 'Position of the first occurrence of sub (1-based), 0 if absent', [S, S], BIGINT, ([s, sub]) => {
    const i = (s as string).indexOf(sub as string);
    return BigInt(i < 0 ? 0 : codePoints((s as string).slice(0, i)).length + 1);
  }), 'position'],
  [fn('starts_with', 'starts_with(s, prefix) → boolean', 'Whether s starts with prefix', [S, S], BOOLEAN, ([s, p]) => (s as string).startsWith(p as string))],
  [fn('split_part', 'split_part(s, delimiter, index) → varchar', 'The index-th field (1-based) after splitting on delimiter; NULL past the end', [S, S, BIGINT], S, ([s, d, i]) => {
    const idx = Number(i);
    if (idx < 1) throw new ShoalError('INVALID_FUNCTION_ARGUMENT', 'Index must be greater than zero');
    const parts = d === '' ? [s as string] : (s as string).split(d as string);
    return parts[idx - 1] ?? null;
  })],
  [fn('lpad', 'lpad(s, size, padstring) → varchar', 'Left-pads s to size characters', [S, BIGINT, S], S, ([s, n, p]) => pad(s as string, Number(n), p as string, true))],
  [fn('rpad', 'rpad(s, size, padstring) → varchar', 'Right-pads s to size characters', [S, BIGINT, S], S, ([s, n, p]) => pad(s as string, Number(n), p as string, false))],
  [fn('reverse', 'reverse(s) → varchar', 'Characters in reverse order', [S], S, ([s]) => codePoints(s as string).reverse().join(''))],
  [fn('chr', 'chr(n) → varchar', 'The character with code point n', [BIGINT], S, ([n]) => String.fromCodePoint(Number(n)))],
  [fn('codepoint', 'codepoint(s) → integer', 'Code point of a one-character string', [S], BIGINT, ([s]) => BigInt((s as string).codePointAt(0) ?? 0))],
  [fn('regexp_like', 'regexp_like(s, pattern) → boolean', 'Whether pattern matches anywhere in s', [S, S], BOOLEAN, ([s, p]) => regexpOf(p as string).test(s as string))],
  [fn('regexp_replace', 'regexp_replace(s, pattern, replacement) → varchar', 'Replaces every match of pattern ($1 refers to groups)', [S, S, S], S, ([s, p, r]) => (s as string).replace(new RegExp(regexpOf(p as string).source, 'gu'), r as string))],
  [fn('regexp_extract', 'regexp_extract(s, pattern) → varchar', 'The first match of pattern, or NULL', [S, S], S, ([s, p]) => regexpOf(p as string).exec(s as string)?.[0] ?? null)],
  [typeofFunction],
];

