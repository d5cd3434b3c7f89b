/**
 * The write side of a file system, as a capability separate from FileSystem: read-only stores (http) do not
 * implement it, and callers ask with `isWritable`.
 *
 * Contracts every implementation keeps:
 *  - A file being written is not promised to be invisible at its location; writers that need atomic
 *    visibility write under a hidden staging prefix and publish with `rename` (or `copy` + `delete` where
 *    `publishMethod` is 'copy'). Readers skip `.`/`_` path segments (registry.ts isHiddenFile).
 *  - Every call honours `o.signal`; bytes written and requests made are added to `o.stats`.
 *  - Errors are ShoalErrors naming the location (FILE_NOT_FOUND, PERMISSION_DENIED, ALREADY_EXISTS, IO_ERROR…).
 */
import type { FileStatus, FileSystem, IoOptions } from './file-system.js';

/**
 * How a store makes staged files visible at their final location:
 *  - 'rename': an atomic rename of a file (or directory) within the store (local disk);
 *  - 'copy': a server-side copy followed by a delete of the source (object stores: S3, GCS), atomic per object.
 */
export type PublishMethod = 'rename' | 'copy';

export interface CreateOptions extends IoOptions {
  /**
   * Fail with ALREADY_EXISTS when the file exists, atomically with the creation (local: O_EXCL; S3: If-None-Match;
   * GCS: ifGenerationMatch=0). Used for lock files. Without it an existing file is replaced.
   */
  readonly exclusive?: boolean | undefined;
}

/** A file being written, front to back. Exactly one of close() or abort() ends it. */
export interface FileWriter {
  readonly location: string;
  /** Appends bytes. The caller may reuse `bytes` once the promise resolves. */
  write(bytes: Uint8Array): Promise<void>;
  /** Flushes and finishes the file; resolves with its status (size, version). */
  close(): Promise<FileStatus>;
  /** Gives up: nothing of the file stays at its location. Never throws. */
  abort(): Promise<void>;
}

export interface WritableFileSystem extends FileSystem {
  readonly publishMethod: PublishMethod;
  /** Opens a file for writing; missing parent directories are created (local) or need none (object stores). */
  create(location: string, o?: CreateOptions): Promise<FileWriter>;
  /** Deletes one file; false when it did not exist. */
  delete(location: string, o?: IoOptions): Promise<boolean>;
  /**
   * Deletes every file under a directory or prefix, hidden ones included, and (local) the emptied directories
   * with the directory itself. Returns the number of files deleted; 0 when nothing was there.
   */
  deletePrefix(prefix: string, o?: IoOptions): Promise<number>;
  /**
   * Moves a file or directory, atomically, creating the target's parent directories. A file at `to` is replaced;
   * a non-empty directory at `to` is an error. Only stores whose publishMethod is 'rename' implement it; others
   * throw NOT_SUPPORTED.
   */
  rename(from: string, to: string, o?: IoOptions): Promise<void>;
  /** Copies one file (server-side where the store can), replacing `to`. */
  copy(from: string, to: string, o?: IoOptions): Promise<void>;
  /**
   * Makes `location` usable as an empty directory (local: mkdir -p). Object stores need nothing: a prefix exists
   * as soon as an object does.
   */
  ensureDirectory(location: string, o?: IoOptions): Promise<void>;
  /**
   * Removes a directory if, and only if, it is empty, atomically (local: rmdir); a missing or non-empty directory
   * is left alone without error. Object stores do nothing: a prefix disappears with its last object.
   */
  removeEmptyDirectory(location: string, o?: IoOptions): Promise<void>;
}

export function isWritable(fs: FileSystem): fs is WritableFileSystem {
  const w = fs as Partial<WritableFileSystem>;
  return typeof w.create === 'function' && typeof w.deletePrefix === 'function' && (w.publishMethod === 'rename' || w.publishMethod === 'copy');
}

/** Adds written bytes to a stats object (IoStats.bytesWritten is optional so that read-only code ignores it). */
export function countWrite(o: IoOptions | undefined, bytes: number): void {
  if (o?.stats === undefined) return;
  o.stats.bytesWritten = (o.stats.bytesWritten ?? 0) + bytes;
  o.stats.requests += 1;
}
