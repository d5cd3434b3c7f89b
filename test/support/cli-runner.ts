import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { REPO_ROOT } from './paths.js';

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs the CLI in-process with captured streams (stdin is not a terminal), in the repository root. */
export async function runCli(argv: readonly string[], stdin = '', env: Record<string, string> = {}): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [], err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await main(argv, { stdin: Readable.from([stdin]), stdout, stderr, env, cwd: REPO_ROOT });
  return { code, out: Buffer.concat(out).toString(), err: Buffer.concat(err).toString() };
}
