/**
 * Randomised RFC 4180 round trips: values with delimiters, quotes, CR, LF, CRLF, unicode and empty strings are
 * written the way RFC 4180 says and must read back exactly, whatever the chunk and batch sizes; the same file
 * read by DuckDB must agree. Also: a field far larger than a chunk costs time and memory linear in its size.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VARCHAR, BIGINT } from '../../../../src/types/index.js';
import { DuckOracle, TempDir, errorOf, fields, opts, readWithShoal } from './csv-test-helpers.js';

let tmp: TempDir;
let duck: DuckOracle;
beforeAll(async () => {
  tmp = new TempDir();
  duck = await DuckOracle.create();
});
afterAll(() => tmp.remove());

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const PIECES = ['a', 'b', 'xyz', ',', '"', '""', '\n', '\r\n', '\r', ' ', '\t', 'é', '日本', '😀', 'NULL', '0', '|'];

function randomValue(r: () => number): string | null {
  const u = r();
  if (u < 0.08) return null;
  if (u < 0.14) return '';
  let s = '';
  const n = Math.floor(r() * 6);
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(r() * PIECES.length)]!;
  return s;
}

function encode(v: string | null, delimiter: string, quoteAll: boolean): string {
  if (v === null) return '';
  if (v === '' || quoteAll || v.includes(delimiter) || /["\r\n]/.test(v)) return `"${v.replace(/"/g, '""')}"`;
  return v;
}

describe('RFC 4180 round trip', () => {
  for (const [seed, delimiter, eol, quoteAll] of [[1, ',', '\n', false], [2, ',', '\r\n', true], [3, '|', '\r\n', false], [4, '\t', '\n', false]] as const) {
    it(`reads back random values exactly (seed ${seed}, delimiter ${JSON.stringify(delimiter)}, ${JSON.stringify(eol)})`, async () => {
      const r = rng(seed);
      const rows: (string | null)[][] = [];
      for (let i = 0; i < 400; i++) rows.push([String(i), randomValue(r), randomValue(r), randomValue(r)]);
      // A last value that is NULL would leave a blank-looking line only with one column; here there are four.
      const text = 'id,a,b,c'.replace(/,/g, delimiter) + eol
        + rows.map((row) => row.map((v) => encode(v, delimiter, quoteAll)).join(delimiter)).join(eol) + (seed % 2 === 0 ? eol : '');
      const p = tmp.write(`rt${seed}.csv`, text);
      const cols = fields({ id: BIGINT, a: VARCHAR, b: VARCHAR, c: VARCHAR });
      const expected = rows.map((row) => [BigInt(row[0]!), row[1]!, row[2]!, row[3]!]);
      const o = opts({ delimiter });
      expect((await readWithShoal(p, o, cols)).rows).toEqual(expected);
      for (const chunkSize of [1, 2, 3, 5, 8, 13, 101, 1000]) {
        const got = await readWithShoal(p, o, cols, { chunkSize, batchSize: 1 + Math.floor(r() * 100), dictionary: r() < 0.5 });
        expect(got.rows, `chunk ${chunkSize}`).toEqual(expected);
      }
      expect(await duck.read(p, o, cols)).toEqual(expected);
    });
  }
});

describe('large fields', () => {
  it('reads a 32 MB field through 64 KiB chunks', async () => {
    const big = 'ab,"\n'.repeat(32 * 1024 * 1024 / 5);
    const p = tmp.write('big.csv', `id,v,w\n1,"${big.replace(/"/g, '""')}",x\n2,y,z\n`);
    const got = await readWithShoal(p, opts(), fields({ id: BIGINT, v: VARCHAR, w: VARCHAR }), { chunkSize: 64 * 1024 });
    expect(got.rows.length).toBe(2);
    expect(got.rows[0]![1]).toBe(big);
    expect(got.rows[1]).toEqual([2n, 'y', 'z']);
  });

  it('fails an unterminated quote in a 16 MB file without hanging', async () => {
    const p = tmp.write('open.csv', 'a,b\n1,"' + 'x,\n'.repeat(16 * 1024 * 1024 / 3) + '\n');
    const err = await errorOf(readWithShoal(p, opts(), fields({ a: BIGINT, b: VARCHAR }), { chunkSize: 64 * 1024 }));
    expect(err.message).toContain('line 2: a quoted field opened here is never closed');
  });
});
