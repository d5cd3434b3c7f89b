import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { Trino, BasicAuth } from 'trino-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARROW_STATEMENT_PATH, createAuthenticator, hashPassword, loadTls, type ShoalServer } from '../../src/server/index.js';
import { generateToken } from '../../src/server/auth/index.js';
import { REPO_ROOT, startServer } from './server-fixture.js';

// `shoal serve` with its real security pieces wired as the CLI wires them: a Trino password file, a bearer
// tokens file, TLS from PEM files, and the Arrow endpoint behind authentication. trino-client used unchanged.
const dir = mkdtempSync(path.join(tmpdir(), 'shoal-secure-'));
let server: ShoalServer;
let token: string;

beforeAll(async () => {
  const passwordFile = path.join(dir, 'password.db');
  writeFileSync(passwordFile, `alice:${await hashPassword('wonderland', { iterations: 1000 })}\n`);
  const t = generateToken('robot');
  token = t.token;
  const tokensFile = path.join(dir, 'tokens.db');
  writeFileSync(tokensFile, `${t.line}\n`);
  const authenticator = createAuthenticator({ passwordFile, tokensFile });
  const tls = loadTls({ certFile: path.join(REPO_ROOT, 'test/fixtures/tls/cert.pem'), keyFile: path.join(REPO_ROOT, 'test/fixtures/tls/key.pem') });
  server = await startServer({ authenticator, tls, host: '127.0.0.1' });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

// The committed test certificate is self-signed; clients are told to trust it, nothing else changes.
const ca = readFileSync(path.join(REPO_ROOT, 'test/fixtures/tls/cert.pem'), 'utf8');

async function rows(t: Trino, sql: string): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for await (const page of await t.query(sql)) {
    if (page.error !== undefined) throw new Error(`${page.error.errorName}: ${page.error.message}`);
    out.push(...((page.data ?? []) as unknown[][]));
  }
  return out;
}

describe('shoal serve with a password file, bearer tokens, TLS and the Arrow endpoint', () => {
  it('serves HTTPS; trino-client logs in with Basic auth and queries', async () => {
    expect(server.url.startsWith('https://')).toBe(true);
    const t = Trino.create({ server: server.url, catalog: 'lake', schema: 'nyc', auth: new BasicAuth('alice', 'wonderland'), ssl: { ca } });
    expect(await rows(t, 'SELECT count(*) FROM taxi_zone_lookup')).toEqual([[265]]);
  });

  it('refuses unauthenticated requests, wrong passwords and impersonation', async () => {
    // Node's fetch cannot take a CA per request; the https module does.
    const https = await import('node:https');
    const status = (headers: Record<string, string>): Promise<{ status: number; challenge: string | undefined }> => new Promise((resolve, reject) => {
      const req = https.request(`${server.url}/v1/statement`, { method: 'POST', ca, headers }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, challenge: res.headers['www-authenticate'] });
      });
      req.on('error', reject);
      req.end('SELECT 1');
    });
    const none = await status({});
    expect(none.status).toBe(401);
    expect(none.challenge).toContain('Basic');
    expect((await status({ authorization: `Basic ${Buffer.from('alice:nope').toString('base64')}` })).status).toBe(401);
    expect((await status({ authorization: `Basic ${Buffer.from('mallory:wonderland').toString('base64')}` })).status).toBe(401);
    expect((await status({ authorization: `Basic ${Buffer.from('alice:wonderland').toString('base64')}`, 'X-Trino-User': 'bob' })).status).toBe(403);
    expect((await status({ authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await status({ authorization: 'Bearer not-a-token' })).status).toBe(401);
  });

  it('streams a result as Arrow IPC from POST /v1/arrow/statement, behind the same authentication', async () => {
    const https = await import('node:https');
    const fetchArrow = (headers: Record<string, string>, sql: string): Promise<{ status: number; type: string | undefined; body: Buffer }> => new Promise((resolve, reject) => {
      const req = https.request(`${server.url}${ARROW_STATEMENT_PATH}`, { method: 'POST', ca, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end(sql);
    });
    expect((await fetchArrow({}, 'SELECT 1')).status).toBe(401);
    const r = await fetchArrow({ authorization: `Bearer ${token}`, 'X-Trino-Catalog': 'lake', 'X-Trino-Schema': 'nyc' }, 'SELECT Borough, count(*) AS n FROM taxi_zone_lookup GROUP BY Borough ORDER BY Borough');
    expect(r.status).toBe(200);
    expect(r.type).toBe('application/vnd.apache.arrow.stream');
    const table = tableFromIPC(r.body);
    expect(table.numRows).toBe(7);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['borough', 'n']);
    expect(String(table.getChild('borough')!.get(0))).toBe('Bronx');
    expect(Number(table.getChild('n')!.get(0))).toBe(43);
  });
});
