import { Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import { describe, expect, test } from 'vitest';
import {
  columnFromScalars, decimalAt, decimalType, knownNumberView, lazyDecimalColumn, makeBatch, newBitmap, numberView,
  numberViewMaxAbs, scalarAt, setBit, sliceColumn, takeColumn, type Column, type Scalar,
} from '../../../src/types/index.js';

const N = 300;
const D15 = decimalType(15, 2);
const D38 = decimalType(38, 2);

function read(col: Column, type = D15): Scalar[] {
  return Array.from({ length: col.length }, (_, i) => scalarAt(col, type, i));
}

/** Words read straight from `values` (what a kernel or IPC sees), NULL slots as null. */
function words(col: Column): (bigint | null)[] {
  const w = col.values as Uint32Array;
  expect(w.length).toBe(4 * col.length);
  return Array.from({ length: col.length }, (_, i) => (col.nullCount > 0 && ((col.nullBitmap![i >>> 3]! >>> (i & 7)) & 1) === 0 ? null : decimalAt(w, i)));
}

/** decimal(15,2) values within 2^53, negative ones included; every seventh NULL when nullable. */
function small(nullable: boolean): Scalar[] {
  return Array.from({ length: N }, (_, i) => (nullable && i % 7 === 3 ? null : BigInt(i * 1_000_003 - 150_000_000) * (i % 2 === 0 ? 1n : -1n)));
}

const all = Int32Array.from({ length: N }, (_, i) => i);
const SELECTIONS: [string, Int32Array][] = [
  ['dense runs', all.filter((i) => i % 53 !== 7)],
  ['scattered', all.filter((i) => i % 3 === 1)],
  ['reversed', all.slice().reverse()],
  ['with -1', Int32Array.from([1, 2, -1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19])],
  ['empty', new Int32Array(0)],
];

describe('lazy decimal columns', () => {
  for (const nullable of [false, true]) {
    test(`takes of exact decimals keep their values as doubles and write words on demand${nullable ? ' (nullable)' : ''}`, () => {
      const values = small(nullable);
      for (const viewFirst of [false, true]) {
        const col = columnFromScalars(D15, values);
        if (viewFirst) expect(numberView(col, D15)).not.toBeNull();
        for (const [name, sel] of SELECTIONS) {
          const expected = Array.from(sel, (i) => (i < 0 ? null : values[i]!));
          for (const runs of [undefined, null]) {
            const out = takeColumn(col, sel, sel.length, runs);
            expect(out.nullCount, name).toBe(expected.filter((v) => v === null).length);
            // The view is known before any word is written, and bounds every slot.
            const view = knownNumberView(out);
            expect(view, name).toBeInstanceOf(Float64Array);
            const max = numberViewMaxAbs(out, D15);
            for (let j = 0; j < sel.length; j++) {
              expect(Math.abs(view![j]!)).toBeLessThanOrEqual(max);
              if (expected[j] !== null) expect(BigInt(view![j]!), name).toBe(expected[j]);
            }
            expect(out.byteLength).toBe(16 * sel.length + (out.nullBitmap?.byteLength ?? 0));
            expect(words(out), name).toEqual(expected);
            expect(read(out), name).toEqual(expected);
            expect(out.values).toBe(out.values); // written once
          }
        }
      }
    });
  }

  test('a value that is not an exact double makes the take copy words', () => {
    const values: Scalar[] = Array.from({ length: N }, (_, i) => (i === 150 ? 10n ** 30n : BigInt(i)));
    const col = columnFromScalars(D38, values);
    for (const [name, sel] of SELECTIONS) {
      const out = takeColumn(col, sel, sel.length);
      expect(read(out, D38), name).toEqual(Array.from(sel, (i) => (i < 0 ? null : values[i]!)));
    }
    // Rows without the wide value still go through doubles.
    const narrow = takeColumn(col, all.slice(0, 100), 100);
    expect(knownNumberView(narrow)).toBeInstanceOf(Float64Array);
    expect(read(narrow, D38)).toEqual(values.slice(0, 100));
  });

  test('slices, re-takes and IPC see the same values', () => {
    const values = small(true);
    const col = takeColumn(columnFromScalars(D15, values), all, N, null);
    expect(knownNumberView(col)).toBeInstanceOf(Float64Array);
    expect(read(sliceColumn(col, 5, 100))).toEqual(values.slice(5, 105));
    const again = takeColumn(col, all.filter((i) => i % 2 === 0), N / 2);
    expect(read(again)).toEqual(values.filter((_, i) => i % 2 === 0));
    const batch = makeBatch([{ name: 'd', type: D15, nullable: true }], [again], N / 2);
    const back = tableFromIPC(tableToIPC(new Table(batch), 'stream')).batches[0]!.data.children[0] as Column;
    expect(read(back)).toEqual(values.filter((_, i) => i % 2 === 0));
  });

  test('lazyDecimalColumn with NULLs and an empty column', () => {
    const valid = newBitmap(4);
    setBit(valid, 0);
    setBit(valid, 3);
    const col = lazyDecimalColumn(D15, 4, Float64Array.of(-12345, 0, 0, 2 ** 53), 2 ** 53, valid);
    expect(read(col)).toEqual([-12345n, null, null, 2n ** 53n]);
    expect(col.nullCount).toBe(2);
    const empty = lazyDecimalColumn(D15, 0, new Float64Array(0), 0, null);
    expect(empty.length).toBe(0);
    expect((empty.values as Uint32Array).length).toBe(0);
  });
});
