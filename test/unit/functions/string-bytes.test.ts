import { describe, expect, test } from 'vitest';
import { builtinFunctions, type ScalarFunction } from '../../../src/functions/index.js';
import { isValidUtf8 } from '../../../src/types/index.js';
import {
  BIGINT, VARCHAR, arrayValue, makeDictionaryColumn, makeStringColumn, newBitmap, scalarAt, scalarValue, setBit,
  stringColumnFromValues, utf8Decoder, utf8Encoder, type Column, type ColumnarValue, type Scalar, type SqlType,
} from '../../../src/types/index.js';

const CTX = { timeZone: 'UTC', queryStartMicros: 0n };

/** ASCII, 2-, 3- and 4-byte code points, empty strings and NULLs. */
const VALUES: (string | null)[] = [
  'hello', '', null, 'héllo', '日本語テキスト', '😀', 'a😀b😀c', '13-555-1234', 'x', null, 'Ünïcödé 😀😀 end', 'ab',
];

/** Byte strings that are not well-formed UTF-8: they take the JS-string path, whose decoder substitutes U+FFFD. */
const ILL_FORMED: number[][] = [
  [0xff, 0x41], [0xc3], [0x41, 0xc3], [0xed, 0xa0, 0x80], [0xc0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0x61, 0x80, 0x62],
];

function bytesColumn(rows: readonly (Uint8Array | null)[]): Column {
  const offsets = new Int32Array(rows.length + 1);
  const parts: number[] = [];
  const valid = newBitmap(rows.length);
  rows.forEach((r, i) => {
    if (r !== null) { parts.push(...r); setBit(valid, i); }
    offsets[i + 1] = parts.length;
  });
  return makeStringColumn(rows.length, offsets, Uint8Array.from(parts), rows.includes(null) ? valid : null);
}

function asDictionary(values: readonly (string | null)[]): Column {
  const entries = ['unused', ...new Set(values.filter((v): v is string => v !== null))];
  const idx = new Int32Array(values.length);
  const valid = newBitmap(values.length);
  values.forEach((v, i) => {
    idx[i] = v === null ? 0 : entries.indexOf(v);
    if (v !== null) setBit(valid, i);
  });
  return makeDictionaryColumn(values.length, idx, stringColumnFromValues(entries), valid);
}

function resolve(name: string, types: SqlType[]): { fn: ReturnType<ScalarFunction['resolve']> & object } {
  const fn = (builtinFunctions().lookup(name) as ScalarFunction).resolve(types);
  if (fn === undefined) throw new Error(`no ${name}`);
  return { fn };
}

/** Runs the kernel on a column argument. */
function onColumn(name: string, types: SqlType[], col: Column, rest: Scalar[]): Scalar[] {
  const { fn } = resolve(name, types);
  const out = fn.kernel([arrayValue(col), ...rest.map((v) => scalarValue(v))], col.length, CTX);
  if (out.kind === 'scalar') throw new Error('expected a column');
  return Array.from({ length: col.length }, (_, i) => scalarAt(out.column, fn.returnType, i));
}

/** The reference: the same function on each value as a constant (the JS-string path). */
function onScalars(name: string, types: SqlType[], values: readonly (string | null)[], rest: Scalar[]): Scalar[] {
  const { fn } = resolve(name, types);
  return values.map((v) => {
    const args: ColumnarValue[] = [scalarValue(v), ...rest.map((x) => scalarValue(x))];
    const out = fn.kernel(args, 1, CTX);
    return out.kind === 'scalar' ? out.value : scalarAt(out.column, fn.returnType, 0);
  });
}

const STARTS = [-20, -8, -5, -2, -1, 0, 1, 2, 3, 5, 8, 12, 20, 2 ** 40, -(2 ** 40)];
const LENGTHS = [undefined, -3, -1, 0, 1, 2, 3, 7, 2 ** 40];

describe('substr and length on UTF-8 bytes match the JS-string path', () => {
  const illFormed = ILL_FORMED.map((b) => Uint8Array.from(b));
  const illValues = illFormed.map((b) => utf8Decoder.decode(b));
  const shapes: [string, Column, (string | null)[]][] = [
    ['plain', stringColumnFromValues(VALUES), VALUES],
    ['ASCII only', stringColumnFromValues(VALUES.filter((v) => v === null || /^[\x00-\x7f]*$/.test(v))), VALUES.filter((v) => v === null || /^[\x00-\x7f]*$/.test(v))],
    ['dictionary', asDictionary(VALUES), VALUES],
    ['ill-formed', bytesColumn([...illFormed, null, utf8Encoder.encode('ok😀')]), [...illValues, null, 'ok😀']],
    ['empty', stringColumnFromValues([]), []],
  ];
  test.each(shapes)('substr on a %s column', (_, col, values) => {
    for (const start of STARTS) {
      for (const length of LENGTHS) {
        const rest: Scalar[] = length === undefined ? [BigInt(start)] : [BigInt(start), BigInt(length)];
        const types = length === undefined ? [VARCHAR, BIGINT] : [VARCHAR, BIGINT, BIGINT];
        expect(onColumn('substr', types, col, rest), `substr(s, ${start}, ${length})`).toEqual(onScalars('substr', types, values, rest));
      }
    }
  });

  test.each(shapes)('length on a %s column', (_, col, values) => {
    expect(onColumn('length', [VARCHAR], col, [])).toEqual(onScalars('length', [VARCHAR], values, []));
  });

  test('code point positions, not bytes or UTF-16 units', () => {
    const col = stringColumnFromValues(['a😀b😀c', 'héllo', '😀']);
    expect(onColumn('substr', [VARCHAR, BIGINT, BIGINT], col, [2n, 2n])).toEqual(['😀b', 'él', '']);
    expect(onColumn('substr', [VARCHAR, BIGINT], col, [-2n])).toEqual(['😀c', 'lo', '']);
    expect(onColumn('substr', [VARCHAR, BIGINT, BIGINT], col, [-1n, 5n])).toEqual(['c', 'o', '😀']);
    expect(onColumn('length', [VARCHAR], col, [])).toEqual([5n, 5n, 1n]);
  });

  test('a leading byte order mark is a code point of the value', () => {
    const col = stringColumnFromValues(['\ufeffab']);
    expect(onColumn('length', [VARCHAR], col, [])).toEqual([3n]);
    expect(onColumn('substr', [VARCHAR, BIGINT, BIGINT], col, [2n, 1n])).toEqual(['a']);
  });

  test('well-formedness follows the UTF-8 definition', () => {
    for (const s of VALUES) if (s !== null) expect(isValidUtf8(utf8Encoder.encode(s), 0, utf8Encoder.encode(s).length)).toBe(true);
    for (const b of ILL_FORMED) expect(isValidUtf8(Uint8Array.from(b), 0, b.length), String(b)).toBe(false);
    expect(isValidUtf8(Uint8Array.from([0xf4, 0x8f, 0xbf, 0xbf, 0xef, 0xbf, 0xbf]), 0, 7)).toBe(true);
  });
});
