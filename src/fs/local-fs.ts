import { constants } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ShoalError, throwIfAborted } from '../common/index.js';
import type { FileStatus, FileSystem, IoOptions, OpenOptions, RandomAccessFile } from './file-system.js';
import { copyLocal, createLocalFile, deleteLocalFile, deleteLocalPrefix, ensureLocalDirectory, removeEmptyLocalDirectory, renameLocal } from './local-writable.js';
import type { CreateOptions, FileWriter, WritableFileSystem } from './writable.js';

function ioError(e: unknown, location: string): ShoalError {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new ShoalError('FILE_NOT_FOUND', `File or directory not found: ${location}`, { location, cause: e });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new ShoalError('PERMISSION_DENIED', `Permission denied reading ${location}`, { location, cause: e });
  }
  if (code === 'EISDIR') {
    return new ShoalError('CANNOT_OPEN_FILE', `Expected a file but found a directory: ${location}`, { location, cause: e });
  }
  const detail = e instanceof Error ? e.message : String(e);
  return new ShoalError('IO_ERROR', `Cannot read ${location}: ${detail}`, { location, cause: e });
}

class LocalFile implements RandomAccessFile {
  /** Every read allocates its own buffer. */
  readonly ownsReads = true;

  constructor(
    readonly location: string,
    readonly size: number,
    readonly etag: string,
    private readonly handle: import('node:fs/promises').FileHandle,
  ) {}

  async read(offset: number, length: number, o?: IoOptions): Promise<Uint8Array> {
    throwIfAborted(o?.signal);
    const n = Math.max(0, Math.min(length, this.size - offset));
    const buf = new Uint8Array(n);
    let got = 0;
    try {
      while (got < n) {
        const { bytesRead } = await this.handle.read(buf, got, n - got, offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
    } catch (e) {
      throw ioError(e, this.location);
    }
    if (o?.stats !== undefined) {
      o.stats.bytesRead += got;
      o.stats.requests += 1;
    }
    return got === n ? buf : buf.subarray(0, got);
  }

  readTail(maxLength: number, o?: IoOptions): Promise<Uint8Array> {
    const n = Math.min(maxLength, this.size);
    return this.read(this.size - n, n, o);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** Files on local disk; locations are absolute paths. Writable (local-writable.ts); publishes by rename. */
export class LocalFileSystem implements FileSystem, WritableFileSystem {
  readonly scheme = 'file';
  readonly publishMethod = 'rename';

  async stat(location: string, o?: IoOptions): Promise<FileStatus> {
    throwIfAborted(o?.signal);
    const p = toPath(location);
    try {
      const s = await stat(p);
      if (s.isDirectory()) {
        throw new ShoalError('CANNOT_OPEN_FILE', `Expected a file but found a directory: ${location}`, { location });
      }
      return { location: p, size: s.size, mtimeMs: s.mtimeMs, etag: `${s.mtimeMs}-${s.size}` };
    } catch (e) {
      if (e instanceof ShoalError) throw e;
      throw ioError(e, location);
    }
  }

  async isDirectory(location: string): Promise<boolean> {
    try {
      return (await stat(toPath(location))).isDirectory();
    } catch {
      return false;
    }
  }

  async *list(prefix: string, o?: IoOptions): AsyncIterable<FileStatus> {
    const root = toPath(prefix);
    const walk = async function* (dir: string): AsyncIterable<FileStatus> {
      throwIfAborted(o?.signal);
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (e) {
        throw ioError(e, dir);
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const ent of entries) {
        const full = path.join(dir, ent.name);
        if (ent.isDirectory()) yield* walk(full);
        else if (ent.isFile() || ent.isSymbolicLink()) {
          try {
            const s = await stat(full);
            if (s.isFile()) yield { location: full, size: s.size, mtimeMs: s.mtimeMs, etag: `${s.mtimeMs}-${s.size}` };
          } catch (e) {
            throw ioError(e, full);
          }
        }
      }
    };
    yield* walk(root);
  }

  async open(location: string, o?: OpenOptions): Promise<RandomAccessFile> {
    throwIfAborted(o?.signal);
    const p = toPath(location);
    try {
      const handle = await open(p, constants.O_RDONLY);
      try {
        const s = await handle.stat();
        if (s.isDirectory()) {
          throw new ShoalError('CANNOT_OPEN_FILE', `Expected a file but found a directory: ${location}`, { location });
        }
        const etag = `${s.mtimeMs}-${s.size}`;
        const listed = o?.status;
        if (listed !== undefined && ((listed.etag !== undefined && listed.etag !== etag) || listed.size !== s.size)) {
          throw new ShoalError('FILE_CHANGED', `File ${location} changed after it was listed (listed: ${listed.size} bytes, version ${listed.etag ?? 'unknown'}; now: ${s.size} bytes, version ${etag})`, {
            location,
            hint: 'Another process rewrote the file while the query ran; re-run the query to read the new version',
          });
        }
        return new LocalFile(p, s.size, etag, handle);
      } catch (e) {
        await handle.close();
        throw e;
      }
    } catch (e) {
      if (e instanceof ShoalError) throw e;
      throw ioError(e, location);
    }
  }

  // The write side (WritableFileSystem), implemented in local-writable.ts.
  create(location: string, o?: CreateOptions): Promise<FileWriter> { return createLocalFile(location, o); }
  delete(location: string, o?: IoOptions): Promise<boolean> { return deleteLocalFile(location, o); }
  deletePrefix(prefix: string, o?: IoOptions): Promise<number> { return deleteLocalPrefix(prefix, o); }
  rename(from: string, to: string, o?: IoOptions): Promise<void> { return renameLocal(from, to, o); }
  copy(from: string, to: string, o?: IoOptions): Promise<void> { return copyLocal(from, to, o); }
  ensureDirectory(location: string, o?: IoOptions): Promise<void> { return ensureLocalDirectory(location, o); }
  removeEmptyDirectory(location: string): Promise<void> { return removeEmptyLocalDirectory(location); }
}

function toPath(location: string): string {
  return location.startsWith('file://') ? new URL(location).pathname : location;
}
