/**
 * One contract for every WritableFileSystem (src/fs/writable.ts), run against each writable backend of
 * test/support/fs-write-backends.ts: round trips of small, empty and multi-part files, bounded requests, abort,
 * exclusive creation, copy + delete (publishing), deletePrefix across listing pages, deletes of missing files,
 * missing buckets, cancellation, and, where the backend injects faults, retries that leave the object exactly right
 * or fail with STORAGE_UNAVAILABLE leaving nothing visible.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { ShoalError } from '../../src/common/index.js';
import { newIoStats, type FileStatus, type IoOptions, type WritableFileSystem } from '../../src/fs/index.js';
import type { CreateOptions } from '../../src/fs/writable.js';
import { WRITE_BACKENDS, type WriteBackend } from '../support/fs-write-backends.js';
import { errorOf } from '../support/errors.js';

/** Deterministic bytes: file `seed`, `n` bytes. */
function bytes(seed: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = (seed * 2654435761 + 1) >>> 0;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** Byte equality without the deep-equality matcher (far too slow on megabytes); says where the bytes differ. */
function expectBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  const same = Buffer.from(actual.buffer, actual.byteOffset, actual.length).equals(Buffer.from(expected.buffer, expected.byteOffset, expected.length));
  if (!same) expect(actual.findIndex((v, i) => v !== expected[i])).toBe(-1);
}

/** Writes `data` in writes of `step` bytes (the last shorter), with an empty write among them. */
async function writeFile(fs: WritableFileSystem, location: string, data: Uint8Array, o?: CreateOptions, step = 100_003): Promise<FileStatus> {
  const w = await fs.create(location, o);
  try {
    await w.write(new Uint8Array(0));
    for (let at = 0; at < data.length; at += step) await w.write(data.subarray(at, at + step));
  } catch (e) {
    await w.abort();
    throw e;
  }
  return w.close();
}

async function readAll(fs: WritableFileSystem, location: string): Promise<Uint8Array> {
  const f = await fs.open(location);
  try {
    return await f.read(0, f.size);
  } finally {
    await f.close();
  }
}

async function listed(fs: WritableFileSystem, prefix: string, o?: IoOptions): Promise<string[]> {
  if (!(await fs.isDirectory(prefix, o))) return [];
  const out: string[] = [];
  for await (const f of fs.list(prefix, o)) out.push(f.location);
  return out;
}

for (const factory of WRITE_BACKENDS.filter((f) => f.writable)) {
  describe(`writable file system contract: ${factory.name}`, () => {
    let b: WriteBackend;
    let n = 0;
    /** A fresh location per test: `<root>/t<n>/<rel>`. */
    let dir = '';
    const loc = (rel: string): string => `${dir}/${rel}`;

    beforeAll(async () => {
      b = await factory.start();
    });
    afterAll(async () => {
      await b?.close();
    });
    afterEach(() => {
      b.faults?.reset();
      dir = `${b.root}/t${++n}`;
    });
    beforeAll(() => {
      dir = `${b.root}/t0`;
    });

    test('a file written in pieces reads back the same, with its size, version and bytes counted', async () => {
      const data = bytes(1, 300_000);
      const stats = newIoStats();
      const status = await writeFile(b.fs, loc('a/b/file.bin'), data, { stats });
      expect(status.location).toBe(loc('a/b/file.bin'));
      expect(status.size).toBe(data.length);
      expect(stats.bytesWritten).toBe(data.length);
      expect(stats.requests).toBeGreaterThanOrEqual(1);
      const s = await b.fs.stat(loc('a/b/file.bin'));
      expect(s.size).toBe(data.length);
      if (status.etag !== undefined && b.fs.publishMethod === 'copy') expect(s.etag).toBe(status.etag);
      expectBytes(await readAll(b.fs, loc('a/b/file.bin')), data);
      // An empty file and a replaced file.
      expect((await writeFile(b.fs, loc('empty.bin'), new Uint8Array(0))).size).toBe(0);
      expect((await b.fs.stat(loc('empty.bin'))).size).toBe(0);
      await writeFile(b.fs, loc('a/b/file.bin'), bytes(2, 10));
      expectBytes(await readAll(b.fs, loc('a/b/file.bin')), bytes(2, 10));
    });

    test('a file of several parts is uploaded in parts, sent while the next fills, and reads back the same', async () => {
      if (b.partSize === undefined) return;
      const data = bytes(3, Math.floor(b.partSize * 2.5) + 7);
      const stats = newIoStats();
      const status = await writeFile(b.fs, loc('big.bin'), data, { stats }, 65_537);
      expect(status.size).toBe(data.length);
      expect(stats.bytesWritten).toBe(data.length);
      // Three parts (or chunks) plus starting and finishing the upload: a handful of requests, not one per write.
      expect(stats.requests).toBeGreaterThanOrEqual(3);
      expect(stats.requests).toBeLessThanOrEqual(5);
      expectBytes(await readAll(b.fs, loc('big.bin')), data);
      if (b.pendingUploads !== undefined) expect(await b.pendingUploads()).toBe(0);
    });

    test('a file of exactly one part is one request', async () => {
      if (b.partSize === undefined) return;
      const stats = newIoStats();
      await writeFile(b.fs, loc('one.bin'), bytes(4, b.partSize), { stats });
      expect(stats.requests).toBe(1);
      expectBytes(await readAll(b.fs, loc('one.bin')), bytes(4, b.partSize));
    });

    test('abort leaves nothing: no file, no listing, no unfinished upload; abort after close or twice does nothing', async () => {
      const big = await b.fs.create(loc('gone/big.bin'));
      await big.write(bytes(5, Math.floor((b.partSize ?? 100_000) * 2.5)));
      await big.abort();
      await big.abort();
      const small = await b.fs.create(loc('gone/small.bin'));
      await small.write(bytes(6, 100));
      await small.abort();
      for (const f of ['gone/big.bin', 'gone/small.bin']) expect((await errorOf(b.fs.stat(loc(f)))).code).toBe('FILE_NOT_FOUND');
      expect(await listed(b.fs, loc('gone'))).toEqual([]);
      if (b.pendingUploads !== undefined) expect(await b.pendingUploads()).toBe(0);
      const done = await b.fs.create(loc('kept.bin'));
      await done.write(bytes(7, 10));
      await done.close();
      await done.abort();
      expectBytes(await readAll(b.fs, loc('kept.bin')), bytes(7, 10));
    });

    test('exclusive creation fails with ALREADY_EXISTS on an existing file and leaves it unchanged', async () => {
      await writeFile(b.fs, loc('lock'), bytes(8, 20), { exclusive: true });
      for (const size of [30, Math.floor((b.partSize ?? 1000) * 1.5)]) {
        const e = await errorOf(writeFile(b.fs, loc('lock'), bytes(9, size), { exclusive: true }));
        expect(e.code).toBe('ALREADY_EXISTS');
        expect(e.message).toContain(loc('lock'));
      }
      expectBytes(await readAll(b.fs, loc('lock')), bytes(8, 20));
      if (b.pendingUploads !== undefined) expect(await b.pendingUploads()).toBe(0);
      // Of writers racing for the same new file, exactly one wins.
      const results = await Promise.allSettled([1, 2, 3, 4].map((i) => writeFile(b.fs, loc('race'), bytes(10 + i, 50), { exclusive: true })));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect((r.reason as ShoalError).code).toBe('ALREADY_EXISTS');
    });

    test('publishing: copy then delete moves a file, replacing the target; rename only where the store renames', async () => {
      const data = bytes(20, 200_000);
      await writeFile(b.fs, loc('staging/part-0.bin'), data);
      await writeFile(b.fs, loc('table/part-0.bin'), bytes(21, 5));
      const stats = newIoStats();
      await b.fs.copy(loc('staging/part-0.bin'), loc('table/part-0.bin'), { stats });
      expect(stats.bytesWritten).toBe(data.length);
      expect(await b.fs.delete(loc('staging/part-0.bin'))).toBe(true);
      expectBytes(await readAll(b.fs, loc('table/part-0.bin')), data);
      expect(await listed(b.fs, loc('staging'))).toEqual([]);
      // Partition-style names survive the copy.
      await writeFile(b.fs, loc('staging/month=3/x,y@z.bin'), bytes(22, 10));
      await b.fs.copy(loc('staging/month=3/x,y@z.bin'), loc('table/month=3/x,y@z.bin'));
      expectBytes(await readAll(b.fs, loc('table/month=3/x,y@z.bin')), bytes(22, 10));
      const missing = await errorOf(b.fs.copy(loc('staging/none.bin'), loc('table/none.bin')));
      expect(missing.code).toBe('FILE_NOT_FOUND');
      expect(missing.message).toContain(loc('staging/none.bin'));
      if (b.fs.publishMethod === 'copy') {
        expect((await errorOf(b.fs.rename(loc('table/part-0.bin'), loc('x.bin')))).code).toBe('NOT_SUPPORTED');
      } else {
        await b.fs.rename(loc('table/part-0.bin'), loc('moved/part-0.bin'));
        expectBytes(await readAll(b.fs, loc('moved/part-0.bin')), data);
      }
    });

    test('deletePrefix deletes every file below a folder, across listing pages, hidden ones included, and nothing beside it', async () => {
      const names = Array.from({ length: 21 }, (_, i) => `dir/${i % 3 === 0 ? 'sub/' : ''}f${String(i).padStart(2, '0')}.bin`);
      names.push('dir/.staging/q1/data.bin', 'dir/_lock');
      await Promise.all(names.map((name, i) => writeFile(b.fs, loc(name), bytes(30 + i, 10 + i))));
      await writeFile(b.fs, loc('dir2/keep.bin'), bytes(60, 10));
      await writeFile(b.fs, loc('dirx.bin'), bytes(61, 10));
      const stats = newIoStats();
      expect(await b.fs.deletePrefix(loc('dir'), { stats })).toBe(names.length);
      if (b.listPageSize !== undefined) expect(stats.requests).toBeGreaterThan(Math.ceil(names.length / b.listPageSize));
      expect(await listed(b.fs, loc('dir'))).toEqual([]);
      expect(await b.fs.isDirectory(loc('dir'))).toBe(false);
      expectBytes(await readAll(b.fs, loc('dir2/keep.bin')), bytes(60, 10));
      expectBytes(await readAll(b.fs, loc('dirx.bin')), bytes(61, 10));
      expect(await b.fs.deletePrefix(loc('dir'))).toBe(0);
      expect(await b.fs.deletePrefix(loc('never-was'))).toBe(0);
    });

    test('delete says whether the file existed', async () => {
      await writeFile(b.fs, loc('d.bin'), bytes(70, 10));
      expect(await b.fs.delete(loc('d.bin'))).toBe(true);
      expect(await b.fs.delete(loc('d.bin'))).toBe(false);
      expect(await b.fs.delete(loc('never/was.bin'))).toBe(false);
      expect((await errorOf(b.fs.stat(loc('d.bin')))).code).toBe('FILE_NOT_FOUND');
    });

    test('directories need no creating on object stores, and removing an empty one is harmless', async () => {
      await b.fs.ensureDirectory(loc('made'));
      await writeFile(b.fs, loc('made/f.bin'), bytes(71, 3));
      await b.fs.removeEmptyDirectory(loc('made'));
      expectBytes(await readAll(b.fs, loc('made/f.bin')), bytes(71, 3));
    });

    test('writing into a missing bucket is a configuration error naming the bucket', async () => {
      if (b.missingContainer === undefined) return;
      const e = await errorOf(writeFile(b.fs, b.missingContainer, bytes(72, 10)));
      expect(e.code).toBe('STORAGE_CONFIGURATION_ERROR');
      expect(e.message).toContain(b.missingContainer.split('/')[2]);
    });

    test('writing, deleting and copying without permission is PERMISSION_DENIED naming the location', async () => {
      if (b.denied === undefined) return;
      await b.denied(async (fs, location) => {
        const folder = location.replace(/\/[^/]*$/, '');
        for (const call of [() => writeFile(fs, location, bytes(75, 10)), () => fs.delete(location), () => fs.deletePrefix(folder), () => fs.copy(location, `${location}.copy`)]) {
          const e = await errorOf(call());
          expect(e.code).toBe('PERMISSION_DENIED');
          expect(e.message).toContain(location.slice(0, location.indexOf('/', 5)));
        }
      });
    });

    test('a canceled write fails with USER_CANCELED, and abort still cleans up after it', async () => {
      const before = new AbortController();
      before.abort();
      expect((await errorOf(b.fs.create(loc('c.bin'), { signal: before.signal }))).code).toBe('USER_CANCELED');
      const ac = new AbortController();
      const w = await b.fs.create(loc('c.bin'), { signal: ac.signal });
      await w.write(bytes(73, Math.floor((b.partSize ?? 100_000) * 1.5)));
      ac.abort();
      expect((await errorOf(w.write(bytes(74, 10)))).code).toBe('USER_CANCELED');
      await w.abort();
      expect((await errorOf(b.fs.stat(loc('c.bin')))).code).toBe('FILE_NOT_FOUND');
      if (b.pendingUploads !== undefined) expect(await b.pendingUploads()).toBe(0);
    });

    describe('with faults injected', () => {
      test('a part refused twice is sent again from the same bytes: the file is exactly right', async () => {
        if (b.faults === undefined || b.partSize === undefined) return;
        b.faults.failPartUploads(2);
        const data = bytes(80, Math.floor(b.partSize * 2.5));
        const stats = newIoStats();
        await writeFile(b.fs, loc('retried.bin'), data, { stats });
        expect(b.faults.injected()).toBe(2);
        expect(stats.bytesWritten).toBeGreaterThan(data.length);
        expectBytes(await readAll(b.fs, loc('retried.bin')), data);
        if (b.pendingUploads !== undefined) expect(await b.pendingUploads()).toBe(0);
      });

      test('a finished upload whose answer was lost is recognised on retry, exclusive or not', async () => {
        if (b.faults === undefined || b.partSize === undefined) return;
        for (const exclusive of [false, true]) {
          b.faults.loseCompletion();
          const data = bytes(81, Math.floor(b.partSize * 1.5));
          const status = await writeFile(b.fs, loc(`lost-${exclusive}.bin`), data, { exclusive });
          expect(b.faults.injected()).toBe(1);
          b.faults.reset();
          expect(status.size).toBe(data.length);
          expectBytes(await readAll(b.fs, loc(`lost-${exclusive}.bin`)), data);
        }
        if (b.pendingUploads !== undefined) expect(await b.pendingUploads()).toBe(0);
      });

      test('a small exclusive create and a copy whose answers were lost succeed on retry', async () => {
        if (b.faults === undefined) return;
        b.faults.loseSmallWrite('upload');
        b.faults.loseCompletion();
        await writeFile(b.fs, loc('lock'), bytes(82, 40), { exclusive: true });
        expect(b.faults.injected()).toBe(1);
        expectBytes(await readAll(b.fs, loc('lock')), bytes(82, 40));
        b.faults.reset();
        await writeFile(b.fs, loc('src.bin'), bytes(83, 150_000));
        b.faults.loseSmallWrite('copy');
        await b.fs.copy(loc('src.bin'), loc('dst.bin'));
        expect(b.faults.injected()).toBe(1);
        expectBytes(await readAll(b.fs, loc('dst.bin')), bytes(83, 150_000));
      });

      test('a store that keeps failing ends in STORAGE_UNAVAILABLE naming the location, with nothing visible', async () => {
        if (b.faults === undefined) return;
        b.faults.failAll();
        const e = await errorOf(writeFile(b.fs, loc('down.bin'), bytes(84, 1000)));
        expect(e.code).toBe('STORAGE_UNAVAILABLE');
        expect(e.message).toContain(loc('down.bin'));
        if (b.partSize !== undefined) {
          // Failing after the first part was sent: the upload is given up.
          b.faults.reset();
          const w = await b.fs.create(loc('down-big.bin'));
          await w.write(bytes(85, b.partSize + 1));
          await w.write(bytes(86, b.partSize));
          b.faults.failAll();
          expect((await errorOf(w.close())).code).toBe('STORAGE_UNAVAILABLE');
        }
        b.faults.reset();
        expect((await errorOf(b.fs.stat(loc('down.bin')))).code).toBe('FILE_NOT_FOUND');
        expect((await errorOf(b.fs.stat(loc('down-big.bin')))).code).toBe('FILE_NOT_FOUND');
      });
    });
  });
}
