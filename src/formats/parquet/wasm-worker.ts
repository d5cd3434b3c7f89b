/**
 * Starts a parquet-wasm worker (the decoder's and the encoder's): a plain CommonJS program run with
 * `new Worker(source, { eval: true })` that gets parquet-wasm's absolute path in workerData.modulePath.
 *
 * The worker gets only the parent's profiling flags (--cpu-prof…, --heap-prof…, so that profiles cover it): it needs
 * no other. Node refuses V8 and process-wide flags in a worker's execArgv (`node --max-old-space-size=4096` would
 * make every worker fail to start), and a module loader such as tsx (the tests and benches run under it) costs
 * each worker ~100 ms of start-up CPU compiling its hooks.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const PROFILING_FLAG = /^--(?:cpu|heap)-prof(?:-(dir|name|interval))?(=|$)/;

/** The profiling flags of `argv`, with the value of a `--flag value` pair. */
export function profilingFlags(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const m = PROFILING_FLAG.exec(argv[i]!);
    if (m === null) continue;
    out.push(argv[i]!);
    if (m[1] !== undefined && m[2] === '' && i + 1 < argv.length) out.push(argv[++i]!);
  }
  return out;
}

let modulePath: string | undefined;

/** A worker running `source` with workerData `{ modulePath, ...data }`. */
export function startWasmWorker(source: string, data: Readonly<Record<string, unknown>>): Worker {
  modulePath ??= createRequire(import.meta.url).resolve('parquet-wasm');
  return new Worker(source, { eval: true, execArgv: profilingFlags(process.execArgv), workerData: { modulePath, ...data } });
}
