import { describe, expect, test } from 'vitest';
import { ShortStringSet } from '../../../src/expr/kernels/short-string-set.js';
import { inListColumn } from '../../../src/expr/kernels/in-list-kernel.js';
import { compareColumnScalar } from '../../../src/expr/kernels/compare-kernel.js';
import {
  BOOLEAN, VARCHAR, getBit, makeDictionaryColumn, makeStringColumn, newBitmap, scalarAt, setBit, stringColumnFromValues,
  utf8Encoder, type Column,
} from '../../../src/types/index.js';
import { rng } from '../../support/rng.js';

/** Characters of 1 to 4 UTF-8 bytes, so that short strings mix byte lengths and code points. */
const ALPHABET = ['A', 'I', 'M', 'L', 'S', ' ', 'é', 'ß', '中', '✓', '😀', '\u0000'];

function randomString(r: () => number, maxChars: number): string {
  let s = '';
  const len = Math.floor(r() * (maxChars + 1));
  for (let k = 0; k < len; k++) s += ALPHABET[Math.floor(r() * ALPHABET.length)]!;
  return s;
}

/** The strings as one byte buffer with `lead` bytes before the first row (offsets[0] = lead), as a sliced column has. */
function encode(values: readonly string[], lead: number): { bytes: Uint8Array; offsets: Int32Array } {
  const parts = values.map((v) => utf8Encoder.encode(v));
  const offsets = new Int32Array(values.length + 1);
  offsets[0] = lead;
  parts.forEach((p, i) => (offsets[i + 1] = offsets[i]! + p.length));
  const bytes = new Uint8Array(offsets[values.length]!).fill(0x41);
  parts.forEach((p, i) => bytes.set(p, offsets[i]!));
  return { bytes, offsets };
}

function bools(col: Column): (boolean | null)[] {
  return Array.from({ length: col.length }, (_, i) => scalarAt(col, BOOLEAN, i) as boolean | null);
}

describe('ShortStringSet agrees with a Set of decoded strings', () => {
  test('random short and long strings, members of 0..8 bytes, offsets not at 0, every tail length', () => {
    const r = rng(31);
    for (let round = 0; round < 150; round++) {
      const members: string[] = [];
      const memberCount = 1 + Math.floor(r() * 6);
      while (members.length < memberCount) {
        const m = randomString(r, 4);
        if (utf8Encoder.encode(m).length <= 8) members.push(m);
      }
      if (round % 5 === 0) members.push(members[0]!); // a duplicate member
      const set = ShortStringSet.of(members.map((m) => utf8Encoder.encode(m)));
      expect(set).not.toBeNull();
      const n = Math.floor(r() * 70);
      // Members themselves, prefixes and extensions of them, and random strings up to 12 characters.
      const values = Array.from({ length: n }, () => {
        const x = r();
        const m = members[Math.floor(r() * members.length)]!;
        return x < 0.3 ? m : x < 0.4 ? m + 'A' : x < 0.5 ? m.slice(0, -1) : randomString(r, x < 0.8 ? 3 : 12);
      });
      const lead = Math.floor(r() * 3);
      const { bytes, offsets } = encode(values, lead);
      const expected = new Set(members);
      for (const want of [true, false]) {
        const out = newBitmap(n);
        if (n > 0) out[out.length - 1] = 0xff; // the tail bits past n must come back cleared
        set!.markMembers(bytes, offsets, n, want, out);
        for (let i = 0; i < n; i++) expect(getBit(out, i), `${JSON.stringify(values[i])} in ${JSON.stringify(members)}`).toBe(expected.has(values[i]!) === want);
        for (let i = n; i < out.length * 8; i++) expect(getBit(out, i)).toBe(false);
      }
    }
  });

  test('the empty string and strings at the very end of the buffer', () => {
    const set = ShortStringSet.of([new Uint8Array(0), utf8Encoder.encode('ab'), utf8Encoder.encode('abcdefgh')])!;
    const values = ['abcdefgh', '', 'ab', 'abcdefghi', 'abcdefg', 'a', '', 'ab'];
    const { bytes, offsets } = encode(values, 0);
    const out = newBitmap(values.length);
    set.markMembers(bytes, offsets, values.length, true, out);
    expect(values.map((_, i) => getBit(out, i))).toEqual([true, true, true, false, false, false, true, true]);
  });

  test('declines members longer than 8 bytes and empty member lists', () => {
    expect(ShortStringSet.of([utf8Encoder.encode('DELIVER IN PERSON')])).toBeNull();
    expect(ShortStringSet.of([utf8Encoder.encode('中中中')])).toBeNull(); // 9 bytes
    expect(ShortStringSet.of([])).toBeNull();
    expect(ShortStringSet.of([utf8Encoder.encode('中中')])).not.toBeNull(); // 6 bytes
  });
});

describe('IN (short set) and = on plain, sliced plain and dictionary columns', () => {
  const r = rng(5);
  const pool = ['MAIL', 'SHIP', 'AIR', 'REG AIR', 'RAIL', 'TRUCK', 'FOB', '', 'é', 'F', 'O', 'P', 'DELIVER IN PERSON'];
  const values: (string | null)[] = Array.from({ length: 203 }, () => (r() < 0.1 ? null : pool[Math.floor(r() * pool.length)]!));

  /** The same rows as a plain column whose offsets start past 0 (rows 3.. of a longer column). */
  function slicedPlain(vals: readonly (string | null)[]): Column {
    const all = ['xx', 'yyy', 'z', ...vals];
    const { bytes, offsets } = encode(all.map((v) => v ?? ''), 0);
    const valid = newBitmap(vals.length);
    vals.forEach((v, i) => { if (v !== null) setBit(valid, i); });
    return makeStringColumn(vals.length, offsets.subarray(3), bytes, valid);
  }

  function dictionary(vals: readonly (string | null)[]): Column {
    const dict = stringColumnFromValues(pool);
    const idx = Int32Array.from(vals.map((v) => (v === null ? 0 : pool.indexOf(v))));
    const valid = newBitmap(vals.length);
    vals.forEach((v, i) => { if (v !== null) setBit(valid, i); });
    return makeDictionaryColumn(vals.length, idx, dict, valid);
  }

  test('IN lists agree between plain, sliced plain and dictionary columns and the JS reference', () => {
    for (const list of [['MAIL', 'SHIP'], ['AIR', 'REG AIR'], ['F'], ['', 'é'], ['MAIL', 'DELIVER IN PERSON'], ['MAIL', null]]) {
      for (const negated of [false, true]) {
        const expected = values.map((v) => {
          if (v === null) return null;
          if (list.includes(v)) return !negated;
          return list.includes(null) ? null : negated;
        });
        expect(bools(inListColumn(stringColumnFromValues(values), VARCHAR, list, negated)), JSON.stringify(list)).toEqual(expected);
        expect(bools(inListColumn(slicedPlain(values), VARCHAR, list, negated))).toEqual(expected);
        expect(bools(inListColumn(dictionary(values), VARCHAR, list, negated))).toEqual(expected);
      }
    }
  });

  test('= and <> with short literals agree between plain, sliced plain and dictionary columns', () => {
    for (const lit of ['F', 'MAIL', '', 'é', 'REG AIR', 'DELIVER IN PERSON', 'NOPE']) {
      for (const op of ['=', '<>'] as const) {
        const expected = values.map((v) => (v === null ? null : (v === lit) === (op === '=')));
        expect(bools(compareColumnScalar(op, stringColumnFromValues(values), lit, VARCHAR)), `${op} ${lit}`).toEqual(expected);
        expect(bools(compareColumnScalar(op, slicedPlain(values), lit, VARCHAR))).toEqual(expected);
        expect(bools(compareColumnScalar(op, dictionary(values), lit, VARCHAR))).toEqual(expected);
      }
    }
  });

  test('an empty column', () => {
    const empty = stringColumnFromValues([]);
    expect(inListColumn(empty, VARCHAR, ['MAIL'], false).length).toBe(0);
    expect(compareColumnScalar('=', empty, 'F', VARCHAR).length).toBe(0);
  });
});
