/**
 * Writing one S3 object front to back (WritableFileSystem.create on S3FileSystem; contracts in writable.ts).
 *
 * A file of at most one part (8 MiB) is one PutObject at close. A larger one is a multipart upload, started when
 * the second part begins: parts of exactly `partSize` bytes (S3's minimum is 5 MiB, except the last) are sent
 * while the next fills, so at most two parts are in memory (part-pipeline.ts); close sends the last part and
 * CompleteMultipartUpload; abort sends AbortMultipartUpload. Nothing is visible at the key before Complete (or
 * the PutObject) succeeds.
 *
 * `exclusive` sends `If-None-Match: *` with the PutObject or the Complete (S3 conditional writes): S3 answers 412
 * when the key exists, atomically with the creation, and the writer fails with ALREADY_EXISTS (aborting the upload).
 *
 * Retries (retry.ts): a part is re-sent whole from the same bytes (a part number is overwritten). Complete and a
 * conditional PutObject are not idempotent: when an attempt's response was lost and the retry is refused
 * (NoSuchUpload: the upload was completed by the lost attempt; 412: the object now exists), the object at the key
 * is looked at (HeadObject) and accepted when its ETag is this file's: the multipart ETag (MD5 of the parts' MD5s,
 * `-N`) or the MD5 of the whole file (servers that give whole-object ETags). Another writer putting byte-identical
 * content at the same moment is indistinguishable; Shoal's staged names and lock contents are unique per statement.
 * A lost CreateMultipartUpload response leaves an upload that nobody completes: invisible, but stored until a
 * bucket lifecycle rule (AbortIncompleteMultipartUpload) removes it.
 */
import { createHash, type Hash } from 'node:crypto';
import { ShoalError } from '../common/index.js';
import type { FileStatus, IoOptions } from './file-system.js';
import { normalizeEtag } from './object-version.js';
import { PartPipeline } from './part-pipeline.js';
import type { S3Connection } from './s3-client.js';
import type { S3FileSystem, S3Location } from './s3-fs.js';
import { PartUploadWriter } from './part-upload-writer.js';
import type { CreateOptions } from './writable.js';

/** Default part size: above S3's 5 MiB minimum; 10,000 parts make files of up to 78 GiB. */
export const S3_PART_SIZE = 8 * 1024 * 1024;
/** S3's smallest part (except the last). */
export const S3_MIN_PART_SIZE = 5 * 1024 * 1024;

/** The parts of an SDK error the retry decisions look at. */
function errorName(e: unknown): string | undefined {
  const o = typeof e === 'object' && e !== null ? (e as { name?: unknown; Code?: unknown; $metadata?: { httpStatusCode?: unknown } }) : {};
  if (o.$metadata?.httpStatusCode === 412) return 'PreconditionFailed';
  return typeof o.name === 'string' ? o.name : undefined;
}

export function alreadyExists(location: string, cause?: unknown): ShoalError {
  return new ShoalError('ALREADY_EXISTS', `${location} already exists`, { location, cause });
}

/** The ETag S3 gives a multipart object: MD5 of the concatenated binary MD5s of its parts, then `-<parts>`. */
function multipartEtag(partEtags: readonly string[]): string {
  const md5 = createHash('md5');
  for (const e of partEtags) md5.update(Buffer.from(e, 'hex'));
  return `${md5.digest('hex')}-${partEtags.length}`;
}

export class S3FileWriter extends PartUploadWriter {
  readonly location: string;
  protected readonly parts: PartPipeline;
  private readonly md5: Hash = createHash('md5');
  private readonly partEtags: string[] = [];
  private uploadId: string | undefined;
  /** Requests made for the writer after it ended (abort) carry no signal: cleanup must run after a cancel. */
  private readonly quiet: IoOptions;

  constructor(
    private readonly fs: S3FileSystem,
    private readonly loc: S3Location,
    private readonly o: CreateOptions | undefined,
    partSize: number = S3_PART_SIZE,
  ) {
    super(o?.signal);
    this.location = loc.url;
    this.quiet = { stats: o?.stats };
    this.parts = new PartPipeline(Math.max(partSize, S3_MIN_PART_SIZE), (part, index) => this.sendPart(part, index));
  }

  protected override onBytes(bytes: Uint8Array): void {
    this.md5.update(bytes);
  }

  protected async complete(rest: Uint8Array): Promise<FileStatus> {
    const wholeMd5 = this.md5.digest('hex');
    const etag = this.uploadId === undefined ? await this.putObject(rest, wholeMd5) : await this.completeMultipart(rest, wholeMd5);
    return { location: this.location, size: this.size, etag };
  }

  protected cancel(): Promise<void> {
    return this.abortUpload();
  }

  /** Sends part `index` (0-based); the first one starts the multipart upload. */
  private async sendPart(part: Uint8Array, index: number): Promise<void> {
    if (index === 0) this.uploadId = await this.createUpload();
    const uploadId = this.uploadId!;
    const res = await this.fs.request(
      this.loc, this.o,
      (c, signal) => c.client.send(new c.sdk.UploadPartCommand({ Bucket: this.loc.bucket, Key: this.loc.key, UploadId: uploadId, PartNumber: index + 1, Body: part, ContentLength: part.length }), { abortSignal: signal }),
      { action: 'write', bytes: part.length },
    );
    const etag = normalizeEtag(res.ETag);
    if (etag === undefined) throw new ShoalError('IO_ERROR', `S3 answered part ${index + 1} of ${this.location} without an ETag`, { location: this.location });
    this.partEtags[index] = etag;
  }

  private async createUpload(): Promise<string> {
    const res = await this.fs.request(
      this.loc, this.o,
      (c, signal) => c.client.send(new c.sdk.CreateMultipartUploadCommand({ Bucket: this.loc.bucket, Key: this.loc.key }), { abortSignal: signal }),
      { action: 'write' },
    );
    if (res.UploadId === undefined) throw new ShoalError('IO_ERROR', `S3 started no multipart upload for ${this.location}`, { location: this.location });
    return res.UploadId;
  }

  private async putObject(bytes: Uint8Array, wholeMd5: string): Promise<string | undefined> {
    const exclusive = this.o?.exclusive === true;
    const res = await this.fs.request(
      this.loc, this.o,
      async (c, signal, attempt) => {
        try {
          const r = await c.client.send(
            new c.sdk.PutObjectCommand({ Bucket: this.loc.bucket, Key: this.loc.key, Body: bytes, ContentLength: bytes.length, ...(exclusive ? { IfNoneMatch: '*' } : {}) }),
            { abortSignal: signal },
          );
          return r.ETag;
        } catch (e) {
          if (exclusive && errorName(e) === 'PreconditionFailed') {
            // A retry refused because an earlier attempt, whose answer was lost, created the object: it is ours.
            if (attempt > 1 && (await this.isOurs(c, signal, [wholeMd5]))) return wholeMd5;
            throw alreadyExists(this.location, e);
          }
          throw e;
        }
      },
      { action: 'write', bytes: bytes.length },
    );
    return normalizeEtag(res);
  }

  private async completeMultipart(rest: Uint8Array, wholeMd5: string): Promise<string | undefined> {
    if (rest.length > 0) await this.sendPart(rest, this.parts.partsSent);
    const uploadId = this.uploadId!;
    const exclusive = this.o?.exclusive === true;
    const parts = this.partEtags.map((etag, i) => ({ ETag: `"${etag}"`, PartNumber: i + 1 }));
    const expected = [multipartEtag(this.partEtags), wholeMd5];
    const res = await this.fs.request(
      this.loc, this.o,
      async (c, signal, attempt) => {
        try {
          const r = await c.client.send(
            new c.sdk.CompleteMultipartUploadCommand({ Bucket: this.loc.bucket, Key: this.loc.key, UploadId: uploadId, MultipartUpload: { Parts: parts }, ...(exclusive ? { IfNoneMatch: '*' } : {}) }),
            { abortSignal: signal },
          );
          return r.ETag;
        } catch (e) {
          const name = errorName(e);
          const lostEarlierAnswer = attempt > 1 && (name === 'NoSuchUpload' || (exclusive && name === 'PreconditionFailed'));
          if (lostEarlierAnswer && (await this.isOurs(c, signal, expected))) {
            this.uploadId = undefined; // completed: nothing to abort
            return expected[0];
          }
          if (exclusive && name === 'PreconditionFailed') throw alreadyExists(this.location, e);
          throw e;
        }
      },
      { action: 'write' },
    );
    this.uploadId = undefined;
    return normalizeEtag(res);
  }

  /** Whether the object now at the key has one of the ETags this file would have (one more request). */
  private async isOurs(c: S3Connection, signal: AbortSignal, etags: readonly string[]): Promise<boolean> {
    if (this.o?.stats !== undefined) this.o.stats.requests += 1;
    try {
      const head = await c.client.send(new c.sdk.HeadObjectCommand({ Bucket: this.loc.bucket, Key: this.loc.key }), { abortSignal: signal });
      const etag = normalizeEtag(head.ETag);
      return head.ContentLength === this.size && etag !== undefined && etags.includes(etag);
    } catch {
      return false;
    }
  }

  /** Waits for the part in flight, then gives up the multipart upload, if one was started. Never throws. */
  private async abortUpload(): Promise<void> {
    await this.parts.drain();
    const uploadId = this.uploadId;
    if (uploadId === undefined) return;
    this.uploadId = undefined;
    await this.fs
      .request(
        this.loc, this.quiet,
        (c, signal) => c.client.send(new c.sdk.AbortMultipartUploadCommand({ Bucket: this.loc.bucket, Key: this.loc.key, UploadId: uploadId }), { abortSignal: signal }),
        { action: 'write' },
      )
      .catch(() => undefined);
  }
}
