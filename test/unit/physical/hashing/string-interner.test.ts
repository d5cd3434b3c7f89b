import { expect, test } from 'vitest';
import { StringInterner } from '../../../../src/physical/hashing/index.js';

test('every one of 20,000 distinct strings keeps one id across the table growing', () => {
  const interner = new StringInterner();
  const enc = new TextEncoder();
  const words = Array.from({ length: 20_000 }, (_, i) => enc.encode(`v${i}`));
  const ids = words.map((w) => interner.intern(w, 0, w.length));
  expect(new Set(ids).size).toBe(words.length);
  words.forEach((w, i) => expect(interner.intern(w, 0, w.length, false)).toBe(ids[i]));
  expect(interner.size).toBe(words.length);
});
