/** The one retry policy of the remote file systems (src/fs/retry.ts), driven by scripted attempts. */
import { describe, expect, test } from 'vitest';
import { ShoalError } from '../../../src/common/index.js';
import { backoffDelayMs, isRetryableStatus, networkFailureCause, withRetries, type AttemptFailure, type RetryPolicy } from '../../../src/fs/retry.js';
import { errorOf } from '../../support/errors.js';

const FAST: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2, requestTimeoutMs: 5_000 };

class Transient extends Error {}
const classify = (e: unknown): AttemptFailure =>
  e instanceof Transient ? { retry: true, cause: e.message } : { retry: false, error: new ShoalError('IO_ERROR', 'final failure') };

/** Resolves when `signal` aborts, rejecting with its reason: an attempt that never answers. */
function hang(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));
}

describe('backoff', () => {
  test('full jitter below an exponentially growing ceiling, capped', () => {
    const p: RetryPolicy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1_000, requestTimeoutMs: 1 };
    expect([1, 2, 3, 4, 5, 9].map((n) => backoffDelayMs(n, p, () => 0.999999))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelayMs(3, p, () => 0)).toBe(0);
    expect(backoffDelayMs(1_000, p, () => 0.5)).toBe(500);
  });
});

describe('withRetries', () => {
  test('retries transient failures and returns the first success, counting every attempt', async () => {
    let attempts = 0;
    let counted = 0;
    const r = await withRetries({ location: 's3://b/k', policy: FAST, classify, onAttempt: () => counted++ }, async () => {
      attempts += 1;
      if (attempts < 3) throw new Transient('HTTP 503 SlowDown');
      return 'data';
    });
    expect([r, attempts, counted]).toEqual(['data', 3, 3]);
  });

  test('a final failure is thrown at once', async () => {
    let attempts = 0;
    const e = await errorOf(withRetries({ location: 's3://b/k', policy: FAST, classify }, async () => {
      attempts += 1;
      throw new Error('HTTP 404');
    }));
    expect([e.code, e.message, attempts]).toEqual(['IO_ERROR', 'final failure', 1]);
  });

  test('spent retries are STORAGE_UNAVAILABLE naming the location, the attempts and the last cause', async () => {
    let n = 0;
    const e = await errorOf(withRetries({ location: 's3://b/k', policy: FAST, classify }, async () => {
      throw new Transient(`cause ${++n}`);
    }));
    expect(e.code).toBe('STORAGE_UNAVAILABLE');
    expect(e.message).toBe('Storage unavailable reading s3://b/k: 3 attempts failed (last: cause 3)');
    expect(e.location).toBe('s3://b/k');
    expect(e.hint).toContain('max_attempts');
  });

  test('an attempt that never answers is cut off by the per-request timeout and retried', async () => {
    let attempts = 0;
    const r = await withRetries({ location: 'x', policy: { ...FAST, requestTimeoutMs: 20 }, classify }, async (signal) => {
      attempts += 1;
      if (attempts === 1) return hang(signal);
      return 'second';
    });
    expect([r, attempts]).toEqual(['second', 2]);
    const e = await errorOf(withRetries({ location: 'x', policy: { ...FAST, requestTimeoutMs: 20, maxAttempts: 2 }, classify }, (signal) => hang(signal)));
    expect(e.message).toBe('Storage unavailable reading x: 2 attempts failed (last: no complete response within 20 ms)');
  });

  test("the query's signal cancels an attempt at once and is never retried", async () => {
    const ac = new AbortController();
    let attempts = 0;
    const p = withRetries({ location: 'x', policy: { ...FAST, requestTimeoutMs: 3_600_000 }, classify, signal: ac.signal }, (signal) => {
      attempts += 1;
      return hang(signal);
    });
    setTimeout(() => ac.abort(), 10);
    expect((await errorOf(p)).code).toBe('USER_CANCELED');
    expect(attempts).toBe(1);
  });

  test("the query's signal stops the wait between attempts", async () => {
    const ac = new AbortController();
    const slow: RetryPolicy = { maxAttempts: 5, baseDelayMs: 3_600_000, maxDelayMs: 3_600_000, requestTimeoutMs: 1_000 };
    const p = withRetries({ location: 'x', policy: slow, classify, signal: ac.signal, random: () => 0.5 }, async () => {
      setTimeout(() => ac.abort(), 10);
      throw new Transient('HTTP 500');
    });
    expect((await errorOf(p)).code).toBe('USER_CANCELED');
  });

  test('an already aborted signal makes no attempt', async () => {
    const ac = new AbortController();
    ac.abort();
    let attempts = 0;
    const e = await errorOf(withRetries({ location: 'x', policy: FAST, classify, signal: ac.signal }, async () => ++attempts));
    expect([e.code, attempts]).toEqual(['USER_CANCELED', 0]);
  });
});

describe('what is transient', () => {
  test('statuses: 408, 429 and 5xx except 501/505; never other 4xx', () => {
    const retried = [200, 301, 400, 403, 404, 408, 412, 416, 429, 500, 501, 502, 503, 504, 505].filter(isRetryableStatus);
    expect(retried).toEqual([408, 429, 500, 502, 503, 504]);
  });

  test('network failures anywhere in the cause chain; not aborts or other errors', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(networkFailureCause(refused, 'http://127.0.0.1:1')).toBe('connection refused (ECONNREFUSED) talking to http://127.0.0.1:1');
    expect(networkFailureCause(new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }), 'h')).toBe('connection reset (ECONNRESET) talking to h');
    expect(networkFailureCause(new Error('socket hang up'), 'h')).toBe('connection to h failed: socket hang up');
    expect(networkFailureCause(Object.assign(new Error('The operation was aborted'), { name: 'AbortError' }), 'h')).toBeUndefined();
    expect(networkFailureCause(new Error('Unexpected token < in JSON'), 'h')).toBeUndefined();
  });
});
