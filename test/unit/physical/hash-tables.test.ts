import { describe, expect, test } from 'vitest';
import { DistinctPairs, GroupTable, IntegerKeyGroups, KeyEncoder, StringInterner, dictionaryGroupIds } from '../../../src/physical/hashing/index.js';
import { JoinHashTable } from '../../../src/physical/join-hash-table.js';
import {
  BIGINT, DATE, DOUBLE, INTEGER, SMALLINT, VARCHAR, clearBit, makeColumn, makeDictionaryColumn, newBitmap, scalarAt, stringAt, stringColumnFromValues,
  type Column, type SqlType,
} from '../../../src/types/index.js';
import { rng } from '../../support/rng.js';

/** Reference: ids in order of first appearance of each row's words. */
function referenceIds(words: Int32Array, width: number, rows: number): Int32Array {
  const seen = new Map<string, number>();
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const key = Array.from(words.subarray(i * width, (i + 1) * width)).join(',');
    let id = seen.get(key);
    if (id === undefined) seen.set(key, (id = seen.size));
    out[i] = id;
  }
  return out;
}

function withNulls(type: SqlType, values: Int32Array | BigInt64Array, nullRows: readonly number[]): Column {
  const valid = newBitmap(values.length, true);
  for (const r of nullRows) clearBit(valid, r);
  return makeColumn(type, values.length, values, nullRows.length > 0 ? valid : null);
}

describe('GroupTable', () => {
  for (const width of [1, 2, 3, 5]) {
    test(`width ${width}: ids in first-appearance order across growth, runs, collisions and batches`, () => {
      const next = rng(width);
      const rows = 20_000;
      const words = new Int32Array(rows * width);
      for (let i = 0; i < rows; i++) {
        // Few distinct values per word (many collisions of single words), runs of equal tuples, extreme words.
        const run = i > 0 && next() < 0.3;
        for (let k = 0; k < width; k++) {
          const v = run ? words[(i - 1) * width + k]! : Math.floor(next() * 200) - 100;
          words[i * width + k] = k === 0 && v === 99 ? -2147483648 : v === 98 ? 2147483647 : v;
        }
      }
      const table = new GroupTable(width, 4); // starts tiny: grows many times
      const ids = new Int32Array(rows);
      const inserted = new Uint8Array(rows);
      // In uneven batches, as an operator would feed it.
      for (let start = 0; start < rows; start += 2777) {
        const n = Math.min(2777, rows - start);
        const out = new Int32Array(n);
        const ins = new Uint8Array(n);
        table.findOrInsert(words.subarray(start * width, (start + n) * width), n, out, ins);
        ids.set(out, start);
        inserted.set(ins, start);
      }
      const expected = referenceIds(words, width, rows);
      expect(ids).toEqual(expected);
      // Inserted marks exactly the first row of each id; stored keys give back each id's tuple.
      const firstRows: number[] = [];
      for (let i = 0; i < rows; i++) if (inserted[i] === 1) firstRows.push(i);
      expect(table.size).toBe(firstRows.length);
      expect(firstRows.map((i) => ids[i])).toEqual(firstRows.map((_, g) => g));
      const expectedStored = new Int32Array(firstRows.length * width);
      firstRows.forEach((i, g) => expectedStored.set(words.subarray(i * width, (i + 1) * width), g * width));
      expect(table.storedKeys()).toEqual(expectedStored);
      // find: present tuples give their ids, absent ones -1.
      const probe = new Int32Array(3 * width).fill(123456);
      probe.set(words.subarray(0, width), width);
      const found = new Int32Array(3);
      table.find(probe, 3, found);
      expect(Array.from(found)).toEqual([-1, ids[0], -1]);
    });
  }

  test('empty batches and a table with no keys', () => {
    const table = new GroupTable(2);
    table.findOrInsert(new Int32Array(0), 0, new Int32Array(0));
    expect(table.size).toBe(0);
    expect(table.storedKeys().length).toBe(0);
    const out = new Int32Array(1);
    table.find(new Int32Array([1, 2]), 1, out);
    expect(out[0]).toBe(-1);
  });
});

/** Naive join: for each probe row, the build rows with an equal non-NULL key, in build order. */
function naiveMatches(build: readonly (string | null)[], probe: readonly (string | null)[]): number[][] {
  const byKey = new Map<string, number[]>();
  build.forEach((b, r) => {
    if (b !== null) byKey.set(b, [...(byKey.get(b) ?? []), r]);
  });
  return probe.map((p) => (p === null ? [] : byKey.get(p) ?? []));
}

function matchesOf(t: JoinHashTable, keys: readonly Column[], rows: number): { matches: number[][]; nullKey: number[] } {
  const { groups, nullKey } = t.probe(keys, rows);
  const matches: number[][] = [];
  for (let i = 0; i < rows; i++) {
    const g = groups[i]!;
    matches.push(g < 0 ? [] : Array.from(t.rows.subarray(t.offsets[g]!, t.offsets[g + 1]!)));
  }
  return { matches, nullKey: Array.from(nullKey) };
}

function int32Col(type: SqlType, values: readonly (number | null)[]): Column {
  return withNulls(type, Int32Array.from(values, (v) => v ?? 777), values.flatMap((v, i) => (v === null ? [i] : [])));
}

function int64Col(values: readonly (bigint | null)[]): Column {
  return withNulls(BIGINT, BigInt64Array.from(values, (v) => v ?? 0x7fff_ffff_ffff_fff0n), values.flatMap((v, i) => (v === null ? [i] : [])));
}

describe('JoinHashTable', () => {
  test('one integer key: dense (direct) and sparse (hashed) ranges, duplicates in build order, NULLs match nothing', () => {
    const next = rng(7);
    for (const spread of [10, 1_000_000_000]) {
      const build = Array.from({ length: 5000 }, () => (next() < 0.05 ? null : Math.floor(next() * 3000) * (spread > 10 ? 333_333 : 1) - 50));
      const probe = Array.from({ length: 4000 }, () => (next() < 0.05 ? null : Math.floor(next() * 3500) * (spread > 10 ? 333_333 : 1) - 50));
      for (const type of [INTEGER, DATE]) {
        const t = new JoinHashTable([type], [int32Col(type, build)], build.length);
        const got = matchesOf(t, [int32Col(type, probe)], probe.length);
        expect(got.matches).toEqual(naiveMatches(build.map((b) => (b === null ? null : String(b))), probe.map((p) => (p === null ? null : String(p)))));
        expect(got.nullKey).toEqual(probe.map((p) => (p === null ? 1 : 0)));
        expect(t.hasNullKey).toBe(true);
        expect(Array.from(t.buildNullKey)).toEqual(build.map((b) => (b === null ? 1 : 0)));
      }
    }
  });

  test('bigint keys: extremes and values past 2^53 (not exact as doubles) still match exactly', () => {
    const cases: (readonly (bigint | null)[])[] = [
      [1n, 2n, 3n, 2n, null, 5n],
      [-(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n, 2n ** 53n + 1n, 0n, -1n, null, 2n ** 53n + 1n],
    ];
    const probe = [2n ** 53n + 1n, 2n ** 53n, 2n ** 53n + 2n, -(2n ** 63n), 2n ** 63n - 1n, 2n, null, 0n, 5n, -1n, 2n ** 63n - 2n];
    for (const build of cases) {
      const t = new JoinHashTable([BIGINT], [int64Col(build)], build.length);
      const got = matchesOf(t, [int64Col(probe)], probe.length);
      const s = (v: bigint | null): string | null => (v === null ? null : v.toString());
      expect(got.matches).toEqual(naiveMatches(build.map(s), probe.map(s)));
    }
  });

  test('multi-key joins with mixed types, strings, doubles (-0 = 0, NULL never matches)', () => {
    const bInt = [1, 1, 2, null, 3, 1];
    const bStr = ['a', 'b', 'a', 'a', null, 'a'];
    const bDbl = [0, -0, 1.5, 2, 2, 0];
    const pInt = [1, 1, 2, null, 3, 1, 9];
    const pStr = ['a', 'b', 'a', 'a', null, 'a', 'a'];
    const pDbl = [-0, 0, 1.5, 2, 2, 0, 0];
    const types = [INTEGER, VARCHAR, DOUBLE];
    const cols = (ints: (number | null)[], strs: (string | null)[], dbls: number[]): Column[] => [
      int32Col(INTEGER, ints), stringColumnFromValues(strs), makeColumn(DOUBLE, dbls.length, Float64Array.from(dbls)),
    ];
    const t = new JoinHashTable(types, cols(bInt, bStr, bDbl), bInt.length);
    const got = matchesOf(t, cols(pInt, pStr, pDbl), pInt.length);
    expect(got.matches).toEqual([[0, 5], [1], [2], [], [], [0, 5], []]);
    expect(got.nullKey).toEqual([0, 0, 0, 1, 1, 0, 0]);
  });

  test('two integer keys packed into one number: dense, sparse past 2^31, NULL in either key, probes outside the ranges', () => {
    const next = rng(11);
    // Direct; packed into one word; into two words; ranges too wide to pack (encoded).
    const scales: [number, number][] = [[1, 1], [1000, 1], [1_000_003, 999_983], [2 ** 24, 2 ** 30]];
    for (const [scaleA, scaleB] of scales) {
      const gen = (n: number, extra: number): { a: (number | null)[]; b: (bigint | null)[] } => {
        const a = Array.from({ length: n }, () => (next() < 0.03 ? null : (Math.floor(next() * (60 + extra)) - 5) * scaleA));
        const b = Array.from({ length: n }, () => (next() < 0.03 ? null : BigInt((Math.floor(next() * (40 + extra)) - 20) * scaleB)));
        return { a, b };
      };
      const build = gen(3000, 0), probe = gen(3000, 10);
      const t = new JoinHashTable([INTEGER, BIGINT], [int32Col(INTEGER, build.a), int64Col(build.b)], 3000);
      const got = matchesOf(t, [int32Col(INTEGER, probe.a), int64Col(probe.b)], 3000);
      const keyOf = (a: number | null, b: bigint | null): string | null => (a === null || b === null ? null : `${a}|${b}`);
      expect(got.matches).toEqual(naiveMatches(build.a.map((a, i) => keyOf(a, build.b[i]!)), probe.a.map((a, i) => keyOf(a, probe.b[i]!))));
      expect(got.nullKey).toEqual(probe.a.map((a, i) => (a === null || probe.b[i] === null ? 1 : 0)));
    }
  });

  test('a few build keys over a wide range (directly addressed): holes, both ends, NULLs and keys outside the range', () => {
    const next = rng(5);
    const build = [1, 100_000, ...Array.from({ length: 30 }, () => (next() < 0.1 ? null : 1 + Math.floor(next() * 100_000)))];
    const probe = [0, 1, 99_999, 100_000, 100_001, -5, null, ...build, ...Array.from({ length: 3000 }, () => Math.floor(next() * 100_010) - 5)];
    const t = new JoinHashTable([INTEGER], [int32Col(INTEGER, build)], build.length);
    const got = matchesOf(t, [int32Col(INTEGER, probe)], probe.length);
    const s = (v: number | null): string | null => (v === null ? null : String(v));
    expect(got.matches).toEqual(naiveMatches(build.map(s), probe.map(s)));
    expect(got.nullKey).toEqual(probe.map((p) => (p === null ? 1 : 0)));
  });

  test('a few build keys over a range too wide to address but within the presence bitmap: 32- and 64-bit keys, two keys, NULLs, probes outside', () => {
    const next = rng(17);
    const s = (v: number | bigint | null): string | null => (v === null ? null : String(v));
    for (const base of [-3_000_000, 1, 2 ** 40]) {
      const build = [base, base + 5_000_000, ...Array.from({ length: 200 }, () => (next() < 0.1 ? null : base + Math.floor(next() * 5_000_000)))];
      const probe = [base - 1, base, base + 5_000_000, base + 5_000_001, null, ...build,
        ...Array.from({ length: 3000 }, () => (next() < 0.05 ? null : base - 10 + Math.floor(next() * 5_000_020)))];
      if (base < 2 ** 31) {
        const t = new JoinHashTable([INTEGER], [int32Col(INTEGER, build)], build.length);
        const got = matchesOf(t, [int32Col(INTEGER, probe)], probe.length);
        expect(got.matches).toEqual(naiveMatches(build.map(s), probe.map(s)));
        expect(got.nullKey).toEqual(probe.map((p) => (p === null ? 1 : 0)));
      }
      const big = (v: number | null): bigint | null => (v === null ? null : BigInt(v));
      // 64-bit probes past 2^53 whose low bits fall in the range match nothing.
      const probe64 = [...probe.map(big), 2n ** 60n + BigInt(base), -(2n ** 60n) + BigInt(base), 2n ** 53n + BigInt(base)];
      const t = new JoinHashTable([BIGINT], [int64Col(build.map(big))], build.length);
      const got = matchesOf(t, [int64Col(probe64)], probe64.length);
      expect(got.matches).toEqual(naiveMatches(build.map(s), probe64.map(s)));
      expect(got.nullKey).toEqual(probe64.map((p) => (p === null ? 1 : 0)));
    }
    // Two keys packed into a range of 4M: the presence bits hold packed values.
    const a = Array.from({ length: 300 }, () => (next() < 0.05 ? null : Math.floor(next() * 2000)));
    const b = Array.from({ length: 300 }, () => (next() < 0.05 ? null : BigInt(Math.floor(next() * 2000))));
    const pa = [...a, ...Array.from({ length: 3000 }, () => Math.floor(next() * 2010) - 5)];
    const pb = [...b, ...Array.from({ length: 3000 }, () => BigInt(Math.floor(next() * 2010) - 5))];
    const t = new JoinHashTable([INTEGER, BIGINT], [int32Col(INTEGER, a), int64Col(b)], a.length);
    const got = matchesOf(t, [int32Col(INTEGER, pa), int64Col(pb)], pa.length);
    const keyOf = (x: number | null, y: bigint | null): string | null => (x === null || y === null ? null : `${x}|${y}`);
    expect(got.matches).toEqual(naiveMatches(a.map((x, i) => keyOf(x, b[i]!)), pa.map((x, i) => keyOf(x, pb[i]!))));
  });

  test('empty build side', () => {
    const t = new JoinHashTable([INTEGER], [int32Col(INTEGER, [])], 0);
    expect(matchesOf(t, [int32Col(INTEGER, [1, null])], 2).matches).toEqual([[], []]);
    expect(t.hasNullKey).toBe(false);
  });
});

describe('dictionaryGroupIds', () => {
  test('gives the same ids and keys as encoding the decoded strings row by row', () => {
    const next = rng(3);
    const dictA = stringColumnFromValues(['x', 'y', 'zz', '']);
    const dictB = stringColumnFromValues(['p', 'q']);
    const grouping = (): { enc: KeyEncoder; table: GroupTable } => {
      const enc = new KeyEncoder([VARCHAR, VARCHAR], new StringInterner());
      return { enc, table: new GroupTable(enc.width) };
    };
    const viaDict = grouping(), plain = grouping();
    for (let batch = 0; batch < 4; batch++) {
      const n = 500;
      const a = Int32Array.from({ length: n }, () => Math.floor(next() * 4));
      const b = Int32Array.from({ length: n }, () => Math.floor(next() * 2));
      const aNull = batch === 1 ? [] : [3, 10, 11];
      const bNull = batch === 2 ? [] : [10, 20];
      const validA = newBitmap(n, true), validB = newBitmap(n, true);
      aNull.forEach((r) => clearBit(validA, r));
      bNull.forEach((r) => clearBit(validB, r));
      const keys = [makeDictionaryColumn(n, a, dictA, aNull.length > 0 ? validA : null), makeDictionaryColumn(n, b, dictB, bNull.length > 0 ? validB : null)];
      const ids = new Int32Array(n);
      expect(dictionaryGroupIds(viaDict.enc, viaDict.table, keys, n, ids)).toBe(true);
      const strA = Array.from(a, (c, i) => (aNull.includes(i) ? null : ['x', 'y', 'zz', ''][c]!));
      const strB = Array.from(b, (c, i) => (bNull.includes(i) ? null : ['p', 'q'][c]!));
      const words = new Int32Array(n * plain.enc.width);
      plain.enc.encode([stringColumnFromValues(strA), stringColumnFromValues(strB)], n, words);
      const expected = new Int32Array(n);
      plain.table.findOrInsert(words, n, expected);
      expect(ids).toEqual(expected);
    }
    const stored = viaDict.table.storedKeys();
    const storedPlain = plain.table.storedKeys();
    for (const k of [0, 1]) {
      const a = viaDict.enc.decode(k, stored, viaDict.table.size), b = plain.enc.decode(k, storedPlain, plain.table.size);
      expect(Array.from({ length: a.length }, (_, g) => stringAt(a, g))).toEqual(Array.from({ length: b.length }, (_, g) => stringAt(b, g)));
    }
  });

  test('declines plain columns and batches with more combinations than rows', () => {
    const enc = new KeyEncoder([VARCHAR], new StringInterner());
    const table = new GroupTable(enc.width);
    const out = new Int32Array(2);
    expect(dictionaryGroupIds(enc, table, [stringColumnFromValues(['a', 'b'])], 2, out)).toBe(false);
    const dict = stringColumnFromValues(['a', 'b', 'c']);
    expect(dictionaryGroupIds(enc, table, [makeDictionaryColumn(2, Int32Array.of(0, 1), dict)], 2, out)).toBe(false);
  });
});

describe('IntegerKeyGroups', () => {
  test('bigint keys with NULLs and extremes: one group per value and one for NULL, decoded back', () => {
    const batches: (readonly (bigint | null)[])[] = [
      [5n, 5n, null, -(2n ** 63n), 2n ** 63n - 1n, 5n],
      [],
      [null, 2n ** 53n + 1n, 2n ** 53n, 0n, -1n, 2n ** 63n - 1n],
      [7n, 7n, 7n],
    ];
    const g = new IntegerKeyGroups(BIGINT);
    const seen = new Map<string, number>();
    for (const b of batches) {
      const out = new Int32Array(b.length);
      g.groupIds(int64Col(b), b.length, out);
      b.forEach((v, i) => {
        const key = v === null ? 'null' : v.toString();
        if (!seen.has(key)) seen.set(key, out[i]!);
        expect(out[i]).toBe(seen.get(key));
      });
    }
    expect(g.size).toBe(seen.size);
    const col = g.decode();
    for (const [key, id] of seen) expect(scalarAt(col, BIGINT, id)).toBe(key === 'null' ? null : BigInt(key));
  });

  /** Feeds batches, checks ids against first-appearance order, lookup of every key after all batches, decode. */
  function checkBatches(type: SqlType, batches: readonly (readonly (bigint | null)[])[], expectDirect: boolean): void {
    const g = new IntegerKeyGroups(type);
    const seen = new Map<string, number>();
    const col = (b: readonly (bigint | null)[]): Column =>
      type === BIGINT ? int64Col(b) : int32Col(type, b.map((v) => (v === null ? null : Number(v))));
    for (const b of batches) {
      const out = new Int32Array(b.length);
      g.groupIds(col(b), b.length, out);
      // As before direct windows: a batch's new non-NULL keys get ids first, then the NULL group.
      for (const v of b) if (v !== null && !seen.has(v.toString())) seen.set(v.toString(), seen.size);
      if (b.includes(null) && !seen.has('null')) seen.set('null', seen.size);
      b.forEach((v, i) => expect(out[i]).toBe(seen.get(v === null ? 'null' : v.toString())));
    }
    expect(g.direct).toBe(expectDirect);
    expect(g.size).toBe(seen.size);
    const all = batches.flat();
    const found = new Int32Array(all.length);
    g.lookup(col(all), all.length, found);
    all.forEach((v, i) => expect(found[i]).toBe(seen.get(v === null ? 'null' : v.toString())));
    const absent = type === BIGINT ? [2n ** 62n, -(2n ** 60n), 123_456_789n] : [2 ** 30, -(2 ** 30), 123_456_789];
    const miss = new Int32Array(absent.length);
    g.lookup(type === BIGINT ? int64Col(absent as bigint[]) : int32Col(type, absent as number[]), absent.length, miss);
    absent.forEach((v, i) => { if (!seen.has(v.toString())) expect(miss[i]).toBe(-1); });
    const keys = g.decode();
    for (const [key, id] of seen) {
      const want = key === 'null' ? null : type === BIGINT ? BigInt(key) : Number(key);
      expect(scalarAt(keys, type, id)).toBe(want);
    }
  }

  test('direct window: random keys in a range, growing window in both directions, negative keys, NULLs', () => {
    const next = rng(21);
    const randomBatch = (lo: number, hi: number, n: number): (bigint | null)[] =>
      Array.from({ length: n }, () => (next() < 0.05 ? null : BigInt(lo + Math.floor(next() * (hi - lo + 1)))));
    for (const type of [INTEGER, BIGINT, DATE]) {
      checkBatches(type, [randomBatch(1, 200_000, 3000), randomBatch(1, 200_000, 3000)], true);
      checkBatches(type, [randomBatch(-10, 10, 50), [], randomBatch(-5000, -4000, 500), randomBatch(90_000, 100_000, 2000), randomBatch(-100_000, -90_000, 2000)], true);
      checkBatches(type, [[5n, 5n, 6n, 4n, 3n, 7n, 2n, 8n, 1n, 9n, 0n, 10n, -1n]], true);
    }
  });

  test('switch to hashing mid-batch and across batches keeps ids; keys past 2^53', () => {
    const next = rng(22);
    const batch = (n: number, spread: number): (bigint | null)[] =>
      Array.from({ length: n }, () => (next() < 0.03 ? null : BigInt(Math.floor(next() * spread))));
    for (const type of [INTEGER, BIGINT]) {
      checkBatches(type, [[null, ...batch(500, 1000), 1_000_000_000n, ...batch(500, 1000)], batch(300, 1000)], false); // mid-batch
      checkBatches(type, [batch(500, 1000), [null, null], batch(500, 2_000_000_000)], false); // at the start of a batch
      checkBatches(type, [batch(100, 100), [-(2n ** 31n), 2n ** 31n - 1n], batch(100, 100)], false);
    }
    checkBatches(BIGINT, [batch(100, 100), [2n ** 53n + 1n, 2n ** 53n, 2n ** 53n + 1n, null], batch(100, 100)], false);
    checkBatches(BIGINT, [[2n ** 63n - 1n, 2n ** 63n - 2n], batch(100, 100)], false); // switches on the first row
    checkBatches(BIGINT, [[2n ** 51n, 2n ** 51n + 1n, 2n ** 51n - 3n], [2n ** 51n + 9n, null]], true);
    checkBatches(BIGINT, [[-(2n ** 51n) + 1n, -(2n ** 51n) + 2n, -(2n ** 51n) - 5n]], true);
  });

  test('narrow integer keys (smallint) without NULLs', () => {
    const values = Int16Array.of(-32768, 32767, 0, 0, -32768, 3);
    const g = new IntegerKeyGroups(SMALLINT);
    const out = new Int32Array(values.length);
    g.groupIds(makeColumn(SMALLINT, values.length, values), values.length, out);
    expect(Array.from(out)).toEqual([0, 1, 2, 2, 0, 3]);
    const col = g.decode();
    expect([0, 1, 2, 3].map((i) => scalarAt(col, SMALLINT, i))).toEqual([-32768, 32767, 0, 3]);
  });
});

describe('DistinctPairs', () => {
  /** Feeds (gid, value) batches with an optional mask; each row passes iff its pair is new among the masked rows so far. */
  function check(type: SqlType, batches: readonly { gids: number[]; values: (bigint | null)[]; mask?: boolean[] | undefined }[]): void {
    const d = new DistinctPairs([type]);
    const seen = new Set<string>();
    for (const b of batches) {
      const n = b.gids.length;
      const col = type === BIGINT ? int64Col(b.values) : int32Col(type, b.values.map((v) => (v === null ? null : Number(v))));
      let mask: Uint8Array | null = null;
      if (b.mask !== undefined) {
        mask = newBitmap(n, true);
        b.mask.forEach((keep, i) => { if (!keep) clearBit(mask!, i); });
      }
      const out = d.firstOccurrences(Int32Array.from(b.gids), [col], n, mask);
      for (let i = 0; i < n; i++) {
        const pair = `${b.gids[i]}|${b.values[i]}`;
        const want = (b.mask === undefined || b.mask[i]!) && !seen.has(pair);
        if (want) seen.add(pair);
        expect(((out[i >>> 3]! >>> (i & 7)) & 1) === 1).toBe(want);
      }
    }
    expect(d.memoryBytes()).toBeGreaterThan(0);
  }

  test('integer values in and outside the window, NULLs, masks, group ids past the bitmap limit', () => {
    const next = rng(23);
    const batch = (n: number, groups: number, lo: number, hi: number, masked: boolean) => ({
      gids: Array.from({ length: n }, () => Math.floor(next() * groups)),
      values: Array.from({ length: n }, () => (next() < 0.05 ? null : BigInt(lo + Math.floor(next() * (hi - lo + 1))))),
      mask: masked ? Array.from({ length: n }, () => next() < 0.7) : undefined,
    });
    for (const type of [INTEGER, BIGINT]) {
      check(type, [batch(2000, 12, 1, 265, false), batch(2000, 20, 1, 265, true), batch(500, 20, -1000, 1000, false)]);
      check(type, [batch(300, 5, 0, 0, true), batch(3000, 800, 0, 40_000, false), batch(3000, 800, 0, 40_000, true)]); // range 2^16: gids ≥ 512 hashed
      check(type, [{ gids: [0, 0, 1], values: [null, null, null] }, batch(1000, 3, -50, 50, false), batch(100, 3, -(2 ** 31), 2 ** 31 - 1, false)]);
    }
    check(BIGINT, [batch(500, 4, 0, 100, false), { gids: [0, 0, 1, 1], values: [2n ** 53n + 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n - 1n] }]);
    check(DATE, [{ gids: [0, 0, 1, 1], values: [1n, 1n, 1n, null] }, batch(200, 3, 18_000, 19_000, true)]);
  });
});
