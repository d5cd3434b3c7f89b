import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { parseCatalogSettings } from '../../src/catalog/index.js';
import { ShoalError } from '../../src/common/index.js';
import { GcsFileSystem, newIoStats, parseGcsSettings, type FileStatus, type GcsFileSystemOptions } from '../../src/fs/index.js';
import { startGcsServer, type GcsTestServer } from '../support/gcs-server.js';
import { REPO_ROOT } from '../support/paths.js';

async function caught(p: Promise<unknown>): Promise<ShoalError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ShoalError);
    return e as ShoalError;
  }
  throw new Error('expected a ShoalError');
}

async function collect(it: AsyncIterable<FileStatus>): Promise<FileStatus[]> {
  const out: FileStatus[] = [];
  for await (const f of it) out.push(f);
  return out;
}

const DATA = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz');

describe('gs:// file system against the GCS test server', () => {
  let server: GcsTestServer;
  const fsWith = (o: Partial<GcsFileSystemOptions> = {}): GcsFileSystem =>
    new GcsFileSystem({ settings: { endpoint: server.endpoint }, baseDelayMs: 1, ...o });

  beforeAll(async () => {
    server = await startGcsServer({ maxPageSize: 2 });
    server.createBucket('lake');
    server.putObject('lake', 'obj.bin', DATA);
    for (let i = 0; i < 7; i++) server.putObject('lake', `many/part-${i}.bin`, Buffer.from([i]));
    server.putObject('lake', 'many/', Buffer.alloc(0)); // a console-made "folder" placeholder
    server.forbidBucket('locked');
  });
  afterAll(() => server?.close());
  afterEach(() => {
    server.requests.length = 0;
  });

  test('listing is paged lazily: the first file needs one list request, all of them several', async () => {
    const fs = fsWith();
    for await (const f of fs.list('gs://lake/many')) {
      expect(f.location).toBe('gs://lake/many/part-0.bin');
      break;
    }
    expect(server.requests.filter((r) => r.op === 'list')).toHaveLength(1);
    server.requests.length = 0;
    const all = await collect(fs.list('gs://lake/many/'));
    expect(all.map((f) => f.location)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `gs://lake/many/part-${i}.bin`));
    const lists = server.requests.filter((r) => r.op === 'list');
    expect(lists.length).toBeGreaterThanOrEqual(4);
    expect(lists.every((r) => r.query['prefix'] === 'many/' && r.query['fields'] === 'items(name,size,generation,updated),nextPageToken')).toBe(true);
  });

  test('the version token is the generation; reads ask for that generation and the exact byte range', async () => {
    const fs = fsWith();
    const stored = server.getObject('lake', 'obj.bin')!;
    const f = await fs.open('gs://lake/obj.bin');
    expect(f.etag).toBe(stored.generation);
    server.requests.length = 0;
    expect(Buffer.from(await f.read(3, 4))).toEqual(DATA.subarray(3, 7));
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ op: 'media', range: 'bytes=3-6', query: { generation: stored.generation } });
  });

  test('open with a listed status makes no metadata request', async () => {
    const fs = fsWith();
    const [status] = await collect(fs.list('gs://lake/many'));
    server.requests.length = 0;
    const f = await fs.open(status!.location, { status });
    expect(Array.from(await f.read(0, 10))).toEqual([0]);
    expect(server.requests.map((r) => r.op)).toEqual(['media']);
  });

  test('an object overwritten or deleted after open fails the read with FILE_CHANGED naming it', async () => {
    const fs = fsWith();
    server.putObject('lake', 'moving.bin', DATA);
    const f = await fs.open('gs://lake/moving.bin');
    await f.read(0, 5);
    server.putObject('lake', 'moving.bin', Buffer.from('new content, same object name'));
    const e = await caught(f.read(5, 5));
    expect(e.code).toBe('FILE_CHANGED');
    expect(e.message).toContain('gs://lake/moving.bin');
    expect(e.hint).toMatch(/re-run/i);

    const stale = await fs.open('gs://lake/moving.bin', { status: { location: 'gs://lake/moving.bin', size: 30, etag: '1' } });
    expect((await caught(stale.read(0, 3))).code).toBe('FILE_CHANGED');

    const g = await fs.open('gs://lake/moving.bin');
    await fetch(`${server.endpoint}/storage/v1/b/lake/o/moving.bin`, { method: 'DELETE' });
    const d = await caught(g.read(0, 3));
    expect(d.code).toBe('FILE_CHANGED');
    expect(d.message).toContain('overwritten or deleted');
  });

  test('a missing bucket is a configuration error naming the bucket and the location', async () => {
    const fs = fsWith();
    for (const p of [fs.stat('gs://nobucket/a/b.parquet'), fs.isDirectory('gs://nobucket/a'), collect(fs.list('gs://nobucket/a'))]) {
      const e = await caught(p);
      expect(e.code).toBe('STORAGE_CONFIGURATION_ERROR');
      expect(e.message).toContain("bucket 'nobucket' does not exist");
      expect(e.message).toContain('gs://nobucket/a');
    }
  });

  test('a missing object is FILE_NOT_FOUND naming gs://bucket/key', async () => {
    const e = await caught(fsWith().stat('gs://lake/missing/file.csv'));
    expect(e.code).toBe('FILE_NOT_FOUND');
    expect(e.message).toBe('File not found: gs://lake/missing/file.csv');
  });

  test('403 is PERMISSION_DENIED naming the location and the service reason, with a credentials hint', async () => {
    const fs = fsWith();
    const e = await caught(fs.stat('gs://locked/data.parquet'));
    expect(e.code).toBe('PERMISSION_DENIED');
    expect(e.message).toContain('gs://locked/data.parquet');
    expect(e.message).toContain('does not have storage.objects.get access');
    expect(e.hint).toMatch(/Application Default Credentials/);
    const l = await caught(collect(fs.list('gs://locked/dir')));
    expect(l.code).toBe('PERMISSION_DENIED');
    expect(l.message).toContain('storage.objects.list');
  });

  test('503, 429 and dropped connections are retried; each attempt counts as a request', async () => {
    const fs = fsWith();
    const f = await fs.open('gs://lake/obj.bin');
    server.failNext(1, 503);
    server.failNext(1, 429);
    server.failNext(1, 'reset');
    const stats = newIoStats();
    expect(Buffer.from(await f.read(0, 10, { stats }))).toEqual(DATA.subarray(0, 10));
    expect(stats).toEqual({ requests: 4, bytesRead: 10 });
    server.failNext(2, 503);
    expect((await fs.stat('gs://lake/obj.bin')).size).toBe(DATA.length);
    server.failNext(2, 503);
    expect(await collect(fs.list('gs://lake/many'))).toHaveLength(7);
  });

  test('the library does not retry on its own; when attempts run out the error is STORAGE_UNAVAILABLE', async () => {
    const fs = fsWith({ maxAttempts: 3 });
    server.failNext(3, 503);
    const e = await caught(fs.stat('gs://lake/obj.bin'));
    expect(e.code).toBe('STORAGE_UNAVAILABLE');
    expect(e.message).toContain('gs://lake/obj.bin');
    expect(e.message).toContain('3 attempts failed');
    expect(e.message).toContain('HTTP 503');
    expect(server.requests).toHaveLength(3);
  });

  test('a request that never answers times out and is retried', async () => {
    const fs = fsWith({ timeoutMs: 300 });
    const f = await fs.open('gs://lake/obj.bin');
    server.failNext(1, 'stall', (r) => r.op === 'media');
    expect(Buffer.from(await f.read(10, 5))).toEqual(DATA.subarray(10, 15));
  });

  test('aborting during a request ends it with USER_CANCELED', async () => {
    const fs = fsWith();
    const f = await fs.open('gs://lake/obj.bin');
    server.failNext(1, 'stall', (r) => r.op === 'media');
    const ac = new AbortController();
    const pending = f.read(0, 5, { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    expect((await caught(pending)).code).toBe('USER_CANCELED');
  });

  test('STORAGE_EMULATOR_HOST is honoured; a catalog endpoint wins over it', async () => {
    const saved = process.env['STORAGE_EMULATOR_HOST'];
    try {
      process.env['STORAGE_EMULATOR_HOST'] = server.endpoint;
      expect((await new GcsFileSystem().stat('gs://lake/obj.bin')).size).toBe(DATA.length);
      process.env['STORAGE_EMULATOR_HOST'] = 'http://127.0.0.1:9'; // nothing listens there
      expect((await fsWith().stat('gs://lake/obj.bin')).size).toBe(DATA.length);
    } finally {
      if (saved === undefined) delete process.env['STORAGE_EMULATOR_HOST'];
      else process.env['STORAGE_EMULATOR_HOST'] = saved;
    }
  });

  test('key files: unreadable, not JSON, or not a service-account key are configuration errors that quote nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shoal-key-'));
    try {
      const cases: [string, string | undefined, RegExp][] = [
        [path.join(dir, 'missing.json'), undefined, /cannot be read \(ENOENT\)/],
        [path.join(dir, 'garbage.json'), 'not json at all, SECRET-ISH', /is not JSON/],
        [path.join(dir, 'external.json'), JSON.stringify({ type: 'external_account', credential_source: { executable: { command: 'x' } } }), /is not a service-account key \(its type is "external_account"\)/],
        [path.join(dir, 'partial.json'), JSON.stringify({ type: 'service_account', private_key: 'SECRET-ISH' }), /lacks client_email or private_key/],
      ];
      for (const [file, content, expected] of cases) {
        if (content !== undefined) writeFileSync(file, content);
        const fs = new GcsFileSystem({ settings: { endpoint: server.endpoint, keyFile: file }, baseDelayMs: 1 });
        const e = await caught(fs.stat('gs://lake/obj.bin'));
        expect(e.code).toBe('STORAGE_CONFIGURATION_ERROR');
        expect(e.message).toContain(file);
        expect(e.message).toMatch(expected);
        expect(e.message).not.toContain('SECRET-ISH');
      }
      expect(server.requests).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('gcs settings', () => {
  test('endpoint, project and key_file are accepted by the catalog file parser and validated', () => {
    const settings = parseCatalogSettings('{"gcs": {"endpoint": "http://127.0.0.1:4443/", "project": "p", "key_file": "keys/sa.json"}}', 'c.json', '/base');
    expect(settings.storage.gcs).toEqual({ endpoint: 'http://127.0.0.1:4443', project: 'p', keyFile: '/base/keys/sa.json' });
    expect(parseGcsSettings({ endpoint: 'https://storage.example.com/storage/v1' }).endpoint).toBe('https://storage.example.com');
    expect(() => parseGcsSettings({ endpont: 'x' })).toThrow(/unknown key 'endpont'/);
    expect(() => parseGcsSettings({ endpoint: 'localhost:4443' })).toThrow(/http:\/\/ or https:\/\//);
    expect(() => parseCatalogSettings('{"gcs": {"private_key": "x"}}', 'c.json', '/base')).toThrow(/looks like a secret/);
  });

  test('@google-cloud/storage and google-auth-library are loaded on first use only (dynamic import)', () => {
    const dir = path.join(REPO_ROOT, 'src');
    const lazy: Record<string, string> = { '@google-cloud/storage': path.join('fs', 'gcs-client.ts'), 'google-auth-library': path.join('fs', 'gcs-key-file.ts') };
    for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((x) => x.endsWith('.ts'))) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      for (const [pkg, loader] of Object.entries(lazy)) {
        const staticImports = text.split('\n').filter((l) => new RegExp(`^import\\s+(?!type\\b).*['"]${pkg}['"]`).test(l));
        expect(staticImports, f).toEqual([]);
        if (text.includes(`import('${pkg}')`)) expect(f).toBe(loader);
      }
    }
  });
});
