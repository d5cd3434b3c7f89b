import { expect, test } from 'vitest';
import { selectTrue } from '../../../src/expr/index.js';
import { BOOLEAN, makeColumn, newBitmap, setBit } from '../../../src/types/index.js';

/** selectTrue against a bit-by-bit reference: runs of all-true and all-false bytes, NULLs, a garbage tail. */
test('selectTrue', () => {
  let seed = 7;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (const n of [0, 1, 7, 8, 9, 63, 64, 65, 1000]) {
    for (const withNulls of [false, true]) {
      const bits = newBitmap(n);
      const valid = newBitmap(n);
      for (let i = 0; i < n; i++) {
        const block = Math.floor(i / 16) % 3; // 0: all true, 1: all false, 2: random
        if (block === 0 || (block === 2 && rnd() < 0.5)) setBit(bits, i);
        if (!withNulls || rnd() < 0.8) setBit(valid, i);
      }
      // Set bits past the end: selectTrue must ignore them.
      if (n % 8 !== 0) bits[bits.length - 1]! |= 0xff << (n % 8);
      const col = makeColumn(BOOLEAN, n, bits, withNulls ? valid : null);
      const expected: number[] = [];
      for (let i = 0; i < n; i++) if ((bits[i >>> 3]! >>> (i & 7)) & 1 && (!withNulls || (valid[i >>> 3]! >>> (i & 7)) & 1)) expected.push(i);
      const got = selectTrue(col);
      if (expected.length === n) expect(got).toBeNull();
      else expect(Array.from(got!.sel.subarray(0, got!.count))).toEqual(expected);
    }
  }
});
