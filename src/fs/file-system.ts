/**
 * Storage behind one URL scheme. Locations are plain absolute paths for local files, or URLs
 * (`s3://bucket/key`, `gs://bucket/key`, `https://…`). Implementations honour `signal` on every call.
 */
export interface IoOptions {
  readonly signal?: AbortSignal | undefined;
  /** Accumulates what the call cost, for EXPLAIN ANALYZE and progress. */
  readonly stats?: IoStats | undefined;
}

export interface IoStats {
  bytesRead: number;
  requests: number;
  /** Bytes written by WritableFileSystem calls (writable.ts); absent until something is written. */
  bytesWritten?: number;
}

export function newIoStats(): IoStats {
  return { bytesRead: 0, requests: 0 };
}

export interface FileStatus {
  readonly location: string;
  readonly size: number;
  readonly mtimeMs?: number | undefined;
  /** A version token (ETag, generation, or mtime+size for local files); a change means the object changed. */
  readonly etag?: string | undefined;
}

export interface FileSystem {
  readonly scheme: string;
  /**
   * False for stores that cannot list (http, https): a location there is always one file, never a directory or a
   * glob (`?` starts a URL's query). Default true.
   */
  readonly listable?: boolean | undefined;
  /** Status of one file; throws FILE_NOT_FOUND when it does not exist, NOT_FOUND-like errors name the location. */
  stat(location: string, o?: IoOptions): Promise<FileStatus>;
  /** Whether `location` is a directory (or a prefix with objects under it). */
  isDirectory(location: string, o?: IoOptions): Promise<boolean>;
  /** Every file under a directory or prefix, recursively, in lexicographic order of location. */
  list(prefix: string, o?: IoOptions): AsyncIterable<FileStatus>;
  /**
   * Opens a file for ranged reads. With `o.status` (from list or stat in the same query) no request is made to
   * learn size and version; every later read checks the version and fails with FILE_CHANGED when it differs.
   */
  open(location: string, o?: OpenOptions): Promise<RandomAccessFile>;
}

export interface OpenOptions extends IoOptions {
  /** What list/stat said of this file; remote systems then skip their metadata request. */
  readonly status?: FileStatus | undefined;
}

export interface RandomAccessFile {
  readonly location: string;
  readonly size: number;
  /** The version token the reads are pinned to (see FileStatus.etag). */
  readonly etag?: string | undefined;
  /** Exactly `length` bytes from `offset` (fewer only at end of file). One ranged request remotely. */
  read(offset: number, length: number, o?: IoOptions): Promise<Uint8Array>;
  /**
   * True when every `read` resolves with bytes nothing else references (no cache keeps them, no other read shares
   * their ArrayBuffer), so the caller may transfer that buffer to a worker instead of copying it. Absent: false.
   */
  readonly ownsReads?: boolean;
  /** The last min(maxLength, size) bytes: the Parquet footer in one request. */
  readTail(maxLength: number, o?: IoOptions): Promise<Uint8Array>;
  close(): Promise<void>;
}
