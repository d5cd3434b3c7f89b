/**
 * Messages between the decoder pool (main thread) and its workers (worker-source.ts). Messages from a worker
 * enter as `unknown` and are narrowed here, in one place.
 */
export type ToWorker =
  | { readonly t: 'open'; readonly fid: number; readonly size: number; readonly tailOffset: number; readonly tail: ArrayBuffer }
  | {
      readonly t: 'read'; readonly id: number; readonly fid: number; readonly rowGroup: number; readonly columns: readonly string[]; readonly batchSize: number;
      /** Bytes of the file fetched for this job (its column chunks); the decoder's reads inside them cost no round trip. */
      readonly ranges: readonly { readonly offset: number; readonly data: ArrayBuffer }[];
    }
  | { readonly t: 'bytes'; readonly id: number; readonly data: ArrayBuffer }
  | { readonly t: 'bytes'; readonly id: number; readonly error: string }
  | { readonly t: 'close'; readonly fid: number };

export type FromWorker =
  | { readonly t: 'ready' }
  | { readonly t: 'fetch'; readonly id: number; readonly fid: number; readonly offset: number; readonly length: number }
  | { readonly t: 'result'; readonly id: number; readonly ipc: ArrayBuffer; readonly memory: number }
  | { readonly t: 'failed'; readonly id: number; readonly message: string; readonly memory: number };

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The message, or undefined when it is not one the protocol defines. */
export function parseFromWorker(m: unknown): FromWorker | undefined {
  if (typeof m !== 'object' || m === null) return undefined;
  const r = m as Readonly<Record<string, unknown>>;
  if (r['t'] === 'ready') return { t: 'ready' };
  const id = num(r['id']);
  if (id === undefined) return undefined;
  switch (r['t']) {
    case 'fetch': {
      const fid = num(r['fid']), offset = num(r['offset']), length = num(r['length']);
      return fid === undefined || offset === undefined || length === undefined ? undefined : { t: 'fetch', id, fid, offset, length };
    }
    case 'result':
      return r['ipc'] instanceof ArrayBuffer ? { t: 'result', id, ipc: r['ipc'], memory: num(r['memory']) ?? 0 } : undefined;
    case 'failed':
      return { t: 'failed', id, message: String(r['message']), memory: num(r['memory']) ?? 0 };
    default:
      return undefined;
  }
}
