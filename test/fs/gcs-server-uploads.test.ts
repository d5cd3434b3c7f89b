import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startGcsServer, type GcsTestServer } from '../support/gcs-server.js';

const KIB256 = 256 * 1024;

function bytes(seed: number, n: number): Buffer {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = (seed * 31 + i * 7) & 0xff;
  return out;
}

/**
 * The test server's resumable uploads and objects.rewrite answer raw HTTP as the JSON API documents them, and the
 * real @google-cloud/storage client's own resumable uploads and copies work against them.
 */
describe('GCS test server: resumable uploads and rewrite', () => {
  let server: GcsTestServer;
  let client: Storage;
  const start = async (name: string, query = ''): Promise<string> => {
    const res = await fetch(`${server.endpoint}/upload/storage/v1/b/u/o?uploadType=resumable&name=${encodeURIComponent(name)}${query}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Upload-Content-Type': 'application/x-test' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/upload\/storage\/v1\/b\/u\/o\?uploadType=resumable&name=.*&upload_id=/);
    return location;
  };
  const put = (uri: string, range: string | undefined, body: Uint8Array = new Uint8Array(0)): Promise<Response> =>
    fetch(uri, { method: 'PUT', headers: range === undefined ? {} : { 'Content-Range': range }, body });

  beforeAll(async () => {
    server = await startGcsServer({ rewriteBytesPerCall: 100_000 });
    server.createBucket('u');
    client = new Storage({ apiEndpoint: server.endpoint, projectId: 'test', retryOptions: { autoRetry: false } });
    client.baseUrl = `${server.endpoint}/storage/v1`;
  });
  afterAll(() => server?.close());

  test('chunks answer 308 with the persisted Range; a status query tells it without completing; the last chunk creates the object', async () => {
    const data = bytes(1, 3 * KIB256 + 1000);
    const uri = await start('obj.bin');
    expect(server.openUploads()).toBe(1);
    const status = await put(uri, 'bytes */*');
    expect(status.status).toBe(308);
    expect(status.headers.get('range')).toBeNull();
    const first = await put(uri, `bytes 0-${KIB256 - 1}/*`, data.subarray(0, KIB256));
    expect(first.status).toBe(308);
    expect(first.headers.get('range')).toBe(`bytes=0-${KIB256 - 1}`);
    // A chunk that is not a multiple of 256 KiB is persisted up to its last 256 KiB boundary.
    const odd = await put(uri, `bytes ${KIB256}-${KIB256 + 300_000 - 1}/*`, data.subarray(KIB256, KIB256 + 300_000));
    expect(odd.headers.get('range')).toBe(`bytes=0-${2 * KIB256 - 1}`);
    expect((await put(uri, 'bytes */*')).headers.get('range')).toBe(`bytes=0-${2 * KIB256 - 1}`);
    expect(server.getObject('u', 'obj.bin')).toBeUndefined();
    // A chunk starting past the persisted bytes is refused; one overlapping them is taken from where they end.
    expect((await put(uri, `bytes ${3 * KIB256}-${4 * KIB256 - 1}/*`, data.subarray(0, KIB256))).status).toBe(400);
    const again = await put(uri, `bytes ${KIB256}-${3 * KIB256 - 1}/*`, data.subarray(KIB256, 3 * KIB256));
    expect(again.headers.get('range')).toBe(`bytes=0-${3 * KIB256 - 1}`);
    const last = await put(uri, `bytes ${3 * KIB256}-${data.length - 1}/${data.length}`, data.subarray(3 * KIB256));
    expect(last.status).toBe(200);
    const resource = (await last.json()) as { name: string; size: string; generation: string; contentType: string };
    expect(resource).toMatchObject({ name: 'obj.bin', size: String(data.length), contentType: 'application/x-test' });
    expect(server.getObject('u', 'obj.bin')!.data.equals(data)).toBe(true);
    // Once complete, the session answers with the object.
    const after = await put(uri, 'bytes */*');
    expect(after.status).toBe(200);
    expect(((await after.json()) as { generation: string }).generation).toBe(resource.generation);
    expect(server.openUploads()).toBe(0);
  });

  test('bytes */TOTAL completes a session holding TOTAL bytes; a whole body without Content-Range is one request', async () => {
    const uri = await start('exact.bin');
    await put(uri, `bytes 0-${KIB256 - 1}/*`, bytes(2, KIB256));
    const done = await put(uri, `bytes */${KIB256}`);
    expect(done.status).toBe(200);
    expect(server.getObject('u', 'exact.bin')!.data.length).toBe(KIB256);
    const whole = await start('whole.bin');
    expect((await put(whole, undefined, bytes(3, 10))).status).toBe(200);
    expect(server.getObject('u', 'whole.bin')!.data.equals(bytes(3, 10))).toBe(true);
  });

  test('preconditions are evaluated when the object is created, not when the session starts', async () => {
    server.putObject('u', 'taken.bin', bytes(4, 5));
    const uri = await start('taken.bin', '&ifGenerationMatch=0');
    const res = await put(uri, 'bytes 0-9/10', bytes(5, 10));
    expect(res.status).toBe(412);
    expect(server.getObject('u', 'taken.bin')!.data.equals(bytes(4, 5))).toBe(true);
    expect((await put(uri, 'bytes */*')).status).toBe(412);
  });

  test('DELETE cancels a session (499); it then answers 410, and an unknown one 404', async () => {
    const uri = await start('canceled.bin');
    await put(uri, `bytes 0-${KIB256 - 1}/*`, bytes(6, KIB256));
    expect((await fetch(uri, { method: 'DELETE' })).status).toBe(499);
    expect((await put(uri, 'bytes */*')).status).toBe(410);
    expect((await put(uri.replace(/upload_id=[^&]+/, 'upload_id=nope'), 'bytes */*')).status).toBe(404);
    expect(server.getObject('u', 'canceled.bin')).toBeUndefined();
    expect(server.openUploads()).toBe(0);
  });

  test('a dropped-response fault carries the request out and then cuts the connection', async () => {
    server.failNext(1, 'drop-response', (r) => r.op === 'upload');
    await expect(fetch(`${server.endpoint}/upload/storage/v1/b/u/o?uploadType=media&name=dropped.bin`, { method: 'POST', body: bytes(7, 10) })).rejects.toThrow();
    expect(server.getObject('u', 'dropped.bin')!.data.equals(bytes(7, 10))).toBe(true);
  });

  test('rewrite copies over several calls with a token, honouring destination and source preconditions', async () => {
    const data = bytes(8, 250_000);
    const src = server.putObject('u', 'src.bin', data);
    const url = (q: string): string => `${server.endpoint}/storage/v1/b/u/o/src.bin/rewriteTo/b/u/o/dst.bin${q}`;
    const first = (await (await fetch(url(''), { method: 'POST', body: '{}' })).json()) as { done: boolean; rewriteToken: string; totalBytesRewritten: string; objectSize: string };
    expect(first).toMatchObject({ kind: 'storage#rewriteResponse', done: false, totalBytesRewritten: '100000', objectSize: '250000' });
    expect(server.getObject('u', 'dst.bin')).toBeUndefined();
    const second = (await (await fetch(url(`?rewriteToken=${first.rewriteToken}`), { method: 'POST', body: '{}' })).json()) as { done: boolean; rewriteToken: string };
    expect(second.done).toBe(false);
    const third = (await (await fetch(url(`?rewriteToken=${second.rewriteToken}`), { method: 'POST', body: '{}' })).json()) as { done: boolean; resource: { name: string; size: string } };
    expect(third).toMatchObject({ done: true, resource: { name: 'dst.bin', size: '250000' } });
    expect(server.getObject('u', 'dst.bin')!.data.equals(data)).toBe(true);
    expect((await fetch(url('?ifGenerationMatch=0'), { method: 'POST', body: '{}' })).status).toBe(412);
    expect((await fetch(url(`?ifSourceGenerationMatch=${src.generation}1`), { method: 'POST', body: '{}' })).status).toBe(412);
    expect((await fetch(`${server.endpoint}/storage/v1/b/u/o/none.bin/rewriteTo/b/u/o/x.bin`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  test("the client library's chunked and single-request resumable uploads, preconditions and copies work", async () => {
    const data = bytes(9, 700_000);
    await client.bucket('u').file('lib-chunked.bin').save(data, { resumable: true, chunkSize: KIB256 });
    expect(server.getObject('u', 'lib-chunked.bin')!.data.equals(data)).toBe(true);
    await client.bucket('u').file('lib-stream.bin').save(data, { resumable: true });
    expect(server.getObject('u', 'lib-stream.bin')!.data.equals(data)).toBe(true);
    await expect(client.bucket('u').file('lib-stream.bin').save(data, { resumable: true, preconditionOpts: { ifGenerationMatch: 0 } })).rejects.toMatchObject({ code: 412 });
    await client.bucket('u').file('lib-chunked.bin').copy(client.bucket('u').file('lib-copy.bin'));
    expect(server.getObject('u', 'lib-copy.bin')!.data.equals(data)).toBe(true);
  });
});
