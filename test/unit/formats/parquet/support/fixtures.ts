/**
 * Parquet fixtures generated at test time with DuckDB (deterministic: values derive from the row number through
 * hash()), and with parquet-wasm's writer from Arrow tables (which stores an ARROW:schema hint, like pyarrow).
 */
import { writeFileSync } from 'node:fs';
import * as A from 'apache-arrow';
import { Table as WasmTable, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm';
import { quoteString, type Oracle } from './duckdb-oracle.js';

/** Rows in the type-coverage fixtures; with ROW_GROUP_SIZE 2048 they make three row groups. */
export const TYPE_ROWS = 5000;

/** NULL in roughly one row of `every`, at positions that differ per column (`salt`). */
const nulls = (salt: number, every: number, expr: string): string =>
  `CASE WHEN hash(i + ${salt}) % ${every} = 0 THEN NULL ELSE ${expr} END`;

/** Decimal with unscaled value `unscaled` (a HUGEINT expression) and the given precision and scale. */
const decimalOf = (unscaled: string, precision: number, scale: number): string => {
  // lpad cuts a longer string down to its width: pad only up to scale + 1 digits, never below the value's own.
  const digits = `CAST(abs(${unscaled}) AS VARCHAR)`;
  return `CAST(CASE WHEN ${unscaled} < 0 THEN '-' ELSE '' END || regexp_replace(lpad(${digits}, greatest(length(${digits}), ${scale + 1})::INTEGER, '0'), '(\\d{${scale}})$', '.\\1') AS DECIMAL(${precision},${scale}))`;
};

const sign = `(CASE WHEN i % 2 = 0 THEN 1 ELSE -1 END)`;

/**
 * One column per type and shape DuckDB writes: every integer width signed and unsigned (full ranges), floats
 * with NaN and infinities, decimals stored as INT32/INT64/FIXED_LEN_BYTE_ARRAY, dates and timestamps before
 * and after 1970 in every unit, strings of low and high cardinality with empty strings, unicode and emoji,
 * BLOB, JSON, ENUM, booleans; NULLs in every column, a column that is always NULL, one NULL in all but a few
 * rows; plus columns Shoal skips (LIST, STRUCT, MAP, UUID, TIME).
 */
export function typesSelect(rows = TYPE_ROWS, int32FullRange = true): string {
  // parquet-wasm (arrow-rs) cannot decode DELTA_BINARY_PACKED INT32 pages whose deltas need 33 bits, which
  // DuckDB writes for V2 files when values span more than 2^31 (see parquet-reader.errors.test.ts).
  const i32 = int32FullRange ? '((hash(i) % 4294967296)::BIGINT - 2147483648)::INTEGER' : '((hash(i) % 2000000000)::BIGINT - 1000000000)::INTEGER';
  const ui = int32FullRange ? '(hash(i) % 4294967296)::UINTEGER' : '(hash(i) % 2000000000)::UINTEGER';
  const cols = [
    `${nulls(1, 7, 'i % 3 = 0')} AS b`,
    `${nulls(2, 9, '(i % 256 - 128)::TINYINT')} AS ti`,
    `${nulls(3, 11, '((hash(i) % 65536)::INTEGER - 32768)::SMALLINT')} AS si`,
    `${nulls(4, 13, i32)} AS i32`,
    `${nulls(5, 5, `((hash(i) >> 1)::BIGINT * ${sign})`)} AS i64`,
    `${nulls(6, 8, '(i % 256)::UTINYINT')} AS ut`,
    `${nulls(7, 8, '(hash(i) % 65536)::USMALLINT')} AS us`,
    `${nulls(8, 8, ui)} AS ui`,
    `${nulls(9, 8, 'hash(i)')} AS ub`,
    `${nulls(10, 6, `(((hash(i) % 2000001)::INTEGER - 1000000) / 64)::REAL`)} AS r`,
    `${nulls(11, 6, `((hash(i) % 2000000001)::BIGINT - 1000000000)::DOUBLE / 1024`)} AS d`,
    `${nulls(12, 10, `CASE i % 50 WHEN 0 THEN 'NaN'::DOUBLE WHEN 1 THEN 'Infinity'::DOUBLE WHEN 2 THEN '-Infinity'::DOUBLE WHEN 3 THEN -0.0::DOUBLE ELSE i::DOUBLE END`)} AS d_special`,
    `${nulls(13, 7, decimalOf(`((hash(i) % 19999)::HUGEINT - 9999)`, 4, 2))} AS dec_4_2`,
    `${nulls(14, 7, decimalOf(`((hash(i) % 1999999999)::HUGEINT - 999999999)`, 9, 3))} AS dec_9_3`,
    `${nulls(15, 7, decimalOf(`((hash(i) % 999999999999999999)::HUGEINT * ${sign})`, 18, 6))} AS dec_18_6`,
    `${nulls(16, 7, decimalOf(`((hash(i) >> 2)::HUGEINT * (hash(i + 1) >> 2)::HUGEINT * ${sign})`, 38, 10))} AS dec_38_10`,
    `${nulls(17, 7, decimalOf(`((hash(i) % 10000000000000)::HUGEINT * 1000000000 * ${sign})`, 22, 0))} AS dec_22_0`,
    `${nulls(18, 9, `DATE '1970-01-01' + ((hash(i) % 200000)::INTEGER - 100000)`)} AS dt`,
    `${nulls(19, 9, `make_timestamp((hash(i) % 9000000000000000)::BIGINT - 2208988800000000)`)} AS ts`,
    `${nulls(20, 9, `make_timestamp((hash(i) % 9000000000000000)::BIGINT - 2208988800000000)::TIMESTAMP_MS`)} AS ts_ms`,
    `${nulls(21, 9, `make_timestamp_ns((hash(i) % 9000000000000000000)::BIGINT - 4500000000000000000)`)} AS ts_ns`,
    `${nulls(22, 9, `make_timestamp((hash(i) % 9000000000000000)::BIGINT - 2208988800000000)::TIMESTAMP_S`)} AS ts_s`,
    `${nulls(23, 9, `make_timestamp((hash(i) % 9000000000000000)::BIGINT - 2208988800000000)::TIMESTAMPTZ`)} AS ts_tz`,
    `${nulls(24, 9, `(['alpha', 'beta', '', 'ünïcödé', '日本語', 'emoji 😀'])[i % 6 + 1]`)} AS s_low`,
    `${nulls(25, 9, `'row ' || i || ' ' || repeat(chr((97 + i % 26)::INTEGER), (i % 40)::INTEGER) || CASE WHEN i % 97 = 0 THEN ' ✓ 😀' ELSE '' END`)} AS s_high`,
    `${nulls(26, 3, `''`)} AS s_empty`,
    `${nulls(27, 9, `encode('blob ' || i)`)} AS bl`,
    `${nulls(28, 9, `('{"k": ' || i || '}')::JSON`)} AS js`,
    `${nulls(29, 9, `(['sad', 'ok', 'happy'])[i % 3 + 1]::mood`)} AS en`,
    `NULL::INTEGER AS all_null`,
    `CASE WHEN i % 1000 = 0 THEN i END AS sparse`,
    `i AS "MixedCase"`,
    `[i, i + 1] AS lst`,
    `{'a': i, 'b': 'x'} AS st`,
    `MAP {'k': i} AS mp`,
    `uuid() AS uu`,
    `TIME '12:34:56' AS tm`,
  ];
  return `SELECT ${cols.join(',\n  ')} FROM range(${rows}) t(i)`;
}

/** Columns typesSelect() produces that Shoal leaves out, with the kind of reason. */
export const SKIPPED_COLUMNS = { uu: 'UUID', tm: 'TIME' } as const;

export interface DuckFixture {
  readonly version: 'V1' | 'V2';
  readonly compression: 'snappy' | 'gzip' | 'zstd' | 'uncompressed' | 'lz4_raw' | 'brotli';
}

export async function writeDuckFixture(o: Oracle, path: string, f: DuckFixture, select = typesSelect(TYPE_ROWS, f.version === 'V1'), rowGroupSize = 2048): Promise<void> {
  await o.run(`CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')`).catch(() => undefined); // exists after the first file
  await o.run(`COPY (${select}) TO ${quoteString(path)} (FORMAT parquet, COMPRESSION ${f.compression}, PARQUET_VERSION ${f.version}, ROW_GROUP_SIZE ${rowGroupSize})`);
}

/**
 * A file written by arrow-rs (parquet-wasm) from Arrow types whose layouts differ from Shoal's: Dictionary with
 * Int8/Int16/Int32 indices, LargeUtf8, LargeBinary, Date64, Timestamp in seconds (with a named time zone),
 * milliseconds and nanoseconds, Float16, unsigned integers, Duration, Decimal128 of small precision. The file
 * keeps the Arrow schema as a hint, so parquet-wasm decodes these Arrow types again.
 */
export function writeArrowFixture(path: string, rows = 2500): void {
  const valid = new Uint8Array(Math.ceil(rows / 8));
  for (let i = 0; i < rows; i++) if (i % 7 !== 3) valid[i >>> 3]! |= 1 << (i & 7);
  let nc = 0;
  for (let i = 0; i < rows; i++) if (((valid[i >>> 3]! >>> (i & 7)) & 1) === 0) nc++;
  const make = <T extends A.DataType>(type: T, data: ArrayBufferView, extra: Record<string, unknown> = {}): A.Vector<T> =>
    A.makeVector(A.makeData({ type, length: rows, nullCount: nc, nullBitmap: valid, data, ...extra } as never) as A.Data<T>);
  const seq = <T>(f: (i: number) => T): T[] => Array.from({ length: rows }, (_, i) => f(i));
  const dictValues = A.vectorFromArray(['red', 'green', 'blue', '', 'ünï'], new A.Utf8());
  const dict = <I extends A.Int8 | A.Int16 | A.Int32>(indices: I, Ctor: new (n: number) => Int8Array | Int16Array | Int32Array): A.Vector =>
    make(new A.Dictionary(new A.Utf8(), indices), Object.assign(new Ctor(rows), seq((i) => (i * 3) % 5)), { dictionary: dictValues });
  const strings = seq((i) => (i % 11 === 0 ? '' : `str ${i} ${'é'.repeat(i % 5)}`));
  const big = (f: (i: number) => bigint): BigInt64Array => BigInt64Array.from(seq(f));
  const cols: Record<string, A.Vector> = {
    dict8: dict(new A.Int8(), Int8Array),
    dict16: dict(new A.Int16(), Int16Array),
    dict32: dict(new A.Int32(), Int32Array),
    large_utf8: A.vectorFromArray(strings.map((s, i) => (i % 7 === 3 ? null : s)), new A.LargeUtf8()),
    large_binary: A.vectorFromArray(strings.map((s, i) => (i % 7 === 3 ? null : new TextEncoder().encode(s))), new A.LargeBinary()),
    date64: make(new A.DateMillisecond(), big((i) => BigInt(i - 1500) * 86_400_000n)),
    ts_s_ny: make(new A.Timestamp(A.TimeUnit.SECOND, 'America/New_York'), big((i) => BigInt(i) * 7_919n - 10_000_000n)),
    ts_ms: make(new A.Timestamp(A.TimeUnit.MILLISECOND, null), big((i) => BigInt(i) * 1_234_567_891n - 2_000_000_000_000n)),
    ts_us_utc: make(new A.Timestamp(A.TimeUnit.MICROSECOND, 'UTC'), big((i) => BigInt(i) * 987_654_321_987n - 1_000_000_000_000_000n)),
    ts_ns: make(new A.Timestamp(A.TimeUnit.NANOSECOND, null), big((i) => BigInt(i) * 123_456_789_123_457n - 100_000_000_000_000_000n)),
    f16: make(new A.Float16(), Uint16Array.from(seq((i) => [0x3c00, 0xc000, 0x3555, 0x0001, 0x7bff, 0x8000][i % 6]!))),
    u8: make(new A.Uint8(), Uint8Array.from(seq((i) => (i * 13) % 256))),
    u16: make(new A.Uint16(), Uint16Array.from(seq((i) => (i * 4099) % 65536))),
    u32: make(new A.Uint32(), Uint32Array.from(seq((i) => (i * 2_654_435_761) % 4_294_967_296))),
    u64: make(new A.Uint64(), BigUint64Array.from(seq((i) => (BigInt(i) * 11_400_714_819_323_198_485n) % 18_446_744_073_709_551_616n))),
    i8: make(new A.Int8(), Int8Array.from(seq((i) => (i % 256) - 128))),
    dur_ms: make(new A.Duration(A.TimeUnit.MILLISECOND), big((i) => BigInt(i) * 1000n - 7n)),
    dec_5_2: make(new A.Decimal(2, 5, 128), Uint32Array.from(seq((i) => i).flatMap((i) => {
      const v = (i * 37) % 199_999 - 99_999;
      const ext = v < 0 ? 0xffffffff : 0;
      return [v >>> 0, ext, ext, ext];
    }))),
  };
  const table = new A.Table(cols);
  const props = new WriterPropertiesBuilder().setMaxRowGroupSize(1000).build();
  const bytes = writeParquet(WasmTable.fromIPCStream(A.tableToIPC(table, 'stream')), props);
  writeFileSync(path, bytes);
}
