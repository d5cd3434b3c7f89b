/** A response body as the HTTP clients give it: async-iterable chunks that can be torn down. */
export interface BodyStream extends AsyncIterable<Uint8Array> {
  destroy?(error?: Error): unknown;
}

/**
 * Reads the first `expected` bytes of a response body under `signal`: when the signal aborts (the query is
 * canceled or the request timed out) the stream is destroyed, so a stalled body cannot hang a read. `onBytes` sees
 * every chunk's size as it arrives (bytes transferred, counted even when the read later fails). Bytes past
 * `expected` are dropped and the stream closed (callers check first that the response starts where they asked);
 * a body that ends early is a cut-off response (TruncatedBodyError, retried).
 */
export async function readBody(body: BodyStream, signal: AbortSignal, expected: number, onBytes: (n: number) => void): Promise<Uint8Array> {
  const onAbort = (): void => {
    const reason: unknown = signal.reason;
    body.destroy?.(reason instanceof Error ? reason : new Error('aborted'));
  };
  if (signal.aborted) onAbort();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const out = new Uint8Array(expected);
    let got = 0;
    for await (const chunk of body) {
      onBytes(chunk.byteLength);
      const take = Math.min(chunk.byteLength, expected - got);
      out.set(take === chunk.byteLength ? chunk : chunk.subarray(0, take), got);
      got += take;
      if (take < chunk.byteLength) break;
    }
    if (got < expected) throw new TruncatedBodyError(got, expected);
    return out;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** The first byte position of a Content-Range header (`bytes 10-19/100`), or undefined. */
export function contentRangeStart(header: string | null | undefined): number | undefined {
  const m = /^bytes (\d+)-\d+\/(?:\d+|\*)$/.exec(header?.trim() ?? '');
  return m === null ? undefined : Number(m[1]);
}

/** A response that ended before its announced length: the connection was cut; retry.ts retries it. */
export class TruncatedBodyError extends Error {
  readonly code = 'ERR_STREAM_PREMATURE_CLOSE';
  constructor(got: number, expected: number) {
    super(`response ended after ${got} of ${expected} bytes`);
  }
}
