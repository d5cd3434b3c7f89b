/**
 * The write side of GcsFileSystem apart from creating files (gcs-upload.ts); contracts in writable.ts. Every write
 * request is a JSON API call made with fetch and the Storage client's own authorization (as gcs-media.ts reads),
 * so each honours its AbortSignal; the client library is not used for writes. GCS publishes by copy.
 *
 *  - delete: objects.delete; 404 means "did not exist" (false). A 404 on a retry, after an attempt whose answer was
 *    lost, counts as deleted: that attempt most likely deleted it.
 *  - deletePrefix: the objects whose names start with `<name>/` (folder placeholders included), listed page by
 *    page (names only) and deleted with up to 8 deletes in flight; an object named exactly `<name>` stays.
 *  - copy: objects.rewrite (server-side; atomic per object), repeated with its rewriteToken until done, as the
 *    service may copy large objects over several calls. Repeating a call after a lost answer is harmless.
 *  - rename: NOT_SUPPORTED; directories need no creating or removing.
 */
import type { Storage } from '@google-cloud/storage';
import { ShoalError, throwIfAborted } from '../common/index.js';
import type { IoOptions } from './file-system.js';
import type { GcsFileSystem } from './gcs-fs.js';
import { gcsUrl, parseGcsLocation, type GcsLocation } from './gcs-location.js';
import { authHeaders, errorMessage, GcsHttpError } from './gcs-media.js';
import { RequestGate } from './ranged-reads.js';

/** Deletes in flight at once for deletePrefix. */
const DELETE_PARALLELISM = 8;

/** `https://storage.googleapis.com/storage/v1` (or the configured endpoint's). */
export function jsonBase(storage: Storage): string {
  return storage.baseUrl;
}

/** The media upload endpoint beside the JSON API: `…/upload/storage/v1`. */
export function uploadBase(storage: Storage): string {
  return storage.baseUrl.replace(/\/storage\/v1\/?$/, '/upload/storage/v1');
}

export function objectPath(where: GcsLocation): string {
  return `/b/${encodeURIComponent(where.bucket)}/o/${encodeURIComponent(where.key)}`;
}

export interface GcsRequestInit {
  readonly method?: string | undefined;
  readonly headers?: Record<string, string> | undefined;
  /** A JSON body. */
  readonly json?: string | undefined;
  /** Bytes to upload: sent as a stream with its Content-Length, so fetch does not copy them (it copies typed arrays). */
  readonly bytes?: Uint8Array | undefined;
}

/** One authorized JSON API request; the caller reads (or discards) the answer's body under the same signal. */
export async function gcsFetch(storage: Storage, url: string, init: GcsRequestInit, signal: AbortSignal): Promise<Response> {
  const headers: Record<string, string> = { ...(await authHeaders(storage, url)), ...init.headers };
  const method = init.method ?? 'GET';
  if (init.json !== undefined) return fetch(url, { method, headers: { ...headers, 'Content-Type': 'application/json; charset=UTF-8' }, body: init.json, signal });
  const bytes = init.bytes;
  if (bytes === undefined || bytes.length === 0) return fetch(url, { method, headers: bytes === undefined ? headers : { ...headers, 'Content-Length': '0' }, signal });
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(bytes);
      c.close();
    },
  });
  return fetch(url, { method, headers: { ...headers, 'Content-Length': String(bytes.length) }, body, duplex: 'half', signal });
}

/** Throws the answer as a GcsHttpError (mapped by mapGcsError: retried when transient) unless `ok` holds. */
export async function expectStatus(res: Response, ok: (status: number) => boolean): Promise<Response> {
  if (ok(res.status)) return res;
  throw new GcsHttpError(res.status, await errorMessage(res));
}

function countRequest(o: IoOptions | undefined): void {
  if (o?.stats !== undefined) o.stats.requests += 1;
}

export async function deleteGcsObject(fs: GcsFileSystem, location: string, o?: IoOptions): Promise<boolean> {
  const where = parseGcsLocation(location);
  return fs.request(where, 'write', o, async (storage, signal, attempt) => {
    countRequest(o);
    const res = await gcsFetch(storage, `${jsonBase(storage)}${objectPath(where)}`, { method: 'DELETE' }, signal);
    if (res.status === 404) {
      const message = await errorMessage(res);
      if (/bucket does not exist/i.test(message)) throw new GcsHttpError(404, message);
      return attempt > 1;
    }
    await expectStatus(res, (s) => s === 200 || s === 204);
    await res.body?.cancel();
    return true;
  });
}

/** One page of names under `prefix`, and the next page's token. */
async function listNames(fs: GcsFileSystem, where: GcsLocation, prefix: string, pageSize: number, token: string | undefined, o: IoOptions | undefined): Promise<{ names: string[]; next: string | undefined }> {
  return fs.request(where, 'list', o, async (storage, signal) => {
    countRequest(o);
    const q = new URLSearchParams({ prefix, maxResults: String(pageSize), fields: 'items(name),nextPageToken' });
    if (token !== undefined) q.set('pageToken', token);
    const res = await expectStatus(await gcsFetch(storage, `${jsonBase(storage)}/b/${encodeURIComponent(where.bucket)}/o?${q.toString()}`, {}, signal), (s) => s === 200);
    const body: unknown = await res.json();
    const r = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const items = Array.isArray(r['items']) ? (r['items'] as unknown[]) : [];
    const names = items.map((i) => (typeof i === 'object' && i !== null ? (i as Record<string, unknown>)['name'] : undefined)).filter((n): n is string => typeof n === 'string');
    const next = r['nextPageToken'];
    return { names, next: typeof next === 'string' && next !== '' ? next : undefined };
  });
}

export async function deleteGcsPrefix(fs: GcsFileSystem, prefix: string, pageSize: number, o?: IoOptions): Promise<number> {
  const root = parseGcsLocation(prefix);
  const namePrefix = root.key === '' || root.key.endsWith('/') ? root.key : `${root.key}/`;
  const where: GcsLocation = { bucket: root.bucket, key: namePrefix };
  const gate = new RequestGate(DELETE_PARALLELISM);
  let deleted = 0;
  let token: string | undefined;
  do {
    throwIfAborted(o?.signal);
    const page = await listNames(fs, where, namePrefix, pageSize, token, o);
    const done = await Promise.all(page.names.map((name) => gate.run(() => deleteGcsObject(fs, gcsUrl(root.bucket, name), o))));
    deleted += done.filter(Boolean).length;
    token = page.next;
  } while (token !== undefined);
  return deleted;
}

export async function copyGcsObject(fs: GcsFileSystem, from: string, to: string, o?: IoOptions): Promise<void> {
  const src = parseGcsLocation(from);
  const dst = parseGcsLocation(to);
  const path = `${objectPath(src)}/rewriteTo${objectPath(dst)}`;
  let token: string | undefined;
  for (;;) {
    throwIfAborted(o?.signal);
    const t = token;
    const answer = await fs.request(src, 'write', o, async (storage, signal) => {
      countRequest(o);
      const url = `${jsonBase(storage)}${path}${t === undefined ? '' : `?rewriteToken=${encodeURIComponent(t)}`}`;
      const res = await expectStatus(await gcsFetch(storage, url, { method: 'POST', json: '{}' }, signal), (s) => s === 200);
      return rewriteAnswer(await res.json(), from);
    });
    if (answer.done) {
      if (o?.stats !== undefined) o.stats.bytesWritten = (o.stats.bytesWritten ?? 0) + answer.size;
      return;
    }
    token = answer.token;
  }
}

/** A storage#rewriteResponse (JSON, `unknown` here): done, or the token to continue with. */
function rewriteAnswer(body: unknown, from: string): { done: true; size: number } | { done: false; token: string } {
  const r = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (r['done'] === true) return { done: true, size: Number(r['objectSize'] ?? 0) };
  const token = r['rewriteToken'];
  if (typeof token !== 'string' || token === '') {
    throw new ShoalError('IO_ERROR', `Cloud Storage answered a copy of ${from} with neither done nor a rewrite token`, { location: from });
  }
  return { done: false, token };
}
