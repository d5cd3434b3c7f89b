/**
 * Starts a parquet-wasm worker (the decoder's and the encoder's): a plain CommonJS program run with
 * `new Worker(source, { eval: true })` that gets parquet-wasm's absolute path in workerData.modulePath.
 *
 * The worker gets the parent's execArgv without its module loaders (--import, --require, --loader and
 * --input-type): the program needs none, and a loader such as tsx (the tests and benches run under it) costs each
 * worker ~100 ms of start-up CPU compiling its hooks. Other flags (--cpu-prof, memory limits) pass on.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const LOADER_FLAGS = ['--import', '--require', '-r', '--loader', '--experimental-loader'];

/** `argv` without module-loader flags and their values (given as `--flag value` or `--flag=value`). */
export function withoutLoaderFlags(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--input-type')) continue;
    if (LOADER_FLAGS.includes(a)) {
      i++;
      continue;
    }
    if (LOADER_FLAGS.some((f) => a.startsWith(`${f}=`))) continue;
    out.push(a);
  }
  return out;
}

let modulePath: string | undefined;

/** A worker running `source` with workerData `{ modulePath, ...data }`. */
export function startWasmWorker(source: string, data: Readonly<Record<string, unknown>>): Worker {
  modulePath ??= createRequire(import.meta.url).resolve('parquet-wasm');
  return new Worker(source, { eval: true, execArgv: withoutLoaderFlags(process.execArgv), workerData: { modulePath, ...data } });
}
