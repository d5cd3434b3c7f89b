import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { Shoal, ShoalError, type Session } from '../../../src/index.js';
import { SAMPLE_DATA } from '../../support/paths.js';

/** A catalog directory `lake/t/<name>.json` per given table, in a fresh temp folder; returns a session on it. */
async function sessionWith(tables: Record<string, unknown>, files: Record<string, string | Buffer> = {}): Promise<{ session: Session; dir: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'shoal-bad-'));
  mkdirSync(path.join(dir, 'catalog/lake/t'), { recursive: true });
  for (const [name, spec] of Object.entries(tables)) writeFileSync(path.join(dir, 'catalog/lake/t', `${name}.json`), typeof spec === 'string' ? spec : JSON.stringify(spec));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  const shoal = await Shoal.open({ catalogDir: path.join(dir, 'catalog'), cwd: dir });
  return { session: shoal.session({ catalog: 'lake', schema: 't' }), dir };
}

async function failure(session: Session, sql: string): Promise<ShoalError> {
  try {
    const r = await session.query(sql);
    for await (const _ of r) { /* drain */ }
  } catch (e) {
    expect(e).toBeInstanceOf(ShoalError);
    expect((e as ShoalError).message).not.toMatch(/\n\s+at /);
    return e as ShoalError;
  }
  throw new Error(`expected '${sql}' to fail`);
}

describe('bad input gets an error naming the file, never a crash', () => {
  test('a truncated Parquet file', async () => {
    const good = readFileSync(path.join(SAMPLE_DATA, 'nyc/green_tripdata/year=2024/month=1/part-0.parquet'));
    const { session } = await sessionWith({ trips: { location: 'data/trips.parquet' } }, { 'data/trips.parquet': good.subarray(0, good.length - 100) });
    const e = await failure(session, 'SELECT count(*) FROM trips');
    expect(e.code).toBe('CORRUPT_FILE');
    expect(e.message).toContain('trips.parquet');
  });

  test('a file that is not Parquet at all', async () => {
    const { session } = await sessionWith({}, { 'data/notes.parquet': 'just some text, not a parquet file' });
    const e = await failure(session, "SELECT * FROM 'data/notes.parquet'");
    expect(e.code).toBe('CORRUPT_FILE');
    expect(e.message).toContain('notes.parquet');
  });

  test('a ragged CSV row names the file and the line', async () => {
    const { session } = await sessionWith(
      { zones: { location: 'data/zones.csv', format: 'csv', columns: [{ name: 'id', type: 'integer' }, { name: 'name', type: 'varchar' }] } },
      { 'data/zones.csv': 'id,name\n1,a\n2,b\n3\n4,d\n' },
    );
    const e = await failure(session, 'SELECT * FROM zones');
    expect(e.code).toBe('BAD_DATA');
    expect(e.message).toMatch(/zones\.csv: line 4 has 1 field, expected 2|zones\.csv.*line 4/);
  });

  test('a CSV value that does not fit the declared type', async () => {
    const { session } = await sessionWith(
      { zones: { location: 'data/zones.csv', format: 'csv', columns: [{ name: 'id', type: 'integer' }, { name: 'name', type: 'varchar' }] } },
      { 'data/zones.csv': 'id,name\n1,a\nx,b\n' },
    );
    const e = await failure(session, 'SELECT sum(id) FROM zones');
    expect(e.code).toBe('BAD_DATA');
    expect(e.message).toContain('zones.csv');
    expect(e.message).toContain('line 3');
  });

  test('a table whose files are missing', async () => {
    const { session } = await sessionWith({ gone: { location: 'data/nowhere', format: 'parquet' } });
    const e = await failure(session, 'SELECT * FROM gone');
    expect(e.code).toBe('FILE_NOT_FOUND');
    expect(e.message).toContain('nowhere');
  });

  test('a catalog file with a misspelled key', async () => {
    const { session } = await sessionWith({ t1: { locaton: 'data/x.parquet' } });
    const e = await failure(session, 'SELECT * FROM t1');
    expect(e.code).toBe('INVALID_CATALOG_FILE');
    expect(e.message).toContain('t1.json');
    expect(e.hint).toContain("Did you mean 'location'?");
  });

  test('a catalog file that is not JSON', async () => {
    const { session } = await sessionWith({ t2: '{ "location": ' });
    const e = await failure(session, 'SELECT * FROM t2');
    expect(e.code).toBe('INVALID_CATALOG_FILE');
    expect(e.message).toContain('not valid JSON');
  });

  test('a catalog file holding a secret is refused', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shoal-bad-'));
    mkdirSync(path.join(dir, 'catalog'));
    writeFileSync(path.join(dir, 'catalog/lake.json'), JSON.stringify({ s3: { secret_access_key: 'x' } }));
    await expect(Shoal.open({ catalogDir: path.join(dir, 'catalog') })).rejects.toThrow(/looks like a secret/);
  });

  test('files outside the declared partition layout', async () => {
    const good = path.join(SAMPLE_DATA, 'nyc/green_tripdata/year=2024/month=1/part-0.parquet');
    const { session, dir } = await sessionWith({ p: { location: 'data/p', partitioned_by: ['year'] } });
    mkdirSync(path.join(dir, 'data/p/oops'), { recursive: true });
    copyFileSync(good, path.join(dir, 'data/p/oops/x.parquet'));
    const e = await failure(session, 'SELECT count(*) FROM p');
    expect(e.code).toBe('BAD_DATA');
    expect(e.message).toContain("is not inside a 'year=…' partition directory");
  });
});

describe('cancellation and limits', () => {
  test('an AbortSignal cancels a running query with USER_CANCELED', async () => {
    const shoal = await Shoal.open({ catalogDir: path.join(SAMPLE_DATA, '../catalog') });
    const session = shoal.session({ catalog: 'lake', schema: 'nyc' });
    const controller = new AbortController();
    const r = await session.query('SELECT * FROM yellow_tripdata', { signal: controller.signal });
    let batches = 0;
    const e = await (async () => {
      try {
        for await (const _ of r) {
          if (++batches === 1) controller.abort();
        }
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(ShoalError);
    expect((e as ShoalError).code).toBe('USER_CANCELED');
  });

  test('query_max_execution_time stops a query with EXCEEDED_TIME_LIMIT', async () => {
    const shoal = await Shoal.open({ catalogDir: path.join(SAMPLE_DATA, '../catalog') });
    const session = shoal.session({ catalog: 'lake', schema: 'nyc', properties: { query_max_execution_time: '1ms' } });
    const e = await failure(session, 'SELECT a.VendorID, count(*) FROM yellow_tripdata a CROSS JOIN taxi_zone_lookup b GROUP BY 1');
    expect(e.code).toBe('EXCEEDED_TIME_LIMIT');
    expect(e.hint).toContain('query_max_execution_time');
  });

  test('the time limit also stops a query that never waits on I/O (a huge nested-loop join)', async () => {
    // 127,075² pairs would take hours; the operators give the event loop a turn, so the timer fires.
    const shoal = await Shoal.open({ catalogDir: path.join(SAMPLE_DATA, '../catalog') });
    const session = shoal.session({ catalog: 'lake', schema: 'nyc', properties: { query_max_execution_time: '500ms' } });
    const t0 = Date.now();
    const e = await failure(session, 'SELECT count(*) FROM yellow_tripdata a JOIN yellow_tripdata b ON a.fare_amount < b.fare_amount');
    expect(e.code).toBe('EXCEEDED_TIME_LIMIT');
    // Generous bound for a loaded CI machine; without the yields this took the whole join (hours).
    expect(Date.now() - t0).toBeLessThan(30_000);
  });
});
