/**
 * Writing one Cloud Storage object front to back (WritableFileSystem.create on GcsFileSystem; contracts in
 * writable.ts), with the JSON API's upload protocols:
 *
 *  - A file of at most one chunk (8 MiB) is one simple upload (`uploadType=media`) at close.
 *  - A larger one is a resumable upload, as Google recommends for large objects: the session starts when the
 *    second chunk begins (POST `uploadType=resumable` → session URI), chunks of exactly `chunkSize` bytes (a
 *    multiple of 256 KiB) are PUT with `Content-Range: bytes FIRST-LAST/*` while the next fills, so at most two
 *    chunks are in memory (part-pipeline.ts), and the last chunk carries the total and creates the object. Each
 *    308 answer's Range header says what the session persisted; bytes it did not persist are sent again.
 *  - `exclusive` adds `ifGenerationMatch=0` and always uses a resumable upload (a small file is its only chunk):
 *    the service evaluates the precondition when the object is created (412 → ALREADY_EXISTS), and a final chunk
 *    whose answer was lost can be asked about (a status query answers with the object), so a retry never mistakes
 *    its own creation for someone else's. A retried simple upload without a precondition just writes it again.
 *  - Retries (retry.ts): a chunk attempt after a failed one first asks the session what it holds (`Content-Range:
 *    bytes *\/*`) and continues from there.
 *  - abort cancels the session (DELETE → 499); nothing is visible before the last chunk succeeds.
 */
import { ShoalError } from '../common/index.js';
import type { FileStatus, IoOptions } from './file-system.js';
import { TransientGcsError } from './gcs-errors.js';
import { statusOf, type GcsFileSystem } from './gcs-fs.js';
import { gcsUrl, type GcsLocation } from './gcs-location.js';
import { GcsHttpError } from './gcs-media.js';
import { expectStatus, gcsFetch, uploadBase } from './gcs-writable.js';
import { PartPipeline } from './part-pipeline.js';
import { PartUploadWriter } from './part-upload-writer.js';
import { countWrite, type CreateOptions } from './writable.js';

/** Cloud Storage's chunk granularity: every chunk but the last is a multiple of it. */
export const GCS_CHUNK_GRANULARITY = 256 * 1024;
/** Default chunk size (the client library's default too). */
export const GCS_CHUNK_SIZE = 8 * 1024 * 1024;

/** What the session holds: the bytes persisted, or the finished object's resource. */
type SessionState = { readonly done: false; readonly persisted: number } | { readonly done: true; readonly resource: unknown };

/** `Range: bytes=0-N` of a 308 answer → N + 1 bytes persisted; no header: none. */
function persistedOf(res: Response): number {
  const m = /^bytes=0-(\d+)$/.exec(res.headers.get('range')?.trim() ?? '');
  return m === null ? 0 : Number(m[1]) + 1;
}

export class GcsFileWriter extends PartUploadWriter {
  readonly location: string;
  protected readonly parts: PartPipeline;
  private session: string | undefined;
  private readonly quiet: IoOptions;

  constructor(
    private readonly fs: GcsFileSystem,
    private readonly where: GcsLocation,
    private readonly o: CreateOptions | undefined,
    chunkSize: number = GCS_CHUNK_SIZE,
  ) {
    super(o?.signal);
    if (chunkSize % GCS_CHUNK_GRANULARITY !== 0 || chunkSize <= 0) {
      throw new ShoalError('INVALID_ARGUMENTS', `The Cloud Storage upload chunk size must be a positive multiple of 256 KiB, not ${chunkSize}`);
    }
    this.location = gcsUrl(where.bucket, where.key);
    this.quiet = { stats: o?.stats };
    this.parts = new PartPipeline(chunkSize, (part, _index, offset) => this.sendChunk(part, offset, undefined).then(() => undefined));
  }

  private get exclusive(): boolean {
    return this.o?.exclusive === true;
  }

  protected async complete(rest: Uint8Array): Promise<FileStatus> {
    const resource = this.session === undefined && !this.exclusive ? await this.simpleUpload(rest) : await this.sendChunk(rest, this.parts.bytesSent, this.size);
    this.session = undefined;
    return statusOf(this.where.bucket, resource);
  }

  private async simpleUpload(bytes: Uint8Array): Promise<unknown> {
    const q = new URLSearchParams({ uploadType: 'media', name: this.where.key });
    return this.fs.request(this.where, 'write', this.o, async (storage, signal) => {
      countWrite(this.o, bytes.length);
      const url = `${uploadBase(storage)}/b/${encodeURIComponent(this.where.bucket)}/o?${q.toString()}`;
      const res = await gcsFetch(storage, url, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, bytes }, signal);
      return (await expectStatus(res, (s) => s === 200)).json();
    });
  }

  /** Starts the resumable session (once); a lost answer leaves an unused session, which the service expires. */
  private async sessionUri(): Promise<string> {
    if (this.session !== undefined) return this.session;
    const q = new URLSearchParams({ uploadType: 'resumable', name: this.where.key, ...(this.exclusive ? { ifGenerationMatch: '0' } : {}) });
    const body = JSON.stringify({ name: this.where.key, contentType: 'application/octet-stream' });
    this.session = await this.fs.request(this.where, 'write', this.o, async (storage, signal) => {
      if (this.o?.stats !== undefined) this.o.stats.requests += 1;
      const url = `${uploadBase(storage)}/b/${encodeURIComponent(this.where.bucket)}/o?${q.toString()}`;
      const headers = { 'X-Upload-Content-Type': 'application/octet-stream' };
      const res = await expectStatus(await gcsFetch(storage, url, { method: 'POST', headers, json: body }, signal), (s) => s === 200 || s === 201);
      await res.body?.cancel();
      const location = res.headers.get('location');
      if (location === null || location === '') throw new TransientGcsError('the service started no resumable upload session (no Location header)');
      return location;
    });
    return this.session;
  }

  /**
   * Sends `bytes` (the file's bytes from `offset`) to the session; `total` (the file's size) makes it the last chunk,
   * which resolves with the object's resource.
   */
  private async sendChunk(bytes: Uint8Array, offset: number, total: number | undefined): Promise<unknown> {
    const uri = await this.sessionUri();
    const end = offset + bytes.length;
    return this.fs.request(this.where, 'write', this.o, async (storage, signal, attempt) => {
      let from = offset;
      if (attempt > 1) {
        const state = await this.query(storage, uri, signal);
        if (state.done) return state.resource;
        if (state.persisted < offset) {
          throw new ShoalError('IO_ERROR', `The resumable upload of ${this.location} lost bytes it had acknowledged (it holds ${state.persisted} of ${offset})`, {
            location: this.location,
            hint: 'Re-run the statement',
          });
        }
        if (total === undefined && state.persisted >= end) return undefined;
        from = Math.min(state.persisted, end);
      }
      for (;;) {
        const body = bytes.subarray(from - offset);
        const range = body.length === 0 ? `bytes */${total ?? '*'}` : `bytes ${from}-${end - 1}/${total ?? '*'}`;
        countWrite(this.o, body.length);
        const res = await gcsFetch(storage, uri, { method: 'PUT', headers: { 'Content-Range': range }, bytes: body }, signal);
        if (res.status === 200 || res.status === 201) {
          if (total === undefined) throw new ShoalError('IO_ERROR', `Cloud Storage finished the upload of ${this.location} before its last chunk`, { location: this.location });
          return res.json();
        }
        if (res.status === 412 && this.exclusive) throw this.alreadyExists();
        await expectStatus(res, (s) => s === 308);
        const persisted = persistedOf(res);
        if (total === undefined && persisted >= end) return undefined;
        // Not all was persisted: send the rest again; no progress at all is a failed attempt (then retried).
        if (persisted <= from) throw new TransientGcsError(`the upload session persisted ${persisted} bytes of ${end} sent`);
        from = persisted;
      }
    });
  }

  /** The status query: what the session holds, or the object once it is complete. */
  private async query(storage: Parameters<typeof gcsFetch>[0], uri: string, signal: AbortSignal): Promise<SessionState> {
    if (this.o?.stats !== undefined) this.o.stats.requests += 1;
    const res = await gcsFetch(storage, uri, { method: 'PUT', headers: { 'Content-Range': 'bytes */*' }, bytes: new Uint8Array(0) }, signal);
    if (res.status === 200 || res.status === 201) return { done: true, resource: await res.json() };
    if (res.status === 412 && this.exclusive) throw this.alreadyExists();
    if (res.status === 404 || res.status === 410) {
      throw new ShoalError('IO_ERROR', `The resumable upload session of ${this.location} is gone (HTTP ${res.status}: expired or canceled)`, {
        location: this.location,
        hint: 'Re-run the statement',
      });
    }
    await expectStatus(res, (s) => s === 308);
    return { done: false, persisted: persistedOf(res) };
  }

  private alreadyExists(): ShoalError {
    return new ShoalError('ALREADY_EXISTS', `${this.location} already exists`, { location: this.location });
  }

  /** Waits for the chunk in flight, then cancels the session, if one was started. Never throws. */
  protected async cancel(): Promise<void> {
    await this.parts.drain();
    const uri = this.session;
    if (uri === undefined) return;
    this.session = undefined;
    await this.fs
      .request(this.where, 'write', this.quiet, async (storage, signal) => {
        if (this.quiet.stats !== undefined) this.quiet.stats.requests += 1;
        const res = await gcsFetch(storage, uri, { method: 'DELETE' }, signal);
        await res.body?.cancel();
        // 499: canceled; 404/410: already gone; 200/201: it had completed (only after a failed close). Others retry.
        if (![499, 404, 410, 200, 201, 204].includes(res.status)) throw new GcsHttpError(res.status, res.statusText);
      })
      .catch(() => undefined);
  }
}
