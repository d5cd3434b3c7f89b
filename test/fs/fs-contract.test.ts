import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ShoalError } from '../../src/common/index.js';
import { newIoStats, type FileStatus } from '../../src/fs/index.js';
import { FS_BACKENDS, type FsBackendHandle } from '../support/fs-backends.js';

/** Deterministic bytes: position i holds (i * 31 + seed) mod 256. */
function bytes(n: number, seed = 0): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

async function caught(p: Promise<unknown>): Promise<ShoalError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ShoalError);
    return e as ShoalError;
  }
  throw new Error('expected a ShoalError');
}

async function collect(it: AsyncIterable<FileStatus>): Promise<FileStatus[]> {
  const out: FileStatus[] = [];
  for await (const f of it) out.push(f);
  return out;
}

const BIG = bytes(10_000, 7);
/** Nested files under `t/`, plus siblings that share the prefix text but are outside the directory. */
const TREE = ['t/a.bin', 't/b/c.bin', 't/b/d.bin', 't/b/e/f.bin', 't/g.bin', 't/h.bin', 't/i/j.bin', 't/k.bin'];

describe.each(FS_BACKENDS)('file system contract: $name', (backend) => {
  let h: FsBackendHandle;
  const at = (rel: string): string => `${h.root}/${rel}`;

  beforeAll(async () => {
    h = await backend.setup();
    await h.put('big.bin', BIG);
    await h.put('empty.bin', new Uint8Array(0));
    for (const [i, rel] of TREE.entries()) await h.put(rel, bytes(10 + i, i));
    await h.put('t-sibling/x.bin', bytes(5));
    await h.put('tx.bin', bytes(5));
  });
  afterAll(() => h?.close());

  test('stat gives the size and a version token', async () => {
    const s = await h.fs.stat(at('big.bin'));
    expect(s.location).toBe(at('big.bin'));
    expect(s.size).toBe(BIG.length);
    expect(typeof s.etag).toBe('string');
    expect(s.etag).not.toBe('');
    expect((await h.fs.stat(at('empty.bin'))).size).toBe(0);
  });

  test('a missing file is FILE_NOT_FOUND naming the location', async () => {
    const e = await caught(h.fs.stat(at('no/such.bin')));
    expect(e.code).toBe('FILE_NOT_FOUND');
    expect(e.message).toContain(at('no/such.bin'));
    const o = await caught(h.fs.open(at('no/such.bin')));
    expect(o.code).toBe('FILE_NOT_FOUND');
    expect(o.message).toContain(at('no/such.bin'));
  });

  test('isDirectory: directories (with or without a slash) yes; files, missing paths and text prefixes no', async () => {
    expect(await h.fs.isDirectory(at('t'))).toBe(true);
    expect(await h.fs.isDirectory(`${at('t')}/`)).toBe(true);
    expect(await h.fs.isDirectory(at('t/b/e'))).toBe(true);
    expect(await h.fs.isDirectory(at('t/a.bin'))).toBe(false);
    expect(await h.fs.isDirectory(at('nothing'))).toBe(false);
    expect(await h.fs.isDirectory(at('t/b/d'))).toBe(false);
  });

  test('list is recursive, in location order, and stays inside the directory', async () => {
    const files = await collect(h.fs.list(at('t')));
    expect(files.map((f) => f.location)).toEqual(TREE.map(at));
    expect(files.map((f) => f.size)).toEqual(TREE.map((_, i) => 10 + i));
    for (const f of files) expect(f.etag).toBeDefined();
    expect((await collect(h.fs.list(`${at('t')}/`))).length).toBe(TREE.length);
  });

  test('list results open without another status request and read the same bytes', async () => {
    const [first] = await collect(h.fs.list(at('t/b')));
    const stats = newIoStats();
    const f = await h.fs.open(first!.location, { status: first, stats });
    expect(f.size).toBe(first!.size);
    expect(f.etag).toBe(first!.etag);
    expect(await f.read(0, 100, { stats })).toEqual(bytes(11, 1));
    expect(stats.requests).toBe(1);
    await f.close();
  });

  test('ranged reads return exactly the bytes asked for, fewer only at the end of the file', async () => {
    const f = await h.fs.open(at('big.bin'));
    expect(f.size).toBe(BIG.length);
    expect(await f.read(0, 1)).toEqual(BIG.subarray(0, 1));
    expect(await f.read(1234, 4321)).toEqual(BIG.subarray(1234, 5555));
    expect(await f.read(9990, 100)).toEqual(BIG.subarray(9990));
    expect(await f.read(BIG.length, 10)).toEqual(new Uint8Array(0));
    expect(await f.read(5, 0)).toEqual(new Uint8Array(0));
    await f.close();
  });

  test('readTail returns the last bytes, or the whole file when it is shorter', async () => {
    const f = await h.fs.open(at('big.bin'));
    expect(await f.readTail(8)).toEqual(BIG.subarray(BIG.length - 8));
    expect(await f.readTail(1_000_000)).toEqual(BIG);
    await f.close();
    const e = await h.fs.open(at('empty.bin'));
    expect(await e.readTail(8)).toEqual(new Uint8Array(0));
    await e.close();
  });

  test('reads account bytes and requests', async () => {
    const f = await h.fs.open(at('big.bin'));
    const stats = newIoStats();
    await f.read(100, 1000, { stats });
    await f.readTail(64, { stats });
    expect(stats).toEqual({ bytesRead: 1064, requests: 2 });
    await f.close();
  });

  test('an aborted signal cancels stat, list, open and read', async () => {
    const ac = new AbortController();
    ac.abort();
    const signal = ac.signal;
    expect((await caught(h.fs.stat(at('big.bin'), { signal }))).code).toBe('USER_CANCELED');
    expect((await caught(collect(h.fs.list(at('t'), { signal })))).code).toBe('USER_CANCELED');
    expect((await caught(h.fs.open(at('big.bin'), { signal }))).code).toBe('USER_CANCELED');
    const f = await h.fs.open(at('big.bin'));
    expect((await caught(f.read(0, 10, { signal }))).code).toBe('USER_CANCELED');
    await f.close();
  });

  test('an overwrite after open never mixes versions: FILE_CHANGED naming the file, or the opened version', async () => {
    await h.put('changing.bin', bytes(300, 1));
    const f = await h.fs.open(at('changing.bin'));
    const before = await f.read(0, 100);
    await h.overwrite('changing.bin', bytes(300, 2));
    try {
      expect(await f.read(100, 100)).toEqual(bytes(300, 1).subarray(100, 200));
      expect(before).toEqual(bytes(300, 1).subarray(0, 100));
    } catch (e) {
      expect(e).toBeInstanceOf(ShoalError);
      expect((e as ShoalError).code).toBe('FILE_CHANGED');
      expect((e as ShoalError).message).toContain(at('changing.bin'));
    }
    await f.close();
    const again = await h.fs.open(at('changing.bin'));
    expect(await again.read(0, 300)).toEqual(bytes(300, 2));
    await again.close();
  });
});
