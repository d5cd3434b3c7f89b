/**
 * Turning "these byte ranges of one file" into few, large, parallel requests: ranges closer than a gap are merged
 * (the gap is read and discarded), long merged ranges are cut into requests of bounded size, and requests run in
 * parallel up to a limit shared by everything holding the same RequestGate (one per scan).
 *
 * Defaults, from a cost model of object stores (S3/GCS: 15–30 ms to first byte, ~100 MB/s per connection):
 *  - gap 256 KiB: with 8 requests in flight an extra request costs about TTFB / 8 ≈ 2.5 ms, the time to transfer
 *    ~250 KB, so merging holes up to that size never costs more time than it saves. Arrow C++ defaults to 8 KiB
 *    (tuned for HDFS and local disks), Rust object_store to 1 MiB (which ignores parallel requests); locally a
 *    hole is read at disk speed, so the same value does no harm there.
 *  - request 8 MiB: object stores serve parallel range GETs of 8–16 MB at full bandwidth (S3's guidance for
 *    byte-range fetches), so a 60 MB column chunk becomes 8 parallel requests instead of one slow stream.
 */
import { ShoalError } from '../common/index.js';
import type { IoOptions, RandomAccessFile } from './file-system.js';

export interface ByteRange {
  readonly offset: number;
  readonly length: number;
}

/** Bytes read from `offset`; one request's result. */
export interface FetchedRange {
  readonly offset: number;
  readonly bytes: Uint8Array;
  /** True when `bytes` spans its whole ArrayBuffer and nothing else holds it (RandomAccessFile.ownsReads). */
  readonly owned?: boolean;
}

/** Whether `bytes`, read from a file with RandomAccessFile.ownsReads `ownsReads`, may be transferred rather than copied. */
export function ownsBuffer(ownsReads: boolean | undefined, bytes: Uint8Array): boolean {
  return ownsReads === true && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
}

export interface CoalesceOptions {
  /** Ranges separated by at most this many bytes are fetched together. */
  readonly maxGapBytes: number;
  /** No request is longer than this; longer merged ranges are cut into equal requests. */
  readonly maxRequestBytes: number;
}

export const DEFAULT_COALESCE: CoalesceOptions = { maxGapBytes: 256 * 1024, maxRequestBytes: 8 * 1024 * 1024 };

/** Requests in flight per scan unless a session says otherwise. */
export const DEFAULT_PARALLEL_REQUESTS = 8;

/**
 * The requests that fetch every byte of `ranges` (any order; overlaps and empty ranges allowed): sorted, merged
 * across gaps of at most maxGapBytes, cut into pieces of at most maxRequestBytes.
 */
export function coalesceRanges(ranges: readonly ByteRange[], o: CoalesceOptions = DEFAULT_COALESCE): ByteRange[] {
  const sorted = ranges.filter((r) => r.length > 0).sort((a, b) => a.offset - b.offset);
  const merged: { offset: number; end: number }[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    const end = r.offset + r.length;
    if (last !== undefined && r.offset - last.end <= o.maxGapBytes) last.end = Math.max(last.end, end);
    else merged.push({ offset: r.offset, end });
  }
  const out: ByteRange[] = [];
  const cap = Math.max(1, o.maxRequestBytes);
  for (const m of merged) {
    const length = m.end - m.offset;
    const pieces = Math.ceil(length / cap);
    const step = Math.ceil(length / pieces);
    for (let at = m.offset; at < m.end; at += step) out.push({ offset: at, length: Math.min(step, m.end - at) });
  }
  return out;
}

/** A counting semaphore bounding the requests in flight of everything that shares it. */
export class RequestGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number = DEFAULT_PARALLEL_REQUESTS) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`request limit must be a positive integer, not ${limit}`);
  }

  async run<T>(f: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await f();
    } finally {
      const next = this.waiting.shift();
      if (next !== undefined) next(); // the slot passes to the next waiter
      else this.active--;
    }
  }
}

function canceled(signal: AbortSignal): unknown {
  const reason: unknown = signal.reason;
  return reason instanceof ShoalError ? reason : new ShoalError('USER_CANCELED', 'Query was canceled');
}

/** `p`, or a rejection as soon as `signal` aborts (a request that ignores the signal is abandoned, not awaited). */
export function raceAbort<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return p;
  if (signal.aborted) {
    p.catch(() => undefined);
    return Promise.reject(canceled(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      p.catch(() => undefined);
      reject(canceled(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/**
 * Reads `requests` (as coalesceRanges returns them) in parallel through `gate`. Every request is one
 * RandomAccessFile.read, counted in o.stats by the file. Fails with the first error (others are abandoned);
 * a short read (the file ends early) is returned as is for the caller to judge.
 */
export async function readRanges(file: RandomAccessFile, requests: readonly ByteRange[], gate: RequestGate, o?: IoOptions): Promise<FetchedRange[]> {
  const reads = requests.map((r) =>
    gate.run(async () => {
      if (o?.signal?.aborted === true) throw canceled(o.signal);
      const bytes = await raceAbort(file.read(r.offset, r.length, o), o?.signal);
      return { offset: r.offset, bytes, owned: ownsBuffer(file.ownsReads, bytes) };
    }),
  );
  for (const p of reads) p.catch(() => undefined);
  return Promise.all(reads);
}
