import type { RecordBatch } from 'apache-arrow';
import { throwIfAborted } from '../common/index.js';
import type { OperatorMetrics, TaskContext } from './execution-plan.js';

/**
 * Wraps an operator's batch stream: checks cancellation before each batch and counts rows, batches and the
 * time spent producing them (children included).
 */
export async function* instrument(metrics: OperatorMetrics, ctx: TaskContext, stream: AsyncIterable<RecordBatch>): AsyncIterable<RecordBatch> {
  const it = stream[Symbol.asyncIterator]();
  try {
    for (;;) {
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
