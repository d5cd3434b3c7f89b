/**
 * The process-wide pool of fragment workers (fragment-worker.ts) and the event stream of one run.
 *
 * Contract:
 *  - A worker runs any number of fragments side by side; a new run goes to the worker with the fewest runs, and
 *    a worker is added while every worker is busy and there are fewer than the run asks for (so the N shares of
 *    one fragment land on N different workers).
 *  - Idle workers do not keep the process alive (unref) and stop after IDLE_MS.
 *  - Returning a run's iterator early, or aborting its signal, cancels it in the worker; a worker that dies fails
 *    its runs with an internal error. Errors a worker reports arrive as the ShoalErrors they were.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { tableFromIPC } from 'apache-arrow';
import { ShoalError, internalError } from '../../common/index.js';
import type { FragmentEvent } from '../../physical/index.js';
import { fromWire, parseFromWorker, type FragmentSpec, type FromWorker, type ToWorker } from './fragment-protocol.js';

const IDLE_MS = 30_000;

interface Slot {
  readonly worker: Worker;
  readonly runs: Map<number, RunStream>;
  dead: boolean;
  idleTimer: NodeJS.Timeout | undefined;
}

/** The worker entry: the compiled .js next to this file, or under tsx (tests, bench) the .ts through its loader. */
function spawnWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./fragment-worker.js', here));
  const entry = new URL('./fragment-worker.ts', here).href;
  // The ESM build of tsx's API (its CommonJS build registers hooks by a path that does not exist).
  const tsxDir = path.dirname(createRequire(here).resolve('tsx/package.json'));
  const tsx = pathToFileURL(path.join(tsxDir, 'dist/esm/api/index.mjs')).href;
  const source = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(source, { eval: true });
}

function canceled(signal: AbortSignal | undefined): ShoalError {
  const reason: unknown = signal?.reason;
  return reason instanceof ShoalError ? reason : new ShoalError('USER_CANCELED', 'Query was canceled');
}

class RunStream implements AsyncIterableIterator<FragmentEvent> {
  private readonly queue: FragmentEvent[] = [];
  private waiter: { resolve: (r: IteratorResult<FragmentEvent>) => void; reject: (e: unknown) => void } | undefined;
  private failure: unknown;
  /** The worker sent 'done' or 'error': nothing more will come. */
  private finished = false;
  private closed = false;
  private readonly onAbort = (): void => this.fail(canceled(this.signal), true);

  constructor(private readonly pool: FragmentPool, readonly slot: Slot, readonly id: number, private readonly signal: AbortSignal | undefined) {
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  receive(m: FromWorker): void {
    switch (m.t) {
      case 'batch': {
        const batch = tableFromIPC(new Uint8Array(m.ipc)).batches[0];
        if (batch !== undefined) this.push({ kind: 'batch', batch, counters: m.counters });
        return;
      }
      case 'split':
        this.push({ kind: 'split', counters: m.counters });
        return;
      case 'done':
        this.push({ kind: 'done', counters: m.counters, operators: m.operators });
        this.finish();
        return;
      case 'error':
        this.fail(fromWire(m.error), false);
        return;
    }
  }

  private push(e: FragmentEvent): void {
    if (this.closed) return;
    const w = this.waiter;
    if (w !== undefined) {
      this.waiter = undefined;
      this.delivered(e);
      w.resolve({ value: e, done: false });
    } else this.queue.push(e);
  }

  /** Crediting a split as the consumer takes it lets the worker run further ahead. */
  private delivered(e: FragmentEvent): void {
    if (e.kind === 'split' && !this.finished) this.pool.post(this.slot, { t: 'credit', id: this.id });
  }

  private finish(): void {
    this.finished = true;
    this.detach();
    const w = this.waiter;
    if (w !== undefined && this.queue.length === 0) {
      this.waiter = undefined;
      w.resolve({ value: undefined, done: true });
    }
  }

  /** Fails the run; `cancel` also stops it in the worker. */
  fail(e: unknown, cancel: boolean): void {
    if (this.finished) return;
    if (cancel) this.pool.post(this.slot, { t: 'cancel', id: this.id });
    this.failure = e;
    this.queue.length = 0;
    const w = this.waiter;
    this.waiter = undefined;
    this.finish();
    w?.reject(e);
  }

  private detach(): void {
    this.signal?.removeEventListener('abort', this.onAbort);
    this.pool.forget(this);
  }

  next(): Promise<IteratorResult<FragmentEvent>> {
    const e = this.queue.shift();
    if (e !== undefined) {
      this.delivered(e);
      return Promise.resolve({ value: e, done: false });
    }
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.finished || this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<FragmentEvent>> {
    if (!this.closed) {
      this.closed = true;
      this.queue.length = 0;
      if (!this.finished) {
        this.pool.post(this.slot, { t: 'cancel', id: this.id });
        this.finished = true;
        this.detach();
      }
    }
    return Promise.resolve({ value: undefined, done: true });
  }
}

export class FragmentPool {
  private readonly slots: Slot[] = [];
  private nextId = 1;

  /** Starts `spec` on a worker at once; `spread` is how many workers the caller's runs should occupy. */
  run(spec: FragmentSpec, spread: number, signal: AbortSignal | undefined): AsyncIterableIterator<FragmentEvent> {
    const slot = this.pick(spread);
    const stream = new RunStream(this, slot, this.nextId++, signal);
    if (signal?.aborted === true) {
      stream.fail(canceled(signal), false);
      return stream;
    }
    slot.runs.set(stream.id, stream);
    clearTimeout(slot.idleTimer);
    slot.worker.ref();
    try {
      this.post(slot, { t: 'run', id: stream.id, spec });
    } catch (e) {
      stream.fail(internalError(`a parallel fragment could not be sent to a worker (${String(e)})`), false);
    }
    return stream;
  }

  private pick(spread: number): Slot {
    const live = this.slots.filter((s) => !s.dead);
    let best = live[0];
    for (const s of live) if (s.runs.size < best!.runs.size) best = s;
    if (best !== undefined && (best.runs.size === 0 || live.length >= spread)) return best;
    return this.spawn();
  }

  private spawn(): Slot {
    const worker = spawnWorker();
    const slot: Slot = { worker, runs: new Map(), dead: false, idleTimer: undefined };
    worker.on('message', (m: unknown) => this.onMessage(slot, parseFromWorker(m)));
    worker.on('error', (e: unknown) => this.onDeath(slot, e));
    worker.on('exit', (code: number) => this.onDeath(slot, `exit code ${code}`));
    this.slots.push(slot);
    return slot;
  }

  post(slot: Slot, m: ToWorker): void {
    if (!slot.dead) slot.worker.postMessage(m);
  }

  /** A run that ended: when its worker has no more, the worker may idle out. */
  forget(stream: RunStream): void {
    const slot = stream.slot;
    if (!slot.runs.delete(stream.id) || slot.runs.size > 0 || slot.dead) return;
    slot.worker.unref();
    slot.idleTimer = setTimeout(() => {
      if (slot.runs.size === 0) this.stop(slot);
    }, IDLE_MS);
    slot.idleTimer.unref();
  }

  private onMessage(slot: Slot, m: FromWorker | undefined): void {
    if (m === undefined) return;
    slot.runs.get(m.id)?.receive(m);
  }

  private onDeath(slot: Slot, e: unknown): void {
    if (slot.dead) return;
    this.stop(slot);
    const why = e instanceof Error ? e.message : String(e);
    for (const run of [...slot.runs.values()]) run.fail(internalError(`a fragment worker stopped unexpectedly (${why})`), false);
  }

  private stop(slot: Slot): void {
    slot.dead = true;
    clearTimeout(slot.idleTimer);
    const at = this.slots.indexOf(slot);
    if (at >= 0) this.slots.splice(at, 1);
    void slot.worker.terminate();
  }

  /** Stops every worker (tests). */
  async close(): Promise<void> {
    const slots = this.slots.splice(0);
    for (const s of slots) {
      s.dead = true;
      clearTimeout(s.idleTimer);
      for (const run of [...s.runs.values()]) run.fail(internalError('the fragment pool was closed'), false);
    }
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}

let shared: FragmentPool | undefined;

export function fragmentPool(): FragmentPool {
  shared ??= new FragmentPool();
  return shared;
}
