/**
 * Schema inference: names from the header (DuckDB's unique-name rules), types from a sample, checked against
 * the expected types and against DuckDB's sniffer, with every known difference spelled out.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckOracle, TempDir, errorOf, inferWithShoal, opts } from './csv-test-helpers.js';

let tmp: TempDir;
let duck: DuckOracle;

beforeAll(async () => {
  tmp = new TempDir();
  duck = await DuckOracle.create();
});
afterAll(() => tmp.remove());

const SAMPLE = [
  'b,i,big,d,e,dt,ts,mix,zip,tf,plus,allnull,boolnum,qnum,esc,shortdate,a,,a,A,lead0dbl,sp',
  'true,1,9223372036854775808,1.5,1e5,2024-01-02,2024-01-02 03:04:05,2024-01-02,00123,t,+5,,1,"12","a""b",2024-1-2,x,y,z,w,0.5, 5 ',
  'FALSE,-2,1,2,2.5E-3,2024-02-29,2024-01-02 03:04:05.123,2024-01-02 03:04:05,02134,f,+6,,0,"13",x,2024-1-3,x,y,z,w,-0.25,6',
  ',3,2,-0.5,-7,,2024-12-31T23:59:59,,,t,7,,1,,,,x,y,z,w,.5,7',
  '',
].join('\n');

/** Shoal's inference for SAMPLE. */
const EXPECTED = [
  'b:boolean', 'i:bigint', 'big:double', 'd:double', 'e:double', 'dt:date', 'ts:timestamp(6)',
  'mix:timestamp(6)', // DuckDB: VARCHAR (its sniffer wants one format per column)
  'zip:varchar', // leading zeros stay text, as in DuckDB
  'tf:varchar', // DuckDB: BOOLEAN (it also takes t/f, yes/no); Shoal infers boolean from true/false only
  'plus:varchar', 'allnull:varchar', 'boolnum:bigint', 'qnum:bigint', 'esc:varchar',
  'shortdate:varchar', // DuckDB: DATE (it takes 1-digit months and days); Shoal wants YYYY-MM-DD
  'a:varchar', 'column17:varchar', 'a_1:varchar', 'A_2:varchar', 'lead0dbl:double', 'sp:bigint',
];

/** DuckDB's sniffer on SAMPLE, in its own type names; the differences from EXPECTED are marked above. */
const DUCKDB = [
  'b:BOOLEAN', 'i:BIGINT', 'big:DOUBLE', 'd:DOUBLE', 'e:DOUBLE', 'dt:DATE', 'ts:TIMESTAMP', 'mix:VARCHAR', 'zip:VARCHAR',
  'tf:BOOLEAN', 'plus:VARCHAR', 'allnull:VARCHAR', 'boolnum:BIGINT', 'qnum:BIGINT', 'esc:VARCHAR', 'shortdate:DATE',
  'a:VARCHAR', 'column17:VARCHAR', 'a_1:VARCHAR', 'A_2:VARCHAR', 'lead0dbl:DOUBLE', 'sp:BIGINT',
];

describe('inferCsvSchema', () => {
  it('infers the narrowest type per column and DuckDB-style unique names', async () => {
    const p = tmp.write('sample.csv', SAMPLE);
    expect(await inferWithShoal(p, opts())).toEqual(EXPECTED);
    expect(await duck.sniff(p)).toEqual(DUCKDB);
  });

  it('gives the same answer for every chunk size and through gzip', async () => {
    const p = tmp.write('sample2.csv', SAMPLE.replace(/\n/g, '\r\n'));
    for (const chunk of [1, 3, 7, 64]) expect(await inferWithShoal(p, opts(), { chunkSize: chunk })).toEqual(EXPECTED);
    const g = tmp.write('sample.csv.gz', gzipSync(Buffer.from(SAMPLE)));
    expect(await inferWithShoal(g, opts())).toEqual(EXPECTED);
  });

  it('names columns column0… without a header and types the first row too', async () => {
    const p = tmp.write('nohdr.csv', '1,x,2024-01-01\n2,y,2024-01-02\n');
    expect(await inferWithShoal(p, opts({ header: false }))).toEqual(['column0:bigint', 'column1:varchar', 'column2:date']);
    expect(await duck.sniff(p)).toEqual(['column0:BIGINT', 'column1:VARCHAR', 'column2:DATE']);
  });

  it('looks only at the first sample_rows rows', async () => {
    const p = tmp.write('late.csv', 'v\n1\n2\n3\nabc\n');
    expect(await inferWithShoal(p, opts({ sampleRows: 3 }))).toEqual(['v:bigint']);
    expect(await inferWithShoal(p, opts({ sampleRows: 4 }))).toEqual(['v:varchar']);
  });

  it('widens integers beyond int64 to double, mixes of ints and doubles to double, dates and timestamps to timestamp', async () => {
    const p = tmp.write('widen.csv', 'a,b,c,d\n-9223372036854775808,1,2024-01-01,1\n-9223372036854775809,1.5,2024-01-01 10:00:00.123456789,x\n');
    expect(await inferWithShoal(p, opts())).toEqual(['a:double', 'b:double', 'c:timestamp(6)', 'd:varchar']);
  });

  it('honours the NULL string, skip, delimiter and quote while sampling', async () => {
    const p = tmp.write('opts.tsv', 'junk line\nx\ty\nNA\t\'1\'\n5\tNA\n');
    expect(await inferWithShoal(p, opts({ skipRows: 1, delimiter: '\t', quote: "'", nullString: 'NA' }))).toEqual(['x:bigint', 'y:bigint']);
  });

  it('types a header-only file as varchar and refuses an empty file', async () => {
    const h = tmp.write('hdr.csv', 'a,b\n');
    expect(await inferWithShoal(h, opts())).toEqual(['a:varchar', 'b:varchar']);
    const e = tmp.write('empty.csv', '');
    const err = await errorOf(inferWithShoal(e, opts()));
    expect(err.code).toBe('BAD_DATA');
    expect(err.message).toContain('empty.csv');
    expect(err.message).toContain('empty');
  });

  it('reads a header wider than the first guess', async () => {
    const names = Array.from({ length: 300 }, (_, i) => `c${i}`);
    const p = tmp.write('wide.csv', names.join(',') + '\n' + names.map((_, i) => String(i)).join(',') + '\n');
    const got = await inferWithShoal(p, opts());
    expect(got).toHaveLength(300);
    expect(got[299]).toBe('c299:bigint');
  });
});
