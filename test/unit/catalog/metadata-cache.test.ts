/**
 * The metadata cache (footers by location, size and version; bounded by estimated bytes and entries; shared
 * reads; failures not kept) and OpenFiles (a scan's bounded set of open files, reused across splits).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MetadataCache } from '../../../src/catalog/index.js';
import { OpenFiles } from '../../../src/catalog/open-files.js';
import { ParquetFooter } from '../../../src/formats/index.js';
import { FileSystems, LocalFileSystem, type FileStatus } from '../../../src/fs/index.js';
import { CountingFileSystem } from '../../support/counting-fs.js';
import { DuckOracle } from '../../support/duckdb-oracle.js';

let dir: string;
let file: FileStatus;
let footer: ParquetFooter;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'shoal-metadata-'));
  const duck = await DuckOracle.create();
  const p = path.join(dir, 'a.parquet');
  await duck.run(`COPY (SELECT i, i * 2 AS j FROM range(10000) t(i)) TO '${p}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
  duck.close();
  const fs = new LocalFileSystem();
  file = await fs.stat(p);
  const f = await fs.open(p);
  footer = await ParquetFooter.read(f);
  await f.close();
  for (let i = 0; i < 20; i++) writeFileSync(path.join(dir, `f${String(i).padStart(2, '0')}.bin`), 'x'.repeat(10));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('MetadataCache', () => {
  test('one load per file version, shared by concurrent requests; a new version is a new entry', async () => {
    const cache = new MetadataCache();
    let loads = 0;
    const load = async (): Promise<ParquetFooter> => {
      loads++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return footer;
    };
    const [a, b] = await Promise.all([cache.parquetFooter(file, load), cache.parquetFooter(file, load)]);
    expect(a).toBe(footer);
    expect(b).toBe(footer);
    expect(loads).toBe(1);
    await cache.parquetFooter({ ...file, etag: 'other' }, load);
    expect(loads).toBe(2);
    expect(cache.size).toBe(2);
    expect(cache.bytes).toBe(2 * footer.weight);
  });

  test('a failed load is not kept', async () => {
    const cache = new MetadataCache();
    await expect(cache.parquetFooter(file, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(cache.size).toBe(0);
    expect(await cache.parquetFooter(file, () => Promise.resolve(footer))).toBe(footer);
  });

  test('stays within its byte bound, dropping the least recently used', async () => {
    const cache = new MetadataCache({ maxBytes: footer.weight * 3 });
    const status = (k: number): FileStatus => ({ ...file, location: `${file.location}#${k}` });
    for (let k = 0; k < 3; k++) await cache.parquetFooter(status(k), () => Promise.resolve(footer));
    await cache.parquetFooter(status(0), () => Promise.reject(new Error('must be cached'))); // touch 0
    await cache.parquetFooter(status(3), () => Promise.resolve(footer));
    expect(cache.size).toBe(3);
    expect(cache.bytes).toBeLessThanOrEqual(footer.weight * 3);
    let reloaded = 0;
    await cache.parquetFooter(status(0), () => Promise.reject(new Error('must be cached')));
    await cache.parquetFooter(status(1), () => {
      reloaded++;
      return Promise.resolve(footer);
    });
    expect(reloaded).toBe(1);
  });

  test('the footer weighs its kept bytes and its parsed structures', () => {
    expect(footer.weight).toBeGreaterThan(footer.currentTail.bytes.length);
    expect(footer.weight).toBeLessThan(1024 * 1024);
  });
});

describe('OpenFiles', () => {
  test('never more than its limit open; a file is shared by its users and reused after release', async () => {
    const counting = new CountingFileSystem(new LocalFileSystem(), 2);
    const files = new OpenFiles<string>(new FileSystems([counting]), 3, async (f) => f.location, async () => undefined);
    const statuses = await Promise.all(Array.from({ length: 20 }, (_, i) => new LocalFileSystem().stat(path.join(dir, `f${String(i).padStart(2, '0')}.bin`))));
    await Promise.all(statuses.map(async (s, i) => {
      const open = await files.acquire(s);
      expect(await open.attachment).toBe(s.location);
      await new Promise((resolve) => setTimeout(resolve, i % 4));
      files.release(s);
    }));
    expect(counting.counts.peakOpen).toBeLessThanOrEqual(3);
    expect(files.peakOpen).toBeLessThanOrEqual(3);
    expect(counting.counts.opensWithStatus).toBe(counting.counts.opens);
    const again = statuses[7]!;
    await files.acquire(again);
    files.release(again);
    const before = counting.counts.opens;
    await files.acquire(again);
    files.release(again);
    expect(counting.counts.opens).toBe(before); // still open from the release before
    await files.close();
    expect(counting.counts.openNow).toBe(0);
  });

  test('a file in use when the scan closes is closed when released', async () => {
    const counting = new CountingFileSystem(new LocalFileSystem());
    const files = new OpenFiles<undefined>(new FileSystems([counting]), 2, async () => undefined, async () => undefined);
    const s = await new LocalFileSystem().stat(path.join(dir, 'f00.bin'));
    await files.acquire(s);
    await files.close();
    expect(counting.counts.openNow).toBe(1);
    files.release(s);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(counting.counts.openNow).toBe(0);
  });
});
