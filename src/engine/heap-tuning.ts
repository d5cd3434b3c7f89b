import { setFlagsFromString } from 'node:v8';
import { isMainThread } from 'node:worker_threads';

/**
 * V8's old-generation growth for the way queries allocate, set once per process when an engine opens.
 *
 * Why: a scan moves hundreds of MB of column buffers per second through the main thread (decoded row groups arrive
 * from the decoder workers, filters and gathers make more). Their bytes count against V8's old-generation limit
 * until a scavenge frees them, and with the limit at V8's usual 2× a small live heap (~25 MB: the SQL grammar,
 * apache-arrow, code) incremental marking starts every few row groups: profiles showed 20–35% of the main thread
 * in full mark-compacts of a heap whose size did not change. A fixed growth of 3× (200%) cut those collections by
 * about 60% and the CPU of taxi q3 and TPC-H q01, q13, q18 (SF1) by 25–30%, for 4–10% more peak RSS.
 *
 * Contract: applied on the main thread only (flags are process-wide; worker threads inherit them), at most once,
 * and never over a value the user gave Node (`--heap-growing-percent` in execArgv or NODE_OPTIONS).
 */
export const HEAP_GROWING_PERCENT = 200;

let applied = false;

/** Sets V8's heap growth (see above) unless it was set already or the user chose one. */
export function tuneHeapGrowth(): void {
  if (applied || !isMainThread) return;
  applied = true;
  const given = [...process.execArgv, process.env['NODE_OPTIONS'] ?? ''].some((a) => /--heap[-_]growing[-_]percent/.test(a));
  if (!given) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
