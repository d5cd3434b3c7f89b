/**
 * Hostile CSV files (issue 9, item 2): ragged rows, broken quoting, invalid UTF-8, NUL bytes, mixed line endings,
 * header-only and empty files, a BOM, a huge single field. Each query returns the answer the file holds or a
 * ShoalError naming the file and line — never a crash, a hang or GENERIC_INTERNAL_ERROR.
 * (Per-rule reader tests: test/unit/formats/csv/errors.test.ts.)
 */
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShoalError } from '../../src/common/index.js';
import { Shoal, toJsValue, type Session } from '../../src/index.js';

let dir: string;
let session: Session;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'shoal-hostile-csv-'));
  session = (await Shoal.open({ cwd: dir })).session();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Outcome = { columns: string[]; rows: unknown[][] } | { error: ShoalError };

async function run(sql: string): Promise<Outcome> {
  try {
    const r = await session.query(sql);
    const rows = (await r.rowsAsScalars()).map((row) => row.map((v, i) => toJsValue(v, r.fields[i]!.type)));
    return { columns: r.fields.map((f) => f.name), rows };
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(ShoalError);
    expect((e as ShoalError).message).not.toMatch(/\n\s+at /);
    return { error: e as ShoalError };
  }
}

async function query(name: string, content: string | Uint8Array, sql = `SELECT * FROM '${name}'`): Promise<Outcome> {
  writeFileSync(path.join(dir, name), content);
  return run(sql);
}

function expectError(o: Outcome, code: string, message: RegExp): void {
  expect('error' in o, JSON.stringify('rows' in o ? o.rows : undefined)).toBe(true);
  const e = (o as { error: ShoalError }).error;
  expect(e.code, e.message).toBe(code);
  expect(e.message).toMatch(message);
}

function expectFileError(o: Outcome, name: string, code: string, detail: string): void {
  expectError(o, code, new RegExp(`^${escape(path.join(dir, name))}: ${escape(detail)}$`));
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function expectAnswer(o: Outcome, columns: string[], rows: unknown[][]): void {
  if ('error' in o) throw o.error;
  expect(o.columns).toEqual(columns);
  expect(o.rows).toEqual(rows);
}

describe('structure', () => {
  it('rejects ragged rows naming the file and line', async () => {
    expectFileError(await query('short.csv', 'a,b\n1,2\n3\n4,5\n'), 'short.csv', 'BAD_DATA', 'line 3 has 1 field, expected 2');
    expectFileError(await query('long.csv', 'a,b\n1,2\n4,5,6\n'), 'long.csv', 'BAD_DATA', 'line 3 has 3 fields, expected 2');
  });

  it('rejects broken quoting, and reads a quote inside an unquoted field as a character', async () => {
    expectFileError(await query('open.csv', 'a,b\n1,"abc\n2,3\n'), 'open.csv', 'BAD_DATA',
      'line 2: a quoted field opened here is never closed before the end of the file');
    expectFileError(await query('open-eof.csv', 'a,b\n1,2\n3,"x'), 'open-eof.csv', 'BAD_DATA',
      'line 3: a quoted field opened here is never closed before the end of the file');
    expectFileError(await query('after.csv', 'a,b\n1,"ab"c\n'), 'after.csv', 'BAD_DATA', 'line 2: unexpected text after the closing quote of a field');
    expectAnswer(await query('inner.csv', 'a,b\n1,ab"c\n2,d\n'), ['a', 'b'], [[1n, 'ab"c'], [2n, 'd']]);
  });

  it('reads mixed line endings, a BOM, NUL bytes and a header-only file', async () => {
    expectAnswer(await query('eol.csv', 'a,b\r\n1,2\n3,4\r5,6\r\n'), ['a', 'b'], [[1n, 2n], [3n, 4n], [5n, 6n]]);
    expectAnswer(await query('bom.csv', '\ufeffa,b\n1,2\n'), ['a', 'b'], [[1n, 2n]]);
    expectAnswer(await query('nul.csv', 'a,b\n1,x\0y\n2,\0\n'), ['a', 'b'], [[1n, 'x\0y'], [2n, '\0']]);
    expectAnswer(await query('header-only.csv', 'a,b\n'), ['a', 'b'], []);
    expectAnswer(await query('header-only-no-eol.csv', 'a,b'), ['a', 'b'], []);
  });

  it('rejects files with nothing to infer columns from', async () => {
    for (const [name, content] of [['empty.csv', ''], ['bom-only.csv', '\ufeff'], ['blank.csv', '\n\n\n']] as const) {
      expectFileError(await query(name, content), name, 'BAD_DATA', 'the file is empty, so its columns cannot be inferred');
    }
  });

  it('reads 5,000 columns', async () => {
    const header = Array.from({ length: 5000 }, (_, i) => `c${i}`).join(',');
    const row = Array.from({ length: 5000 }, (_, i) => i).join(',');
    expectAnswer(await query('wide.csv', `${header}\n${row}\n`, `SELECT count(*) AS n, sum(c4999) AS s FROM 'wide.csv'`), ['n', 's'], [[1n, 4999n]]);
  });

  it('rejects damaged gzip as CORRUPT_FILE', async () => {
    expectFileError(await query('bad.csv.gz', 'not gzip at all'), 'bad.csv.gz', 'CORRUPT_FILE', 'not a valid gzip stream (incorrect header check)');
  });
});

describe('encoding', () => {
  it('rejects invalid UTF-8 in a value naming the file, line and column', async () => {
    const bytes = Buffer.concat([Buffer.from('a,b\n1,'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('\n2,x\n')]);
    expectFileError(await query('utf8.csv', bytes), 'utf8.csv', 'BAD_DATA', 'line 2: column "b" holds bytes that are not valid UTF-8');
  });

  it('reads a header with invalid UTF-8 with the bytes replaced', async () => {
    const bytes = Buffer.concat([Buffer.from('a,'), Buffer.from([0xff]), Buffer.from('\n1,2\n')]);
    expectAnswer(await query('utf8-header.csv', bytes), ['a', '\ufffd'], [[1n, 2n]]);
  });
});

describe('a huge single field', () => {
  it('reads a 20 MB field, counts its characters, and refuses to split it into an array', async () => {
    const p = path.join(dir, 'huge.csv');
    const out = createWriteStream(p);
    out.write('a,b\n1,"');
    const mb = Buffer.alloc(1 << 20, 'x');
    for (let i = 0; i < 20; i++) out.write(mb);
    out.end('é"\n2,y\n');
    await new Promise<void>((resolve) => out.on('finish', () => resolve()));
    expectAnswer(await run(`SELECT a, length(b) AS n, strpos(b, 'é') AS at FROM 'huge.csv'`), ['a', 'n', 'at'],
      [[1n, 20 * 2 ** 20 + 1, 20 * 2 ** 20 + 1], [2n, 1, 0]].map(([a, n, at]) => [a, BigInt(n!), BigInt(at!)]));
    expectError(await run(`SELECT reverse(b) FROM 'huge.csv'`), 'EXCEEDED_MEMORY_LIMIT', /A string of 20971521 characters is too long for this string function/);
  });
});
