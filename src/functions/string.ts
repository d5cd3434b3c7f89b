/**
 * String functions (Trino's names and semantics). Positions and lengths count Unicode code points, 1-based.
 * Most run row by row on JS strings; lower/upper have byte-level fast paths for ASCII, substr and length work on
 * UTF-8 bytes (string-bytes.ts).
 */
import { ShoalError } from '../common/index.js';
import {
  BIGINT, BOOLEAN, INTEGER, VARCHAR, arrayValue, makeStringColumn, scalarValue, typeName, validity,
  isDictionary, dictionaryOf, makeColumn, makeDictionaryColumn, newBitmap, utf8Encoder, type Column, type Scalar, type SqlType,
} from '../types/index.js';
import { doc, type FunctionDoc, type ScalarFunction, type ScalarKernel } from './function.js';
import { rowwise, rowwiseNullable, scalarFunction } from './scalar-helpers.js';
import { lengthKernel, substrFrom, substrKernel, substrTo } from './string-bytes.js';

const S = VARCHAR;

/**
 * Longest string (in UTF-16 units) split into an array of code points. A value read from a file can be 100 MB;
 * an array of 100 M strings exhausts the heap, and V8 then aborts the whole process. Beyond this a function that
 * needs the array refuses with an error instead.
 */
const MAX_CODE_POINT_ARRAY = 1 << 24;

function codePoints(s: string): string[] {
  if (s.length > MAX_CODE_POINT_ARRAY) {
    throw new ShoalError('EXCEEDED_MEMORY_LIMIT', `A string of ${s.length} characters is too long for this string function (at most ${MAX_CODE_POINT_ARRAY})`, {
      hint: 'Apply the function to a shorter value, e.g. substr(s, 1, n) first',
    });
  }
  return [...s];
}

/** The number of code points in `s` (a surrogate pair counts once), without building an array. */
function codePointCount(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

function fn(name: string, d: FunctionDoc, params: readonly SqlType[], returns: SqlType, f: (args: (string | bigint)[]) => Scalar): ScalarFunction {
  return scalarFunction(name, [d], [
    { params, returns, kernel: () => rowwise(params, returns, (vals) => f(vals as (string | bigint)[])) },
  ]);
}

/** ASCII case mapping straight on the bytes; non-ASCII values fall back to JS case mapping. */
function caseKernel(upper: boolean): ScalarKernel {
  const slow = rowwise([S], S, ([v]) => (upper ? (v as string).toUpperCase() : (v as string).toLowerCase()));
  const kernel: ScalarKernel = (args, rows, ctx) => {
    const a = args[0]!;
    if (a.kind === 'scalar') return slow(args, rows, ctx);
    if (isDictionary(a.column)) {
      // Map the dictionary's entries; the rows keep their codes.
      const dict = dictionaryOf(a.column);
      const mapped = kernel([{ kind: 'array', column: dict }], dict.length, ctx);
      if (mapped.kind !== 'array') return mapped;
      return arrayValue(makeDictionaryColumn(a.column.length, a.column.values as Int32Array, mapped.column, validity(a.column)));
    }
    const col: Column = a.column;
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
  return kernel;
}

/**
 * starts_with(x, constant prefix) compares UTF-8 bytes (a byte prefix is a code point prefix); other shapes, and
 * dictionary columns (once per entry), go row by row.
 */
function startsWithKernel(): ScalarKernel {
  const slow = rowwise([S, S], BOOLEAN, ([s, p]) => (s as string).startsWith(p as string));
  return (args, rows, ctx) => {
    const a = args[0]!, p = args[1]!;
    if (a.kind !== 'array' || p.kind !== 'scalar' || p.value === null || isDictionary(a.column)) return slow(args, rows, ctx);
    const prefix = utf8Encoder.encode(p.value as string);
    const bytes = a.column.values as Uint8Array, offsets = a.column.valueOffsets as Int32Array;
    const len = prefix.length;
    const out = newBitmap(rows);
    for (let i = 0; i < rows; i++) {
      const s0 = offsets[i]!;
      let ok = offsets[i + 1]! - s0 >= len;
      for (let k = 0; ok && k < len; k++) ok = bytes[s0 + k] === prefix[k];
      if (ok) out[i >>> 3]! |= 1 << (i & 7);
    }
    const v = validity(a.column);
    return arrayValue(makeColumn(BOOLEAN, rows, out, v === null ? null : v.slice(0, out.length)));
  };
}

function substr(s: string, start: number, length?: number): string {
  const cps = codePoints(s);
  const from = substrFrom(cps.length, start, length);
  return from < 0 ? '' : cps.slice(from, substrTo(cps.length, from, length)).join('');
}

function pad(s: string, size: number, padding: string, left: boolean): string {
  if (size < 0 || size > 2_147_483_647) throw new ShoalError('INVALID_FUNCTION_ARGUMENT', 'Target length must be in the range [0..2147483647]');
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
  const where = leading && trailing ? 'leading and trailing' : leading ? 'leading' : 'trailing';
  return scalarFunction(name, [doc('varchar', 'varchar', `Removes ${where} spaces`), doc('varchar, varchar', 'varchar', `Removes ${where} characters in the given set`)], [
    { params: [S], returns: S, kernel: () => rowwise([S], S, ([v]) => trimChars(v as string, undefined, leading, trailing)) },
    { params: [S, S], returns: S, kernel: () => rowwise([S, S], S, ([v, c]) => trimChars(v as string, c as string, leading, trailing)) },
  ]);
}

/** Trino's replace: with an empty search string, the replacement goes before every character and at the end. */
function replaceAll(s: string, search: string, replacement: string): string {
  if (search === '') return replacement + codePoints(s).map((c) => c + replacement).join('');
  return s.split(search).join(replacement);
}

/** Position (1-based, in code points) of the n-th occurrence of sub; negative n counts from the end; 0 if absent. */
function strpos(s: string, sub: string, instance: bigint): bigint {
  if (instance === 0n) throw new ShoalError('INVALID_FUNCTION_ARGUMENT', "'instance' must be a positive or negative number.");
  if (sub === '') return 1n;
  let at = -1;
  if (instance > 0n) {
    let from = 0;
    for (let k = 0n; k < instance; k++) {
      at = s.indexOf(sub, from);
      if (at < 0) return 0n;
      from = at + 1;
    }
  } else {
    let from = s.length;
    for (let k = 0n; k > instance; k--) {
      if (from < 0) return 0n;
      at = s.lastIndexOf(sub, from);
      if (at < 0) return 0n;
      from = at - 1;
    }
  }
  return BigInt(codePointCount(s.slice(0, at)) + 1);
}

function splitPart(s: string, d: string, index: bigint): string | null {
  if (index < 1n) throw new ShoalError('INVALID_FUNCTION_ARGUMENT', 'Index must be greater than zero');
  if (d === '') return index === 1n ? s : null;
  return s.split(d)[Number(index) - 1] ?? null;
}

function chr(n: bigint): string {
  if (n < 0n || n > 0x10ffffn || (n >= 0xd800n && n <= 0xdfffn)) throw new ShoalError('INVALID_FUNCTION_ARGUMENT', `Not a valid Unicode code point: ${n}`);
  return String.fromCodePoint(Number(n));
}

function codepoint(s: string): number {
  const cps = codePoints(s);
  if (cps.length !== 1) throw new ShoalError('INVALID_FUNCTION_ARGUMENT', 'Input string must be a single character string');
  return cps[0]!.codePointAt(0)!;
}

/** concat(a, b, …): varchar arguments; NULL if any argument is NULL (Trino). */
const concatFunction: ScalarFunction = {
  kind: 'scalar',
  name: 'concat',
  docs: [doc('varchar...', 'varchar', 'Concatenation of the arguments (also the || operator); NULL if any argument is NULL')],
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
  docs: [doc('varchar, varchar...', 'varchar', 'Joins the non-NULL arguments after the first with the first as separator')],
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
  docs: [doc('T', 'varchar', 'Name of the type of the argument')],
  resolve(argTypes) {
    if (argTypes.length !== 1) return undefined;
    const name = typeName(argTypes[0]!);
    return { argTypes, returnType: S, deterministic: true, kernel: () => scalarValue(name) };
  },
};

const B = BIGINT;

export const STRING_FUNCTIONS: readonly [ScalarFunction, ...string[]][] = [
  [scalarFunction('lower', [doc('varchar', 'varchar', 'Converts to lower case')], [{ params: [S], returns: S, kernel: () => caseKernel(false) }])],
  [scalarFunction('upper', [doc('varchar', 'varchar', 'Converts to upper case')], [{ params: [S], returns: S, kernel: () => caseKernel(true) }])],
  [scalarFunction('length', [doc('varchar', 'bigint', 'Length in characters')], [
    { params: [S], returns: B, kernel: () => lengthKernel(rowwise([S], B, ([s]) => BigInt(codePointCount(s as string)))) },
  ])],
  [scalarFunction('substr', [
    doc('varchar, bigint', 'varchar', 'The rest of the string from start (1-based; negative counts from the end)'),
    doc('varchar, bigint, bigint', 'varchar', 'length characters from start (1-based; negative counts from the end)'),
  ], [
    { params: [S, B], returns: S, kernel: () => substrKernel(rowwise([S, B], S, ([s, a]) => substr(s as string, Number(a))), substr) },
    { params: [S, B, B], returns: S, kernel: () => substrKernel(rowwise([S, B, B], S, ([s, a, l]) => substr(s as string, Number(a), Number(l))), substr) },
  ]), 'substring'],
  [concatFunction],
  [concatWsFunction],
  [trimFunction('trim', true, true)],
  [trimFunction('ltrim', true, false)],
  [trimFunction('rtrim', false, true)],
  [scalarFunction('replace', [
    doc('varchar, varchar', 'varchar', 'Removes every occurrence of search'),
    doc('varchar, varchar, varchar', 'varchar', 'Replaces every occurrence of search with replace'),
  ], [
    { params: [S, S], returns: S, kernel: () => rowwise([S, S], S, ([s, f]) => replaceAll(s as string, f as string, '')) },
    { params: [S, S, S], returns: S, kernel: () => rowwise([S, S, S], S, ([s, f, r]) => replaceAll(s as string, f as string, r as string)) },
  ])],
  [scalarFunction('strpos', [
    doc('varchar, varchar', 'bigint', 'Position (1-based) of the first occurrence of substring, 0 if none'),
    doc('varchar, varchar, bigint', 'bigint', 'Position of the n-th occurrence of substring (negative n counts from the end), 0 if none'),
  ], [
    { params: [S, S], returns: B, kernel: () => rowwise([S, S], B, ([s, sub]) => strpos(s as string, sub as string, 1n)) },
    { params: [S, S, B], returns: B, kernel: () => rowwise([S, S, B], B, ([s, sub, n]) => strpos(s as string, sub as string, n as bigint)) },
  ])],
  // position(substring IN string) arrives as position(substring, string).
  [fn('position', doc('varchar, varchar', 'bigint', 'position(substring IN string): strpos(string, substring)'), [S, S], B, ([sub, s]) => strpos(s as string, sub as string, 1n))],
  [scalarFunction('starts_with', [doc('varchar, varchar', 'boolean', 'Whether the string starts with the prefix')], [
    { params: [S, S], returns: BOOLEAN, kernel: () => startsWithKernel() },
  ])],
  [fn('split_part', doc('varchar, varchar, bigint', 'varchar', 'Field index (1-based) after splitting on the delimiter; NULL past the last field'), [S, S, B], S, ([s, d, i]) => splitPart(s as string, d as string, i as bigint))],
  [fn('lpad', doc('varchar, bigint, varchar', 'varchar', 'Left-pads to size characters with padstring (truncates longer strings)'), [S, B, S], S, ([s, n, p]) => pad(s as string, Number(n), p as string, true))],
  [fn('rpad', doc('varchar, bigint, varchar', 'varchar', 'Right-pads to size characters with padstring (truncates longer strings)'), [S, B, S], S, ([s, n, p]) => pad(s as string, Number(n), p as string, false))],
  [fn('reverse', doc('varchar', 'varchar', 'The characters in reverse order'), [S], S, ([s]) => codePoints(s as string).reverse().join(''))],
  [fn('chr', doc('bigint', 'varchar', 'The character with the given Unicode code point'), [B], S, ([n]) => chr(n as bigint))],
  [fn('codepoint', doc('varchar(1)', 'integer', 'Unicode code point of the only character of the string'), [S], INTEGER, ([s]) => codepoint(s as string))],
  [typeofFunction],
];
