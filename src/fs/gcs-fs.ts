import type { Storage } from '@google-cloud/storage';
import { ShoalError, throwIfAborted } from '../common/index.js';
import type { FileStatus, IoOptions, IoStats, OpenOptions, RandomAccessFile } from './file-system.js';
import { createStorage } from './gcs-client.js';
import { mapGcsError, TransientGcsError, type GcsRequestKind } from './gcs-errors.js';
import { downloadRange } from './gcs-media.js';
import { gcsUrl, parseGcsLocation, type GcsLocation } from './gcs-location.js';
import { raceAbort } from './ranged-reads.js';
import { DEFAULT_RETRY_POLICY, withRetries, type RetryPolicy } from './retry.js';
import { parseGcsSettings, type GcsSettings } from './gcs-settings.js';
import { GcsFileWriter, GCS_CHUNK_SIZE } from './gcs-upload.js';
import { copyGcsObject, deleteGcsObject, deleteGcsPrefix } from './gcs-writable.js';
import { renameNotSupported } from './no-rename.js';
import type { CreateOptions, FileWriter, WritableFileSystem } from './writable.js';

export interface GcsFileSystemOptions {
  /** Endpoint, project, key file (a catalog's `gcs` settings, parsed); default: the environment. */
  readonly settings?: GcsSettings | undefined;
  /** Attempts per request, the first included (default 5). */
  readonly maxAttempts?: number | undefined;
  /** Backoff before the second attempt, doubled each time, with full jitter (default 100 ms). */
  readonly baseDelayMs?: number | undefined;
  /** Per request (default 60 s). */
  readonly timeoutMs?: number | undefined;
  /** Objects per list request (default 1,000, the service's maximum). */
  readonly pageSize?: number | undefined;
  /** Resumable upload chunk size, a multiple of 256 KiB (default 8 MiB); files up to one chunk are one request. */
  readonly uploadChunkSize?: number | undefined;
}

function count(stats: IoStats | undefined, bytes: number): void {
  if (stats === undefined) return;
  stats.requests += 1;
  stats.bytesRead += bytes;
}

/** An object resource (JSON from the API, `unknown` here) as a FileStatus; the version token is the generation. */
export function statusOf(bucket: string, md: unknown): FileStatus {
  const m = typeof md === 'object' && md !== null ? (md as Record<string, unknown>) : {};
  const name = m['name'];
  const size = Number(m['size']);
  const generation = m['generation'];
  if (typeof name !== 'string' || !Number.isFinite(size) || (typeof generation !== 'string' && typeof generation !== 'number')) {
    throw new TransientGcsError(`malformed object resource from the service for bucket ${bucket}`);
  }
  const updated = typeof m['updated'] === 'string' ? Date.parse(m['updated']) : Number.NaN;
  return { location: gcsUrl(bucket, name), size, etag: String(generation), mtimeMs: Number.isNaN(updated) ? undefined : updated };
}

/** Partial response: only what a FileStatus needs, about a fifth of a full object resource per listed object. */
const LIST_FIELDS = 'items(name,size,generation,updated),nextPageToken';

/** One objects.list response (JSON, `unknown` here): its files, without folder placeholders, and the next token. */
function listPage(bucket: string, response: unknown): { statuses: FileStatus[]; next: string | undefined } {
  const r = typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
  const items = Array.isArray(r['items']) ? (r['items'] as unknown[]) : [];
  const statuses = items.map((item) => statusOf(bucket, item)).filter((f) => !f.location.endsWith('/'));
  const next = r['nextPageToken'];
  return { statuses, next: typeof next === 'string' && next !== '' ? next : undefined };
}

/** `gs://bucket/dir` and `gs://bucket/dir/` both mean the objects whose names start with `dir/`. */
function directoryPrefix(key: string): string {
  return key === '' || key.endsWith('/') ? key : `${key}/`;
}

/**
 * `gs://bucket/key` objects through @google-cloud/storage (loaded on first use). Versions are object generations:
 * an opened file's reads are pinned to its generation, so an overwrite during a query fails with FILE_CHANGED
 * instead of mixing versions. Writable (writable.ts): uploads in gcs-upload.ts, deletes and server-side copies in
 * gcs-writable.ts, all JSON API calls with the client's authorization; staged files are published by copy. Every
 * request goes through the retry policy; bytes and requests (attempts) are added to `o.stats`.
 */
export class GcsFileSystem implements WritableFileSystem {
  readonly scheme = 'gs';
  readonly publishMethod = 'copy';
  private storage: Promise<Storage> | undefined;
  private readonly settings: GcsSettings;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly timeoutMs: number;
  private readonly pageSize: number;
  private readonly chunkSize: number;

  constructor(o: GcsFileSystemOptions = {}) {
    this.settings = o.settings ?? parseGcsSettings(undefined);
    this.maxAttempts = o.maxAttempts ?? 5;
    this.baseDelayMs = o.baseDelayMs ?? 100;
    this.timeoutMs = o.timeoutMs ?? 60_000;
    this.pageSize = o.pageSize ?? 1000;
    this.chunkSize = o.uploadChunkSize ?? GCS_CHUNK_SIZE;
  }

  private client(): Promise<Storage> {
    this.storage ??= createStorage(this.settings, this.timeoutMs).catch((e: unknown) => {
      this.storage = undefined;
      throw e;
    });
    return this.storage;
  }

  /** Runs one request with the shared retry policy; what it throws is mapped to Shoal's errors for `where`. */
  request<T>(where: GcsLocation, kind: GcsRequestKind, o: IoOptions | undefined, op: (storage: Storage, signal: AbortSignal, attempt: number) => Promise<T>, generation?: string): Promise<T> {
    const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, maxAttempts: this.maxAttempts, baseDelayMs: this.baseDelayMs, requestTimeoutMs: this.timeoutMs };
    return withRetries(
      {
        location: gcsUrl(where.bucket, where.key),
        doing: kind === 'write' ? 'writing' : 'reading',
        policy,
        signal: o?.signal,
        classify: (e) => (e instanceof ShoalError ? { retry: false, error: e } : { retry: true, cause: e instanceof Error ? e.message : String(e) }),
      },
      async (signal, attempt) => {
        const storage = await this.client();
        try {
          return await raceAbort(op(storage, signal, attempt), signal);
        } catch (e) {
          if (signal.aborted) throw e;
          throw mapGcsError(e, where, kind, generation);
        }
      },
    );
  }

  async stat(location: string, o?: IoOptions): Promise<FileStatus> {
    const where = parseGcsLocation(location);
    if (where.key === '' || where.key.endsWith('/')) {
      throw new ShoalError('CANNOT_OPEN_FILE', `Expected an object but found a bucket or folder: ${location}`, { location });
    }
    return this.request(where, 'stat', o, async (storage) => {
      count(o?.stats, 0);
      const [md] = await storage.bucket(where.bucket).file(where.key).getMetadata();
      return statusOf(where.bucket, md);
    });
  }

  async isDirectory(location: string, o?: IoOptions): Promise<boolean> {
    const where = parseGcsLocation(location);
    try {
      return await this.request(where, 'list', o, async (storage) => {
        count(o?.stats, 0);
        const [, , response] = await storage.bucket(where.bucket).getFiles({ prefix: directoryPrefix(where.key), maxResults: 1, autoPaginate: false, fields: 'items(name)' });
        const items = typeof response === 'object' && response !== null ? (response as { items?: unknown }).items : undefined;
        return where.key === '' || (Array.isArray(items) && items.length > 0);
      });
    } catch (e) {
      // Without storage.objects.list a single object may still be readable: let stat report on it.
      if (e instanceof ShoalError && e.code === 'PERMISSION_DENIED' && where.key !== '') return false;
      throw e;
    }
  }

  /** Pages of `pageSize` objects, requested one at a time as the consumer iterates; folder placeholders skipped. */
  async *list(prefix: string, o?: IoOptions): AsyncIterable<FileStatus> {
    const where = parseGcsLocation(prefix);
    const namePrefix = directoryPrefix(where.key);
    let pageToken: string | undefined;
    do {
      throwIfAborted(o?.signal);
      const token = pageToken;
      const page = await this.request(where, 'list', o, async (storage) => {
        count(o?.stats, 0);
        const query = { prefix: namePrefix, maxResults: this.pageSize, autoPaginate: false, fields: LIST_FIELDS, ...(token === undefined ? {} : { pageToken: token }) };
        const [, , response] = await storage.bucket(where.bucket).getFiles(query);
        return listPage(where.bucket, response);
      });
      yield* page.statuses;
      pageToken = page.next;
    } while (pageToken !== undefined);
  }

  async open(location: string, o?: OpenOptions): Promise<RandomAccessFile> {
    const where = parseGcsLocation(location);
    const known = o?.status;
    const status = known !== undefined && known.location === location && known.etag !== undefined ? known : await this.stat(location, o);
    return new GcsFile(this, where, location, status.size, status.etag!);
  }

  /** No request until the first chunk is full or the file is closed (see gcs-upload.ts). */
  async create(location: string, o?: CreateOptions): Promise<FileWriter> {
    throwIfAborted(o?.signal);
    const where = parseGcsLocation(location);
    if (where.key === '' || where.key.endsWith('/')) {
      throw new ShoalError('INVALID_ARGUMENTS', `Cannot write an object at ${location}: the location is a bucket or folder`, { location });
    }
    return new GcsFileWriter(this, where, o, this.chunkSize);
  }

  delete(location: string, o?: IoOptions): Promise<boolean> {
    return deleteGcsObject(this, location, o);
  }

  deletePrefix(prefix: string, o?: IoOptions): Promise<number> {
    return deleteGcsPrefix(this, prefix, this.pageSize, o);
  }

  rename(from: string, to: string): Promise<void> {
    return Promise.reject(renameNotSupported('Cloud Storage', from, to));
  }

  copy(from: string, to: string, o?: IoOptions): Promise<void> {
    return copyGcsObject(this, from, to, o);
  }

  async ensureDirectory(): Promise<void> {}

  async removeEmptyDirectory(): Promise<void> {}
}

/** One object version: every read asks for `generation` and checks the generation of the answer. */
class GcsFile implements RandomAccessFile {
  constructor(
    private readonly fs: GcsFileSystem,
    private readonly where: GcsLocation,
    readonly location: string,
    readonly size: number,
    readonly etag: string,
  ) {}

  async read(offset: number, length: number, o?: IoOptions): Promise<Uint8Array> {
    throwIfAborted(o?.signal);
    const n = Math.max(0, Math.min(length, this.size - offset));
    if (n === 0) return new Uint8Array(0);
    return await this.fs.request(this.where, 'read', o, (storage, signal) => this.fetchRange(storage, offset, n, signal, o?.stats), this.etag);
  }

  private async fetchRange(storage: Storage, offset: number, n: number, signal: AbortSignal, stats: IoStats | undefined): Promise<Uint8Array> {
    count(stats, 0);
    const got = await downloadRange(storage, this.where, this.etag, offset, n, signal);
    if (stats !== undefined) stats.bytesRead += got.transferred;
    if (got.generation !== undefined && got.generation !== this.etag) {
      throw new ShoalError('FILE_CHANGED', `${this.location} changed while the query was reading it: generation ${got.generation} answered for generation ${this.etag}`, {
        location: this.location,
        hint: 'Re-run the query to read the current version',
      });
    }
    if (got.bytes.length !== n) throw new TransientGcsError(`the response held ${got.bytes.length} of the ${n} bytes asked for`);
    return got.bytes;
  }

  readTail(maxLength: number, o?: IoOptions): Promise<Uint8Array> {
    const n = Math.min(maxLength, this.size);
    return this.read(this.size - n, n, o);
  }

  async close(): Promise<void> {
    // Nothing held open between reads: each read is one HTTP request.
  }
}

