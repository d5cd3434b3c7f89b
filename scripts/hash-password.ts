/**
 * Makes a line for Shoal's (and Trino's) password file, or a bearer token and its tokens-file line.
 *
 *   node --import tsx scripts/hash-password.ts USER [--bcrypt] [--cost N] [--iterations N]   # password from stdin
 *   node --import tsx scripts/hash-password.ts USER --token                                   # new random token
 *
 * The password is read from standard input (first line), so it stays out of the shell history:
 *   printf '%s' 'my password' | node --import tsx scripts/hash-password.ts alice >> password.db
 * With --token the line goes to stdout and the token itself to stderr (give it to the user once; only its
 * digest is stored).
 */
import { parseArgs } from 'node:util';
import { generateToken, hashPassword } from '../src/server/auth/index.js';
import { isShoalError } from '../src/common/index.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { bcrypt: { type: 'boolean' }, cost: { type: 'string' }, iterations: { type: 'string' }, token: { type: 'boolean' } },
  });
  const user = positionals[0];
  if (user === undefined || user === '' || user.includes(':')) throw new Error('usage: hash-password.ts USER [--bcrypt [--cost N] | --iterations N | --token] (the user name cannot contain a colon)');
  if (values.token === true) {
    const t = generateToken(user);
    process.stderr.write(`token for ${user}: ${t.token}\n`);
    process.stdout.write(`${t.line}\n`);
    return;
  }
  const password = await readStdin();
  if (password === '') throw new Error('no password on standard input');
  const hash = values.bcrypt === true
    ? await hashPassword(password, { scheme: 'bcrypt', ...(values.cost === undefined ? {} : { cost: Number(values.cost) }) })
    : await hashPassword(password, values.iterations === undefined ? {} : { iterations: Number(values.iterations) });
  process.stdout.write(`${user}:${hash}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${isShoalError(e) ? e.describe() : e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
