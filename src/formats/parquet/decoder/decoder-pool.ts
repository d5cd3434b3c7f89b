/**
 * Runs parquet-wasm in worker threads (see worker-source.ts for why) and turns "decode row group r, columns c of
 * file f" into its Arrow batches: the decoder's buffers copied out as they are, or an Arrow IPC stream for the
 * layouts that copy does not handle (DecodedRowGroup).
 *
 * Contract:
 *  - Each worker decodes one job at a time, so a crash is always attributable to the job that was running; a
 *    crashed worker is replaced and the job fails with CORRUPT_FILE naming the file and row group. Other jobs
 *    are unaffected.
 *  - The decoder reads bytes only through the job's DecodeSource (Shoal's RandomAccessFile): a decode error
 *    caused by a failed read is reported as that read's own error (IO_ERROR, USER_CANCELED…), not as corruption.
 *  - Abort rejects at once with USER_CANCELED; a worker that does not finish within ABORT_GRACE_MS afterwards is
 *    terminated (it may be stuck in WebAssembly).
 *  - Workers do not keep the process alive while idle, stop after `idleMs` without work, and are replaced after a
 *    job that left their WebAssembly memory (which never shrinks) above `maxWasmBytes`.
 */
import type { Worker } from 'node:worker_threads';
import { ShoalError, internalError, throwIfAborted } from '../../../common/index.js';
import { ownsBuffer, type FetchedRange, type IoOptions } from '../../../fs/index.js';
import { causeText, corruptFile, parquetError } from '../errors.js';
import { startWasmWorker } from '../wasm-worker.js';
import { parseFromWorker, type ArraysLayout, type DecoderTransport, type FromWorker, type ToWorker } from './decoder-protocol.js';
import type { RowFilterAtom } from './row-filter.js';
import { DECODER_WORKER_SOURCE } from './worker-source.js';

/** Where the decoder gets a file's bytes. One per open reader; `id` is unique in the process. */
export interface DecodeSource {
  readonly id: number;
  readonly location: string;
  readonly size: number;
  /**
   * The end of the file already fetched (footer and page indexes, served to the decoder without I/O), starting at
   * `tailOffset`; read when a worker first opens the source.
   */
  readonly tail: Uint8Array;
  readonly tailOffset: number;
  /** A read the decoder asked for that no prefetched range covered; `o` is the job's. */
  read(offset: number, length: number, o: IoOptions | undefined): Promise<Uint8Array>;
  /** RandomAccessFile.ownsReads of the file `read` reads. */
  readonly ownsReads?: boolean | undefined;
}

export interface DecodeJob {
  readonly source: DecodeSource;
  readonly rowGroup: number;
  readonly columns: readonly string[];
  readonly batchSize: number;
  readonly signal?: AbortSignal | undefined;
  /** Where the job's own reads are counted. */
  readonly io?: IoOptions | undefined;
  /** Bytes fetched for this job in advance (its column chunks), handed to the worker with the job. */
  readonly prefetched?: readonly FetchedRange[] | undefined;
  /** Rows the worker may leave out (row-filter.ts); the result's layout counts them. */
  readonly rowFilter?: readonly RowFilterAtom[] | undefined;
}

/** A decoded row group as a worker hands it back (decoder-protocol.ts describes both). */
export type DecodedRowGroup =
  | { readonly kind: 'ipc'; readonly ipc: Uint8Array }
  | { readonly kind: 'arrays'; readonly layout: ArraysLayout; readonly data: ArrayBuffer };

export interface DecoderPoolOptions {
  /** Row groups decoded in parallel, one per worker. Default 1. */
  readonly workers?: number;
  /** How workers hand back row groups. Default 'arrays' ('ipc' exists to compare the two). */
  readonly transport?: DecoderTransport;
  /** A worker whose WebAssembly memory exceeds this after a job is replaced. Default 1 GiB. */
  readonly maxWasmBytes?: number;
  /**
   * A worker's WebAssembly memory can never grow beyond this (rounded down to 64 KiB pages): a job that needs
   * more fails as a decoder crash (CORRUPT_FILE, "or the row group is too large"). Bounds what a decompression
   * bomb can take. Default 2 GiB (wasm32 would otherwise allow 4 GiB).
   */
  readonly memoryLimitBytes?: number;
  /** An idle worker stops after this many milliseconds. Default 30 s. */
  readonly idleMs?: number;
}

const ABORT_GRACE_MS = 5_000;
const DEFAULT_MEMORY_LIMIT_BYTES = 2 * 1024 * 1024 * 1024;

/** Errors that report a worker crash (a WebAssembly trap), as opposed to an error the decoder returned. */
const crashes = new WeakSet<object>();

export function isDecoderCrash(e: unknown): boolean {
  return typeof e === 'object' && e !== null && crashes.has(e);
}

interface Pending {
  readonly id: number;
  readonly job: DecodeJob;
  readonly resolve: (decoded: DecodedRowGroup) => void;
  readonly reject: (e: unknown) => void;
  settled: boolean;
  ioError: unknown;
  detach: () => void;
}

interface Slot {
  readonly worker: Worker;
  readonly opened: Set<number>;
  /** Fetch requests of the worker not answered yet. */
  readonly fetches: Set<number>;
  running: Pending | undefined;
  ready: boolean;
  dead: boolean;
  idleTimer: NodeJS.Timeout | undefined;
}

/** The ArrayBuffer to transfer for `bytes`: its own when `owned` (it is detached by the transfer), else a copy's. */
function transferable(bytes: Uint8Array, owned: boolean): ArrayBuffer {
  return owned ? (bytes.buffer as ArrayBuffer) : bytes.slice().buffer;
}

function cancelError(signal: AbortSignal | undefined): unknown {
  try {
    throwIfAborted(signal);
  } catch (e) {
    return e;
  }
  return new ShoalError('USER_CANCELED', 'Query was canceled');
}

export class ParquetDecoderPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private readonly sources = new Map<number, DecodeSource>();
  private readonly maxWorkers: number;
  private readonly maxWasmBytes: number;
  private readonly memoryLimitPages: number;
  private readonly idleMs: number;
  private readonly transport: DecoderTransport;
  private nextId = 1;

  constructor(o: DecoderPoolOptions = {}) {
    this.maxWorkers = Math.max(1, Math.floor(o.workers ?? 1));
    this.maxWasmBytes = o.maxWasmBytes ?? 1024 * 1024 * 1024;
    this.memoryLimitPages = Math.max(1, Math.floor((o.memoryLimitBytes ?? DEFAULT_MEMORY_LIMIT_BYTES) / 65536));
    this.idleMs = o.idleMs ?? 30_000;
    this.transport = o.transport ?? 'arrays';
  }

  /** Decodes one row group; resolves with its batches. */
  decode(job: DecodeJob): Promise<DecodedRowGroup> {
    return new Promise<DecodedRowGroup>((resolve, reject) => {
      if (job.signal?.aborted === true) {
        reject(cancelError(job.signal));
        return;
      }
      this.sources.set(job.source.id, job.source);
      const p: Pending = { id: this.nextId++, job, resolve, reject, settled: false, ioError: undefined, detach: () => {} };
      const signal = job.signal;
      if (signal !== undefined) {
        const onAbort = (): void => this.abort(p);
        signal.addEventListener('abort', onAbort, { once: true });
        p.detach = () => signal.removeEventListener('abort', onAbort);
      }
      this.queue.push(p);
      this.pump();
    });
  }

  /** Forgets a source (its reader closed) and frees its decoder state in every worker. */
  release(sourceId: number): void {
    this.sources.delete(sourceId);
    for (const slot of this.slots) {
      if (slot.opened.delete(sourceId)) this.post(slot, { t: 'close', fid: sourceId });
    }
  }

  /** Stops every worker; queued and running jobs fail. */
  async close(): Promise<void> {
    for (const p of this.queue.splice(0)) this.settle(p, () => p.reject(internalError('the Parquet decoder pool was closed')));
    const slots = this.slots.splice(0);
    await Promise.all(slots.map(async (slot) => {
      slot.dead = true;
      const p = slot.running;
      if (p !== undefined) this.settle(p, () => p.reject(internalError('the Parquet decoder pool was closed')));
      clearTimeout(slot.idleTimer);
      await slot.worker.terminate();
    }));
  }

  private settle(p: Pending, f: () => void): void {
    if (p.settled) return;
    p.settled = true;
    p.detach();
    f();
  }

  private abort(p: Pending): void {
    const queued = this.queue.indexOf(p);
    if (queued >= 0) this.queue.splice(queued, 1);
    this.settle(p, () => p.reject(cancelError(p.job.signal)));
    const slot = this.slots.find((s) => s.running === p);
    if (slot !== undefined) {
      // Fail the reads the decoder waits for, so that it gives up now instead of when they complete.
      for (const id of slot.fetches) this.post(slot, { t: 'bytes', id, error: 'the read was canceled' });
      slot.fetches.clear();
      setTimeout(() => {
        if (slot.running === p) this.stop(slot);
      }, ABORT_GRACE_MS).unref();
    }
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const p = this.queue[0]!;
      const idle = this.slots.filter((s) => s.running === undefined && !s.dead);
      let slot = idle.find((s) => s.opened.has(p.job.source.id)) ?? idle[0];
      if (slot === undefined) {
        if (this.slots.length >= this.maxWorkers) return;
        try {
          slot = this.spawn();
        } catch (e) {
          this.queue.shift();
          this.settle(p, () => p.reject(internalError(`the Parquet decoder could not start (${causeText(e)})`)));
          continue;
        }
      }
      this.queue.shift();
      this.run(slot, p);
    }
  }

  private spawn(): Slot {
    const worker = startWasmWorker(DECODER_WORKER_SOURCE, { memoryLimitPages: this.memoryLimitPages });
    const slot: Slot = { worker, opened: new Set(), fetches: new Set(), running: undefined, ready: false, dead: false, idleTimer: undefined };
    worker.on('message', (m: unknown) => this.onMessage(slot, parseFromWorker(m)));
    worker.on('error', (e: unknown) => this.onDeath(slot, e));
    worker.on('exit', (code: number) => this.onDeath(slot, new Error(`the decoder exited with code ${code}`)));
    this.slots.push(slot);
    return slot;
  }

  private post(slot: Slot, m: ToWorker, transfer: ArrayBuffer[] = []): void {
    if (!slot.dead) slot.worker.postMessage(m, transfer);
  }

  private run(slot: Slot, p: Pending): void {
    clearTimeout(slot.idleTimer);
    slot.running = p;
    slot.worker.ref();
    // A new worker gets its job only after it reported ready: a death before 'ready' then always means it could
    // not start. (A job sent earlier could trap before the main thread saw 'ready', since a worker's 'error'
    // event can overtake its last messages, and a corrupt file would be reported as an internal error.)
    if (slot.ready) this.send(slot, p);
  }

  private send(slot: Slot, p: Pending): void {
    const { source, rowGroup, columns, batchSize } = p.job;
    if (!slot.opened.has(source.id)) {
      const tail = source.tail.slice().buffer;
      this.post(slot, { t: 'open', fid: source.id, size: source.size, tailOffset: source.tailOffset, tail }, [tail]);
      slot.opened.add(source.id);
    }
    // Bytes the reader owns move to the worker; others are copied (a file may hand out views of buffers it keeps,
    // which a transfer would detach). Copying also costs the main thread more in postMessage: measured 2 ms per
    // MiB for fresh copies against 0.5 ms for the read buffers themselves.
    const ranges = (p.job.prefetched ?? []).map((r) => ({ offset: r.offset, data: transferable(r.bytes, r.owned === true) }));
    this.post(slot, { t: 'read', id: p.id, fid: source.id, rowGroup, columns: [...columns], batchSize, transport: this.transport, ranges, rowFilter: p.job.rowFilter }, ranges.map((r) => r.data));
  }

  private onMessage(slot: Slot, m: FromWorker | undefined): void {
    if (slot.dead) return;
    if (m === undefined) {
      // A message the protocol does not define: the worker and decoder-protocol.ts disagree (a bug, not the file's
      // fault). The worker is out of step and is replaced; its job fails instead of waiting for an answer forever.
      const p = slot.running;
      if (p !== undefined) this.settle(p, () => p.reject(internalError('the Parquet decoder sent a message Shoal cannot read')));
      this.stop(slot);
      return;
    }
    if (m.t === 'ready') {
      slot.ready = true;
      if (slot.running !== undefined) this.send(slot, slot.running);
      return;
    }
    if (m.t === 'fetch') {
      this.serveFetch(slot, m);
      return;
    }
    const p = slot.running;
    if (p === undefined || p.id !== m.id) return;
    slot.running = undefined;
    if (m.t === 'result') this.settle(p, () => p.resolve({ kind: 'ipc', ipc: new Uint8Array(m.ipc) }));
    else if (m.t === 'arrays') this.settle(p, () => p.resolve({ kind: 'arrays', layout: m.layout, data: m.data }));
    else this.settle(p, () => p.reject(this.failure(p, m.message)));
    if (m.memory > this.maxWasmBytes) this.stop(slot);
    else this.idle(slot);
    this.pump();
  }

  private serveFetch(slot: Slot, m: FromWorker & { t: 'fetch' }): void {
    const source = this.sources.get(m.fid);
    const p = slot.running;
    const answer = (reply: ToWorker, transfer: ArrayBuffer[] = []): void => {
      if (slot.fetches.delete(m.id)) this.post(slot, reply, transfer);
    };
    const fail = (error: string): void => answer({ t: 'bytes', id: m.id, error });
    slot.fetches.add(m.id);
    if (source === undefined || p === undefined || p.settled) return fail('the read was canceled');
    if (!(m.offset >= 0 && m.length >= 0 && m.offset + m.length <= source.size)) return fail('read outside the file');
    source.read(m.offset, m.length, p.job.io).then(
      (bytes) => {
        if (bytes.length !== m.length) {
          p.ioError ??= corruptFile(source.location, `the file is shorter than its listed size (${source.size} bytes)`);
          return fail('short read');
        }
        // A copy unless the file's reads are the caller's own (caches may keep what they hand out).
        const data = transferable(bytes, ownsBuffer(source.ownsReads, bytes));
        answer({ t: 'bytes', id: m.id, data }, [data]);
      },
      (e: unknown) => {
        if (p.job.source.id === m.fid) p.ioError ??= e;
        fail(causeText(e));
      },
    );
  }

  private failure(p: Pending, message: string): unknown {
    if (p.ioError !== undefined) return p.ioError;
    if (p.job.signal?.aborted === true) return cancelError(p.job.signal);
    const { location } = p.job.source;
    const rg = p.job.rowGroup;
    if (/not (yet )?(supported|implemented)/i.test(message)) {
      return parquetError('NOT_SUPPORTED', location, `row group ${rg} uses a feature the decoder does not support (${causeText(message)})`);
    }
    return corruptFile(location, `row group ${rg} could not be decoded (${causeText(message)})`);
  }

  private onDeath(slot: Slot, e: unknown): void {
    if (slot.dead) return;
    slot.dead = true;
    clearTimeout(slot.idleTimer);
    const at = this.slots.indexOf(slot);
    if (at >= 0) this.slots.splice(at, 1);
    const p = slot.running;
    slot.running = undefined;
    void slot.worker.terminate();
    if (p !== undefined) {
      const { location } = p.job.source;
      let error: unknown;
      if (p.ioError !== undefined) error = p.ioError;
      else if (!slot.ready) error = internalError(`the Parquet decoder could not start (${causeText(e)})`);
      else {
        error = corruptFile(location, `the decoder crashed on row group ${p.job.rowGroup} (${causeText(e)}); the file is corrupt, uses an encoding variant the decoder cannot read, or the row group is too large`, e);
        crashes.add(error as object);
      }
      this.settle(p, () => p.reject(error));
    }
    this.pump();
  }

  /** Terminates a worker on purpose (idle, memory, stuck after abort); its job, if any, was already settled. */
  private stop(slot: Slot): void {
    if (slot.dead) return;
    slot.dead = true;
    clearTimeout(slot.idleTimer);
    const at = this.slots.indexOf(slot);
    if (at >= 0) this.slots.splice(at, 1);
    slot.running = undefined;
    void slot.worker.terminate();
    this.pump();
  }

  private idle(slot: Slot): void {
    slot.worker.unref();
    clearTimeout(slot.idleTimer);
    slot.idleTimer = setTimeout(() => {
      if (slot.running === undefined) this.stop(slot);
    }, this.idleMs);
    slot.idleTimer.unref();
  }
}

let shared: ParquetDecoderPool | undefined;

/** The process-wide pool readers use unless given one. */
export function defaultDecoderPool(): ParquetDecoderPool {
  shared ??= new ParquetDecoderPool();
  return shared;
}
