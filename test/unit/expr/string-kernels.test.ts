import { describe, expect, test } from 'vitest';
import { compileLike, likeColumn } from '../../../src/expr/kernels/like-kernel.js';
import { inListColumn } from '../../../src/expr/kernels/in-list-kernel.js';
import { compareColumnScalar } from '../../../src/expr/kernels/compare-kernel.js';
import { ByteStringSet } from '../../../src/expr/kernels/byte-string-set.js';
import {
  BOOLEAN, VARCHAR, makeDictionaryColumn, newBitmap, scalarAt, setBit, stringAt, stringColumnFromValues, type Column,
} from '../../../src/types/index.js';

/** Booleans of a result column, null where NULL. */
function bools(col: Column): (boolean | null)[] {
  return Array.from({ length: col.length }, (_, i) => scalarAt(col, BOOLEAN, i) as boolean | null);
}

/** The same values as a dictionary column whose dictionary holds unused entries, duplicates and a NULL entry. */
function asDictionary(values: readonly (string | null)[]): Column {
  const distinct = [...new Set(values.filter((v): v is string => v !== null))];
  const dictValues: (string | null)[] = ['unused entry', null, ...distinct, distinct[0] ?? 'x'];
  const dict = stringColumnFromValues(dictValues);
  const idx = new Int32Array(values.length);
  const valid = newBitmap(values.length);
  values.forEach((v, i) => {
    // Half of the NULL rows are NULL in the indices, the other half point at the NULL dictionary entry.
    if (v === null) {
      if (i % 2 === 0) idx[i] = 1;
      else idx[i] = 0;
      if (i % 2 === 0) setBit(valid, i);
    } else {
      idx[i] = dictValues.indexOf(v);
      setBit(valid, i);
    }
  });
  return makeDictionaryColumn(values.length, idx, dict, valid);
}

/** LIKE by a RegExp over JS strings: the reference the byte-level matchers must agree with. */
function likeRef(value: string, pattern: string, escape: string | undefined): boolean {
  let re = '';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (escape !== undefined && c === escape) re += chars[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '%') re += '.*';
    else if (c === '_') re += '.';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'su').test(value);
}

const VALUES: (string | null)[] = [
  'MAIL', 'SHIP', 'AIR', 'AIR REG', null, '', 'mail', 'MAILS', 'special requests', 'a special deposit; requests',
  'requests special', 'specialrequests', 'spécial requêtes ✓', 'PROMO BURNISHED', 'PROMO', 'XPROMO', null, 'a%b_c',
  'a%bxc', 'ab', 'aXb', 'special special requests requests', '%', '_', 'sp', 'ecial',
];

describe('LIKE on bytes', () => {
  const patterns: [string, string | undefined][] = [
    ['PROMO%', undefined], ['%special%requests%', undefined], ['%requests', undefined], ['special%', undefined],
    ['%special%', undefined], ['MAIL', undefined], ['', undefined], ['%', undefined], ['%%', undefined],
    ['a%b', undefined], ['a%b%c', undefined], ['%a%b%c', undefined], ['a!%b!_c', '!'], ['a!%b%', '!'], ['%!%%', '!'],
    ['%!_', '!'], ['_', undefined], ['a_b', undefined], ['%é%✓', undefined], ['sp%ecial', undefined],
    ['%cial%req%', undefined], ['special%requests', undefined], ['%requests%requests', undefined],
    ['_%', undefined], ['%_', undefined], ['__', undefined], ['_A%', undefined], ['%i_', undefined], ['M__L', undefined],
    ['s_ecial%re_uests', undefined], ['%é_%', undefined], ['sp_cial req__tes _', undefined], ['%_ecial%', undefined],
    ['%a_b%', undefined], ['%_%_%', undefined], ['___', undefined], ['_%_', undefined], ['%✓', undefined], ['%_✓', undefined],
    ['%a!_c', '!'], ['a_b_c', undefined], ['%r_q%s', undefined], ['%special_%', undefined],
  ];
  for (const [pattern, escape] of patterns) {
    test(`${pattern} escape ${String(escape)}`, () => {
      const m = compileLike(pattern, escape, false);
      const expected = VALUES.map((v) => (v === null ? null : likeRef(v, pattern, escape)));
      const plain = stringColumnFromValues(VALUES);
      expect(bools(likeColumn(plain, m, false))).toEqual(expected);
      expect(bools(likeColumn(plain, m, true))).toEqual(expected.map((b) => (b === null ? null : !b)));
      const dict = asDictionary(VALUES);
      expect(bools(likeColumn(dict, m, false))).toEqual(expected);
      expect(bools(likeColumn(dict, m, true))).toEqual(expected.map((b) => (b === null ? null : !b)));
    });
  }

  test('case-insensitive matching goes through the RegExp path', () => {
    const m = compileLike('%MAIL%', undefined, true);
    expect(bools(likeColumn(stringColumnFromValues(['mail', 'xMaIlx', 'ship', null]), m, false))).toEqual([true, true, false, null]);
  });

  test('an empty dictionary and an empty column', () => {
    const m = compileLike('%a%', undefined, false);
    expect(bools(likeColumn(makeDictionaryColumn(0, new Int32Array(0), stringColumnFromValues([])), m, false))).toEqual([]);
    expect(bools(likeColumn(stringColumnFromValues([]), m, true))).toEqual([]);
  });
});

describe('IN on bytes', () => {
  const lists: (string | null)[][] = [
    ['MAIL', 'SHIP'], ['MAIL', null], [], [null], [''], ['AIR', 'AIR REG', 'MAIL', 'SHIP', 'TRUCK', 'RAIL', 'FOB', 'spécial requêtes ✓'],
    ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'MAIL', 'aXb', '%', '_'],
  ];
  for (const list of lists) {
    for (const negated of [false, true]) {
      test(`${negated ? 'NOT ' : ''}IN ${JSON.stringify(list)}`, () => {
        const hasNull = list.includes(null);
        const expected = VALUES.map((v) => {
          if (v === null) return null;
          if (list.includes(v)) return !negated;
          return hasNull ? null : negated;
        });
        expect(bools(inListColumn(stringColumnFromValues(VALUES), VARCHAR, list, negated))).toEqual(expected);
        expect(bools(inListColumn(asDictionary(VALUES), VARCHAR, list, negated))).toEqual(expected);
      });
    }
  }

  test('ByteStringSet agrees with a Set of strings', () => {
    const members = Array.from({ length: 50 }, (_, i) => `v${i * 7}`);
    const set = new ByteStringSet(members);
    const enc = new TextEncoder();
    for (let i = 0; i < 400; i++) {
      const b = enc.encode(`xx v${i}`);
      expect(set.has(b, 3, b.length)).toBe(members.includes(`v${i}`));
    }
  });
});

describe('dictionary columns', () => {
  test('a NULL dictionary entry makes the row NULL', () => {
    const dict = asDictionary(VALUES);
    expect(Array.from({ length: VALUES.length }, (_, i) => stringAt(dict, i))).toEqual(VALUES);
    const eq = compareColumnScalar('=', dict, 'MAIL', VARCHAR);
    expect(bools(eq)).toEqual(VALUES.map((v) => (v === null ? null : v === 'MAIL')));
  });
});

describe('comparison with a string literal', () => {
  for (const lit of ['MAIL', '', 'AIR REG', 'spécial requêtes ✓', 'ZZZ']) {
    for (const op of ['=', '<>', '<', '>='] as const) {
      test(`${op} '${lit}'`, () => {
        // Every value here is in the Basic Multilingual Plane, where JS string order is code point order.
        const ref = (v: string): boolean => (op === '=' ? v === lit : op === '<>' ? v !== lit : op === '<' ? v < lit : v >= lit);
        const expected = VALUES.map((v) => (v === null ? null : ref(v)));
        expect(bools(compareColumnScalar(op, stringColumnFromValues(VALUES), lit, VARCHAR))).toEqual(expected);
        expect(bools(compareColumnScalar(op, asDictionary(VALUES), lit, VARCHAR))).toEqual(expected);
      });
    }
  }
});
