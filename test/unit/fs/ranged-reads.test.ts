/**
 * Range planning (merge across small gaps, cut long ranges), the request gate (never more in flight than its
 * limit), ranged reads through a real local file, abort, and the local file system's check that a file still is
 * the version listing saw (FILE_CHANGED).
 */
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ShoalError } from '../../../src/common/index.js';
import {
  LocalFileSystem, RequestGate, coalesceRanges, ownsBuffer, newIoStats, readRanges, type IoOptions, type RandomAccessFile,
} from '../../../src/fs/index.js';

let dir: string;
let file: string;
const bytes = Uint8Array.from({ length: 1 << 20 }, (_, i) => (i * 31) & 0xff);

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'shoal-ranges-'));
  file = path.join(dir, 'data.bin');
  writeFileSync(file, bytes);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('coalesceRanges', () => {
  const o = { maxGapBytes: 100, maxRequestBytes: 1000 };

  test('sorts, merges overlapping and adjacent ranges and gaps up to maxGapBytes, drops empty ones', () => {
    expect(coalesceRanges([{ offset: 500, length: 10 }, { offset: 0, length: 100 }, { offset: 100, length: 50 }, { offset: 140, length: 20 }, { offset: 300, length: 0 }], o))
      .toEqual([{ offset: 0, length: 160 }, { offset: 500, length: 10 }]);
    expect(coalesceRanges([{ offset: 0, length: 10 }, { offset: 110, length: 10 }], o)).toEqual([{ offset: 0, length: 120 }]);
    expect(coalesceRanges([{ offset: 0, length: 10 }, { offset: 111, length: 10 }], o)).toEqual([{ offset: 0, length: 10 }, { offset: 111, length: 10 }]);
    expect(coalesceRanges([], o)).toEqual([]);
  });

  test('cuts a merged range longer than maxRequestBytes into equal requests covering it exactly', () => {
    const r = coalesceRanges([{ offset: 10, length: 2500 }], o);
    expect(r).toEqual([{ offset: 10, length: 834 }, { offset: 844, length: 834 }, { offset: 1678, length: 832 }]);
    expect(r.every((x) => x.length <= 1000)).toBe(true);
  });
});

describe('RequestGate', () => {
  test('never runs more than its limit at once, and runs everything', async () => {
    const gate = new RequestGate(3);
    let now = 0, peak = 0, done = 0;
    await Promise.all(Array.from({ length: 20 }, (_, i) => gate.run(async () => {
      now++;
      peak = Math.max(peak, now);
      await new Promise((resolve) => setTimeout(resolve, i % 3));
      now--;
      done++;
    })));
    expect(peak).toBe(3);
    expect(done).toBe(20);
  });

  test('a failing task frees its place', async () => {
    const gate = new RequestGate(1);
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(() => Promise.resolve(7))).toBe(7);
  });
});

describe('ownsBuffer', () => {
  test('only whole buffers of files whose reads are their callers\' own', () => {
    const whole = new Uint8Array(16);
    expect(ownsBuffer(true, whole)).toBe(true);
    expect(ownsBuffer(undefined, whole)).toBe(false);
    expect(ownsBuffer(false, whole)).toBe(false);
    expect(ownsBuffer(true, whole.subarray(4))).toBe(false);
    expect(ownsBuffer(true, whole.subarray(0, 8))).toBe(false);
  });
});

describe('readRanges', () => {
  test('reads each request once, counted, with the right bytes', async () => {
    const f = await new LocalFileSystem().open(file);
    const stats = newIoStats();
    const requests = coalesceRanges([{ offset: 5, length: 100 }, { offset: 200_000, length: 50_000 }, { offset: 150, length: 10 }], { maxGapBytes: 1000, maxRequestBytes: 1 << 20 });
    const got = await readRanges(f, requests, new RequestGate(2), { stats });
    expect(got.map((g) => [g.offset, g.bytes.length])).toEqual([[5, 155], [200_000, 50_000]]);
    expect(got[1]!.bytes).toEqual(bytes.subarray(200_000, 250_000));
    expect(stats).toEqual({ requests: 2, bytesRead: 50_155 });
    await f.close();
  });

  test('gives up on a read that ignores the signal when the signal aborts', async () => {
    const inner = await new LocalFileSystem().open(file);
    const stalled: RandomAccessFile = {
      location: inner.location, size: inner.size,
      read: () => new Promise<Uint8Array>(() => undefined),
      readTail: (n: number, o?: IoOptions) => inner.readTail(n, o),
      close: () => inner.close(),
    };
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 20);
    const e = await readRanges(stalled, [{ offset: 0, length: 10 }], new RequestGate(1), { signal: ac.signal }).catch((x: unknown) => x);
    expect((e as ShoalError).code).toBe('USER_CANCELED');
    await stalled.close();
  });
});

describe('LocalFileSystem.open with a listed status', () => {
  test('opens a file that is the listed version, and refuses one that changed with FILE_CHANGED naming it', async () => {
    const p = path.join(dir, 'changing.bin');
    writeFileSync(p, 'first version');
    const fs = new LocalFileSystem();
    const listed = await fs.stat(p);
    const f = await fs.open(p, { status: listed });
    expect(f.etag).toBe(listed.etag);
    await f.close();
    writeFileSync(p, 'second, longer version');
    utimesSync(p, new Date(), new Date(Date.now() + 5000));
    const e = await fs.open(p, { status: listed }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ShoalError);
    expect((e as ShoalError).code).toBe('FILE_CHANGED');
    expect((e as ShoalError).message).toContain(p);
    expect((e as ShoalError).hint).toMatch(/re-run/i);
  });
});
