import { spawn } from 'node:child_process';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runCli } from '../support/cli-runner.js';
import { REPO_ROOT } from './server-fixture.js';

describe('shoal serve', () => {
  it('starts from the built CLI, prints its URL, answers /v1/info and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/shoal.js'), 'serve', '--port', '0'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
      child.on('exit', (code) => reject(new Error(`exited with ${code}`)));
    });
    const m = /^Shoal serving Trino protocol on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line);
    expect(m).not.toBeNull();
    expect(Number(m![2])).toBeGreaterThan(0);
    const info = (await (await fetch(`${m![1]}/v1/info`)).json()) as { coordinator: boolean };
    expect(info.coordinator).toBe(true);
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('refuses a non-loopback host without authentication', async () => {
    const stdout = new PassThrough(), stderr = new PassThrough();
    const err: Buffer[] = [];
    stderr.on('data', (c: Buffer) => err.push(c));
    const code = await main(['serve', '--host', '0.0.0.0', '--port', '0'], { stdin: Readable.from(['']), stdout, stderr, env: {}, cwd: REPO_ROOT }, () => Promise.resolve());
    expect(code).toBe(2);
    expect(Buffer.concat(err).toString()).toMatch(/Refusing to listen on 0\.0\.0\.0 without authentication/);
  });

  it('serves in-process until told to stop', async () => {
    const stdout = new PassThrough(), stderr = new PassThrough();
    const out: Buffer[] = [];
    stdout.on('data', (c: Buffer) => out.push(c));
    let stop!: () => void;
    const stopped = new Promise<void>((r) => { stop = r; });
    const running = main(['serve', '--port', '0', '--max-running', '2', '--abandoned-after', '30s'], { stdin: Readable.from(['']), stdout, stderr, env: {}, cwd: REPO_ROOT }, () => stopped);
    for (let i = 0; i < 200 && !Buffer.concat(out).toString().includes('\n'); i++) await new Promise((r) => setTimeout(r, 20));
    const url = /on (\S+)/.exec(Buffer.concat(out).toString())![1]!;
    expect((await fetch(`${url}/v1/info`)).status).toBe(200);
    stop();
    expect(await running).toBe(0);
  });

  it('rejects a bad --abandoned-after', async () => {
    const stdout = new PassThrough(), stderr = new PassThrough();
    const err: Buffer[] = [];
    stderr.on('data', (c: Buffer) => err.push(c));
    const code = await main(['serve', '--port', '0', '--abandoned-after', 'soon'], { stdin: Readable.from(['']), stdout, stderr, env: {}, cwd: REPO_ROOT }, () => Promise.resolve());
    expect(code).toBe(2);
    expect(Buffer.concat(err).toString()).toMatch(/--abandoned-after needs a duration/);
  });

  it('names a missing password file and refuses --tls-cert without --tls-key', async () => {
    const missing = await runCli(['serve', '--port', '0', '--password-file', 'no/such/password.db']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('no/such/password.db');
    const halfTls = await runCli(['serve', '--port', '0', '--tls-cert', 'test/fixtures/tls/cert.pem']);
    expect(halfTls.code).toBe(2);
    expect(halfTls.err).toContain('--tls-cert and --tls-key go together');
  });

  it('scripts/hash-password.ts writes a line the password file accepts (the README command)', async () => {
    const { execFile } = await import('node:child_process');
    const line = await new Promise<string>((resolve, reject) => {
      const child = execFile(process.execPath, ['--import', 'tsx', 'scripts/hash-password.ts', 'alice', '--iterations', '1000'], { cwd: REPO_ROOT }, (e, out) => (e ? reject(e) : resolve(out.trim())));
      child.stdin!.end('wonderland\n');
    });
    expect(line).toMatch(/^alice:1000:[0-9a-f]+:[0-9a-f]+$/);
    const { parsePasswordFile, verifyPassword } = await import('../../src/server/auth/index.js');
    const entry = parsePasswordFile(`${line}\n`, 'password.db').users.get('alice')!;
    expect(await verifyPassword('wonderland', entry)).toBe(true);
    expect(await verifyPassword('nope', entry)).toBe(false);
  });
});
