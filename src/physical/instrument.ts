import type { RecordBatch } from 'apache-arrow';
import { throwIfAborted } from '../common/index.js';
import type { OperatorMetrics, TaskContext } from './execution-plan.js';

/**
 * A query whose operators stay busy on in-memory data (a nested-loop join, a big sort) never waits on I/O, so
 * timers (query_max_execution_time), signals (Ctrl-C) and other requests would not run until it ends. Operators
 * give the event loop a turn when this long has passed since the query last did.
 */
const YIELD_EVERY_MS = 50;
const lastYield = new WeakMap<TaskContext, number>();

async function yieldIfBusy(ctx: TaskContext): Promise<void> {
  const now = performance.now();
  const last = lastYield.get(ctx);
  if (last === undefined) {
    lastYield.set(ctx, now);
    return;
  }
  if (now - last < YIELD_EVERY_MS) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  lastYield.set(ctx, performance.now());
}

/**
 * Wraps an operator's batch stream: checks cancellation before each batch (giving the event loop a turn now and
 * then, see above) and counts rows, batches and the time spent producing them (children included).
 */
export async function* instrument(metrics: OperatorMetrics, ctx: TaskContext, stream: AsyncIterable<RecordBatch>): AsyncIterable<RecordBatch> {
  const it = stream[Symbol.asyncIterator]();
  try {
    for (;;) {
      await yieldIfBusy(ctx);
      throwIfAborted(ctx.signal);
      const t0 = performance.now();
      const r = await it.next();
      metrics.elapsedMs += performance.now() - t0;
      if (r.done === true) return;
      metrics.rowsOut += r.value.numRows;
      metrics.batchesOut++;
      yield r.value;
    }
  } finally {
    await it.return?.();
  }
}
