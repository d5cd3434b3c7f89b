/**
 * The main-thread side of the Parquet encoder worker (encoder-worker-source.ts): one worker per write, serving
 * every file the write has open. Each file is a stream: `send` one Arrow IPC stream at a time (the next only after
 * the previous was taken, so at most one batch per file waits in the worker), Parquet bytes come back in order
 * through `onChunk`, `end` finishes the footer.
 *
 * Contract: a worker crash fails every open file with GENERIC_INTERNAL_ERROR (it is a bug or a resource limit,
 * not the data's fault); `close` terminates the worker and fails whatever is still open.
 */
import type { Worker } from 'node:worker_threads';
import { ShoalError, internalError } from '../../../common/index.js';
import { ENCODER_WORKER_SOURCE } from './encoder-worker-source.js';
import { startWasmWorker } from '../wasm-worker.js';

export type ParquetCompression = 'snappy' | 'zstd' | 'gzip' | 'none';

export interface ParquetEncodeOptions {
  readonly compression: ParquetCompression;
  /** Most rows in one row group. */
  readonly rowGroupRows: number;
  /** Most bytes in one row group (0: no byte limit). */
  readonly rowGroupBytes: number;
}

/** What the encoder tells one file's owner. */
export interface EncodedFileSink {
  /** The next bytes of the file. Called in order; the owner writes them out. */
  onChunk(bytes: Uint8Array): void;
  /** Every byte was delivered (after `end`). */
  onClosed(): void;
  onFailed(error: ShoalError): void;
}

type FromWorker =
  | { readonly t: 'ready' }
  | { readonly t: 'ack'; readonly fid: number }
  | { readonly t: 'chunk'; readonly fid: number; readonly data: ArrayBuffer }
  | { readonly t: 'closed'; readonly fid: number }
  | { readonly t: 'failed'; readonly fid: number; readonly message: string };

/** Worker messages enter as unknown and are narrowed here. */
function parseMessage(m: unknown): FromWorker | undefined {
  if (typeof m !== 'object' || m === null) return undefined;
  const r = m as Readonly<Record<string, unknown>>;
  if (r['t'] === 'ready') return { t: 'ready' };
  const fid = r['fid'];
  if (typeof fid !== 'number') return undefined;
  switch (r['t']) {
    case 'ack': return { t: 'ack', fid };
    case 'chunk': return r['data'] instanceof ArrayBuffer ? { t: 'chunk', fid, data: r['data'] } : undefined;
    case 'closed': return { t: 'closed', fid };
    case 'failed': return { t: 'failed', fid, message: String(r['message']) };
    default: return undefined;
  }
}

const COMPRESSION_NAMES: Readonly<Record<ParquetCompression, string>> = { snappy: 'SNAPPY', zstd: 'ZSTD', gzip: 'GZIP', none: 'UNCOMPRESSED' };

interface OpenFile {
  readonly sink: EncodedFileSink;
  /** Batches sent, and batches the worker reported written. */
  sent: number;
  written: number;
  /** Resolves the pending send once `written` catches up with `sent - 1`. */
  waiting: (() => void) | undefined;
  done: boolean;
}

export class ParquetEncoder {
  private worker: Worker | undefined;
  private readonly files = new Map<number, OpenFile>();
  private nextFid = 1;
  private dead: ShoalError | undefined;
  private ready = false;

  /** Starts a file; returns its id for send/end/abort. */
  open(options: ParquetEncodeOptions, sink: EncodedFileSink): number {
    if (this.dead !== undefined) throw this.dead;
    const fid = this.nextFid++;
    this.files.set(fid, { sink, sent: 0, written: 0, waiting: undefined, done: false });
    this.post({
      t: 'open', fid, compression: COMPRESSION_NAMES[options.compression], rowGroupRows: options.rowGroupRows,
      rowGroupBytes: options.rowGroupBytes, createdBy: 'Shoal (parquet-wasm)',
    });
    return fid;
  }

  /**
   * Hands the worker one Arrow IPC stream (the buffer is transferred). Resolves once every earlier batch of the
   * file is written, so one batch is encoded while the caller computes the next, and the chunks of earlier
   * batches have been delivered (the caller's size checks lag by at most one batch).
   */
  send(fid: number, ipc: Uint8Array): Promise<void> {
    const f = this.files.get(fid);
    if (f === undefined || f.done) return Promise.reject(internalError(`Parquet file ${fid} is not open in the encoder`));
    if (this.dead !== undefined) return Promise.reject(this.dead);
    const buffer = ipc.byteOffset === 0 && ipc.byteLength === ipc.buffer.byteLength ? ipc.buffer : ipc.slice().buffer;
    this.post({ t: 'batch', fid, ipc: buffer }, [buffer as ArrayBuffer]);
    f.sent++;
    if (f.written >= f.sent - 1) return Promise.resolve();
    return new Promise<void>((resolve) => { f.waiting = resolve; });
  }

  /** No more batches: the worker writes the footer, delivers the last chunk, then calls sink.onClosed. */
  end(fid: number): void {
    this.post({ t: 'end', fid });
  }

  abort(fid: number): void {
    const f = this.files.get(fid);
    if (f === undefined) return;
    this.finish(fid, f);
    this.post({ t: 'abort', fid });
  }

  /** Stops the worker (and its WebAssembly memory); open files fail. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.fail(internalError('the Parquet encoder was closed while a file was open'));
    this.dead ??= internalError('the Parquet encoder was closed');
    if (w !== undefined) await w.terminate();
  }

  private post(m: Readonly<Record<string, unknown>>, transfer: ArrayBuffer[] = []): void {
    if (this.dead !== undefined) return;
    this.spawn().postMessage(m, transfer);
  }

  private spawn(): Worker {
    if (this.worker !== undefined) return this.worker;
    const w = startWasmWorker(ENCODER_WORKER_SOURCE, {});
    w.on('message', (m: unknown) => this.onMessage(parseMessage(m)));
    w.on('error', (e: unknown) => this.onDeath(e));
    w.on('exit', (code: number) => this.onDeath(new Error(`the encoder exited with code ${code}`)));
    this.worker = w;
    return w;
  }

  private onMessage(m: FromWorker | undefined): void {
    if (m === undefined) return;
    if (m.t === 'ready') {
      this.ready = true;
      return;
    }
    const f = this.files.get(m.fid);
    if (f === undefined || f.done) return;
    switch (m.t) {
      case 'ack': {
        f.written++;
        if (f.written >= f.sent - 1) this.release(f);
        break;
      }
      case 'chunk':
        f.sink.onChunk(new Uint8Array(m.data));
        break;
      case 'closed':
        this.finish(m.fid, f);
        f.sink.onClosed();
        break;
      case 'failed':
        this.finish(m.fid, f);
        f.sink.onFailed(failure(m.message));
        break;
    }
  }

  private release(f: OpenFile): void {
    const w = f.waiting;
    f.waiting = undefined;
    w?.();
  }

  private finish(fid: number, f: OpenFile): void {
    f.done = true;
    this.files.delete(fid);
    this.release(f);
  }

  private fail(error: ShoalError): void {
    for (const [fid, f] of [...this.files]) {
      this.finish(fid, f);
      f.sink.onFailed(error);
    }
  }

  private onDeath(e: unknown): void {
    if (this.worker === undefined || this.dead !== undefined) return;
    this.worker = undefined;
    const detail = e instanceof Error ? e.message : String(e);
    this.dead = this.ready
      ? internalError(`the Parquet encoder crashed (${detail})`)
      : internalError(`the Parquet encoder could not start (${detail})`);
    this.fail(this.dead);
  }
}

function failure(message: string): ShoalError {
  if (/not (yet )?(supported|implemented)/i.test(message)) {
    return new ShoalError('NOT_SUPPORTED', `The Parquet writer cannot write this data: ${message}`);
  }
  return internalError(`the Parquet encoder failed: ${message}`);
}
