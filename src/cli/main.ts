import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { ShoalError, formatError, toShoalError } from '../common/index.js';
import { Shoal } from '../engine/index.js';
import { HELP, parseArgs, type CliArgs } from './args.js';
import { runRemote } from './remote/run-remote.js';
import { runRepl } from './repl.js';
import { runScript } from './run-script.js';
import { EXIT } from './exit-codes.js';
import { runJob } from './run-job.js';
import { runServe, stopSignal, stopSignals } from './serve.js';
import { defaultCatalogAndSchema, resolveCatalogDir } from './session-defaults.js';
import { StreamSink } from './stream-sink.js';

export interface CliIo {
  readonly stdin: Readable & { isTTY?: boolean };
  readonly stdout: Writable & { isTTY?: boolean; columns?: number };
  readonly stderr: Writable;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

const VERSION = '0.1.0';

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** The statements to run: -e, -f or piped stdin; undefined for the REPL; false when the file cannot be read (reported). */
async function readScript(args: CliArgs, io: CliIo, err: StreamSink): Promise<string | undefined | false> {
  if (args.file !== undefined) {
    try {
      return await readFile(path.resolve(io.cwd, args.file), 'utf8');
    } catch (e) {
      err.write(`${formatError(new ShoalError('FILE_NOT_FOUND', `Cannot read ${args.file}`, { location: args.file, cause: e }))}\n`);
      await err.flush(true);
      return false;
    }
  }
  if (args.execute !== undefined) return args.execute;
  return io.stdin.isTTY !== true ? readAll(io.stdin) : undefined;
}

/**
 * The `shoal` command. `stop` ends `shoal serve` and cancels `shoal run` (by default SIGINT/SIGTERM). Returns the
 * exit status: 0 ok, 1 a statement failed, 2 bad command line or setup; `shoal run` has its own (exit-codes.ts).
 */
export async function main(argv: readonly string[], io: CliIo, stop?: () => Promise<unknown>): Promise<number> {
  const err = new StreamSink(io.stderr);
  let args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    err.write(`${formatError(toShoalError(e))}\n`);
    await err.flush(true);
    return argv[0] === 'run' ? EXIT.USAGE : 2;
  }
  if (args.command === 'help') {
    io.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (args.command === 'version') {
    io.stdout.write(`shoal ${VERSION}\n`);
    return 0;
  }
  if (args.command === 'run') {
    if (stop !== undefined) return runJob(args, io, VERSION, stop().then((sig) => (typeof sig === 'string' ? sig : 'SIGTERM')));
    const signals = stopSignals();
    try {
      return await runJob(args, io, VERSION, signals.stopped);
    } finally {
      signals.dispose();
    }
  }
  if (args.server !== undefined) {
    const script = await readScript(args, io, err);
    return script === false ? 2 : runRemote(args, script, io, err);
  }
  let shoal: Shoal;
  let session;
  try {
    shoal = await Shoal.open({
      catalogDir: resolveCatalogDir(args.catalogDir, io.cwd), cwd: io.cwd, threads: args.threads,
      // A server answers other people: without --allowed-root it reaches only its catalogs' roots (README).
      allowedRoots: args.allowedRoots ?? (args.command === 'serve' ? 'catalogs' : undefined),
      maxQueryMemory: args.maxQueryMemory, spillPath: args.spillPath,
    });
    const defaults = await defaultCatalogAndSchema(shoal, args.catalog, args.schema);
    session = shoal.session({ ...defaults, timeZone: args.timeZone, properties: args.sessionProperties });
  } catch (e) {
    err.write(`${formatError(toShoalError(e))}\n`);
    await err.flush(true);
    return 2;
  }

  if (args.command === 'serve') return runServe(shoal, args, io, (stop ?? stopSignal)(), VERSION);

  const script = await readScript(args, io, err);
  if (script === false) return 2;
  if (script === undefined) return runRepl(session, io, args.format ?? 'table');

  const fileOut = args.output === undefined ? undefined : createWriteStream(path.resolve(io.cwd, args.output));
  const out = new StreamSink(fileOut ?? io.stdout);
  const ok = await runScript(session, script, out, err, { format: args.format ?? 'table' });
  if (fileOut !== undefined) await new Promise<void>((resolve, reject) => fileOut.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return ok ? 0 : 1;
}
