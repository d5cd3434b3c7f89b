/**
 * Messages between the decoder pool (main thread) and its workers (worker-source.ts). Messages from a worker
 * enter as `unknown` and are narrowed here, in one place.
 */
import type { RowFilterAtom } from './row-filter.js';

/** A buffer of an `arrays` result: [byteOffset, byteLength] in its data. */
export type Span = readonly [number, number];

/** One array's buffers as the Arrow C data interface orders them; null where absent (no nulls; empty strings). */
export interface ArraySpans {
  readonly length: number;
  readonly nullCount: number;
  readonly buffers: readonly (Span | null)[];
  /**
   * Set for a decimal array sent as doubles: its values buffer holds each row's unscaled value as a Float64 (exact,
   * 8 bytes per row, NULL slots included) instead of Decimal128 words, and this bounds their magnitudes.
   */
  readonly numberMaxAbs?: number | undefined;
}

/**
 * What an `arrays` result holds: the columns' names and C data interface formats, each batch's arrays, and the
 * rows the job's row filter dropped (row-filter.ts; batches left with no rows are not listed).
 */
export interface ArraysLayout {
  readonly fields: readonly { readonly name: string; readonly format: string }[];
  readonly batches: readonly { readonly length: number; readonly columns: readonly ArraySpans[] }[];
  readonly dropped: number;
}

/**
 * How a worker hands back a row group: 'arrays' copies the decoder's buffers as they are when every column is
 * flat (it answers with IPC otherwise); 'ipc' always serializes an Arrow IPC stream (slower: measured 150–335 ms
 * against 35–85 ms for 473 MB of lineitem, and the main thread then parses it).
 */
export type DecoderTransport = 'arrays' | 'ipc';

export type ToWorker =
  | { readonly t: 'open'; readonly fid: number; readonly size: number; readonly tailOffset: number; readonly tail: ArrayBuffer }
  | {
      readonly t: 'read'; readonly id: number; readonly fid: number; readonly rowGroup: number; readonly columns: readonly string[]; readonly batchSize: number;
      readonly transport: DecoderTransport;
      /** Bytes of the file fetched for this job (its column chunks); the decoder's reads inside them cost no round trip. */
      readonly ranges: readonly { readonly offset: number; readonly data: ArrayBuffer }[];
      /** Rows the worker may drop (applied with transport 'arrays' only). */
      readonly rowFilter?: readonly RowFilterAtom[] | undefined;
    }
  | { readonly t: 'bytes'; readonly id: number; readonly data: ArrayBuffer }
  | { readonly t: 'bytes'; readonly id: number; readonly error: string }
  | { readonly t: 'close'; readonly fid: number };

export type FromWorker =
  | { readonly t: 'ready' }
  | { readonly t: 'fetch'; readonly id: number; readonly fid: number; readonly offset: number; readonly length: number }
  | { readonly t: 'result'; readonly id: number; readonly ipc: ArrayBuffer; readonly memory: number }
  | { readonly t: 'arrays'; readonly id: number; readonly layout: ArraysLayout; readonly data: ArrayBuffer; readonly memory: number }
  | { readonly t: 'failed'; readonly id: number; readonly message: string; readonly memory: number };

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function record(v: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof v === 'object' && v !== null ? (v as Readonly<Record<string, unknown>>) : undefined;
}

function count(v: unknown): number | undefined {
  return Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : undefined;
}

function parseSpan(v: unknown, size: number): Span | null | undefined {
  if (v === null) return null;
  if (!Array.isArray(v) || v.length !== 2) return undefined;
  const at = count(v[0]), length = count(v[1]);
  return at === undefined || length === undefined || at + length > size ? undefined : [at, length];
}

function parseArray(v: unknown, size: number): ArraySpans | undefined {
  const r = record(v);
  const length = count(r?.['length']), nullCount = count(r?.['nullCount']), raw = r?.['buffers'];
  if (length === undefined || nullCount === undefined || !Array.isArray(raw)) return undefined;
  const buffers: (Span | null)[] = [];
  for (const b of raw as unknown[]) {
    const span = parseSpan(b, size);
    if (span === undefined) return undefined;
    buffers.push(span);
  }
  const bound = r?.['numberMaxAbs'];
  if (bound === undefined) return { length, nullCount, buffers };
  const values = buffers[1];
  if (typeof bound !== 'number' || !(bound >= 0 && bound <= 2 ** 53) || values === undefined || values === null || values[1] !== 8 * length) return undefined;
  return { length, nullCount, buffers, numberMaxAbs: bound };
}

/** The layout of an `arrays` result whose data has `size` bytes, or undefined when malformed. */
function parseLayout(v: unknown, size: number): ArraysLayout | undefined {
  const r = record(v);
  const rawFields = r?.['fields'], rawBatches = r?.['batches'];
  if (!Array.isArray(rawFields) || !Array.isArray(rawBatches)) return undefined;
  const fields: { name: string; format: string }[] = [];
  for (const f of rawFields as unknown[]) {
    const name = record(f)?.['name'], format = record(f)?.['format'];
    if (typeof name !== 'string' || typeof format !== 'string') return undefined;
    fields.push({ name, format });
  }
  const batches: { length: number; columns: ArraySpans[] }[] = [];
  for (const b of rawBatches as unknown[]) {
    const length = count(record(b)?.['length']), rawColumns = record(b)?.['columns'];
    if (length === undefined || !Array.isArray(rawColumns) || rawColumns.length !== fields.length) return undefined;
    const columns: ArraySpans[] = [];
    for (const c of rawColumns as unknown[]) {
      const a = parseArray(c, size);
      if (a === undefined) return undefined;
      columns.push(a);
    }
    batches.push({ length, columns });
  }
  const dropped = r?.['dropped'] === undefined ? 0 : count(r['dropped']);
  return dropped === undefined ? undefined : { fields, batches, dropped };
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
    case 'arrays': {
      const data = r['data'];
      if (!(data instanceof ArrayBuffer)) return undefined;
      const layout = parseLayout(r['layout'], data.byteLength);
      return layout === undefined ? undefined : { t: 'arrays', id, layout, data, memory: num(r['memory']) ?? 0 };
    }
    case 'failed':
      return { t: 'failed', id, message: String(r['message']), memory: num(r['memory']) ?? 0 };
    default:
      return undefined;
  }
}
