import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { LocalFileSystem, isWritable, newIoStats } from '../../../src/fs/index.js';

const root = mkdtempSync(path.join(tmpdir(), 'shoal-fs-write-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const fs = new LocalFileSystem();
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('LocalFileSystem writes', () => {
  test('is writable and publishes by rename', () => {
    expect(isWritable(fs)).toBe(true);
    expect(fs.publishMethod).toBe('rename');
  });

  test('create writes a file front to back, creating parents, and counts bytes written', async () => {
    const stats = newIoStats();
    const loc = path.join(root, 'a/b/c.txt');
    const w = await fs.create(loc, { stats });
    await w.write(bytes('hello '));
    await w.write(bytes('world'));
    const st = await w.close();
    expect(st).toMatchObject({ location: loc, size: 11 });
    expect(readFileSync(loc, 'utf8')).toBe('hello world');
    expect(stats.bytesWritten).toBe(11);
    expect(stats.requests).toBe(2);
  });

  test('an exclusive create of an existing file fails with ALREADY_EXISTS; a plain one replaces it', async () => {
    const loc = path.join(root, 'lock');
    await (await fs.create(loc, { exclusive: true })).close();
    await expect(fs.create(loc, { exclusive: true })).rejects.toMatchObject({ code: 'ALREADY_EXISTS', location: loc });
    const w = await fs.create(loc);
    await w.write(bytes('x'));
    await w.close();
    expect(readFileSync(loc, 'utf8')).toBe('x');
  });

  test('abort leaves nothing at the location', async () => {
    const loc = path.join(root, 'aborted.bin');
    const w = await fs.create(loc);
    await w.write(bytes('partial'));
    await w.abort();
    expect(existsSync(loc)).toBe(false);
  });

  test('a write after the signal aborted fails with the cancel error', async () => {
    const ac = new AbortController();
    const w = await fs.create(path.join(root, 'cancel.bin'), { signal: ac.signal });
    ac.abort();
    await expect(w.write(bytes('x'))).rejects.toMatchObject({ code: 'USER_CANCELED' });
    await w.abort();
  });

  test('delete removes one file and says whether it was there', async () => {
    const loc = path.join(root, 'del.txt');
    writeFileSync(loc, 'x');
    expect(await fs.delete(loc)).toBe(true);
    expect(await fs.delete(loc)).toBe(false);
  });

  test('deletePrefix removes every file below, hidden ones too, and the emptied directories', async () => {
    const dir = path.join(root, 'tree');
    mkdirSync(path.join(dir, 'k=1/.staging/q'), { recursive: true });
    writeFileSync(path.join(dir, 'k=1/a.parquet'), 'a');
    writeFileSync(path.join(dir, 'k=1/.staging/q/b'), 'b');
    writeFileSync(path.join(dir, '_SUCCESS'), '');
    expect(await fs.deletePrefix(dir)).toBe(3);
    expect(existsSync(dir)).toBe(false);
    expect(await fs.deletePrefix(dir)).toBe(0);
  });

  test('rename moves files and directories into new parents; a non-empty target directory is refused', async () => {
    const a = path.join(root, 'mv/src.txt');
    mkdirSync(path.dirname(a), { recursive: true });
    writeFileSync(a, 'moved');
    const b = path.join(root, 'mv/deep/er/dst.txt');
    await fs.rename(a, b);
    expect(readFileSync(b, 'utf8')).toBe('moved');
    expect(existsSync(a)).toBe(false);
    await fs.rename(path.join(root, 'mv/deep'), path.join(root, 'mv2/deep'));
    expect(readdirSync(path.join(root, 'mv2/deep/er'))).toEqual(['dst.txt']);
    mkdirSync(path.join(root, 'full/x'), { recursive: true });
    writeFileSync(path.join(root, 'full/x/f'), '');
    mkdirSync(path.join(root, 'other/x'), { recursive: true });
    writeFileSync(path.join(root, 'other/x/g'), '');
    await expect(fs.rename(path.join(root, 'other/x'), path.join(root, 'full/x'))).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    await expect(fs.rename(path.join(root, 'missing'), path.join(root, 'y'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });

  test('copy duplicates a file', async () => {
    const a = path.join(root, 'cp/a.txt');
    mkdirSync(path.dirname(a), { recursive: true });
    writeFileSync(a, 'copy me');
    await fs.copy(a, path.join(root, 'cp/b/b.txt'));
    expect(readFileSync(path.join(root, 'cp/b/b.txt'), 'utf8')).toBe('copy me');
  });

  test('ensureDirectory makes an empty directory that lists as empty', async () => {
    const d = path.join(root, 'empty/table');
    await fs.ensureDirectory(d);
    expect(await fs.isDirectory(d)).toBe(true);
    const files = [];
    for await (const f of fs.list(d)) files.push(f);
    expect(files).toEqual([]);
  });
});
