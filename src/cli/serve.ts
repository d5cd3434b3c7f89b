import path from 'node:path';
import { ShoalError, formatError, toShoalError } from '../common/index.js';
import { parseDuration, type Shoal } from '../engine/index.js';
import { CatalogAccessRules, ShoalServer, createAuthenticator, loadTls } from '../server/index.js';
import type { CliArgs } from './args.js';
import type { CliIo } from './main.js';
import { defaultCatalogAndSchema } from './session-defaults.js';

/** Resolves when the process is asked to stop (SIGINT or SIGTERM). */
export function stopSignal(): Promise<string> {
  return stopSignals().stopped;
}

/** `stopped` resolves with the signal's name on SIGINT or SIGTERM; `dispose` stops listening. */
export function stopSignals(): { stopped: Promise<string>; dispose: () => void } {
  let on: ((sig: NodeJS.Signals) => void) | undefined;
  const dispose = (): void => {
    if (on === undefined) return;
    process.off('SIGINT', on);
    process.off('SIGTERM', on);
    on = undefined;
  };
  const stopped = new Promise<string>((resolve) => {
    on = (sig: NodeJS.Signals): void => {
      dispose();
      resolve(sig);
    };
    process.once('SIGINT', on);
    process.once('SIGTERM', on);
  });
  return { stopped, dispose };
}

/**
 * `shoal serve`: starts the Trino-protocol server, prints one line with its URL, serves until `stop` resolves,
 * then cancels running queries and closes. Returns the exit status (2 when it cannot start).
 */
export async function runServe(shoal: Shoal, args: CliArgs, io: CliIo, stop: Promise<unknown>, version: string): Promise<number> {
  const s = args.serve!;
  let server: ShoalServer;
  try {
    const abandonedAfterMs = s.abandonedAfter === undefined ? undefined : parseDuration(s.abandonedAfter);
    if (s.abandonedAfter !== undefined && abandonedAfterMs === undefined) {
      throw new ShoalError('INVALID_COMMAND_LINE', `--abandoned-after needs a duration such as 30s or 5m, not '${s.abandonedAfter}'`);
    }
    const defaults = await defaultCatalogAndSchema(shoal, args.catalog, args.schema);
    const authenticator = createAuthenticator({ passwordFile: s.passwordFile, tokensFile: s.tokensFile });
    const tls = s.tlsCert === undefined || s.tlsKey === undefined ? undefined : loadTls({ certFile: s.tlsCert, keyFile: s.tlsKey });
    server = await ShoalServer.start({
      shoal, host: s.host, port: s.port, authenticator, tls, allowInsecure: s.allowInsecure, maxRunning: s.maxRunning, maxQueued: s.maxQueued,
      abandonedAfterMs, catalog: defaults.catalog, schema: defaults.schema,
      sessionProperties: args.sessionProperties, version,
      catalogAccess: s.catalogAccess === undefined ? undefined : CatalogAccessRules.load(path.resolve(io.cwd, s.catalogAccess)),
    });
  } catch (e) {
    io.stderr.write(`${formatError(toShoalError(e))}\n`);
    return 2;
  }
  io.stdout.write(`Shoal serving Trino protocol on ${server.url}\n`);
  await stop;
  await server.close();
  return 0;
}
