import { describe, expect, test } from 'vitest';
import { compareColumnScalar, type PlainCompareOp } from '../../../src/expr/kernels/compare-kernel.js';
import { decimalType, getBit, makeColumn, newBitmap, numberView, setBit, setDecimal, type Column } from '../../../src/types/index.js';

function decimalColumn(values: readonly (bigint | null)[]): Column {
  const words = new Uint32Array(4 * values.length);
  const valid = newBitmap(values.length);
  let nulls = false;
  values.forEach((v, i) => {
    if (v === null) nulls = true;
    else { setDecimal(words, i, v); setBit(valid, i); }
  });
  return makeColumn(decimalType(38, 2), values.length, words, nulls ? valid : null);
}

function decide(op: PlainCompareOp, x: bigint, y: bigint): boolean {
  switch (op) {
    case '=': return x === y;
    case '<>': return x !== y;
    case '<': return x < y;
    case '<=': return x <= y;
    case '>': return x > y;
    case '>=': return x >= y;
  }
}

describe('decimal column vs constant, from the words and from a double view', () => {
  const edge = 2n ** 53n;
  const base: (bigint | null)[] = [0n, 5n, 6n, 7n, -5n, -6n, 4n, null, edge - 1n, -edge, edge, -edge - 1n, 10n ** 37n, -(10n ** 37n), 123456789012345n];
  // Several rounds, rotated, so that wide values fall both in whole output bytes and in the tail.
  const values = [0, 3, 7, 11].flatMap((k) => [...base.slice(k), ...base.slice(0, k)]);
  const ops: PlainCompareOp[] = ['=', '<>', '<', '<=', '>', '>='];
  test.each([6n, -6n, 0n, edge - 1n, -(edge - 1n), 123456789012345n])('constant %s', (s) => {
    for (const op of ops) {
      for (const viewFirst of [false, true]) {
        // Without NULLs and wide values the column has a double view; asking for it first takes that path.
        const vals = viewFirst ? values.filter((v) => v !== null && v < edge && v >= -edge) : values;
        const col = decimalColumn(vals);
        if (viewFirst) expect(numberView(col, decimalType(38, 2))).not.toBeNull();
        const out = compareColumnScalar(op, col, s, decimalType(38, 2));
        vals.forEach((v, i) => {
          const isNull = out.nullCount > 0 && !getBit(out.nullBitmap as Uint8Array, i);
          if (v === null) expect(isNull).toBe(true);
          else expect(getBit(out.values as Uint8Array, i), `${v} ${op} ${s}`).toBe(decide(op, v, s));
        });
      }
    }
  });
});
