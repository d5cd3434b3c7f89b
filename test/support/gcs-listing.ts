/**
 * Object listing and media downloads of the GCS test server (gcs-server.ts), as the JSON API reference describes them:
 * objects.list with prefix, delimiter (prefixes[]), maxResults counting items and prefixes, page tokens and
 * start/end offsets; `alt=media` downloads honouring a Range header (206 + Content-Range, suffix ranges, 416).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './gcs-http-error.js';
import type { StoredObject } from './gcs-server.js';

/** Object names sort by their UTF-8 bytes. */
export function compareNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** One objects.list page (`q`: the request's query). */
export function listObjects(objects: ReadonlyMap<string, StoredObject>, q: Readonly<Record<string, string | undefined>>, maxPage: number, resource: (obj: StoredObject) => Record<string, unknown>): Record<string, unknown> {
  const prefix = q['prefix'] ?? '';
  const delimiter = q['delimiter'];
  const names = [...objects.keys()].filter((n) => n.startsWith(prefix)).sort(compareNames);
  // One ordered sequence of entries (objects and collapsed prefixes): keys ascend, so a page token is the last key.
  const entries: { key: string; prefix: boolean }[] = [];
  for (const n of names) {
    if (q['startOffset'] !== undefined && compareNames(n, q['startOffset']) < 0) continue;
    if (q['endOffset'] !== undefined && compareNames(n, q['endOffset']) >= 0) continue;
    const cut = delimiter === undefined || delimiter === '' ? -1 : n.indexOf(delimiter, prefix.length);
    if (cut >= 0) {
      const p = n.slice(0, cut + delimiter!.length);
      if (entries.at(-1)?.key !== p) entries.push({ key: p, prefix: true });
      if (q['includeTrailingDelimiter'] === 'true' && n === p) entries.push({ key: n, prefix: false });
    } else {
      entries.push({ key: n, prefix: false });
    }
  }
  let start = 0;
  if (q['pageToken'] !== undefined) {
    const after = Buffer.from(q['pageToken'], 'base64url').toString('utf8');
    start = entries.findIndex((e) => compareNames(e.key, after) > 0);
    if (start < 0) start = entries.length;
  }
  const requested = q['maxResults'] === undefined ? maxPage : Number(q['maxResults']);
  if (!Number.isInteger(requested) || requested < 0) throw new HttpError(400, `Invalid unsigned integer value: '${q['maxResults']}'.`, 'invalid');
  const size = Math.min(maxPage, requested === 0 ? maxPage : requested);
  const page = entries.slice(start, start + size);
  const out: Record<string, unknown> = { kind: 'storage#objects' };
  const items = page.filter((e) => !e.prefix).map((e) => resource(objects.get(e.key)!));
  const prefixes = page.filter((e) => e.prefix).map((e) => e.key);
  if (prefixes.length > 0) out['prefixes'] = prefixes;
  if (items.length > 0) out['items'] = items;
  if (start + size < entries.length) out['nextPageToken'] = Buffer.from(page.at(-1)!.key, 'utf8').toString('base64url');
  return out;
}

/** Answers an `alt=media` download of `obj`. */
export function sendMedia(req: IncomingMessage, res: ServerResponse, obj: StoredObject): void {
  const size = obj.data.length;
  const headers: Record<string, string | number> = {
    'Content-Type': obj.contentType,
    'Accept-Ranges': 'bytes',
    ETag: `"${obj.md5Hash}"`,
    'Last-Modified': obj.created.toUTCString(),
    'x-goog-generation': obj.generation,
    'x-goog-metageneration': String(obj.metageneration),
    'x-goog-stored-content-encoding': 'identity',
    'x-goog-stored-content-length': String(size),
    'x-goog-hash': `crc32c=${obj.crc32c},md5=${obj.md5Hash}`,
    'x-goog-storage-class': 'STANDARD',
  };
  const range = req.headers.range;
  if (range === undefined) {
    res.writeHead(200, { ...headers, 'Content-Length': size });
    res.end(obj.data);
    return;
  }
  const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  if (m === null || (m[1] === '' && m[2] === '')) {
    // Unparseable or multi-range headers are ignored, as HTTP allows: the whole object.
    res.writeHead(200, { ...headers, 'Content-Length': size });
    res.end(obj.data);
    return;
  }
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || end < start) {
    throw new HttpError(416, 'The requested range cannot be satisfied.', 'requestedRangeNotSatisfiable', { 'Content-Range': `bytes */${size}` });
  }
  res.writeHead(206, { ...headers, 'Content-Length': end - start + 1, 'Content-Range': `bytes ${start}-${end}/${size}` });
  res.end(obj.data.subarray(start, end + 1));
}
