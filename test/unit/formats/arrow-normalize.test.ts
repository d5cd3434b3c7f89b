/**
 * arrow-normalize: every Arrow layout a decoder may return, converted to the canonical layout of its SQL type
 * with the same values and nulls (read back through types/scalarAt).
 */
import * as A from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { ShoalError } from '../../../src/common/index.js';
import { normalizeBatch, normalizeColumn } from '../../../src/formats/arrow-normalize.js';
import {
  BIGINT, DATE, DOUBLE, INTEGER, INTERVAL_DAY_TIME, REAL, SMALLINT, TINYINT, VARCHAR, batchColumn, decimalType,
  hasCanonicalLayout, scalarAt, timestampType, toArrowType, type Column, type Scalar, type SqlType,
} from '../../../src/types/index.js';

function values(col: Column, type: SqlType): Scalar[] {
  expect(hasCanonicalLayout(col, type), `${String(col.type)} for ${type.kind}`).toBe(true);
  expect(col.offset).toBe(0);
  if (type.kind !== 'varchar') expect(String(col.type)).toBe(String(toArrowType(type)));
  return Array.from({ length: col.length }, (_, i) => scalarAt(col, type, i));
}

const norm = (d: A.Data, t: SqlType): Scalar[] => values(normalizeColumn(d, t), t);
const vec = <T extends A.DataType>(xs: readonly unknown[], type: T): A.Data<T> => A.vectorFromArray(xs as never[], type).data[0]!;
const raw = <T extends A.DataType>(type: T, length: number, data: ArrayBufferView, valid?: readonly boolean[]): A.Data<T> => {
  let nullBitmap: Uint8Array | null = null;
  let nullCount = 0;
  if (valid !== undefined) {
    nullBitmap = new Uint8Array(Math.ceil(length / 8));
    valid.forEach((v, i) => {
      if (v) nullBitmap![i >>> 3]! |= 1 << (i & 7);
      else nullCount++;
    });
  }
  return A.makeData({ type, length, nullCount, nullBitmap, data } as never) as A.Data<T>;
};

describe('strings', () => {
  const texts = ['a', null, '', 'ünïcödé ✓', '😀 emoji', 'last'];
  it('keeps Utf8 and re-bases slices', () => {
    const d = vec(texts, new A.Utf8());
    expect(norm(d, VARCHAR)).toEqual(texts);
    expect(normalizeColumn(d, VARCHAR)).toBe(d);
    expect(norm(d.slice(1, 4), VARCHAR)).toEqual(texts.slice(1, 5));
  });
  it('converts LargeUtf8, Binary and LargeBinary to Utf8 with Int32 offsets', () => {
    expect(norm(vec(texts, new A.LargeUtf8()), VARCHAR)).toEqual(texts);
    expect(norm(vec(texts, new A.LargeUtf8()).slice(2, 3), VARCHAR)).toEqual(texts.slice(2, 5));
    const bytes = texts.map((t) => (t === null ? null : new TextEncoder().encode(t)));
    expect(norm(vec(bytes, new A.Binary()), VARCHAR)).toEqual(texts);
    expect(norm(vec(bytes, new A.LargeBinary()), VARCHAR)).toEqual(texts);
    expect(normalizeColumn(vec(texts, new A.LargeUtf8()), VARCHAR).valueOffsets).toBeInstanceOf(Int32Array);
  });
  it('gathers Utf8View and BinaryView (inline and out-of-line values)', () => {
    const strings = ['short', 'a value longer than twelve bytes', '', 'twelve bytes', 'x'.repeat(40)];
    const buffer = new TextEncoder().encode(strings.join(''));
    const views = new Uint8Array(16 * strings.length);
    const dv = new DataView(views.buffer);
    let at = 0;
    strings.forEach((s, i) => {
      const b = new TextEncoder().encode(s);
      dv.setInt32(16 * i, b.length, true);
      if (b.length <= 12) views.set(b, 16 * i + 4);
      else {
        views.set(b.subarray(0, 4), 16 * i + 4);
        dv.setInt32(16 * i + 8, 0, true);
        dv.setInt32(16 * i + 12, at, true);
      }
      at += b.length;
    });
    for (const type of [new A.Utf8View(), new A.BinaryView()]) {
      const d = A.makeData({ type, length: strings.length, views, variadicBuffers: [buffer] } as never) as A.Data;
      expect(norm(d, VARCHAR)).toEqual(strings);
    }
  });
  it('keeps dictionaries of any index type as Dictionary<Int32, Utf8>, nulls included', () => {
    const dict = A.vectorFromArray(['red', 'green', 'blue'], new A.Utf8());
    const idx = [2, 0, 1, 1, 0];
    const valid = [true, false, true, true, true];
    for (const [indices, Ctor] of [[new A.Int8(), Int8Array], [new A.Int16(), Int16Array], [new A.Uint8(), Uint8Array], [new A.Int32(), Int32Array]] as const) {
      const d = A.makeData({ type: new A.Dictionary(new A.Utf8(), indices), length: 5, nullCount: 1,
        nullBitmap: Uint8Array.of(0b11101), data: Ctor.from(idx), dictionary: dict } as never) as A.Data;
      const col = normalizeColumn(d, VARCHAR);
      expect(col.typeId).toBe(A.Type.Dictionary);
      expect(col.values).toBeInstanceOf(Int32Array);
      expect(values(col, VARCHAR)).toEqual(idx.map((k, i) => (valid[i] ? ['red', 'green', 'blue'][k] : null)));
    }
  });
  it('rejects a dictionary index out of range', () => {
    const d = A.makeData({ type: new A.Dictionary(new A.Utf8(), new A.Int8()), length: 1, nullCount: 0, data: Int8Array.of(7),
      dictionary: A.vectorFromArray(['a'], new A.Utf8()) } as never) as A.Data;
    expect(() => normalizeColumn(d, VARCHAR)).toThrow(/out of range/);
  });
});

describe('numbers', () => {
  it('widens unsigned and narrower integers without wrapping', () => {
    expect(norm(raw(new A.Uint8(), 3, Uint8Array.of(0, 200, 255)), SMALLINT)).toEqual([0, 200, 255]);
    expect(norm(raw(new A.Uint16(), 2, Uint16Array.of(1, 65535)), INTEGER)).toEqual([1, 65535]);
    expect(norm(raw(new A.Uint32(), 2, Uint32Array.of(4_000_000_000, 7), [true, false]), BIGINT)).toEqual([4_000_000_000n, null]);
    expect(norm(raw(new A.Int8(), 2, Int8Array.of(-128, 127)), INTEGER)).toEqual([-128, 127]);
    expect(norm(raw(new A.Int32(), 2, Int32Array.of(-5, 2_000_000_000)), BIGINT)).toEqual([-5n, 2_000_000_000n]);
    expect(norm(raw(new A.Uint64(), 2, BigUint64Array.of(18_446_744_073_709_551_615n, 3n)), decimalType(20, 0))).toEqual([18_446_744_073_709_551_615n, 3n]);
    expect(norm(raw(new A.Int16(), 1, Int16Array.of(-3)), decimalType(10, 2))).toEqual([-300n]);
  });
  it('refuses narrowing', () => {
    expect(() => normalizeColumn(raw(new A.Int32(), 1, Int32Array.of(1)), SMALLINT)).toThrow(ShoalError);
    expect(() => normalizeColumn(raw(new A.Uint8(), 1, Uint8Array.of(1)), TINYINT)).toThrow(/Cannot read Arrow type Uint8 as tinyint/);
    expect(() => normalizeColumn(raw(new A.Float64(), 1, Float64Array.of(1)), REAL)).toThrow(ShoalError);
  });
  it('reads temporal types over integer storage as their integers', () => {
    expect(norm(raw(new A.DateDay(), 1, Int32Array.of(-3)), INTEGER)).toEqual([-3]);
    expect(norm(raw(new A.TimestampSecond('Europe/Paris'), 1, BigInt64Array.of(1_700_000_000n)), BIGINT)).toEqual([1_700_000_000n]);
  });
  it('converts Float16 and Float32', () => {
    expect(norm(raw(new A.Float16(), 6, Uint16Array.of(0x3c00, 0xc000, 0x3555, 0x0001, 0x7c00, 0x8000)), REAL))
      .toEqual([1, -2, Math.fround(0.333251953125), Math.fround(2 ** -24), Infinity, -0]);
    const nan = norm(raw(new A.Float16(), 1, Uint16Array.of(0x7e00)), DOUBLE)[0];
    expect(Number.isNaN(nan)).toBe(true);
    expect(norm(raw(new A.Float32(), 2, Float32Array.of(0.1, -1.5)), DOUBLE)).toEqual([Math.fround(0.1), -1.5]);
  });
  it('converts decimals of other widths and scales to Decimal128', () => {
    const words = (vals: bigint[], n: number): Uint32Array => {
      const out = new Uint32Array(vals.length * n);
      vals.forEach((v, i) => {
        let x = BigInt.asUintN(32 * n, v);
        for (let k = 0; k < n; k++) {
          out[i * n + k] = Number(x & 0xffffffffn);
          x >>= 32n;
        }
      });
      return out;
    };
    const vals = [123n, -45_678n, 0n];
    expect(norm(raw(new A.Decimal(2, 9, 32), 3, words(vals, 1)), decimalType(9, 2))).toEqual(vals);
    expect(norm(raw(new A.Decimal(2, 18, 64), 3, words(vals, 2)), decimalType(18, 2))).toEqual(vals);
    expect(norm(raw(new A.Decimal(2, 38, 256), 3, words(vals, 8)), decimalType(38, 2))).toEqual(vals);
    expect(norm(raw(new A.Decimal(2, 10, 128), 3, words(vals, 4)), decimalType(12, 4))).toEqual([12_300n, -4_567_800n, 0n]);
    const big = 10n ** 37n * 5n;
    expect(() => normalizeColumn(raw(new A.Decimal(0, 76, 256), 1, words([big * 1000n], 8)), decimalType(38, 0))).toThrow(/does not fit/);
  });
});

describe('dates and times', () => {
  it('floors Date64 milliseconds to days', () => {
    expect(norm(raw(new A.DateMillisecond(), 4, BigInt64Array.of(0n, 86_400_000n * 3n, -1n, -86_400_000n)), DATE)).toEqual([0, 3, -1, -1]);
  });
  it('rescales timestamps to µs (and ns for precision > 6), flooring, with time zone UTC or none', () => {
    const ts = (unit: A.TimeUnit, tz: string | null, xs: bigint[]): A.Data => raw(new A.Timestamp(unit, tz), xs.length, BigInt64Array.from(xs));
    expect(norm(ts(A.TimeUnit.SECOND, 'America/New_York', [1n, -1n]), timestampType(6, true))).toEqual([1_000_000n, -1_000_000n]);
    expect(String(normalizeColumn(ts(A.TimeUnit.SECOND, 'America/New_York', [1n]), timestampType(6, true)).type)).toBe('Timestamp<MICROSECOND, UTC>');
    expect(norm(ts(A.TimeUnit.MILLISECOND, null, [1_700_000_000_123n]), timestampType(3))).toEqual([1_700_000_000_123_000n]);
    expect(norm(ts(A.TimeUnit.NANOSECOND, null, [1_999n, -1n, -1_000n]), timestampType(6))).toEqual([1n, -1n, -1n]);
    // Beyond 2^53: the exact BigInt path.
    expect(norm(ts(A.TimeUnit.MICROSECOND, null, [9_000_000_000_000_001n, -9_000_000_000_000_001n]), timestampType(9)))
      .toEqual([9_000_000_000_000_001_000n, -9_000_000_000_000_001_000n].map((v) => BigInt.asIntN(64, v)));
    expect(norm(ts(A.TimeUnit.NANOSECOND, null, [9_000_000_000_000_000_999n, -9_000_000_000_000_000_001n]), timestampType(6)))
      .toEqual([9_000_000_000_000_000n, -9_000_000_000_000_001n]);
  });
  it('converts durations to µs', () => {
    expect(norm(raw(new A.DurationMillisecond(), 2, BigInt64Array.of(5n, -2n)), INTERVAL_DAY_TIME)).toEqual([5_000n, -2_000n]);
  });
});

describe('nulls and batches', () => {
  it('turns the Null type into nulls of any type', () => {
    const d = A.makeData({ type: new A.Null(), length: 3 });
    expect(norm(d, VARCHAR)).toEqual([null, null, null]);
    expect(norm(d, decimalType(5, 1))).toEqual([null, null, null]);
  });
  it('re-bases Bool values and validity of slices', () => {
    const d = vec([true, null, false, true, true, null, false, true, false, true], new A.Bool());
    expect(norm(d.slice(3, 6), { kind: 'boolean' })).toEqual([true, true, null, false, true, false, true].slice(0, 6));
  });
  it('normalizes a batch by position and names it from the fields', () => {
    const batch = new A.Table({ a: A.makeVector(Uint8Array.of(1, 2)), b: A.vectorFromArray(['x', 'y'], new A.LargeUtf8()) }).batches[0]!;
    const out = normalizeBatch(batch, [{ name: 'A', type: SMALLINT, nullable: true }, { name: 'B', type: VARCHAR, nullable: true }]);
    expect(out.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual(['A:Int16', 'B:Utf8']);
    expect(values(batchColumn(out, 1), VARCHAR)).toEqual(['x', 'y']);
  });
});
