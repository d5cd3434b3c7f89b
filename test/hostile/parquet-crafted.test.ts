/**
 * Crafted hostile Parquet files (issue 9, item 2): footers and page headers that lie about offsets, sizes, counts
 * and nesting, decompression bombs, wrong magic, truncation at many offsets. Each query returns the answer the
 * file holds or a ShoalError naming the file (CORRUPT_FILE / NOT_SUPPORTED), in bounded time and memory — never a
 * crash, a hang or GENERIC_INTERNAL_ERROR. (Damaged real files: test/unit/formats/parquet/parquet-reader.errors.)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShoalError } from '../../src/common/index.js';
import { ParquetDecoderPool, ParquetReader } from '../../src/formats/parquet/index.js';
import { LocalFileSystem } from '../../src/fs/index.js';
import { Shoal, toJsValue, type Session } from '../../src/index.js';
import { SAMPLE_DATA } from '../support/paths.js';
import { CODEC, craftParquet, deepSchema } from './support/crafted-parquet.js';

let dir: string;
let session: Session;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'shoal-hostile-pq-'));
  session = (await Shoal.open({ cwd: dir })).session();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Outcome = { rows: unknown[][] } | { error: ShoalError };

/** Writes `bytes` as `name` and runs `sql` (default: SELECT * of it); a non-ShoalError fails the test. */
async function query(name: string, bytes: Uint8Array, sql = `SELECT * FROM '${name}'`): Promise<Outcome> {
  writeFileSync(path.join(dir, name), bytes);
  try {
    const r = await session.query(sql);
    const rows = (await r.rowsAsScalars()).map((row) => row.map((v, i) => toJsValue(v, r.fields[i]!.type)));
    return { rows };
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(ShoalError);
    return { error: e as ShoalError };
  }
}

function expectFileError(o: Outcome, name: string, codes: readonly string[] = ['CORRUPT_FILE'], text?: RegExp): void {
  expect('error' in o, `expected an error, got ${JSON.stringify('rows' in o ? o.rows : undefined)}`).toBe(true);
  const e = (o as { error: ShoalError }).error;
  expect(codes, e.message).toContain(e.code);
  expect(e.message).toContain(path.join(dir, name));
  expect(e.message).not.toMatch(/\n\s+at /);
  if (text !== undefined) expect(e.message).toMatch(text);
}

function expectRows(o: Outcome, rows: unknown[][]): void {
  expect('rows' in o ? o.rows : (o as { error: ShoalError }).error.message).toEqual(rows);
}

describe('the hand-made file', () => {
  it('reads when nothing lies', async () => {
    expectRows(await query('ok.parquet', craftParquet({ columns: 2 })), [[0, 0], [1, 1], [2, 2]]);
  });
});

describe('wrong magic and truncation', () => {
  it('rejects a wrong leading or trailing magic', async () => {
    const head = craftParquet();
    head[0] = 0x51;
    expectFileError(await query('head.parquet', head), 'head.parquet', ['CORRUPT_FILE'], /does not start with the PAR1 magic/);
    const tail = craftParquet();
    tail[tail.length - 1] = 0x32;
    expectFileError(await query('tail.parquet', tail), 'tail.parquet', ['CORRUPT_FILE'], /no footer at the end/);
  });

  it('rejects a real file cut at every one of 40 offsets', async () => {
    const good = readFileSync(path.join(SAMPLE_DATA, 'nyc/green_tripdata/year=2024/month=1/part-0.parquet'));
    for (let k = 1; k <= 40; k++) {
      const keep = Math.floor((good.length * k) / 41);
      const name = `cut-${k}.parquet`;
      expectFileError(await query(name, good.subarray(0, keep), `SELECT count(*), sum(trip_distance) FROM '${name}'`), name);
    }
  });

  it('rejects footer lengths that are absurd', async () => {
    for (const length of [0, 1, 0x7fffffff, 0xffffffff]) {
      const bytes = craftParquet();
      new DataView(bytes.buffer).setUint32(bytes.length - 8, length, true);
      expectFileError(await query(`footer-${length}.parquet`, bytes), `footer-${length}.parquet`);
    }
  });
});

describe('column chunks in the wrong place', () => {
  it('rejects chunks beyond the file, at negative offsets and cut short', async () => {
    expectFileError(await query('beyond.parquet', craftParquet({ place: (_, r) => ({ offset: 1e12, size: r.size }) })), 'beyond.parquet',
      ['CORRUPT_FILE'], /outside the file's data/);
    expectFileError(await query('negative.parquet', craftParquet({ place: (_, r) => ({ offset: -100, size: r.size }) })), 'negative.parquet',
      ['CORRUPT_FILE'], /invalid offsets or sizes/);
    expectFileError(await query('huge.parquet', craftParquet({ place: (_, r) => ({ offset: r.offset, size: 2 ** 53 }) })), 'huge.parquet');
    expectFileError(await query('short.parquet', craftParquet({ place: (_, r) => ({ offset: r.offset, size: 5 }) })), 'short.parquet');
  });

  it('reads a chunk two columns share as what it holds, and rejects a chunk overrunning the next', async () => {
    expectRows(await query('shared.parquet', craftParquet({ columns: 2, place: (c, r) => (c === 1 ? { offset: 4, size: r.size } : r) })),
      [[0, 0], [1, 1], [2, 2]]);
    expectFileError(await query('overrun.parquet', craftParquet({ columns: 2, place: (c, r) => (c === 0 ? { offset: r.offset, size: r.size + 10 } : r) })),
      'overrun.parquet');
  });
});

describe('declared counts and sizes that lie', () => {
  it('rejects a row group whose row count differs from its pages', async () => {
    expectFileError(await query('rg-more.parquet', craftParquet({ rowGroupRows: 5 })), 'rg-more.parquet', ['CORRUPT_FILE'], /decoded to 3 rows; the footer says 5/);
    expectFileError(await query('rg-less.parquet', craftParquet({ rowGroupRows: 2 })), 'rg-less.parquet', ['CORRUPT_FILE'], /decoded to 3 rows; the footer says 2/);
  });

  it('rejects pages that declare more or fewer values than they hold', async () => {
    expectFileError(await query('page-more.parquet', craftParquet({ pageValues: 1000 })), 'page-more.parquet');
    expectFileError(await query('page-none.parquet', craftParquet({ pageValues: 0 })), 'page-none.parquet');
  });

  it('answers from the pages when only informational counts lie', async () => {
    // ColumnMetaData.num_values and FileMetaData.num_rows are not used to read: the row groups decide.
    expectRows(await query('chunk-values.parquet', craftParquet({ chunkValues: 1_000_000_000 })), [[0], [1], [2]]);
    expectRows(await query('file-rows.parquet', craftParquet({ fileRows: 99 }), `SELECT count(*) FROM 'file-rows.parquet'`), [[3n]]);
  });

  it('rejects pages declaring 2 GB or a negative size uncompressed', async () => {
    const gz = (_: number, plain: Uint8Array): Uint8Array => gzipSync(plain);
    expectFileError(await query('unc-2g.parquet', craftParquet({ codec: CODEC.GZIP, pageBytes: gz, uncompressedPageSize: 2_000_000_000 })), 'unc-2g.parquet');
    expectFileError(await query('unc-neg.parquet', craftParquet({ uncompressedPageSize: -5 })), 'unc-neg.parquet');
  });
});

describe('decompression bombs', () => {
  it('stops a gzip page inflating to 64 MiB at the decoder memory limit, and the pool keeps working', async () => {
    const bomb = gzipSync(new Uint8Array(64 << 20), { level: 9 });
    const pool = new ParquetDecoderPool({ memoryLimitBytes: 32 << 20 });
    const fs = new LocalFileSystem();
    const read = async (name: string, bytes: Uint8Array): Promise<unknown> => {
      const p = path.join(dir, name);
      writeFileSync(p, bytes);
      const file = await fs.open(p);
      try {
        const reader = await ParquetReader.open(file, { decoderPool: pool });
        const values: unknown[] = [];
        for await (const b of reader.readRowGroup(0, ['c0'])) values.push(...b.getChildAt(0)!.toArray());
        await reader.close();
        return values;
      } catch (e) {
        return e;
      } finally {
        await file.close();
      }
    };
    try {
      for (const declared of [12, 64 << 20]) {
        const e = await read(`bomb-${declared}.parquet`, craftParquet({ codec: CODEC.GZIP, pageBytes: () => bomb, uncompressedPageSize: declared }));
        expect(e, String(e)).toBeInstanceOf(ShoalError);
        expect((e as ShoalError).code).toBe('CORRUPT_FILE');
        expect((e as ShoalError).message).toMatch(/bomb-\d+\.parquet: the decoder crashed on row group 0 .*too large/);
      }
      expect(await read('after-bomb.parquet', craftParquet())).toEqual([0, 1, 2]);
    } finally {
      await pool.close();
    }
  });
});

describe('schemas', () => {
  it('reads or refuses deep nesting without overflowing the stack', async () => {
    for (const depth of [50, 1000]) {
      const { schema, path: leafPath } = deepSchema(depth);
      const bytes = craftParquet({ schema, path: leafPath });
      expectRows(await query(`deep-${depth}-count.parquet`, bytes, `SELECT count(*) FROM 'deep-${depth}-count.parquet'`), [[3n]]);
      const all = await query(`deep-${depth}.parquet`, bytes);
      if ('error' in all) expectFileError(all, `deep-${depth}.parquet`, ['CORRUPT_FILE', 'NOT_SUPPORTED']);
      else expect(all.rows).toHaveLength(3);
    }
  });

  it('reads 3,000 columns', async () => {
    const bytes = craftParquet({ columns: 3000 });
    expectRows(await query('wide.parquet', bytes, `SELECT count(*), sum(c2999), min(c0) FROM 'wide.parquet'`), [[3n, 3n, 0]]);
  });

  it('rejects a schema whose child counts do not add up', async () => {
    const { schema, path: leafPath } = deepSchema(3);
    expectFileError(await query('children.parquet', craftParquet({ schema: schema.slice(0, 3), path: leafPath })), 'children.parquet');
  });
});
