import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startGcsServer, type GcsTestServer } from '../support/gcs-server.js';

/** The test server answers the real client (and raw HTTP) as the JSON API reference describes. */
describe('GCS JSON-API test server', () => {
  let server: GcsTestServer;
  let client: Storage;
  const api = (p: string, init?: RequestInit): Promise<Response> => fetch(`${server.endpoint}/storage/v1${p}`, init);

  beforeAll(async () => {
    server = await startGcsServer();
    client = new Storage({ apiEndpoint: server.endpoint, projectId: 'test', retryOptions: { autoRetry: false } });
    await client.createBucket('b');
    for (const n of ['a.txt', 'a/1.txt', 'a/2.txt', 'a/x/3.txt', 'b/4.txt', 'c.txt']) await client.bucket('b').file(n).save(`content of ${n}`, { resumable: false });
  });
  afterAll(() => server?.close());

  test('list with a delimiter gives prefixes and items; maxResults counts both; page tokens continue', async () => {
    const pages: { items: string[]; prefixes: string[] }[] = [];
    let token: string | undefined;
    do {
      const res = await api(`/b/b/o?delimiter=%2F&maxResults=2${token === undefined ? '' : `&pageToken=${token}`}`);
      const body = (await res.json()) as { items?: { name: string }[]; prefixes?: string[]; nextPageToken?: string };
      pages.push({ items: (body.items ?? []).map((i) => i.name), prefixes: body.prefixes ?? [] });
      token = body.nextPageToken;
    } while (token !== undefined);
    expect(pages).toEqual([
      { items: ['a.txt'], prefixes: ['a/'] },
      { items: ['c.txt'], prefixes: ['b/'] },
    ]);
    const [files] = await client.bucket('b').getFiles({ prefix: 'a/', delimiter: '/' });
    expect(files.map((f) => f.name)).toEqual(['a/1.txt', 'a/2.txt']);
  });

  test('fields selects a partial response', async () => {
    const res = await api('/b/b/o?prefix=a%2F&maxResults=1&fields=items(name,size),nextPageToken');
    expect(await res.json()).toEqual({ items: [{ name: 'a/1.txt', size: '18' }], nextPageToken: expect.any(String) });
    const md = await api('/b/b/o/c.txt?fields=name,generation');
    expect(Object.keys((await md.json()) as object)).toEqual(['name', 'generation']);
  });

  test('media download honours Range (206, Content-Range, suffix ranges, 416) and reports the generation', async () => {
    const gen = server.getObject('b', 'c.txt')!.generation;
    const r = await api('/b/b/o/c.txt?alt=media', { headers: { Range: 'bytes=3-6' } });
    expect(r.status).toBe(206);
    expect(r.headers.get('content-range')).toBe('bytes 3-6/16');
    expect(r.headers.get('x-goog-generation')).toBe(gen);
    expect(await r.text()).toBe('tent');
    const tail = await api('/b/b/o/c.txt?alt=media', { headers: { Range: 'bytes=-5' } });
    expect(await tail.text()).toBe('c.txt');
    const past = await api('/b/b/o/c.txt?alt=media', { headers: { Range: 'bytes=100-' } });
    expect(past.status).toBe(416);
    const [whole] = await client.bucket('b').file('c.txt').download(); // validates crc32c and md5
    expect(whole.toString()).toBe('content of c.txt');
  });

  test('an overwrite makes a larger generation; the old one is 404 when pinned and 412 as a precondition', async () => {
    const old = server.getObject('b', 'a.txt')!.generation;
    await client.bucket('b').file('a.txt').save('new', { resumable: false });
    const [md] = await client.bucket('b').file('a.txt').getMetadata();
    expect(BigInt(String(md.generation))).toBeGreaterThan(BigInt(old));
    expect(md.size).toBe('3');
    expect((await api(`/b/b/o/a.txt?alt=media&generation=${old}`)).status).toBe(404);
    const pre = await api(`/b/b/o/a.txt?alt=media&ifGenerationMatch=${old}`);
    expect(pre.status).toBe(412);
    expect(((await pre.json()) as { error: { code: number } }).error.code).toBe(412);
  });

  test('simple media upload, delete, and JSON errors for missing bucket and object', async () => {
    const up = await fetch(`${server.endpoint}/upload/storage/v1/b/b/o?uploadType=media&name=d%2Fe.bin`, { method: 'POST', body: new Uint8Array([1, 2, 3]) });
    expect(((await up.json()) as { name: string; size: string }).size).toBe('3');
    expect((await client.bucket('b').file('d/e.bin').exists())[0]).toBe(true);
    await client.bucket('b').file('d/e.bin').delete();
    expect((await client.bucket('b').file('d/e.bin').exists())[0]).toBe(false);
    const nb = await api('/b/nope/o/x');
    expect(nb.status).toBe(404);
    expect(await nb.json()).toEqual({ error: { code: 404, message: 'The specified bucket does not exist.', errors: [{ message: 'The specified bucket does not exist.', domain: 'global', reason: 'notFound' }] } });
    expect(((await (await api('/b/b/o/nope')).json()) as { error: { message: string } }).error.message).toBe('No such object: b/nope');
  });
});
