/** Every failure is a ShoalError naming the file (as `location` and in the message) and, for rows, the line. */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIGINT, DATE, DOUBLE, INTEGER, TINYINT, VARCHAR, decimalType, timestampType } from '../../../../src/types/index.js';
import { TempDir, errorOf, fields, fs, inferWithShoal, opts, readWithShoal } from './csv-test-helpers.js';
import { readCsv } from '../../../../src/formats/csv/index.js';

let tmp: TempDir;
beforeAll(() => {
  tmp = new TempDir();
});
afterAll(() => tmp.remove());

const FOUR = fields({ a: INTEGER, b: VARCHAR, c: VARCHAR, d: INTEGER });

/** A 4-column file whose row 2 spans lines 3-4 (a quoted line break); `bad` replaces line `at`. */
function fourColumns(at: number, bad: string): string {
  const lines = ['a,b,c,d', '1,x,y,2', '2,"multi', 'line",z,3'];
  while (lines.length < 30) lines.push(`${lines.length},p,q,${lines.length}`);
  lines[at - 1] = bad;
  return lines.join('\n') + '\n';
}

describe('field counts', () => {
  it('names the file and the physical line of a row with too many fields, and hints at the fix', async () => {
    const p = tmp.write('extra.csv', fourColumns(17, '16,p,q,16,extra'));
    const err = await errorOf(readWithShoal(p, opts(), FOUR));
    expect(err.code).toBe('BAD_DATA');
    expect(err.message).toBe(`${p}: line 17 has 5 fields, expected 4`);
    expect(err.location).toBe(p);
    expect(err.hint).toMatch(/fix the file/i);
  });

  it('fails a short row unless null_padding is set, and still fails extra fields with it', async () => {
    const p = tmp.write('short.csv', fourColumns(9, '8,p'));
    const err = await errorOf(readWithShoal(p, opts(), FOUR));
    expect(err.message).toBe(`${p}: line 9 has 2 fields, expected 4`);
    expect(err.hint).toContain('null_padding');
    const rows = (await readWithShoal(p, opts({ nullPadding: true }), FOUR)).rows;
    expect(rows[6]).toEqual([8, 'p', null, null]);
    const q = tmp.write('extra2.csv', fourColumns(12, '1,2,3,4,5,6'));
    const err2 = await errorOf(readWithShoal(q, opts({ nullPadding: true }), FOUR));
    expect(err2.message).toBe(`${q}: line 12 has 6 fields, expected 4`);
  });

  it('checks the header row against the declared columns, and sampled rows during inference', async () => {
    const p = tmp.write('hdr.csv', 'a,b,c\n1,2,3\n');
    expect((await errorOf(readWithShoal(p, opts(), FOUR))).message).toBe(`${p}: line 1 has 3 fields, expected 4`);
    const q = tmp.write('inf.csv', 'a,b\n1,2\n3\n');
    expect((await errorOf(inferWithShoal(q, opts()))).message).toBe(`${q}: line 3 has 1 field, expected 2`);
  });

  it('counts lines after skipped lines, CRLF and lone CR line breaks', async () => {
    const p = tmp.write('lines.csv', 'skip me\r\na,b\r\n1,2\r3,4\r\n"5\r\n",6\n7\n');
    const err = await errorOf(readWithShoal(p, opts({ skipRows: 1 }), fields({ a: VARCHAR, b: INTEGER })));
    expect(err.message).toBe(`${p}: line 7 has 1 field, expected 2`);
  });
});

describe('values', () => {
  it('names file, line, column and value when a value does not parse, and suggests varchar', async () => {
    const p = tmp.write('val.csv', 'id,amount\n1,2.5\n2,"3\nx"\n3,abc\n');
    const err = await errorOf(readWithShoal(p, opts(), fields({ id: BIGINT, amount: DOUBLE })));
    expect(err.code).toBe('BAD_DATA');
    expect(err.location).toBe(p);
    expect(err.message).toBe(`${p}: line 3: cannot read '3\\nx' as double in column "amount"`);
    expect(err.hint).toContain('varchar');
  });

  it('reads fine when the bad column is not projected', async () => {
    const p = tmp.write('skipbad.csv', 'id,amount\n1,abc\n2,def\n');
    expect((await readWithShoal(p, opts(), fields({ id: BIGINT, amount: DOUBLE }), {}, [0])).rows).toEqual([[1n], [2n]]);
  });

  it('truncates long values in messages', async () => {
    const long = 'z'.repeat(500);
    const p = tmp.write('long.csv', `n\n${long}\n`);
    const err = await errorOf(readWithShoal(p, opts(), fields({ n: INTEGER })));
    expect(err.message).toContain(`'${'z'.repeat(40)}…'`);
    expect(err.message.length).toBeLessThan(p.length + 120);
  });

  it('rejects values out of the type range, and each type names itself', async () => {
    const cases: [string, import('../../../../src/types/index.js').SqlType, string][] = [
      ['300', TINYINT, "cannot read '300' as tinyint in column \"v\" (out of range)"],
      ['9223372036854775808', BIGINT, 'as bigint in column "v" (out of range)'],
      ['1.5', INTEGER, "cannot read '1.5' as integer"],
      ['1234.5', decimalType(5, 2), 'as decimal(5,2) in column "v" (too many digits)'],
      ['2024-02-30', DATE, "cannot read '2024-02-30' as date"],
      ['2024-01-01 25:00:00', timestampType(6), 'as timestamp(6)'],
      ['maybe', { kind: 'boolean' }, "cannot read 'maybe' as boolean"],
    ];
    for (const [value, type, text] of cases) {
      const p = tmp.write('range.csv', `v\n\n${value}\n`); // line 2 is blank: a NULL row
      const err = await errorOf(readWithShoal(p, opts({ header: true }), [{ name: 'v', type, nullable: true }]));
      expect(err.message.startsWith(`${p}: line 3: `), err.message).toBe(true);
      expect(err.message).toContain(text);
    }
  });

  it('reports the right line deep into a file read in small chunks and batches', async () => {
    const lines = ['v'];
    for (let i = 1; i < 50_000; i++) lines.push(String(i));
    lines.push('oops');
    const p = tmp.write('deep.csv', lines.join('\n') + '\n');
    const err = await errorOf(readWithShoal(p, opts(), fields({ v: INTEGER }), { chunkSize: 4096, batchSize: 1000 }));
    expect(err.message).toContain(`${p}: line 50001: cannot read 'oops'`);
  });
});

describe('quotes', () => {
  it('names the line where an unterminated quote opened', async () => {
    const p = tmp.write('unterminated.csv', 'a,b\n1,x\n2,"never closed\n3,y\n4,z\n');
    for (const chunkSize of [undefined, 4]) {
      const err = await errorOf(readWithShoal(p, opts(), fields({ a: INTEGER, b: VARCHAR }), chunkSize === undefined ? {} : { chunkSize }));
      expect(err.code).toBe('BAD_DATA');
      expect(err.message).toMatch(new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: line 3: a quoted field opened here is never closed`));
    }
  });

  it('rejects text after a closing quote', async () => {
    const p = tmp.write('after.csv', 'a,b\n1,"x"y\n');
    const err = await errorOf(readWithShoal(p, opts(), fields({ a: INTEGER, b: VARCHAR })));
    expect(err.message).toBe(`${p}: line 2: unexpected text after the closing quote of a field`);
  });
});

describe('encoding and compression', () => {
  it('names file and line of invalid UTF-8, in dictionary and plain modes, quoted or not', async () => {
    const bytes = (s: string, bad: number[]): Uint8Array => {
      const head = Buffer.from(s);
      return Buffer.concat([head, Buffer.from(bad), Buffer.from('\n')]);
    };
    const cases: number[][] = [[0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf4, 0x90, 0x80, 0x80], [0x80]];
    for (const bad of cases) {
      const p = tmp.write('bad-utf8.csv', bytes('s,n\nok,1\n"a,\nb",2\nbad', bad));
      for (const dictionary of [true, false]) {
        const err = await errorOf(readWithShoal(p, opts({ nullPadding: true }), fields({ s: VARCHAR, n: INTEGER }), { dictionary }));
        expect(err.code).toBe('BAD_DATA');
        expect(err.message, bad.join(' ')).toBe(`${p}: line 5: column "s" holds bytes that are not valid UTF-8`);
      }
    }
    const ok = tmp.write('good-utf8.csv', 's\n"\u00e9\u20ac\ud83d\ude00\uffff"\n');
    expect((await readWithShoal(ok, opts(), fields({ s: VARCHAR }))).rows).toEqual([['\u00e9\u20ac\ud83d\ude00\uffff']]);
  });

  it('fails a corrupt or truncated gzip stream with CORRUPT_FILE naming the file', async () => {
    const junk = tmp.write('junk.csv.gz', Buffer.from('this is not gzip at all\n'));
    const e1 = await errorOf(readWithShoal(junk, opts(), fields({ a: VARCHAR })));
    expect(e1.code).toBe('CORRUPT_FILE');
    expect(e1.message).toMatch(new RegExp(`^${junk.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not a valid gzip stream`));
    expect(e1.location).toBe(junk);
    const full = gzipSync(Buffer.from('a\n' + 'hello\n'.repeat(10_000)));
    const cut = tmp.write('cut.csv.gz', full.subarray(0, full.length - 20));
    const e2 = await errorOf(readWithShoal(cut, opts(), fields({ a: VARCHAR })));
    expect(e2.code).toBe('CORRUPT_FILE');
  });
});

describe('options and cancellation', () => {
  it('rejects a delimiter that is not one byte', async () => {
    const p = tmp.write('opt.csv', 'a\n1\n');
    const err = await errorOf(readWithShoal(p, opts({ delimiter: '||' }), fields({ a: INTEGER })));
    expect(err.code).toBe('INVALID_ARGUMENTS');
    expect(err.message).toContain('single byte');
  });

  it('stops with USER_CANCELED when the signal aborts', async () => {
    const p = tmp.write('cancel.csv', 'a\n' + '1\n'.repeat(100_000));
    const ac = new AbortController();
    const file = await fs.open(p);
    try {
      const err = await errorOf((async () => {
        for await (const b of readCsv(file, opts(), fields({ a: INTEGER }), [0], { signal: ac.signal, batchSize: 1000 })) {
          if (b.numRows > 0) ac.abort();
        }
      })());
      expect(err.code).toBe('USER_CANCELED');
    } finally {
      await file.close();
    }
  });
});
