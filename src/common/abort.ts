import { ShoalError } from './errors.js';

/** Cooperative cancellation point for long loops and between batches. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) {
    const reason: unknown = signal.reason;
    if (reason instanceof ShoalError) throw reason;
    throw new ShoalError('USER_CANCELED', 'Query was canceled');
  }
}
