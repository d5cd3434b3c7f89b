import { describe, expect, test } from 'vitest';
import { builtinFunctions, type ScalarFunction } from '../../../src/functions/index.js';
import {
  BIGINT, VARCHAR, arrayValue, makeDictionaryColumn, newBitmap, scalarAt, scalarValue, setBit, stringColumnFromValues,
  type Column, type ColumnarValue, type Scalar, type SqlType,
} from '../../../src/types/index.js';

const CTX = { timeZone: 'UTC', queryStartMicros: 0n };
const VALUES: (string | null)[] = ['Mail', 'SHIP', null, 'air reg', '', 'Mail', 'ünïcode SS', null, 'SHIP', 'x'];

/** VALUES as a dictionary column with an unused entry, a NULL entry and NULL indices. */
function asDictionary(): Column {
  const entries: (string | null)[] = ['never used', null, 'Mail', 'SHIP', 'air reg', '', 'ünïcode SS', 'x'];
  const idx = new Int32Array(VALUES.length);
  const valid = newBitmap(VALUES.length);
  VALUES.forEach((v, i) => {
    if (v === null) idx[i] = i % 2 === 0 ? 1 : 0;
    else idx[i] = entries.indexOf(v);
    if (v !== null || i % 2 === 0) setBit(valid, i);
  });
  return makeDictionaryColumn(VALUES.length, idx, stringColumnFromValues(entries), valid);
}

function call(name: string, types: SqlType[], args: ColumnarValue[]): Scalar[] {
  const fn = builtinFunctions().lookup(name) as ScalarFunction;
  const r = fn.resolve(types)!;
  const out = r.kernel(args, VALUES.length, CTX);
  if (out.kind === 'scalar') return VALUES.map(() => out.value);
  return Array.from({ length: VALUES.length }, (_, i) => scalarAt(out.column, r.returnType, i));
}

describe('string functions on dictionary columns match plain columns', () => {
  const cases: [string, SqlType[], (c: Column) => ColumnarValue[]][] = [
    ['upper', [VARCHAR], (c) => [arrayValue(c)]],
    ['lower', [VARCHAR], (c) => [arrayValue(c)]],
    ['length', [VARCHAR], (c) => [arrayValue(c)]],
    ['reverse', [VARCHAR], (c) => [arrayValue(c)]],
    ['substr', [VARCHAR, BIGINT, BIGINT], (c) => [arrayValue(c), scalarValue(2n), scalarValue(3n)]],
    ['strpos', [VARCHAR, VARCHAR], (c) => [arrayValue(c), scalarValue('I')]],
    ['concat', [VARCHAR, VARCHAR], (c) => [scalarValue('<'), arrayValue(c)]],
    ['starts_with', [VARCHAR, VARCHAR], (c) => [arrayValue(c), scalarValue('SH')]],
    ['starts_with', [VARCHAR, VARCHAR], (c) => [arrayValue(c), scalarValue('')]],
    ['starts_with', [VARCHAR, VARCHAR], (c) => [arrayValue(c), scalarValue('ünï')]],
  ];
  for (const [name, types, args] of cases) {
    test(`${name}(${args(stringColumnFromValues([])).map((a) => (a.kind === 'scalar' ? String(a.value) : 'x')).join(', ')})`, () => {
      const plain = call(name, types, args(stringColumnFromValues(VALUES)));
      expect(call(name, types, args(asDictionary()))).toEqual(plain);
      expect(plain.filter((v) => v === null).length).toBe(2);
    });
  }
});

test('starts_with on bytes', () => {
  const expected = VALUES.map((v) => (v === null ? null : v.startsWith('SH')));
  expect(call('starts_with', [VARCHAR, VARCHAR], [arrayValue(stringColumnFromValues(VALUES)), scalarValue('SH')])).toEqual(expected);
});
