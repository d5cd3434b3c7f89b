/**
 * The listing cache (kept for a max age, bounded, streamed and kept only when complete, invalidated by writes)
 * and the per-query ListingScope (one listing per location whatever the age), over real directories.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FileSystems, ListingCache, ListingScope, LocalFileSystem, type FileStatus } from '../../../src/fs/index.js';
import { CountingFileSystem } from '../../support/counting-fs.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'shoal-listing-'));
  for (const d of ['a', 'b', 'c']) {
    mkdirSync(path.join(dir, d));
    for (let i = 0; i < 3; i++) writeFileSync(path.join(dir, d, `f${i}.parquet`), 'x');
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function all(it: AsyncIterable<FileStatus>): Promise<string[]> {
  const out: string[] = [];
  for await (const f of it) out.push(path.basename(f.location));
  return out;
}

describe('ListingCache', () => {
  test('reuses a listing younger than the max age, lists again after', async () => {
    let now = 1000;
    const cache = new ListingCache({ now: () => now });
    const fs = new CountingFileSystem(new LocalFileSystem());
    const a = path.join(dir, 'a');
    expect(await all(cache.list(fs, a, 10_000))).toEqual(['f0.parquet', 'f1.parquet', 'f2.parquet']);
    now += 9_999;
    expect(await all(cache.list(fs, a, 10_000))).toHaveLength(3);
    expect(fs.counts.lists).toBe(1);
    expect(cache.knownDirectory(fs, a, 10_000)).toBe(true);
    now += 1;
    expect(await all(cache.list(fs, a, 10_000))).toHaveLength(3);
    expect(fs.counts.lists).toBe(2);
    expect(await all(cache.list(fs, a, 0))).toHaveLength(3); // max age 0: always afresh
    expect(fs.counts.lists).toBe(3);
  });

  test('keeps a listing only when it was read to the end', async () => {
    const cache = new ListingCache();
    const fs = new CountingFileSystem(new LocalFileSystem());
    for await (const f of cache.list(fs, path.join(dir, 'b'))) {
      void f;
      break;
    }
    expect(cache.size).toBe(0);
    await all(cache.list(fs, path.join(dir, 'b')));
    expect(cache.size).toBe(1);
  });

  test('is bounded by listings and by files, least recently used first; per file system instance', async () => {
    const cache = new ListingCache({ maxEntries: 2, maxFiles: 7 });
    const fs1 = new LocalFileSystem();
    const fs2 = new LocalFileSystem();
    await all(cache.list(fs1, path.join(dir, 'a')));
    await all(cache.list(fs2, path.join(dir, 'a')));
    expect(cache.size).toBe(2);
    await all(cache.list(fs1, path.join(dir, 'a'))); // touch: fs2's entry is now the oldest
    await all(cache.list(fs1, path.join(dir, 'b')));
    expect(cache.size).toBe(2);
    expect(cache.knownDirectory(fs2, path.join(dir, 'a'))).toBeUndefined();
    expect(cache.knownDirectory(fs1, path.join(dir, 'a'))).toBe(true);
    const tiny = new ListingCache({ maxFiles: 2 });
    await all(tiny.list(fs1, path.join(dir, 'a')));
    expect(tiny.size).toBe(0); // more files than the whole cache may hold
  });

  test('invalidate forgets listings that contain or lie under a location', async () => {
    const cache = new ListingCache();
    const fs = new LocalFileSystem();
    await all(cache.list(fs, dir));
    await all(cache.list(fs, path.join(dir, 'a')));
    await all(cache.list(fs, path.join(dir, 'b')));
    cache.invalidate(fs, path.join(dir, 'a', 'new.parquet'));
    expect(cache.knownDirectory(fs, dir)).toBeUndefined();
    expect(cache.knownDirectory(fs, path.join(dir, 'a'))).toBeUndefined();
    expect(cache.knownDirectory(fs, path.join(dir, 'b'))).toBe(true);
  });
});

describe('FileSystems.expand', () => {
  test('within a ListingScope a location expands once, to the same files, whatever the max age', async () => {
    const counting = new CountingFileSystem(new LocalFileSystem());
    const systems = new FileSystems([counting]);
    const c = path.join(dir, 'c');
    const scope = new ListingScope(0);
    const first = await systems.expand(c, { listing: scope });
    writeFileSync(path.join(c, 'f9.parquet'), 'x');
    const second = await systems.expand(c, { listing: scope });
    expect(second).toBe(first);
    expect(counting.counts.lists).toBe(1);
    expect(await systems.expand(c, { listing: new ListingScope(0) })).toHaveLength(4);
    expect(counting.counts.lists).toBe(2);
  });

  test('a warm directory expands without a request; invalidateListings makes the next one list', async () => {
    const counting = new CountingFileSystem(new LocalFileSystem());
    const systems = new FileSystems([counting]);
    const b = path.join(dir, 'b');
    await systems.expand(b);
    counting.reset();
    expect(await systems.expand(b)).toHaveLength(3);
    expect(counting.counts.lists + counting.counts.isDirectory + counting.counts.stats).toBe(0);
    systems.invalidateListings(path.join(b, 'f0.parquet'));
    await systems.expand(b);
    expect(counting.counts.lists).toBe(1);
  });

  test('globs list their root once and filter', async () => {
    const counting = new CountingFileSystem(new LocalFileSystem());
    const systems = new FileSystems([counting]);
    expect((await systems.expand(`${dir}/*/f1.parquet`)).map((f) => path.relative(dir, f.location))).toEqual(['a/f1.parquet', 'b/f1.parquet', 'c/f1.parquet']);
    expect(await systems.expand(`${dir}/a/*.parquet`)).toHaveLength(3);
    expect(counting.counts.lists).toBe(2);
    await systems.expand(`${dir}/*/f2.parquet`);
    expect(counting.counts.lists).toBe(2);
  });
});
