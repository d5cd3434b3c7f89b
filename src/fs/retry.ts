import { setTimeout as delay } from 'node:timers/promises';
import { ShoalError, throwIfAborted } from '../common/index.js';

/**
 * The one retry policy of the remote file systems (S3, HTTP, GCS): at most `maxAttempts` attempts, each bounded
 * by `requestTimeoutMs` (headers and body), with exponential backoff and full jitter between them:
 * delay = random(0, min(maxDelayMs, baseDelayMs * 2^(attempt-1))).
 */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly requestTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 5_000, requestTimeoutMs: 30_000 };

/** What a failed attempt means: try again (with a one-line cause for the final error), or stop with `error`. */
export type AttemptFailure = { readonly retry: true; readonly cause: string } | { readonly retry: false; readonly error: ShoalError };

export interface RetryRequest {
  /** What is being read or written, as users should see it (s3://bucket/key, a URL without secrets). */
  readonly location: string;
  /** What the request does to it, for the final error: 'reading' (default), 'writing', 'deleting'… */
  readonly doing?: string | undefined;
  readonly policy: RetryPolicy;
  /** The query's signal: aborting it stops the attempt and any wait at once. */
  readonly signal?: AbortSignal | undefined;
  /** Classifies an attempt's failure (timeouts are recognised before this is asked). */
  readonly classify: (e: unknown) => AttemptFailure;
  /** Called before each attempt (1-based), e.g. to count requests. */
  readonly onAttempt?: ((attempt: number) => void) | undefined;
  /** The jitter source, in [0, 1) (tests fix it). */
  readonly random?: (() => number) | undefined;
}

/** Delay before attempt `attempt + 1`, given that `attempt` (1-based) failed. */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt - 1, 30));
  return Math.floor(random() * ceiling);
}

/**
 * Runs `attempt` until it succeeds, a failure is classified as final, or the attempts are spent (then
 * STORAGE_UNAVAILABLE naming the location, the attempts and the last cause). Each attempt gets a signal that
 * aborts on the query's signal or after the per-request timeout; the attempt must read its whole response body
 * under that signal, so a stalled body is bounded too. Cancellation by the query's signal is never retried.
 */
export async function withRetries<T>(req: RetryRequest, attempt: (signal: AbortSignal, n: number) => Promise<T>): Promise<T> {
  const { policy } = req;
  for (let n = 1; ; n++) {
    throwIfAborted(req.signal);
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new RequestTimeoutError(policy.requestTimeoutMs)), policy.requestTimeoutMs);
    const signal = req.signal === undefined ? timeout.signal : AbortSignal.any([req.signal, timeout.signal]);
    let failure: AttemptFailure;
    let error: unknown;
    try {
      req.onAttempt?.(n);
      return await attempt(signal, n);
    } catch (e) {
      error = e;
      throwIfAborted(req.signal);
      failure = timeout.signal.aborted ? { retry: true, cause: `no complete response within ${policy.requestTimeoutMs} ms` } : req.classify(e);
    } finally {
      clearTimeout(timer);
    }
    if (!failure.retry) throw failure.error;
    if (n >= policy.maxAttempts) {
      throw new ShoalError(
        'STORAGE_UNAVAILABLE',
        `Storage unavailable ${req.doing ?? 'reading'} ${req.location}: ${n} attempt${n === 1 ? '' : 's'} failed (last: ${failure.cause})`,
        { location: req.location, hint: 'The storage is down, overloaded or unreachable; try again later, or raise max_attempts or request_timeout_ms in the catalog settings', cause: error },
      );
    }
    await sleep(backoffDelayMs(n, policy, req.random), req.signal);
  }
}

class RequestTimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(ms: number) {
    super(`request timed out after ${ms} ms`);
  }
}

async function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms <= 0) return;
  try {
    await delay(ms, undefined, signal === undefined ? undefined : { signal });
  } catch {
    throwIfAborted(signal);
  }
}

const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH',
  'EHOSTUNREACH', 'ENETDOWN', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED',
]);
const RETRYABLE_NETWORK_MESSAGES = /socket hang up|aborted|premature close|other side closed|terminated/i;

/**
 * A one-line cause when `e` (or an error in its cause chain) is a transient network failure: connection
 * refused or reset, broken pipe, DNS failure, a response cut off. Undefined otherwise. `endpoint` is named in
 * the cause (it must not carry credentials).
 */
export function networkFailureCause(e: unknown, endpoint: string): string | undefined {
  for (let cur: unknown = e, depth = 0; cur !== undefined && cur !== null && depth < 5; depth++) {
    const code = (cur as { code?: unknown }).code;
    const message = cur instanceof Error ? cur.message : '';
    if (typeof code === 'string' && RETRYABLE_NETWORK_CODES.has(code)) return `${describeNetworkCode(code)} (${code}) talking to ${endpoint}`;
    if (RETRYABLE_NETWORK_MESSAGES.test(message) && (cur as { name?: unknown }).name !== 'AbortError') return `connection to ${endpoint} failed: ${message}`;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

function describeNetworkCode(code: string): string {
  switch (code) {
    case 'ECONNREFUSED': return 'connection refused';
    case 'ECONNRESET': return 'connection reset';
    case 'EPIPE': return 'connection closed while sending';
    case 'ENOTFOUND':
    case 'EAI_AGAIN': return 'host name not resolved';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT': return 'connection timed out';
    case 'ERR_STREAM_PREMATURE_CLOSE': return 'response cut off';
    default: return 'connection failed';
  }
}

/** HTTP statuses worth retrying: request timeout, throttling, and server errors other than "not implemented". */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}
