import { ShoalError, throwIfAborted } from '../common/index.js';
import type { FileStatus, IoOptions, OpenOptions, RandomAccessFile } from './file-system.js';
import { checkVersion, normalizeEtag } from './object-version.js';
import { contentRangeStart, readBody, type BodyStream } from './read-body.js';
import { withRetries, type RetryPolicy } from './retry.js';
import { connectS3, type S3Connection } from './s3-client.js';
import { classifyS3Error, noSuchBucket, s3ActionVerb, type S3Action } from './s3-errors.js';
import { retryPolicyOf, type S3Settings } from './storage-settings.js';
import { S3FileWriter, S3_PART_SIZE } from './s3-upload.js';
import { copyS3Object, deleteS3Object, deleteS3Prefix, folderPrefix } from './s3-writable.js';
import { renameNotSupported } from './no-rename.js';
import { countWrite, type CreateOptions, type FileWriter, type WritableFileSystem } from './writable.js';

/** `s3://bucket/key` split; the key is used as written (no percent-decoding), as other engines do. */
export interface S3Location {
  readonly url: string;
  readonly bucket: string;
  readonly key: string;
}

export function parseS3Location(location: string): S3Location {
  const m = /^s3:\/\/([^/]*)\/?(.*)$/i.exec(location);
  if (m === null || m[1] === '') {
    throw new ShoalError('INVALID_ARGUMENTS', `Not an S3 location: ${location}`, { location, hint: 'Write s3://bucket/key' });
  }
  return { url: location, bucket: m[1]!, key: m[2]! };
}

type Env = Readonly<Record<string, string | undefined>>;

export interface S3RequestOptions {
  /** What the request does, for error messages (default 'read'). */
  readonly action?: S3Action | undefined;
  /** Bytes each attempt sends (uploads): counted as written. */
  readonly bytes?: number | undefined;
}

/**
 * Objects in S3 and S3-compatible stores. stat = HeadObject; isDirectory = one ListObjectsV2 with MaxKeys 1;
 * list = ListObjectsV2 pages fetched lazily; reads = ranged GetObject checked against the pinned ETag. Writable
 * (writable.ts): uploads in s3-upload.ts, deletes and server-side copies in s3-writable.ts; staged files are
 * published by copy. Every request goes through retry.ts and is counted in `o.stats`. The SDK is loaded and the
 * client created on the first request (settings over the environment, see s3-client.ts).
 */
export class S3FileSystem implements WritableFileSystem {
  readonly scheme = 's3';
  readonly publishMethod = 'copy';
  private connection: Promise<S3Connection> | undefined;
  private readonly policy: RetryPolicy;
  private readonly pageSize: number;
  private readonly partSize: number;

  /** `partSize`: multipart upload part size (default 8 MiB, at least S3's 5 MiB). */
  constructor(
    private readonly settings: S3Settings = {},
    private readonly env: Env = process.env,
    { partSize = S3_PART_SIZE }: { readonly partSize?: number | undefined } = {},
  ) {
    this.policy = retryPolicyOf(settings);
    this.pageSize = settings.listPageSize ?? 1000;
    this.partSize = partSize;
  }

  private connect(): Promise<S3Connection> {
    if (this.connection === undefined) {
      const c = connectS3(this.settings, this.env);
      this.connection = c;
      c.catch(() => {
        if (this.connection === c) this.connection = undefined;
      });
    }
    return this.connection;
  }

  /**
   * One S3 request with retries; `op` must finish reading its response under the signal it is given (it also gets
   * the attempt number, 1-based). Each attempt counts one request in `o.stats`, and `how.bytes` written bytes.
   */
  async request<T>(loc: S3Location, o: IoOptions | undefined, op: (c: S3Connection, signal: AbortSignal, attempt: number) => Promise<T>, how: S3RequestOptions = {}): Promise<T> {
    throwIfAborted(o?.signal);
    const c = await this.connect();
    const context = { location: loc.url, bucket: loc.bucket, endpoint: c.endpoint, action: how.action };
    return withRetries(
      {
        location: loc.url,
        doing: s3ActionVerb(how.action),
        policy: this.policy,
        signal: o?.signal,
        classify: (e) => classifyS3Error(e, context),
        onAttempt: () => {
          if (how.bytes !== undefined) countWrite(o, how.bytes);
          else if (o?.stats !== undefined) o.stats.requests += 1;
        },
      },
      (signal, n) => op(c, signal, n),
    );
  }

  stat(location: string, o?: IoOptions): Promise<FileStatus> {
    return this.statFor(location, o, 'read');
  }

  /** stat, for `action` (error messages say what was being done: delete looks at the object first). */
  async statFor(location: string, o: IoOptions | undefined, action: S3Action): Promise<FileStatus> {
    const loc = parseS3Location(location);
    if (loc.key === '' || loc.key.endsWith('/')) {
      throw new ShoalError('FILE_NOT_FOUND', `Object not found: ${location} (a bucket or folder, not an object)`, { location });
    }
    try {
      const head = await this.request(loc, o, (c, signal) => c.client.send(new c.sdk.HeadObjectCommand({ Bucket: loc.bucket, Key: loc.key }), { abortSignal: signal }), { action });
      return {
        location,
        size: head.ContentLength ?? 0,
        mtimeMs: head.LastModified?.getTime(),
        etag: normalizeEtag(head.ETag),
      };
    } catch (e) {
      // A HEAD response has no body, so a missing bucket looks like a missing key: ask about the bucket.
      if (e instanceof ShoalError && e.code === 'FILE_NOT_FOUND' && !(await this.bucketExists(loc, o))) {
        throw noSuchBucket({ location, bucket: loc.bucket, endpoint: (await this.connect()).endpoint }, e);
      }
      // Nor does it say why access was denied (bad key, bad signature, policy): a one-byte GET's error does.
      if (e instanceof ShoalError && e.code === 'PERMISSION_DENIED' && action === 'read') throw (await this.deniedReason(loc, o)) ?? e;
      throw e;
    }
  }

  private async deniedReason(loc: S3Location, o: IoOptions | undefined): Promise<ShoalError | undefined> {
    try {
      await this.request(loc, o, async (c, signal) => {
        const res = await c.client.send(new c.sdk.GetObjectCommand({ Bucket: loc.bucket, Key: loc.key, Range: 'bytes=0-0' }), { abortSignal: signal });
        (res.Body as BodyStream | undefined)?.destroy?.();
      });
      return undefined;
    } catch (e) {
      return e instanceof ShoalError ? e : undefined;
    }
  }

  private async bucketExists(loc: S3Location, o: IoOptions | undefined): Promise<boolean> {
    try {
      await this.request(loc, o, (c, signal) => c.client.send(new c.sdk.HeadBucketCommand({ Bucket: loc.bucket }), { abortSignal: signal }));
      return true;
    } catch (e) {
      if (e instanceof ShoalError && (e.code === 'FILE_NOT_FOUND' || e.code === 'STORAGE_CONFIGURATION_ERROR')) return false;
      return true;
    }
  }

  async isDirectory(location: string, o?: IoOptions): Promise<boolean> {
    const loc = parseS3Location(location);
    const prefix = folderPrefix(loc.key);
    let page;
    try {
      page = await this.request(loc, o, (c, signal) =>
        c.client.send(new c.sdk.ListObjectsV2Command({ Bucket: loc.bucket, Prefix: prefix, MaxKeys: 1 }), { abortSignal: signal }),
      );
    } catch (e) {
      // Credentials may read objects without listing the bucket (s3:GetObject without s3:ListBucket): then a
      // location is taken for an object, and reading it says whether that is allowed. A location ending in '/'
      // (a folder, a glob's root) needs the listing, so its error stands.
      if (e instanceof ShoalError && e.code === 'PERMISSION_DENIED' && loc.key !== '' && !loc.key.endsWith('/')) return false;
      throw e;
    }
    // The bucket root is a directory whenever the bucket exists (the request above throws otherwise).
    return prefix === '' || (page.Contents?.length ?? 0) > 0;
  }

  async *list(prefix: string, o?: IoOptions): AsyncIterable<FileStatus> {
    const loc = parseS3Location(prefix);
    const keyPrefix = folderPrefix(loc.key);
    let token: string | undefined;
    do {
      const page = await this.request(loc, o, (c, signal) =>
        c.client.send(
          new c.sdk.ListObjectsV2Command({ Bucket: loc.bucket, Prefix: keyPrefix, MaxKeys: this.pageSize, ...(token === undefined ? {} : { ContinuationToken: token }) }),
          { abortSignal: signal },
        ),
      );
      for (const obj of page.Contents ?? []) {
        if (obj.Key === undefined || obj.Key.endsWith('/')) continue; // folder markers
        yield { location: `s3://${loc.bucket}/${obj.Key}`, size: obj.Size ?? 0, mtimeMs: obj.LastModified?.getTime(), etag: normalizeEtag(obj.ETag) };
      }
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  async open(location: string, o?: OpenOptions): Promise<RandomAccessFile> {
    const loc = parseS3Location(location);
    const status = o?.status ?? (await this.stat(location, o));
    return new S3File(this, loc, status.size, status.etag);
  }

  /** No request until the first part is full or the file is closed (see s3-upload.ts). */
  async create(location: string, o?: CreateOptions): Promise<FileWriter> {
    throwIfAborted(o?.signal);
    const loc = parseS3Location(location);
    if (loc.key === '' || loc.key.endsWith('/')) {
      throw new ShoalError('INVALID_ARGUMENTS', `Cannot write an object at ${location}: the location is a bucket or folder`, { location });
    }
    return new S3FileWriter(this, loc, o, this.partSize);
  }

  delete(location: string, o?: IoOptions): Promise<boolean> {
    return deleteS3Object(this, location, o);
  }

  deletePrefix(prefix: string, o?: IoOptions): Promise<number> {
    return deleteS3Prefix(this, prefix, this.pageSize, o);
  }

  rename(from: string, to: string): Promise<void> {
    return Promise.reject(renameNotSupported('S3', from, to));
  }

  copy(from: string, to: string, o?: IoOptions): Promise<void> {
    return copyS3Object(this, from, to, o);
  }

  async ensureDirectory(): Promise<void> {}

  async removeEmptyDirectory(): Promise<void> {}
}

class S3File implements RandomAccessFile {
  readonly location: string;

  constructor(
    private readonly fs: S3FileSystem,
    private readonly loc: S3Location,
    readonly size: number,
    private pinned: string | undefined,
  ) {
    this.location = loc.url;
  }

  get etag(): string | undefined {
    return this.pinned;
  }

  async read(offset: number, length: number, o?: IoOptions): Promise<Uint8Array> {
    throwIfAborted(o?.signal);
    const n = Math.max(0, Math.min(length, this.size - offset));
    if (n === 0) return new Uint8Array(0);
    // An explicit first-last range: some S3-compatible servers mishandle suffix ranges (bytes=-N).
    const range = `bytes=${offset}-${offset + n - 1}`;
    return this.fs.request(this.loc, o, async (c, signal) => {
      const res = await c.client.send(new c.sdk.GetObjectCommand({ Bucket: this.loc.bucket, Key: this.loc.key, Range: range }), { abortSignal: signal });
      const body = res.Body as BodyStream | undefined;
      const etag = normalizeEtag(res.ETag);
      try {
        checkVersion(this.location, this.pinned, etag);
      } catch (e) {
        body?.destroy?.();
        throw e;
      }
      this.pinned ??= etag;
      if (body === undefined) return new Uint8Array(0);
      // Some S3-compatible servers answer a one-byte range with more; fine as long as it starts at the offset.
      const start = contentRangeStart(res.ContentRange) ?? (res.ContentRange === undefined ? 0 : undefined);
      if (start !== offset) {
        body.destroy?.();
        throw new ShoalError('IO_ERROR', `S3 answered ${range} of ${this.location} with ${res.ContentRange ?? 'the whole object'}`, { location: this.location });
      }
      return readBody(body, signal, n, (bytes) => {
        if (o?.stats !== undefined) o.stats.bytesRead += bytes;
      });
    });
  }

  readTail(maxLength: number, o?: IoOptions): Promise<Uint8Array> {
    const n = Math.min(maxLength, this.size);
    return this.read(this.size - n, n, o);
  }

  async close(): Promise<void> {}
}
