import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Shoal } from '../../src/engine/index.js';
import { CatalogAccessRules, ShoalServer, createAuthenticator, hashPassword } from '../../src/server/index.js';
import { generateToken } from '../../src/server/auth/index.js';
import { HttpFileServer } from '../support/http-file-server.js';
import { runCli } from '../support/cli-runner.js';
import { REPO_ROOT } from './server-fixture.js';

// Issue 9 item 5 over the wire: users limited to catalogs (--catalog-access), the serve default of allowed roots
// (the catalogs' own), and secrets kept out of logs, errors, EXPLAIN and run reports.

interface Page {
  nextUri?: string;
  data?: unknown[][];
  error?: { errorName: string; message: string };
}

const SECRET_KEY = 'wJalrXUtnFEMI-K7MDENG-bPxRfiCYSECRETKEY';
const PASSWORD = 'Tr0ub4dor-horse-battery';
const SIGNATURE = 'a9f3c2e1d0b8signature77f0';
let dir: string;
let server: ShoalServer;
let files: HttpFileServer;
let token: string;
const captured: string[] = [];
const restores: (() => void)[] = [];

beforeAll(async () => {
  process.env['AWS_SECRET_ACCESS_KEY'] = SECRET_KEY;
  process.env['AWS_ACCESS_KEY_ID'] = 'AKIAEXAMPLEKEYID';
  // Every byte the process prints while serving is captured: the server's log must hold no secret.
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      captured.push(String(chunk));
      return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
    restores.push(() => { stream.write = write; });
  }
  dir = mkdtempSync(path.join(tmpdir(), 'shoal-access-'));
  const pw = path.join(dir, 'passwords');
  writeFileSync(pw, `alice:${await hashPassword(PASSWORD, { iterations: 1000 })}\nbob:${await hashPassword('bobs-password', { iterations: 1000 })}\n`);
  const t = generateToken('alice');
  token = t.token;
  const tokens = path.join(dir, 'tokens');
  writeFileSync(tokens, `${t.line}\n`);
  files = await HttpFileServer.start(path.join(REPO_ROOT, 'sample-data'));
  const shoal = await Shoal.open({ catalogDir: path.join(REPO_ROOT, 'catalog'), cwd: REPO_ROOT, allowedRoots: 'catalogs' });
  server = await ShoalServer.start({
    shoal, host: '127.0.0.1', port: 0, catalog: 'lake', schema: 'nyc',
    authenticator: createAuthenticator({ passwordFile: pw, tokensFile: tokens }),
    catalogAccess: CatalogAccessRules.parse(JSON.stringify({ alice: ['lake', 'memory'], '*': ['memory'] }), 'access.json'),
  });
});
afterAll(async () => {
  await server?.close();
  await files?.close();
  for (const r of restores) r();
  delete process.env['AWS_SECRET_ACCESS_KEY'];
  delete process.env['AWS_ACCESS_KEY_ID'];
  rmSync(dir, { recursive: true, force: true });
});

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

async function query(sql: string, authorization: string): Promise<{ rows: unknown[][]; error: Page['error']; text: string }> {
  const headers = { Authorization: authorization };
  const res = await fetch(`${server.url}/v1/statement`, { method: 'POST', body: sql, headers });
  let text = await res.text();
  let page = JSON.parse(text) as Page;
  const rows: unknown[][] = [];
  while (page.nextUri !== undefined) {
    const r = await fetch(page.nextUri, { headers });
    const t = await r.text();
    text += t;
    page = JSON.parse(t) as Page;
    rows.push(...(page.data ?? []));
  }
  return { rows, error: page.error, text };
}

describe('access control on shoal serve', () => {
  it('limits users to their catalogs: SHOW CATALOGS lists only theirs, others are PERMISSION_DENIED', async () => {
    const alice = basic('alice', PASSWORD);
    const bob = basic('bob', 'bobs-password');
    expect((await query('SHOW CATALOGS', alice)).rows).toEqual([['lake'], ['memory']]);
    expect((await query('SHOW CATALOGS', bob)).rows).toEqual([['memory']]);
    expect((await query('SELECT count(*) FROM lake.nyc.taxi_zone_lookup', alice)).rows).toEqual([[265]]);
    for (const sql of ['SELECT count(*) FROM lake.nyc.taxi_zone_lookup', 'SELECT count(*) FROM taxi_zone_lookup', 'SHOW SCHEMAS FROM lake', 'USE lake.nyc',
      'CREATE TABLE lake.nyc.x AS SELECT 1 AS x', 'SHOW TABLES FROM lake.nyc']) {
      const r = await query(sql, bob);
      expect(r.error?.errorName, sql).toBe('PERMISSION_DENIED');
      expect(r.error?.message).toContain("user 'bob' may not use catalog 'lake'");
    }
    expect((await query('SELECT 1', bob)).rows).toEqual([[1]]);
  });

  it("refuses paths outside the catalogs' own roots by default", async () => {
    const alice = `Bearer ${token}`;
    const r = await query("SELECT * FROM read_csv('/etc/passwd')", alice);
    expect(r.error?.errorName).toBe('PERMISSION_DENIED');
    expect(r.error?.message).toContain('/etc/passwd');
    expect(r.error?.message).toContain(`allowed roots: ${REPO_ROOT}`);
    expect((await query(`SELECT * FROM read_csv('${REPO_ROOT}/sample-data/../../../etc/passwd')`, alice)).error?.errorName).toBe('PERMISSION_DENIED');
    expect((await query("UNLOAD (SELECT 1 AS x) TO '/tmp/shoal-unload-escape' WITH (format = 'CSV')", alice)).error?.errorName).toBe('PERMISSION_DENIED');
    expect((await query("SELECT count(*) FROM read_csv('sample-data/nyc/taxi_zone_lookup.csv')", alice)).rows).toEqual([[265]]);
  });

  it('never shows secrets in errors, EXPLAIN, logs or run reports', async () => {
    const wrong = await fetch(`${server.url}/v1/statement`, { method: 'POST', body: 'SELECT 1', headers: { Authorization: basic('alice', `${PASSWORD}x`) } });
    expect(wrong.status).toBe(401);
    const texts = [await wrong.text()];
    const presigned = `${files.url}/nyc/taxi_zone_lookup.csv?X-Amz-Signature=${SIGNATURE}&X-Amz-Credential=AKIAEXAMPLEKEYID`;
    const withUser = `http://admin:${PASSWORD}@127.0.0.1:1/nyc/x.csv?X-Amz-Signature=${SIGNATURE}`;
    // Direct http(s) paths are outside the serve default roots: an engine with no roots shows what EXPLAIN prints.
    const open = await Shoal.open({ catalogDir: path.join(REPO_ROOT, 'catalog'), cwd: REPO_ROOT });
    const s = open.session({ catalog: 'lake', schema: 'nyc' });
    const explain = await (await s.query(`EXPLAIN SELECT count(*) FROM read_csv('${presigned}')`)).toArray();
    texts.push(JSON.stringify(explain));
    expect(JSON.stringify(explain)).toContain(files.url);
    for (const sql of [`SELECT * FROM read_csv('${withUser}')`, "SELECT * FROM read_parquet('s3://no-such-bucket-shoal/x.parquet')"]) {
      const e = await s.query(sql).then(async (r) => { await r.toArray(); return undefined; }, (x: unknown) => x);
      expect(e).toBeInstanceOf(Error);
      texts.push(`${(e as Error).message} ${JSON.stringify(e)}`);
    }
    for (const sql of [`SELECT * FROM read_csv('${presigned}')`, `SELECT * FROM read_csv('${withUser}')`]) {
      texts.push((await query(sql, `Bearer ${token}`)).text);
    }
    const job = path.join(dir, 'job.sql');
    writeFileSync(job, `SELECT count(*) AS n FROM read_csv('${presigned}');\n`);
    const report = path.join(dir, 'report.json');
    const run = await runCli(['run', job, '--report', report, '--catalog-dir', path.join(REPO_ROOT, 'catalog')], '', { AWS_SECRET_ACCESS_KEY: SECRET_KEY });
    texts.push(run.out, run.err, (await import('node:fs')).readFileSync(report, 'utf8'));
    expect(run.code).toBe(0);
    texts.push(captured.join(''));
    for (const t of texts) {
      for (const secret of [SECRET_KEY, PASSWORD, SIGNATURE, token]) expect(t).not.toContain(secret);
    }
  });
});
