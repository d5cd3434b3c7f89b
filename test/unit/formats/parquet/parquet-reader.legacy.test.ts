/**
 * The hand-assembled legacy.parquet (fixtures/make-legacy-fixture.ts): INT96, converted-type-only annotations,
 * DECIMAL on byte arrays, FLOAT16, the NULL logical type, and statistics chosen to exercise every rule about
 * which bounds can be trusted.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typeName, type Scalar } from '../../../../src/types/index.js';
import { expectBoundsHold, expectValuesMatchDuckDB } from './support/compare.js';
import { openOracle, type Oracle } from './support/duckdb-oracle.js';
import { readAll, type FileValues } from './support/read-all.js';
import { INT96_NANOS, LEGACY_FIXTURE_PATH, LEGACY_ROWS, buildLegacyFixture } from './fixtures/make-legacy-fixture.js';

let oracle: Oracle;
let read: FileValues;

beforeAll(async () => {
  oracle = await openOracle();
  read = await readAll(LEGACY_FIXTURE_PATH, { batchSize: 4 });
});

afterAll(() => oracle.close());

describe('legacy.parquet', () => {
  it('is exactly what its script builds', () => {
    expect(Uint8Array.from(readFileSync(LEGACY_FIXTURE_PATH))).toEqual(buildLegacyFixture());
  });

  it('maps legacy annotations to SQL types', () => {
    const types = Object.fromEntries(read.reader.info.fields.map((f) => [f.name, typeName(f.type)]));
    expect(types).toEqual({
      ts96: 'timestamp(9)',
      ts_millis_legacy: 'timestamp(3) with time zone',
      ts_micros_legacy: 'timestamp(6) with time zone',
      u8_legacy: 'smallint',
      u32_legacy: 'bigint',
      u64_legacy: 'decimal(20,0)',
      bin_plain: 'varchar',
      str_legacy: 'varchar',
      enum_legacy: 'varchar',
      str_astral: 'varchar',
      dec_bytes: 'decimal(10,2)',
      dec_flba5: 'decimal(10,2)',
      f_nan: 'double',
      f_zero: 'double',
      i64_deprecated: 'bigint',
      half: 'real',
      always_null: 'unknown',
    });
    expect(read.reader.skippedColumns).toEqual([
      { name: 'flba_raw', reason: 'type FIXED_LEN_BYTE_ARRAY (fixed-length binary) is not supported yet' },
    ]);
    expect(read.reader.info.numRows).toBe(LEGACY_ROWS);
  });

  it('decodes every value as DuckDB does', async () => {
    await expectValuesMatchDuckDB(oracle, LEGACY_FIXTURE_PATH, read);
  });

  it('keeps INT96 nanoseconds exactly', () => {
    expect(read.values.get('ts96')!.flat()).toEqual(INT96_NANOS);
  });

  it('trusts only the statistics it can', () => {
    const stats = (name: string): { min?: Scalar | undefined; max?: Scalar | undefined; nullCount?: number | undefined } =>
      read.reader.info.rowGroups[0]!.columns.get(name)!.statistics;
    const bounds = (name: string): [Scalar | undefined, Scalar | undefined] => [stats(name).min, stats(name).max];
    // INT96 has no defined order; deprecated min/max only count for signed numbers; NaN, non-UTF-8 and
    // astral-plane bounds are left out.
    for (const name of ['ts96', 'u8_legacy', 'bin_plain', 'enum_legacy', 'str_astral', 'f_nan', 'always_null']) {
      expect(bounds(name), name).toEqual([undefined, undefined]);
    }
    expect(bounds('ts_millis_legacy')).toEqual([-1_000n, 1_709_210_096_123_000n]); // ms bounds in µs
    expect(bounds('ts_micros_legacy')).toEqual([-5n, 1_577_836_800_123_456n]);
    expect(bounds('u32_legacy')).toEqual([0n, 4_000_000_000n]);
    expect(bounds('u64_legacy')).toEqual([0n, 18_446_744_073_709_551_615n]);
    expect(bounds('str_legacy')).toEqual(['', 'ä']);
    expect(bounds('dec_bytes')).toEqual([-9_999_999_999n, 9_999_999_999n]);
    expect(bounds('dec_flba5')).toEqual([-9_999_999_999n, 9_999_999_999n]);
    expect(bounds('i64_deprecated')).toEqual([-7n, 9n]);
    expect(bounds('half')).toEqual([-2, 65504]);
    expect(Object.is(stats('f_zero').min, -0)).toBe(true);
    expect(Object.is(stats('f_zero').max, 0)).toBe(true);
    for (const f of read.reader.info.fields) {
      expect(stats(f.name).nullCount, f.name).toBe(f.name === 'always_null' ? LEGACY_ROWS : 1);
      expectBoundsHold(f.name, stats(f.name).min, stats(f.name).max, read.values.get(f.name)![0]!);
    }
  });
});
