import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, test } from 'vitest';
import { CsvFileWriter, csvField } from '../../../../src/formats/index.js';
import { LocalFileSystem } from '../../../../src/fs/index.js';
import { BIGINT, DATE, VARCHAR, columnFromScalars, makeBatch, timestampType, type ColumnField } from '../../../../src/types/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'shoal-csv-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fs = new LocalFileSystem();
const fields: ColumnField[] = [
  { name: 'id', type: BIGINT, nullable: true },
  { name: 'name', type: VARCHAR, nullable: true },
  { name: 'day', type: DATE, nullable: true },
  { name: 'at', type: timestampType(3, true, 'America/New_York'), nullable: true },
];
const batch = makeBatch(fields, [
  columnFromScalars(BIGINT, [1n, 2n, null]),
  columnFromScalars(VARCHAR, ['a;b', '\\N', null]),
  columnFromScalars(DATE, [19723, null, 0]),
  // 2024-01-01 15:00:00 UTC, in microseconds.
  columnFromScalars(timestampType(3, true, 'America/New_York'), [1704121200000000n, null, null]),
], 3);

describe('CsvFileWriter', () => {
  test('writes the table options: delimiter, NULL text, no header; zones as UTC; a value equal to the NULL text is quoted', async () => {
    const file = path.join(dir, 'a.csv');
    const w = new CsvFileWriter(await fs.create(file), fields, { delimiter: ';', quote: '"', nullString: '\\N', header: false, gzip: false });
    await w.write(batch);
    const st = await w.close();
    expect(readFileSync(file, 'utf8')).toBe('1;"a;b";2024-01-01;2024-01-01 15:00:00.000 UTC\n2;"\\N";\\N;\\N\n\\N;\\N;1970-01-01;\\N\n');
    expect(st.size).toBe(w.bytesWritten);
    expect(w.rows).toBe(3);
  });

  test('gzip: one gzip stream that decompresses to the CSV text; abort leaves no file', async () => {
    const file = path.join(dir, 'b.csv.gz');
    const w = new CsvFileWriter(await fs.create(file), fields, { delimiter: ',', quote: '"', nullString: '', header: true, gzip: true });
    await w.write(batch);
    await w.write(batch);
    await w.close();
    const text = gunzipSync(readFileSync(file)).toString('utf8');
    expect(text.split('\n')[0]).toBe('id,name,day,at');
    expect(text.split('\n')).toHaveLength(8);
    const aborted = path.join(dir, 'c.csv');
    const a = new CsvFileWriter(await fs.create(aborted), fields, { delimiter: ',', quote: '"', nullString: '', header: true, gzip: false });
    await a.write(batch);
    await a.abort();
    expect(existsSync(aborted)).toBe(false);
  });

  test('csvField quotes what would not read back, and only that', () => {
    expect(csvField(null, ',')).toBe('');
    expect(csvField('', ',')).toBe('""');
    expect(csvField('plain', ',')).toBe('plain');
    expect(csvField('a "b"', ',')).toBe('"a ""b"""');
    expect(csvField('x\r\ny', ',')).toBe('"x\r\ny"');
    expect(csvField('a,b', ';')).toBe('a,b');
    expect(csvField('', ',', '"', '\\N')).toBe('');
    expect(csvField('as is, "raw"', ',', '')).toBe('as is, "raw"');
  });
});
