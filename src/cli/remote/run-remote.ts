import { createWriteStream } from 'node:fs';
import path from 'node:path';
import type { CliArgs } from '../args.js';
import type { CliIo } from '../main.js';
import { runReplWith } from '../repl.js';
import { StreamSink } from '../stream-sink.js';
import { RemoteRunner } from './remote-runner.js';
import { runRemoteScript } from './run-remote-script.js';
import { TrinoProtocolClient } from './trino-protocol-client.js';

/** The client of `shoal --server URL`: user from --user, else $USER; password only from SHOAL_PASSWORD. */
export function clientFromArgs(args: CliArgs, env: NodeJS.ProcessEnv): TrinoProtocolClient {
  return new TrinoProtocolClient({
    server: args.server!,
    user: args.user ?? env['USER'] ?? env['USERNAME'] ?? 'shoal',
    password: env['SHOAL_PASSWORD'] === undefined || env['SHOAL_PASSWORD'] === '' ? undefined : env['SHOAL_PASSWORD'],
    catalog: args.catalog,
    schema: args.schema,
    timeZone: args.timeZone,
    sessionProperties: args.sessionProperties,
  });
}

/**
 * `shoal --server URL` with -e, -f or piped statements: runs them on the server and writes the results as the
 * local CLI does; without a script, the interactive REPL over the server. Exit status as main(): 0 ok, 1 a
 * statement failed, 2 setup.
 */
export async function runRemote(args: CliArgs, script: string | undefined, io: CliIo, err: StreamSink): Promise<number> {
  const client = clientFromArgs(args, io.env);
  // No script: the same REPL as locally, through the protocol.
  if (script === undefined) return runReplWith(new RemoteRunner(client), io, args.format ?? 'table');
  const fileOut = args.output === undefined ? undefined : createWriteStream(path.resolve(io.cwd, args.output));
  const out = new StreamSink(fileOut ?? io.stdout);
  const ok = await runRemoteScript(client, script, out, err, { format: args.format ?? 'table' });
  if (fileOut !== undefined) await new Promise<void>((resolve, reject) => fileOut.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return ok ? 0 : 1;
}
