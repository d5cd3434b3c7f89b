import { describe, expect, test } from 'vitest';
import {
  GroupTable, KeyEncoder, PackedKeyGroups, StringInterner, encodedGroupIds, encodedLookup,
} from '../../../../src/physical/hashing/index.js';
import { columnOfKeyCodes, keyCodes } from '../../../../src/physical/hashing/key-codes.js';
import {
  BIGINT, BOOLEAN, DATE, INTEGER, SMALLINT, VARCHAR, columnFromScalars, makeDictionaryColumn, scalarAt,
  type Column, type Scalar, type SqlType,
} from '../../../../src/types/index.js';
import { rng } from '../../../support/rng.js';

/** A batch: one array of scalars per key. */
type Batch = readonly (readonly Scalar[])[];

function columns(types: readonly SqlType[], batch: Batch): Column[] {
  return types.map((t, k) => columnFromScalars(t, batch[k]!));
}

/**
 * Feeds the batches to PackedKeyGroups and to the encoder path, expecting the same ids row by row, the same keys
 * decoded, and the same lookups (of every batch, and of a batch of unseen keys) afterwards.
 */
function compare(types: readonly SqlType[], batches: readonly Batch[], probe?: Batch): PackedKeyGroups {
  const packedEncoder = new KeyEncoder(types, new StringInterner());
  const packed = new PackedKeyGroups(types, packedEncoder, new GroupTable(packedEncoder.width));
  const encoder = new KeyEncoder(types, new StringInterner());
  const table = new GroupTable(encoder.width);
  for (const batch of batches) {
    const n = batch[0]!.length;
    const cols = columns(types, batch);
    const got = new Int32Array(n), want = new Int32Array(n);
    packed.groupIds(cols, n, got);
    encodedGroupIds(encoder, table, cols, n, want);
    expect(Array.from(got)).toEqual(Array.from(want));
    expect(packed.size).toBe(table.size);
  }
  for (const batch of probe === undefined ? batches : [...batches, probe]) {
    const n = batch[0]!.length;
    const cols = columns(types, batch);
    const got = new Int32Array(n), want = new Int32Array(n);
    packed.lookup(cols, n, got);
    encodedLookup(encoder, table, cols, n, want);
    expect(Array.from(got)).toEqual(Array.from(want));
  }
  const stored = table.storedKeys();
  types.forEach((t, k) => {
    const want = encoder.decode(k, stored, table.size);
    const got = packed.isGeneric ? want : packed.decode(k);
    for (let g = 0; g < table.size; g++) expect(scalarAt(got, t, g)).toEqual(scalarAt(want, t, g));
  });
  return packed;
}

function randomBatches(next: () => number, count: number, rows: number, make: (batch: number) => readonly (() => Scalar)[]): Batch[] {
  const out: Batch[] = [];
  for (let b = 0; b < count; b++) {
    const gens = make(b);
    out.push(gens.map((gen) => Array.from({ length: rows }, () => (next() < 0.05 ? null : gen()))));
  }
  return out;
}

describe('key codes', () => {
  test('short strings round-trip and differ from each other; longer ones have no code', () => {
    const values = ['', 'a', 'A', 'ab', 'ba', 'abcdef', '\u00e9t\u00e9', 'abcdefg', null, '\u0000', '\u0000\u0000'];
    const col = columnFromScalars(VARCHAR, values);
    const codes = keyCodes(col, VARCHAR, values.length);
    expect(codes[7]).toBe(Number.POSITIVE_INFINITY);
    expect(Number.isNaN(codes[8])).toBe(true);
    const finite = Array.from(codes).filter((c) => Number.isFinite(c));
    expect(new Set(finite).size).toBe(finite.length);
    codes[7] = 0; // no code: stands for nothing
    const back = columnOfKeyCodes(VARCHAR, codes, values.length);
    values.forEach((v, i) => {
      if (i !== 7) expect(scalarAt(back, VARCHAR, i)).toBe(v);
    });
  });
});

describe('PackedKeyGroups', () => {
  test('two integer keys with NULLs and negatives, ranges growing mid-stream (re-framed, same ids)', () => {
    const next = rng(1);
    const types = [INTEGER, SMALLINT];
    // Each batch reaches further out, below and above: the frame widens several times.
    const batches = randomBatches(next, 8, 1500, (b) => [
      () => Math.floor(next() * 20 * (b + 1)) - 10 * (b + 1),
      () => Math.floor(next() * 7) - 3 + (b % 3 === 2 ? 300 : 0),
    ]);
    const packed = compare(types, batches, [[5000, -7, null], [1, 2, null]]);
    expect(packed.isGeneric).toBe(false);
    expect(packed.direct).toBe(true);
  });

  test('sparse keys use the hash slots; bigint and date keys; empty batches', () => {
    const next = rng(2);
    const types = [BIGINT, DATE, INTEGER];
    const batches = randomBatches(next, 6, 3000, () => [
      () => BigInt(Math.floor(next() * 1e9)) * 100n - 5n,
      () => 9000 + Math.floor(next() * 3),
      () => Math.floor(next() * 2) * 1000,
    ]);
    batches.splice(2, 0, [[], [], []]);
    const packed = compare(types, batches);
    expect(packed.isGeneric).toBe(false);
    expect(packed.direct).toBe(false);
  });

  test('short strings (plain and dictionary), booleans and integers', () => {
    const next = rng(3);
    const types = [VARCHAR, BOOLEAN, VARCHAR];
    const flags = ['A', 'N', 'R', '', 'xyz'];
    const batches = randomBatches(next, 5, 2000, () => [
      () => flags[Math.floor(next() * flags.length)]!,
      () => next() < 0.5,
      () => ['F', 'O'][Math.floor(next() * 2)]!,
    ]);
    compare(types, batches);
    // Dictionary-coded columns (a NULL row pointing anywhere).
    const dict = columnFromScalars(VARCHAR, ['MAIL', 'SHIP', 'AIR', null]);
    const packed = new PackedKeyGroups([VARCHAR, INTEGER], new KeyEncoder([VARCHAR, INTEGER], new StringInterner()), new GroupTable(new KeyEncoder([VARCHAR, INTEGER], new StringInterner()).width));
    const encoder = new KeyEncoder([VARCHAR, INTEGER], new StringInterner());
    const table = new GroupTable(encoder.width);
    for (let b = 0; b < 3; b++) {
      const n = 500;
      const idx = Int32Array.from({ length: n }, () => Math.floor(next() * 4));
      const keys = [makeDictionaryColumn(n, idx, dict), columnFromScalars(INTEGER, Array.from({ length: n }, () => Math.floor(next() * 3)))];
      const got = new Int32Array(n), want = new Int32Array(n);
      packed.groupIds(keys, n, got);
      encodedGroupIds(encoder, table, keys, n, want);
      expect(Array.from(got)).toEqual(Array.from(want));
    }
    expect(packed.isGeneric).toBe(false);
  });

  test('a longer string mid-stream moves the groups to the encoder with their ids', () => {
    const next = rng(4);
    const types = [VARCHAR, INTEGER];
    const batches = randomBatches(next, 6, 1000, (b) => [
      () => (b === 3 && next() < 0.01 ? 'a much longer string' : ['x', 'yy', 'zzz'][Math.floor(next() * 3)]!),
      () => Math.floor(next() * 50),
    ]);
    const packed = compare(types, batches);
    expect(packed.isGeneric).toBe(true);
  });

  test('keys whose frame would pass 2^53 move to the encoder (and 64-bit values past 2^53)', () => {
    const next = rng(5);
    const wide = randomBatches(next, 4, 800, (b) => [
      () => BigInt(Math.floor(next() * 1000)) * (b >= 2 ? 1_000_000_000_000n : 1n),
      () => BigInt(Math.floor(next() * 1000)) * (b >= 2 ? 1_000_000_000n : 1n),
    ]);
    expect(compare([BIGINT, BIGINT], wide).isGeneric).toBe(true);
    const huge = randomBatches(next, 3, 500, (b) => [
      () => (b === 1 && next() < 0.1 ? 9_000_000_000_000_000_000n : BigInt(Math.floor(next() * 10))),
      () => Math.floor(next() * 10),
    ]);
    expect(compare([BIGINT, INTEGER], huge, [[9_000_000_000_000_000_000n, 3n, null], [1, 2, 3]]).isGeneric).toBe(true);
  });
});
