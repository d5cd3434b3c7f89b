/**
 * Decoder rules where Shoal follows Trino rather than DuckDB, or that DuckDB cannot express (timestamp(3) in
 * microseconds, timestamp with time zone from offsets, the unknown type, dictionary layout), and agreement of
 * the byte fast paths with the string slow paths on random inputs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Type } from 'apache-arrow';
import {
  BIGINT, DOUBLE, REAL, UNKNOWN, VARCHAR, INTERVAL_DAY_TIME, batchColumn, decimalType, formatDecimal, parseDecimal,
  timestampType,
} from '../../../../src/types/index.js';
import { TempDir, errorOf, fields, opts, readWithShoal } from './csv-test-helpers.js';

let tmp: TempDir;
beforeAll(() => {
  tmp = new TempDir();
});
afterAll(() => tmp.remove());

const EPOCH_2024 = 1704067200n; // 2024-01-01 00:00:00 UTC in seconds

describe('timestamps', () => {
  it('rounds fraction digits beyond the precision half up (Trino; DuckDB truncates) and stores µs for p <= 6', async () => {
    const p = tmp.write('tsp.csv', 't0,t3,t6\n2024-01-01 00:00:00.5,2024-01-01 00:00:00.1235,2024-01-01 00:00:00.1234567\n'
      + '2024-01-01 00:00:00.4,2024-01-01 00:00:00.9999,2024-01-01 00:00:00.0000004\n');
    const rows = (await readWithShoal(p, opts(), fields({ t0: timestampType(0), t3: timestampType(3), t6: timestampType(6) }))).rows;
    const us = EPOCH_2024 * 1_000_000n;
    expect(rows).toEqual([
      [us + 1_000_000n, us + 124_000n, us + 123_457n],
      [us, us + 1_000_000n, us],
    ]);
  });

  it('converts offsets to UTC for timestamp with time zone and drops them for timestamp (as DuckDB does)', async () => {
    const p = tmp.write('tz.csv', 'a,b\n2024-01-01 02:00:00+02:00,2024-01-01 02:00:00+02:00\n2024-01-01 00:00:00Z,2024-01-01T00:00:00 UTC\n2024-01-01 00:00:00,2024-01-01 00:00:00\n');
    const rows = (await readWithShoal(p, opts(), fields({ a: timestampType(6, true), b: timestampType(6) }))).rows;
    const us = EPOCH_2024 * 1_000_000n;
    expect(rows).toEqual([[us, us + 7_200_000_000n], [us, us], [us, us]]);
  });

  it('uses BigInt only outside ±2^53 units and stays exact there', async () => {
    const p = tmp.write('far.csv', 'n\n2262-04-11 23:47:16.854775807\n1677-09-21 00:12:43.145224192\n');
    const rows = (await readWithShoal(p, opts(), fields({ n: timestampType(9) }))).rows;
    expect(rows).toEqual([[9223372036854775807n], [-9223372036854775808n]]);
  });
});

describe('numbers', () => {
  it('reads real as the double rounded to float32', async () => {
    const p = tmp.write('real.csv', 'r\n0.1\n3.4028235e38\n-1.5\n');
    const rows = (await readWithShoal(p, opts(), fields({ r: REAL }))).rows;
    expect(rows).toEqual([[Math.fround(0.1)], [Math.fround(3.4028235e38)], [-1.5]]);
  });

  it('agrees between the byte fast path and the string slow path on random decimals', async () => {
    let seed = 7;
    const r = (): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 4294967296;
    };
    const values: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const intDigits = Math.floor(r() * 12);
      const fracDigits = Math.floor(r() * 6);
      let s = r() < 0.3 ? '-' : '';
      for (let k = 0; k < intDigits; k++) s += String(Math.floor(r() * 10));
      if (intDigits === 0) s += '0';
      if (fracDigits > 0) s += '.';
      for (let k = 0; k < fracDigits; k++) s += String(Math.floor(r() * 10));
      values.push(s);
    }
    const p = tmp.write('decs.csv', 'a,b,c\n' + values.map((v) => `${v},${v},${v}`).join('\n') + '\n');
    const rows = (await readWithShoal(p, opts(), fields({ a: decimalType(18, 3), b: decimalType(38, 3), c: DOUBLE }))).rows;
    rows.forEach((row, i) => {
      const exact = formatDecimal(parseDecimal(values[i]!, 3)!, 3);
      expect(row[0], values[i]).toBe(exact);
      expect(row[1], values[i]).toBe(exact);
      expect(row[2], values[i]).toBe(Number(values[i]));
    });
  });

  it('reads bigints beyond 2^53 exactly and integers with spaces or a plus sign', async () => {
    const p = tmp.write('bigs.csv', 'b\n9007199254740993\n-9007199254740993\n 12 \n+7\n"42"\n');
    expect((await readWithShoal(p, opts(), fields({ b: BIGINT }))).rows).toEqual([[9007199254740993n], [-9007199254740993n], [12n], [7n], [42n]]);
  });
});

describe('layouts and types', () => {
  it('gives the same strings dictionary-encoded or plain, and switches to plain for high cardinality', async () => {
    const lines = ['k'];
    for (let i = 0; i < 7000; i++) lines.push(i % 3 === 0 ? '' : i < 2500 ? `v${i % 7}` : `u${i}`);
    const p = tmp.write('dict.csv', lines.join('\n') + '\n');
    const a = await readWithShoal(p, opts(), fields({ k: VARCHAR }), { batchSize: 2000 });
    const b = await readWithShoal(p, opts(), fields({ k: VARCHAR }), { dictionary: false });
    expect(a.rows).toEqual(b.rows);
    expect(a.batches.map((x) => batchColumn(x, 0).typeId)).toEqual([
      Type.Dictionary, Type.Dictionary, // about 1000 distinct values in 2000 rows still pay
      Type.Utf8, // more than 1024 distinct values making up over half the rows: gave up
      Type.Utf8, // and stays plain for the rest of the file
    ]);
    expect(batchColumn(b.batches[0]!, 0).typeId).toBe(Type.Utf8);
  });

  it('reads a column of the unknown type as NULLs and refuses interval columns', async () => {
    const p = tmp.write('unk.csv', 'a,b\n1,x\n2,y\n');
    expect((await readWithShoal(p, opts(), fields({ a: UNKNOWN, b: VARCHAR }))).rows).toEqual([[null, 'x'], [null, 'y']]);
    const err = await errorOf(readWithShoal(p, opts(), fields({ a: INTERVAL_DAY_TIME, b: VARCHAR })));
    expect(err.code).toBe('NOT_SUPPORTED');
    expect(err.message).toContain('unk.csv');
  });
});
