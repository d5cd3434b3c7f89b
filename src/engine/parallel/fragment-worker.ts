/**
 * Entry of a fragment worker thread (see fragment-pool.ts): runs the fragments the main thread sends, several
 * side by side, and reports each one's batches, split ends, counters and errors.
 */
import { parentPort } from 'node:worker_threads';
import { ShoalError, internalError, toShoalError } from '../../common/index.js';
import { parseToWorker, toWire, type FromWorker } from './fragment-protocol.js';
import { runFragment } from './run-fragment.js';

interface Run {
  readonly controller: AbortController;
  credits: number;
  wake: (() => void) | undefined;
}

const port = parentPort;
if (port === null) throw internalError('fragment-worker.ts runs only as a worker thread');
const runs = new Map<number, Run>();

function send(m: FromWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(m, transfer);
}

port.on('message', (raw: unknown) => {
  const m = parseToWorker(raw);
  if (m === undefined) return;
  switch (m.t) {
    case 'run': {
      const run: Run = { controller: new AbortController(), credits: 0, wake: undefined };
      runs.set(m.id, run);
      const signal = run.controller.signal;
      const credited = async (splits: number): Promise<void> => {
        while (run.credits < splits && !signal.aborted) await new Promise<void>((resolve) => { run.wake = resolve; });
      };
      runFragment(m.id, m.spec, signal, { send, credited })
        .catch((e: unknown) => {
          if (!signal.aborted) send({ t: 'error', id: m.id, error: toWire(toShoalError(e)) });
        })
        .finally(() => runs.delete(m.id));
      return;
    }
    case 'credit': {
      const run = runs.get(m.id);
      if (run === undefined) return;
      run.credits++;
      run.wake?.();
      return;
    }
    case 'cancel': {
      const run = runs.get(m.id);
      if (run === undefined) return;
      run.controller.abort(new ShoalError('USER_CANCELED', 'Query was canceled'));
      run.wake?.();
      return;
    }
  }
});
