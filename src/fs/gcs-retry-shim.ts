/**
 * TEMPORARY — replaced at merge by the shared retry policy in src/fs/retry.ts (written on branch `s3`).
 * Same shape as that one: `withRetries(op, { location, signal, maxAttempts, baseDelayMs, timeoutMs })`.
 * Only gcs-fs.ts calls it; when retry.ts lands, point the import there and delete this file.
 *
 * Contract: `op` gets a signal that aborts when the caller's signal does or when the attempt exceeds `timeoutMs`.
 * A ShoalError thrown by `op` is final (not found, permission, changed object …) and is rethrown as is; any other
 * error is transient (throttling, 5xx, reset connection, timeout) and the attempt is repeated after exponential
 * backoff with full jitter, until `maxAttempts`, then STORAGE_UNAVAILABLE names the location and the last cause.
 * Cancellation by the caller's signal is never retried.
 */
import { ShoalError, throwIfAborted } from '../common/index.js';

export interface RetryOptions {
  /** What the requests are about (gs://bucket/key), for the final error. */
  readonly location: string;
  readonly signal?: AbortSignal | undefined;
  readonly maxAttempts: number;
  /** First backoff ceiling; attempt n waits a random time in [0, baseDelayMs * 2^(n-1)], capped at MAX_DELAY_MS. */
  readonly baseDelayMs: number;
  /** Per attempt. */
  readonly timeoutMs: number;
}

const MAX_DELAY_MS = 10_000;

class AttemptTimeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) return reject(signal.reason);
    const done = (): void => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

async function attempt<T>(op: (signal: AbortSignal) => Promise<T>, o: RetryOptions): Promise<T> {
  const ac = new AbortController();
  const onAbort = (): void => ac.abort(o.signal?.reason);
  o.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => ac.abort(new AttemptTimeout(o.timeoutMs)), o.timeoutMs);
  try {
    const running = op(ac.signal);
    // The op may ignore its signal; the attempt still ends when the signal fires, and a late failure is dropped.
    running.catch(() => undefined);
    return await new Promise<T>((resolve, reject) => {
      if (ac.signal.aborted) return reject(ac.signal.reason);
      ac.signal.addEventListener('abort', () => reject(ac.signal.reason), { once: true });
      running.then(resolve, reject);
    });
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
  }
}

function describeCause(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

export async function withRetries<T>(op: (signal: AbortSignal) => Promise<T>, o: RetryOptions): Promise<T> {
  let last: unknown;
  for (let n = 1; n <= o.maxAttempts; n++) {
    throwIfAborted(o.signal);
    try {
      return await attempt(op, o);
    } catch (e) {
      throwIfAborted(o.signal);
      if (e instanceof ShoalError) throw e;
      last = e;
    }
    if (n < o.maxAttempts) {
      const ceiling = Math.min(MAX_DELAY_MS, o.baseDelayMs * 2 ** (n - 1));
      await sleep(Math.random() * ceiling, o.signal).catch(() => throwIfAborted(o.signal));
    }
  }
  throw new ShoalError('STORAGE_UNAVAILABLE', `Storage request for ${o.location} failed after ${o.maxAttempts} attempts: ${describeCause(last)}`, {
    location: o.location,
    hint: 'The storage service is throttling, failing or unreachable; try again later, and check the endpoint and network',
    cause: last,
  });
}
