import { internalError, throwIfAborted } from '../common/index.js';
import type { FileStatus } from './file-system.js';
import type { PartPipeline } from './part-pipeline.js';
import type { FileWriter } from './writable.js';

/**
 * The life of a chunked object-store upload (S3 multipart, GCS resumable), shared by the stores: bytes go through
 * a PartPipeline; close() hands the unsent rest to `complete` (a single-request upload for small files, else the
 * last part and the commit); a failed close and abort() both `cancel` (which must never throw), so nothing of
 * the object stays visible. Exactly one of close() or abort() ends the writer.
 */
export abstract class PartUploadWriter implements FileWriter {
  abstract readonly location: string;
  protected abstract readonly parts: PartPipeline;
  /** Bytes written so far. */
  protected size = 0;
  private state: 'open' | 'closing' | 'done' = 'open';

  constructor(private readonly signal: AbortSignal | undefined) {}

  async write(bytes: Uint8Array): Promise<void> {
    if (this.state !== 'open') throw internalError(`write after close of ${this.location}`);
    throwIfAborted(this.signal);
    this.onBytes(bytes);
    this.size += bytes.length;
    await this.parts.write(bytes);
  }

  async close(): Promise<FileStatus> {
    if (this.state !== 'open') throw internalError(`${this.location} closed twice`);
    this.state = 'closing';
    try {
      const status = await this.complete(await this.parts.finish());
      this.state = 'done';
      return status;
    } catch (e) {
      await this.cancel();
      this.state = 'done';
      throw e;
    }
  }

  async abort(): Promise<void> {
    if (this.state === 'done') return;
    this.state = 'done';
    await this.cancel();
  }

  /** Sees every byte written, in order (S3 hashes the whole file). */
  protected onBytes(_bytes: Uint8Array): void {}

  /** Uploads `rest` (the bytes no part carried) and finishes the object. */
  protected abstract complete(rest: Uint8Array): Promise<FileStatus>;

  /** Discards whatever the upload left (session, multipart upload); never throws. */
  protected abstract cancel(): Promise<void>;
}
