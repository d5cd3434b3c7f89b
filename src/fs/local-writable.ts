/**
 * The write side of LocalFileSystem (see writable.ts for the contracts): files written through a handle and
 * synced on close, atomic rename(2) for publishing, recursive deletes that also remove emptied directories.
 */
import { constants } from 'node:fs';
import { copyFile, mkdir, open, readdir, rename, rm, rmdir, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { ShoalError, throwIfAborted } from '../common/index.js';
import type { FileStatus, IoOptions } from './file-system.js';
import { countWrite, type CreateOptions, type FileWriter } from './writable.js';

/** A local I/O failure as a ShoalError naming the location and what was being done. */
export function writeError(e: unknown, location: string, doing: string): ShoalError {
  if (e instanceof ShoalError) return e;
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new ShoalError('FILE_NOT_FOUND', `File or directory not found: ${location}`, { location, cause: e });
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new ShoalError('PERMISSION_DENIED', `Permission denied ${doing} ${location}`, { location, cause: e, hint: 'Check the directory permissions, or choose a location you can write' });
  }
  if (code === 'EEXIST' || code === 'ENOTEMPTY') return new ShoalError('ALREADY_EXISTS', `${location} already exists`, { location, cause: e });
  if (code === 'ENOSPC' || code === 'EDQUOT') return new ShoalError('IO_ERROR', `No space left on the device while ${doing} ${location}`, { location, cause: e, hint: 'Free disk space and re-run the statement' });
  const detail = e instanceof Error ? e.message : String(e);
  return new ShoalError('IO_ERROR', `Failed ${doing} ${location}: ${detail}`, { location, cause: e });
}

export function toPath(location: string): string {
  return location.startsWith('file://') ? decodeURIComponent(new URL(location).pathname) : location;
}

class LocalFileWriter implements FileWriter {
  private done = false;
  private size = 0;

  constructor(readonly location: string, private readonly handle: FileHandle, private readonly o: IoOptions | undefined) {}

  async write(bytes: Uint8Array): Promise<void> {
    if (this.done) throw new ShoalError('GENERIC_INTERNAL_ERROR', `Internal error (this is a bug in Shoal): write after close of ${this.location}`);
    throwIfAborted(this.o?.signal);
    let at = 0;
    try {
      while (at < bytes.length) {
        const { bytesWritten } = await this.handle.write(bytes, at, bytes.length - at);
        at += bytesWritten;
      }
    } catch (e) {
      throw writeError(e, this.location, 'writing');
    }
    this.size += bytes.length;
    countWrite(this.o, bytes.length);
  }

  async close(): Promise<FileStatus> {
    if (this.done) throw new ShoalError('GENERIC_INTERNAL_ERROR', `Internal error (this is a bug in Shoal): ${this.location} closed twice`);
    this.done = true;
    try {
      // Data reaches the disk before any rename publishes the file.
      await this.handle.datasync();
      const s = await this.handle.stat();
      await this.handle.close();
      return { location: this.location, size: s.size, mtimeMs: s.mtimeMs, etag: `${s.mtimeMs}-${s.size}` };
    } catch (e) {
      await this.handle.close().catch(() => {});
      throw writeError(e, this.location, 'writing');
    }
  }

  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.handle.close().catch(() => {});
    await unlink(this.location).catch(() => {});
  }
}

export async function createLocalFile(location: string, o?: CreateOptions): Promise<FileWriter> {
  throwIfAborted(o?.signal);
  const p = toPath(location);
  const flags = constants.O_WRONLY | constants.O_CREAT | (o?.exclusive === true ? constants.O_EXCL : constants.O_TRUNC);
  for (let attempt = 1; ; attempt++) {
    try {
      await mkdir(path.dirname(p), { recursive: true });
      return new LocalFileWriter(p, await open(p, flags, 0o644), o);
    } catch (e) {
      // A concurrent removeEmptyDirectory may take a parent away between mkdir and open: make it again.
      if ((e as { code?: string }).code === 'ENOENT' && attempt < 3) continue;
      throw writeError(e, p, 'creating');
    }
  }
}

export async function removeEmptyLocalDirectory(location: string): Promise<void> {
  await rmdir(toPath(location)).catch(() => {});
}

export async function deleteLocalFile(location: string, o?: IoOptions): Promise<boolean> {
  throwIfAborted(o?.signal);
  const p = toPath(location);
  try {
    await unlink(p);
    if (o?.stats !== undefined) o.stats.requests += 1;
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return false;
    throw writeError(e, p, 'deleting');
  }
}

export async function deleteLocalPrefix(prefix: string, o?: IoOptions): Promise<number> {
  throwIfAborted(o?.signal);
  const root = toPath(prefix);
  let count = 0;
  const walk = async (dir: string): Promise<void> => {
    throwIfAborted(o?.signal);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') return;
      throw writeError(e, dir, 'listing');
    }
    for (const ent of entries) {
      const full = path.join(dir, ent.name);
      if (ent.isDirectory()) await walk(full);
      else {
        try {
          await unlink(full);
          count++;
        } catch (e) {
          if ((e as { code?: string }).code !== 'ENOENT') throw writeError(e, full, 'deleting');
        }
      }
    }
    await rmdir(dir).catch((e: unknown) => {
      const code = (e as { code?: string }).code;
      // ENOTEMPTY: a concurrent writer created something inside meanwhile; it keeps the directory.
      if (code !== 'ENOENT' && code !== 'ENOTEMPTY') throw writeError(e, dir, 'deleting');
    });
  };
  try {
    const s = await stat(root);
    if (!s.isDirectory()) {
      await rm(root, { force: true });
      if (o?.stats !== undefined) o.stats.requests += 1;
      return 1;
    }
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return 0;
    throw writeError(e, root, 'deleting');
  }
  await walk(root);
  if (o?.stats !== undefined) o.stats.requests += count;
  return count;
}

export async function renameLocal(from: string, to: string, o?: IoOptions): Promise<void> {
  throwIfAborted(o?.signal);
  const a = toPath(from), b = toPath(to);
  try {
    await mkdir(path.dirname(b), { recursive: true });
    await rename(a, b);
    if (o?.stats !== undefined) o.stats.requests += 1;
  } catch (e) {
    throw writeError(e, (e as { code?: string }).code === 'ENOENT' ? a : b, 'moving');
  }
}

export async function copyLocal(from: string, to: string, o?: IoOptions): Promise<void> {
  throwIfAborted(o?.signal);
  const a = toPath(from), b = toPath(to);
  try {
    await mkdir(path.dirname(b), { recursive: true });
    await copyFile(a, b);
    countWrite(o, (await stat(b)).size);
  } catch (e) {
    throw writeError(e, (e as { code?: string }).code === 'ENOENT' ? a : b, 'copying');
  }
}

export async function ensureLocalDirectory(location: string, o?: IoOptions): Promise<void> {
  throwIfAborted(o?.signal);
  const p = toPath(location);
  try {
    await mkdir(p, { recursive: true });
  } catch (e) {
    throw writeError(e, p, 'creating the directory');
  }
}
