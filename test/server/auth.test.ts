import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  PasswordStore, bindSafety, createAuthenticator, generateToken, hashPassword, isLoopbackHost, parsePasswordHash, verifyPassword, type Authenticator,
} from '../../src/server/auth/index.js';
import { ShoalError } from '../../src/common/index.js';

/** A real HTTP server that does what the Shoal server does with an authenticator: 401 + WWW-Authenticate, or 200 with the user. */
async function serve(auth: Authenticator): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    void auth.authenticate(req).then((outcome) => {
      if (outcome.ok) {
        res.writeHead(200, { 'content-type': 'text/plain' }).end(outcome.user);
      } else {
        res.writeHead(401, { 'www-authenticate': outcome.challenge, 'content-type': 'text/plain' }).end(outcome.message);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/statement`, server };
}

const basic = (user: string, password: string): Record<string, string> => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'shoal-auth-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('password hashes (Trino file format)', () => {
  test('PBKDF2 and bcrypt hashes made by hashPassword verify, and only with the right password', async () => {
    const p = await hashPassword('s3cret:with colon', { iterations: 2000 });
    expect(p).toMatch(/^2000:[0-9a-f]{32}:[0-9a-f]{64}$/);
    expect(await verifyPassword('s3cret:with colon', parsePasswordHash(p))).toBe(true);
    expect(await verifyPassword('s3cret', parsePasswordHash(p))).toBe(false);
    const b = await hashPassword('pw', { scheme: 'bcrypt', cost: 8 });
    expect(b).toMatch(/^\$2y\$08\$/);
    expect(await verifyPassword('pw', parsePasswordHash(b))).toBe(true);
    expect(await verifyPassword('pW', parsePasswordHash(b))).toBe(false);
  });

  test('a PBKDF2 line computed independently (PBKDF2WithHmacSHA256, as Trino) verifies', async () => {
    const { pbkdf2Sync } = await import('node:crypto');
    const salt = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const hash = pbkdf2Sync('trino', salt, 1000, 16, 'sha256').toString('hex');
    expect(await verifyPassword('trino', parsePasswordHash(`1000:${salt.toString('hex')}:${hash}`))).toBe(true);
  });

  test('weak or unknown hashes are rejected with a reason', () => {
    expect(() => parsePasswordHash('999:00ff:00ff')).toThrow(/below the minimum of 1000/);
    expect(() => parsePasswordHash('plaintext')).toThrow(/not a bcrypt hash or a PBKDF2 hash/);
    expect(() => parsePasswordHash('$1$abc$def')).toThrow(/unsupported hash/);
  });
});

describe('Basic authentication against a password file', () => {
  let url: string;
  let server: Server;
  let file: string;
  beforeAll(async () => {
    file = path.join(dir, 'password.db');
    writeFileSync(file, `# users\nalice:${await hashPassword('wonderland', { iterations: 20_000 })}\n\nbob:${await hashPassword('builder', { scheme: 'bcrypt', cost: 8 })}\n`);
    const auth = createAuthenticator({ passwordFile: file })!;
    expect(auth.kind).toBe('password');
    ({ url, server } = await serve(auth));
  });
  afterAll(() => server.close());

  test('good user and password → accepted as that user; bcrypt users too', async () => {
    const r = await fetch(url, { headers: basic('alice', 'wonderland') });
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('alice');
    expect((await fetch(url, { headers: basic('bob', 'builder') })).status).toBe(200);
  });

  test('wrong password, unknown user, no header, malformed header → 401 with a Basic challenge, same message for both failures', async () => {
    const wrong = await fetch(url, { headers: basic('alice', 'nope') });
    const unknown = await fetch(url, { headers: basic('mallory', 'wonderland') });
    for (const r of [wrong, unknown]) {
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toBe('Basic realm="Shoal"');
    }
    expect(await wrong.text()).toBe(await unknown.text());
    const none = await fetch(url);
    expect(none.status).toBe(401);
    expect(await none.text()).toMatch(/requires authentication/);
    expect((await fetch(url, { headers: { authorization: 'Basic %%%' } })).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer abc' } })).status).toBe(401);
  });

  test('the file is re-read when it changes (edit in place, and atomic replace)', async () => {
    writeFileSync(file, `alice:${await hashPassword('new-password', { iterations: 1000 })}\n`);
    expect((await fetch(url, { headers: basic('alice', 'wonderland') })).status).toBe(401);
    expect((await fetch(url, { headers: basic('alice', 'new-password') })).status).toBe(200);
    expect((await fetch(url, { headers: basic('bob', 'builder') })).status).toBe(401);
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, `carol:${await hashPassword('c', { iterations: 1000 })}\n`);
    renameSync(tmp, file);
    expect((await fetch(url, { headers: basic('carol', 'c') })).status).toBe(200);
    expect((await fetch(url, { headers: basic('alice', 'new-password') })).status).toBe(401);
  });

  test('a reload that finds a malformed file refuses every login until it is fixed (fails closed)', async () => {
    writeFileSync(file, 'carol:not-a-hash\n');
    const r = await fetch(url, { headers: basic('carol', 'c') });
    expect(r.status).toBe(401);
    expect(await r.text()).toMatch(/cannot check credentials/);
    writeFileSync(file, `carol:${await hashPassword('c', { iterations: 1000 })}\n`);
    expect((await fetch(url, { headers: basic('carol', 'c') })).status).toBe(200);
  });
});

describe('unknown users cost as much as wrong passwords', () => {
  test('an unknown user is checked against a dummy hash of the same cost', async () => {
    const file = path.join(dir, 'timing.db');
    const iterations = 50_000;
    writeFileSync(file, `alice:${await hashPassword('right', { iterations })}\n`);
    const store = new PasswordStore(file);
    // Deterministic part: exactly one hash computation per failed login, whether or not the user exists.
    expect(await store.verify('alice', 'wrong')).toBe(false);
    expect(store.hashChecks).toBe(1);
    expect(await store.verify('nobody', 'wrong')).toBe(false);
    expect(store.hashChecks).toBe(2);

    // Timed part, loose on purpose (shared CI machine): both kinds of failure pay at least the PBKDF2 cost, and
    // neither is more than 3x the other on the median.
    const { pbkdf2Sync } = await import('node:crypto');
    let t = performance.now();
    pbkdf2Sync('x', Buffer.alloc(16), iterations, 32, 'sha256');
    const oneHash = performance.now() - t;
    const times = { wrong: [] as number[], unknown: [] as number[] };
    for (let i = 0; i < 15; i++) {
      for (const kind of ['wrong', 'unknown'] as const) {
        t = performance.now();
        await store.verify(kind === 'wrong' ? 'alice' : `nobody${i}`, `guess${i}`);
        times[kind].push(performance.now() - t);
      }
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const [w, u] = [median(times.wrong), median(times.unknown)];
    expect(w).toBeGreaterThan(oneHash * 0.5);
    expect(u).toBeGreaterThan(oneHash * 0.5);
    expect(u / w).toBeGreaterThan(1 / 3);
    expect(u / w).toBeLessThan(3);
  });

  test('a file whose first user has a bcrypt hash gets a bcrypt dummy of the same cost', async () => {
    const file = path.join(dir, 'bcrypt.db');
    writeFileSync(file, `bob:${await hashPassword('builder', { scheme: 'bcrypt', cost: 8 })}\n`);
    const store = new PasswordStore(file);
    expect(await store.verify('nobody', 'builder')).toBe(false);
    expect(await store.verify('bob', 'builder')).toBe(true);
    expect(store.hashChecks).toBe(2);
  });

  test('successful logins are cached (paging does not pay the hash again); failures never are', async () => {
    const file = path.join(dir, 'cache.db');
    writeFileSync(file, `alice:${await hashPassword('right', { iterations: 1000 })}\n`);
    const store = new PasswordStore(file);
    expect(await store.verify('alice', 'right')).toBe(true);
    expect(await store.verify('alice', 'right')).toBe(true);
    expect(store.hashChecks).toBe(1);
    expect(await store.verify('alice', 'wrong')).toBe(false);
    expect(await store.verify('alice', 'wrong')).toBe(false);
    expect(store.hashChecks).toBe(3);
  });
});

describe('bearer tokens', () => {
  let url: string;
  let server: Server;
  let token: string;
  let file: string;
  beforeAll(async () => {
    file = path.join(dir, 'tokens');
    const t = generateToken('etl');
    token = t.token;
    writeFileSync(file, `# user:sha256(token)\n${t.line}\n`);
    const auth = createAuthenticator({ tokensFile: file, passwordFile: writePasswords() })!;
    expect(auth.kind).toBe('password+bearer');
    ({ url, server } = await serve(auth));
  });
  afterAll(() => server.close());

  function writePasswords(): string {
    const p = path.join(dir, 'pw-with-tokens.db');
    writeFileSync(p, 'dora:1000:00ff00ff00ff00ff00ff00ff00ff00ff:' + '00'.repeat(32) + '\n');
    return p;
  }

  test('a known token → its user; an unknown token → 401 with both challenges', async () => {
    const ok = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('etl');
    const bad = await fetch(url, { headers: { authorization: `Bearer ${token}x` } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toBe('Basic realm="Shoal", Bearer realm="Shoal"');
    expect(await bad.text()).toBe('Access Denied: Invalid credentials');
  });

  test('a token added to the file works without a restart', async () => {
    const t2 = generateToken('reports');
    writeFileSync(file, `${generateToken('etl').line}\n${t2.line}\n`);
    expect(await (await fetch(url, { headers: { authorization: `bearer ${t2.token}` } })).text()).toBe('reports');
    expect((await fetch(url, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  test('bearer alone rejects Basic; a malformed tokens file fails at creation, naming file and line', () => {
    const bad = path.join(dir, 'bad-tokens');
    writeFileSync(bad, 'etl:abc\n');
    expect(() => createAuthenticator({ tokensFile: bad })).toThrow(/bad-tokens:1: expected user:<sha256/);
    expect(() => createAuthenticator({ passwordFile: path.join(dir, 'missing') })).toThrow(/File not found/);
    expect(createAuthenticator({})).toBeUndefined();
  });
});

describe('bind safety', () => {
  const auth: Authenticator = { kind: 'password', authenticate: () => Promise.resolve({ ok: true, user: 'x' }) };
  test('loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '', '10.0.0.5', '192.168.1.1', 'example.com', '::ffff:10.0.0.1', '128.0.0.1']) expect(isLoopbackHost(h), h).toBe(false);
  });

  test('non-loopback without auth refuses unless allowed; with auth or loopback it is fine', () => {
    const e = bindSafety('0.0.0.0', undefined, false);
    expect(e).toBeInstanceOf(ShoalError);
    expect(e!.code).toBe('INVALID_COMMAND_LINE');
    expect(e!.message).toMatch(/Refusing to listen on 0\.0\.0\.0 without authentication/);
    expect(e!.hint).toMatch(/--allow-insecure/);
    expect(bindSafety('0.0.0.0', undefined, true)).toBeUndefined();
    expect(bindSafety('0.0.0.0', auth, false)).toBeUndefined();
    expect(bindSafety('127.0.0.1', undefined, false)).toBeUndefined();
    expect(bindSafety('localhost', undefined, false)).toBeUndefined();
    expect(bindSafety('::', undefined, false)).toBeInstanceOf(ShoalError);
  });
});
