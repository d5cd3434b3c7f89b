/**
 * Cuts a file written front to back into parts of exactly `partSize` bytes for chunked uploads (S3 multipart
 * uploads, GCS resumable uploads), with bounded memory: the part being filled plus at most one part being sent,
 * so never more than two parts in memory whatever the file's size. Sending a part overlaps with filling the next.
 *
 * A full part is handed to `send` only when a byte beyond it arrives, so the last part is never empty (unless the
 * file is) and is known to be the last when it is sent; a file of at most one part is never sent as a part at
 * all: `finish` hands it back for a single-request upload. `send` keeps the bytes it is given unchanged until its
 * promise settles (so a retry re-sends the same bytes); the buffer is reused afterwards.
 */
export type SendPart = (part: Uint8Array, index: number, offset: number) => Promise<void>;

const FIRST_CAPACITY = 64 * 1024;

export class PartPipeline {
  /** The part being filled; grows up to partSize (small files never allocate a whole part). */
  private current: Uint8Array;
  private filled = 0;
  /** The buffer of the last part sent, free for reuse once its send settled. */
  private spare: Uint8Array | undefined;
  private inFlight: { readonly promise: Promise<void>; readonly buffer: Uint8Array } | undefined;
  private failure: { readonly error: unknown } | undefined;
  private sent = 0;
  private offset = 0;

  constructor(
    readonly partSize: number,
    private readonly send: SendPart,
  ) {
    if (!Number.isInteger(partSize) || partSize < 1) throw new RangeError(`part size must be a positive integer, not ${partSize}`);
    this.current = new Uint8Array(Math.min(partSize, FIRST_CAPACITY));
  }

  /** Parts handed to `send` so far. */
  get partsSent(): number {
    return this.sent;
  }

  /** Bytes handed to `send` so far (the offset of the part being filled). */
  get bytesSent(): number {
    return this.offset;
  }

  /** Copies `bytes` in; resolves once they are buffered (waiting for the part in flight when both buffers are full). */
  async write(bytes: Uint8Array): Promise<void> {
    if (this.failure !== undefined) throw this.failure.error;
    let at = 0;
    while (at < bytes.length) {
      if (this.filled === this.partSize) await this.dispatch();
      const take = Math.min(bytes.length - at, this.partSize - this.filled);
      this.reserve(this.filled + take);
      this.current.set(take === bytes.length ? bytes : bytes.subarray(at, at + take), this.filled);
      this.filled += take;
      at += take;
    }
  }

  /** Waits for the part in flight; resolves with the bytes never sent (the last part, or the whole small file). */
  async finish(): Promise<Uint8Array> {
    await this.settle();
    return this.current.subarray(0, this.filled);
  }

  /** Waits for the part in flight, ignoring how it ended (before aborting an upload). Never throws. */
  async drain(): Promise<void> {
    await this.settle().catch(() => undefined);
  }

  private reserve(capacity: number): void {
    if (capacity <= this.current.length) return;
    let size = this.current.length;
    while (size < capacity) size *= 2;
    const grown = new Uint8Array(Math.min(this.partSize, size));
    grown.set(this.current.subarray(0, this.filled));
    this.current = grown;
  }

  private async dispatch(): Promise<void> {
    await this.settle();
    const part = this.current;
    const index = this.sent++;
    const offset = this.offset;
    this.offset += part.length;
    this.current = this.spare ?? new Uint8Array(this.partSize);
    this.spare = undefined;
    this.filled = 0;
    const promise = this.send(part, index, offset);
    // Observed in settle(); until then a rejection must not count as unhandled.
    promise.catch(() => undefined);
    this.inFlight = { promise, buffer: part };
  }

  private async settle(): Promise<void> {
    const f = this.inFlight;
    if (f !== undefined) {
      this.inFlight = undefined;
      try {
        await f.promise;
        this.spare = f.buffer;
      } catch (e) {
        this.failure = { error: e };
      }
    }
    if (this.failure !== undefined) throw this.failure.error;
  }
}
