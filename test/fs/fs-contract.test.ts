/**
 * One contract for every FileSystem (src/fs/file-system.ts), run against each backend of
 * test/support/fs-backends.ts: stat, missing files, directories, recursive sorted paged listing, exact ranged
 * reads, tails, cancellation, byte and request accounting, and version pinning.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FileSystems, newIoStats, type FileStatus } from '../../src/fs/index.js';
import { FS_BACKENDS, type FsBackend } from '../support/fs-backends.js';
import { errorOf } from '../support/errors.js';

/** Deterministic bytes: file `seed`, `n` bytes. */
function bytes(seed: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const BIG = bytes(1, 100_000);
/** Relative path -> content. `dir2/` shares a prefix with `dir/` and must not appear in dir's listing. */
const FILES: Record<string, Uint8Array> = {
  'big.bin': BIG,
  'dir/a.bin': bytes(2, 10),
  'dir/b.bin': bytes(3, 20),
  'dir/c.bin': bytes(4, 0),
  'dir/sub/d.bin': bytes(5, 30),
  'dir/sub/e.bin': bytes(6, 40),
  'dir/sub/deeper/f.bin': bytes(7, 50),
  'dir/z.txt': bytes(8, 5),
  'dir2/g.bin': bytes(9, 60),
  'changing.bin': bytes(10, 1000),
};

async function collect(it: AsyncIterable<FileStatus>): Promise<FileStatus[]> {
  const out: FileStatus[] = [];
  for await (const f of it) out.push(f);
  return out;
}

for (const factory of FS_BACKENDS) {
  describe(`file system contract: ${factory.name}`, () => {
    let b: FsBackend;
    const loc = (rel: string): string => `${b.root}/${rel}`;

    beforeAll(async () => {
      b = await factory.start();
      for (const [rel, data] of Object.entries(FILES)) await b.put(rel, data);
    });
    afterAll(async () => {
      await b?.close();
    });

    test('stat gives size and a version token, stable while the file is unchanged', async () => {
      const s = await b.fs.stat(loc('big.bin'));
      expect(s.location).toBe(loc('big.bin'));
      expect(s.size).toBe(BIG.length);
      expect(s.etag).toBeTruthy();
      expect((await b.fs.stat(loc('big.bin'))).etag).toBe(s.etag);
      expect((await b.fs.stat(loc('dir/c.bin'))).size).toBe(0);
    });

    test('a missing file is FILE_NOT_FOUND naming the location, for stat and open', async () => {
      for (const call of [() => b.fs.stat(loc('dir/missing.bin')), () => b.fs.open(loc('dir/missing.bin'))]) {
        const e = await errorOf(call());
        expect(e.code).toBe('FILE_NOT_FOUND');
        expect(e.message).toContain(loc('dir/missing.bin'));
        expect(e.location).toBe(loc('dir/missing.bin'));
      }
    });

    test('a missing bucket is a configuration error naming the bucket and the location', async () => {
      if (b.missingContainer === undefined) return;
      const missing = b.missingContainer;
      for (const call of [() => b.fs.stat(missing), () => collect(b.fs.list(missing.replace(/[^/]*$/, ''))), () => b.fs.isDirectory(missing)]) {
        const e = await errorOf(call());
        expect(e.code).toBe('STORAGE_CONFIGURATION_ERROR');
        expect(e.message).toMatch(/bucket '.+' does not exist/i);
        expect(e.message).toContain(b.missingContainer.split('/')[2]);
      }
    });

    test('isDirectory: folders and prefixes yes; files and missing locations no', async () => {
      expect(await b.fs.isDirectory(loc('dir'))).toBe(true);
      expect(await b.fs.isDirectory(`${loc('dir')}/`)).toBe(true);
      expect(await b.fs.isDirectory(loc('dir/sub'))).toBe(true);
      expect(await b.fs.isDirectory(loc('dir/a.bin'))).toBe(false);
      expect(await b.fs.isDirectory(loc('nothing-here'))).toBe(false);
      expect(await b.fs.isDirectory(loc('di'))).toBe(false);
    });

    test('list is recursive, in order of location, with sizes, and stays inside the folder', async () => {
      const stats = newIoStats();
      const files = await collect(b.fs.list(loc('dir'), { stats }));
      const expected = Object.keys(FILES).filter((k) => k.startsWith('dir/')).sort().map(loc);
      expect(files.map((f) => f.location)).toEqual(expected);
      for (const f of files) {
        expect(f.size).toBe(FILES[f.location.slice(b.root.length + 1)]!.length);
        expect(f.etag).toBeTruthy();
      }
      if (b.listPageSize !== undefined) {
        // 7 files in pages of listPageSize: every page is one request.
        expect(stats.requests).toBe(Math.ceil(expected.length / b.listPageSize));
      }
      expect((await collect(b.fs.list(`${loc('dir')}/`))).map((f) => f.location)).toEqual(expected);
    });

    test('list is lazy: the first entry comes before later pages are fetched', async () => {
      if (b.listPageSize === undefined) return;
      const stats = newIoStats();
      const it = b.fs.list(loc('dir'), { stats })[Symbol.asyncIterator]();
      await it.next();
      expect(stats.requests).toBe(1);
      await it.return?.();
    });

    test('reads return exactly the bytes asked for, fewer only at the end of the file', async () => {
      const f = await b.fs.open(loc('big.bin'));
      try {
        expect(f.size).toBe(BIG.length);
        for (const [offset, length] of [[0, 1], [0, 4096], [12_345, 777], [99_000, 1000], [50_000, 0]] as const) {
          expect(await f.read(offset, length)).toEqual(BIG.subarray(offset, offset + length));
        }
        expect(await f.read(BIG.length - 10, 100)).toEqual(BIG.subarray(BIG.length - 10));
        expect((await f.read(BIG.length, 10)).length).toBe(0);
      } finally {
        await f.close();
      }
    });

    test('readTail gives the last bytes, or the whole file when it is shorter', async () => {
      const f = await b.fs.open(loc('big.bin'));
      expect(await f.readTail(8)).toEqual(BIG.subarray(BIG.length - 8));
      expect(await f.readTail(65_536)).toEqual(BIG.subarray(BIG.length - 65_536));
      await f.close();
      const small = await b.fs.open(loc('dir/a.bin'));
      expect(await small.readTail(65_536)).toEqual(FILES['dir/a.bin']);
      await small.close();
      const empty = await b.fs.open(loc('dir/c.bin'));
      expect((await empty.readTail(8)).length).toBe(0);
      await empty.close();
    });

    test('reads count their bytes and requests', async () => {
      const f = await b.fs.open(loc('big.bin'));
      const stats = newIoStats();
      await f.read(100, 5000, { stats });
      await f.readTail(100, { stats });
      expect(stats).toEqual({ bytesRead: 5100, requests: 2 });
      await f.close();
    });

    test('open with the status from a listing makes no request', async () => {
      const [status] = await collect(b.fs.list(loc('dir/sub/deeper')));
      const stats = newIoStats();
      const f = await b.fs.open(status!.location, { status, stats });
      expect(stats.requests).toBe(0);
      expect(f.size).toBe(50);
      expect(f.etag).toBe(status!.etag);
      expect(await f.read(0, 50, { stats })).toEqual(FILES['dir/sub/deeper/f.bin']);
      await f.close();
    });

    test('an aborted signal cancels stat, list, open and read', async () => {
      const ac = new AbortController();
      ac.abort();
      const o = { signal: ac.signal };
      const f = await b.fs.open(loc('big.bin'));
      for (const call of [() => b.fs.stat(loc('big.bin'), o), () => collect(b.fs.list(loc('dir'), o)), () => b.fs.open(loc('big.bin'), o), () => f.read(0, 10, o), () => f.readTail(10, o)]) {
        expect((await errorOf(call())).code).toBe('USER_CANCELED');
      }
      await f.close();
    });

    test('a file replaced after open is never read as a mix of versions', async () => {
      const before = FILES['changing.bin']!;
      const f = await b.fs.open(loc('changing.bin'));
      expect(await f.read(0, 10)).toEqual(before.subarray(0, 10));
      await b.put('changing.bin', bytes(11, 1000));
      if (b.pinsVersion) {
        const e = await errorOf(f.read(10, 10));
        expect(e.code).toBe('FILE_CHANGED');
        expect(e.message).toContain(loc('changing.bin'));
        expect(e.message).toContain('changed while the query was reading it');
      } else {
        expect(await f.read(10, 10)).toEqual(before.subarray(10, 20));
      }
      await f.close();
    });

    test('globs expand through the registry to matching files in order', async () => {
      const registry = new FileSystems([b.fs]);
      const files = await registry.expand(`${loc('dir')}/*.bin`);
      expect(files.map((f) => f.location)).toEqual(['dir/a.bin', 'dir/b.bin', 'dir/c.bin'].map(loc));
      const deep = await registry.expand(`${loc('dir')}/**/*.bin`);
      expect(deep.map((f) => f.location)).toEqual(Object.keys(FILES).filter((k) => /^dir\/.*\.bin$/.test(k)).sort().map(loc));
    });
  });
}
