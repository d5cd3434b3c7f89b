import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyFields } from './gcs-fields.js';
import { listObjects, sendMedia } from './gcs-listing.js';
import { FAULT_ERRORS, HttpError, loseResponse, notFoundBucket, notFoundObject, preconditionFailed } from './gcs-http-error.js';
import { crc32cBase64, md5Base64 } from './gcs-hashes.js';
import { parseMultipartRelated } from './gcs-multipart.js';
import { ResumableSessions } from './gcs-resumable.js';
import { rewrite } from './gcs-rewrite.js';

/**
 * A Cloud Storage JSON API server for tests, on 127.0.0.1 and an ephemeral port, in memory. The real
 * @google-cloud/storage client talks to it through `apiEndpoint` or `STORAGE_EMULATOR_HOST` (both URL forms are
 * served: `/storage/v1/b/…` and the emulator form `/b/…`).
 *
 * Implemented as the public API reference describes it: buckets get/insert; objects list (prefix, delimiter →
 * prefixes[], maxResults counting items and prefixes, pageToken/nextPageToken, startOffset/endOffset); objects get
 * (metadata, or `alt=media` with a Range header → 206 + Content-Range); objects delete; objects rewrite
 * (gcs-rewrite.ts); simple (`uploadType=media`), multipart and resumable uploads (gcs-resumable.ts); the
 * `generation`, `ifGenerationMatch`, `ifGenerationNotMatch`, `ifMetagenerationMatch` and `ifMetagenerationNotMatch`
 * parameters; partial responses (`fields`); errors as
 * `{"error":{"code","message","errors":[…]}}`. Buckets are not versioned: an overwrite replaces the object with a
 * new, larger generation, and the old generation is gone (a read pinned to it is 404, one conditioned on it 412).
 *
 * Test hooks: forbidden buckets (403 on every request), injected faults for the next N matching requests (an HTTP
 * status, a dropped connection, a response that never comes, or a request carried out whose response is lost), a
 * log of requests, and the number of resumable uploads left open.
 */

export interface StoredObject {
  readonly bucket: string;
  readonly name: string;
  readonly data: Buffer;
  readonly generation: string;
  readonly metageneration: number;
  readonly contentType: string;
  readonly created: Date;
  readonly md5Hash: string;
  readonly crc32c: string;
}

export interface RecordedRequest {
  readonly method: string;
  /** `bucket` and `object` from the URL (object name decoded), when present. */
  readonly bucket?: string | undefined;
  readonly object?: string | undefined;
  /**
   * `get`, `media`, `list`, `bucket`, `upload` (simple, multipart, or the start of a resumable upload), `resumable`
   * (a PUT to a resumable session: a chunk or a status query), `cancelUpload`, `rewrite`, `delete`, `createBucket`,
   * or `other`.
   */
  readonly op: string;
  readonly query: Readonly<Record<string, string>>;
  readonly range?: string | undefined;
  /** The Content-Range header (resumable uploads). */
  readonly contentRange?: string | undefined;
  /** rewrite: where to. */
  readonly destinationBucket?: string | undefined;
  readonly destinationObject?: string | undefined;
}

/**
 * 503/429/500 answer with a JSON error; `reset` destroys the connection; `stall` never answers; `drop-response` carries
 * the request out and then destroys the connection instead of answering.
 */
export type GcsFault = 503 | 429 | 500 | 'reset' | 'stall' | 'drop-response';

export interface GcsTestServer {
  /** `http://127.0.0.1:PORT`: the value for `apiEndpoint`, `STORAGE_EMULATOR_HOST` or the catalog's `gcs.endpoint`. */
  readonly endpoint: string;
  /** Every request received, in order (faulted ones included). */
  readonly requests: RecordedRequest[];
  createBucket(name: string): void;
  /** Every request naming this bucket answers 403, as for a caller without IAM permissions on it. */
  forbidBucket(name: string): void;
  /** Seeds an object without going through the API; returns what a client would see. */
  putObject(bucket: string, name: string, data: Uint8Array, contentType?: string): StoredObject;
  getObject(bucket: string, name: string): StoredObject | undefined;
  /** The next `count` requests for which `match` holds (default: all) fail with `fault`. */
  failNext(count: number, fault: GcsFault, match?: (r: RecordedRequest) => boolean): void;
  /** Drops the faults not yet injected. */
  clearFaults(): void;
  /** Resumable upload sessions neither completed nor canceled. */
  openUploads(): number;
  close(): Promise<void>;
}

export interface GcsServerOptions {
  /** Largest page objects.list returns whatever maxResults asks (the real service caps at 1,000). */
  readonly maxPageSize?: number | undefined;
  /** Bytes objects.rewrite copies per call before answering `done: false` with a token (default: whole objects). */
  readonly rewriteBytesPerCall?: number | undefined;
}



export async function startGcsServer(o: GcsServerOptions = {}): Promise<GcsTestServer> {
  const buckets = new Map<string, Map<string, StoredObject>>();
  const forbidden = new Set<string>();
  const requests: RecordedRequest[] = [];
  const faults: { fault: GcsFault; match: (r: RecordedRequest) => boolean }[] = [];
  const maxPage = Math.min(1000, o.maxPageSize ?? 1000);
  let lastGeneration = 0n;
  let endpoint = '';

  const nextGeneration = (): string => {
    // Real generations are microseconds since the epoch; they only grow.
    const now = BigInt(Date.now()) * 1000n;
    lastGeneration = now > lastGeneration ? now : lastGeneration + 1n;
    return lastGeneration.toString();
  };

  const store = (bucket: string, name: string, data: Buffer, contentType: string): StoredObject => {
    const objects = buckets.get(bucket);
    if (objects === undefined) throw notFoundBucket();
    const obj: StoredObject = {
      bucket, name, data, contentType, generation: nextGeneration(), metageneration: 1, created: new Date(),
      md5Hash: md5Base64(data), crc32c: crc32cBase64(data),
    };
    objects.set(name, obj);
    return obj;
  };

  const resource = (obj: StoredObject): Record<string, unknown> => {
    const path = `b/${obj.bucket}/o/${encodeURIComponent(obj.name)}`;
    const time = obj.created.toISOString();
    return {
      kind: 'storage#object',
      id: `${obj.bucket}/${obj.name}/${obj.generation}`,
      selfLink: `${endpoint}/storage/v1/${path}`,
      mediaLink: `${endpoint}/download/storage/v1/${path}?generation=${obj.generation}&alt=media`,
      name: obj.name,
      bucket: obj.bucket,
      generation: obj.generation,
      metageneration: String(obj.metageneration),
      contentType: obj.contentType,
      storageClass: 'STANDARD',
      size: String(obj.data.length),
      md5Hash: obj.md5Hash,
      crc32c: obj.crc32c,
      etag: Buffer.from(`${obj.generation}/${obj.metageneration}`).toString('base64'),
      timeCreated: time,
      updated: time,
      timeStorageClassUpdated: time,
    };
  };

  const bucketResource = (name: string): Record<string, unknown> => ({
    kind: 'storage#bucket', id: name, name, selfLink: `${endpoint}/storage/v1/b/${name}`, projectNumber: '0',
    metageneration: '1', location: 'US', storageClass: 'STANDARD', etag: 'CAE=', timeCreated: new Date(0).toISOString(),
    updated: new Date(0).toISOString(),
  });

  const objectsOf = (bucket: string): Map<string, StoredObject> => {
    const objects = buckets.get(bucket);
    if (objects === undefined) throw notFoundBucket();
    return objects;
  };

  /** The live object, after the generation selector and the preconditions of the request. */
  const selectObject = (bucket: string, name: string, q: Record<string, string>, write: boolean): StoredObject | undefined => {
    const obj = objectsOf(bucket).get(name);
    if (!write && q['generation'] !== undefined && obj?.generation !== q['generation']) throw notFoundObject(bucket, name);
    const ifGen = q['ifGenerationMatch'];
    if (ifGen !== undefined && (obj?.generation ?? '0') !== ifGen) throw preconditionFailed();
    if (!write && obj === undefined) throw notFoundObject(bucket, name);
    const notModified = new HttpError(304, 'Not Modified', 'notModified');
    if (q['ifGenerationNotMatch'] !== undefined && obj?.generation === q['ifGenerationNotMatch']) throw write ? preconditionFailed() : notModified;
    if (q['ifMetagenerationMatch'] !== undefined && String(obj?.metageneration) !== q['ifMetagenerationMatch']) throw preconditionFailed();
    if (q['ifMetagenerationNotMatch'] !== undefined && String(obj?.metageneration) === q['ifMetagenerationNotMatch']) throw write ? preconditionFailed() : notModified;
    return obj;
  };


  const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  };

  const sendError = (res: ServerResponse, e: HttpError): void => {
    if (e.status === 304) {
      res.writeHead(304, e.headers);
      res.end();
      return;
    }
    const text = JSON.stringify({ error: { code: e.status, message: e.message, errors: [{ message: e.message, domain: 'global', reason: e.reason }] } });
    res.writeHead(e.status, { ...e.headers, 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  };


  const readBody = async (req: IncomingMessage): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  };

  const sessions = new ResumableSessions<StoredObject>((t, data) => {
    selectObject(t.bucket, t.name, t.query, true);
    return store(t.bucket, t.name, data, t.contentType);
  });

  /** Starts a resumable upload: the object's name and metadata from the query and an optional JSON body. */
  const startResumable = async (req: IncomingMessage, res: ServerResponse, bucket: string, q: Record<string, string>): Promise<void> => {
    const text = (await readBody(req)).toString('utf8');
    const meta: unknown = text.trim() === '' ? {} : JSON.parse(text);
    const m = typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>) : {};
    const name = typeof m['name'] === 'string' ? m['name'] : q['name'];
    if (name === undefined || name === '') throw new HttpError(400, 'Required parameter: name', 'required');
    objectsOf(bucket);
    const header = req.headers['x-upload-content-type'];
    const contentType = typeof m['contentType'] === 'string' ? m['contentType'] : typeof header === 'string' ? header : 'application/octet-stream';
    const id = sessions.start({ bucket, name, contentType, query: q });
    const location = `${endpoint}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o?uploadType=resumable&name=${encodeURIComponent(name)}&upload_id=${id}`;
    res.writeHead(200, { Location: location, 'X-GUploader-UploadID': id, 'Content-Length': 0 });
    res.end();
  };

  const upload = async (req: IncomingMessage, bucket: string, q: Record<string, string>): Promise<StoredObject> => {
    const body = await readBody(req);
    const type = q['uploadType'];
    let name = q['name'];
    let data: Buffer;
    let contentType = req.headers['content-type'] ?? 'application/octet-stream';
    if (type === 'media') {
      data = body;
    } else if (type === 'multipart') {
      const parts = parseMultipartRelated(body, contentType);
      if (parts === undefined || parts.length !== 2) throw new HttpError(400, 'Multipart upload must have a metadata part and a media part.', 'invalid');
      const meta: unknown = JSON.parse(parts[0]!.body.toString('utf8'));
      const m = typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>) : {};
      if (typeof m['name'] === 'string') name = m['name'];
      contentType = typeof m['contentType'] === 'string' ? m['contentType'] : parts[1]!.contentType ?? 'application/octet-stream';
      data = parts[1]!.body;
    } else {
      throw new HttpError(400, `uploadType=${String(type)} is not supported by this test server; upload with resumable: false`, 'invalid');
    }
    if (name === undefined || name === '') throw new HttpError(400, 'Required parameter: name', 'required');
    selectObject(bucket, name, q, true);
    return store(bucket, name, data, contentType);
  };

  const route = async (req: IncomingMessage, res: ServerResponse, rec: RecordedRequest): Promise<void> => {
    const { method, bucket, object, op, query } = rec;
    if (bucket !== undefined && forbidden.has(bucket)) {
      const perms: Record<string, string> = { list: 'storage.objects.list', upload: 'storage.objects.create', resumable: 'storage.objects.create', delete: 'storage.objects.delete', bucket: 'storage.buckets.get' };
      const perm = perms[op] ?? 'storage.objects.get';
      const on = op === 'list' || op === 'bucket' ? `the Google Cloud Storage bucket ${bucket}` : `the Google Cloud Storage object ${bucket}/${object ?? ''}`;
      throw new HttpError(403, `anonymous caller does not have ${perm} access to ${on}. Permission '${perm}' denied on resource (or it may not exist).`, 'forbidden');
    }
    switch (op) {
      case 'bucket':
        if (!buckets.has(bucket!)) throw notFoundBucket();
        return sendJson(res, 200, bucketResource(bucket!));
      case 'createBucket': {
        const body: unknown = JSON.parse((await readBody(req)).toString('utf8') || '{}');
        const name = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['name'] : undefined;
        if (typeof name !== 'string' || name === '') throw new HttpError(400, 'Required: name', 'required');
        if (buckets.has(name)) throw new HttpError(409, 'Your previous request to create the named bucket succeeded and you already own it.', 'conflict');
        buckets.set(name, new Map());
        return sendJson(res, 200, bucketResource(name));
      }
      case 'list':
        return sendJson(res, 200, applyFields(listObjects(objectsOf(bucket!), query, maxPage, resource), query['fields']));
      case 'get':
      case 'media': {
        const obj = selectObject(bucket!, object!, query, false)!;
        if (op === 'media') return sendMedia(req, res, obj);
        return sendJson(res, 200, applyFields(resource(obj), query['fields']));
      }
      case 'delete':
        selectObject(bucket!, object!, query, false);
        objectsOf(bucket!).delete(object!);
        res.writeHead(204);
        res.end();
        return;
      case 'upload':
        if (query['uploadType'] === 'resumable') return startResumable(req, res, bucket!, query);
        return sendJson(res, 200, resource(await upload(req, bucket!, query)));
      case 'resumable': {
        const answer = sessions.put(query['upload_id']!, rec.contentRange, await readBody(req));
        if (answer.status === 200) return sendJson(res, 200, resource(answer.object));
        res.writeHead(308, { ...(answer.persisted > 0 ? { Range: `bytes=0-${answer.persisted - 1}` } : {}), 'Content-Length': 0 });
        res.end();
        return;
      }
      case 'cancelUpload':
        sessions.cancel(query['upload_id']!);
        res.writeHead(499, { 'Content-Length': 0 });
        res.end();
        return;
      case 'rewrite': {
        if (method !== 'POST') throw new HttpError(405, `Not implemented by the test server: ${method} ${req.url ?? ''}`, 'notFound');
        await readBody(req);
        const r = { sourceBucket: bucket!, sourceObject: object!, destinationBucket: rec.destinationBucket!, destinationObject: rec.destinationObject!, query };
        return sendJson(res, 200, applyFields(rewrite(r, { select: selectObject, store, resource, bytesPerCall: o.rewriteBytesPerCall }), query['fields']));
      }
      default:
        throw new HttpError(method === 'GET' ? 404 : 405, `Not implemented by the test server: ${method} ${req.url ?? ''}`, 'notFound');
    }
  };

  const describeRequest = (req: IncomingMessage): RecordedRequest => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    const method = req.method ?? 'GET';
    const range = req.headers.range;
    const contentRange = req.headers['content-range'];
    let p = url.pathname;
    const upload = p.startsWith('/upload/storage/v1/');
    p = p.replace(/^\/(upload|download)\/storage\/v1(?=\/)/, '').replace(/^\/storage\/v1(?=\/)/, '');
    const rw = /^\/b\/([^/]+)\/o\/([^/]+)\/rewriteTo\/b\/([^/]+)\/o\/([^/]+)$/.exec(p);
    if (rw !== null) {
      const [bucket, object, destinationBucket, destinationObject] = rw.slice(1).map((x) => decodeURIComponent(x));
      return { method, bucket, object, op: 'rewrite', query, destinationBucket, destinationObject };
    }
    const m = /^\/b(?:\/([^/]+)(?:\/o(?:\/(.+))?)?)?\/?$/.exec(p);
    if (m === null) return { method, op: 'other', query, range };
    const bucket = m[1] === undefined ? undefined : decodeURIComponent(m[1]);
    const object = m[2] === undefined ? undefined : decodeURIComponent(m[2]);
    const hasO = /^\/b\/[^/]+\/o/.test(p);
    let op = 'other';
    if (bucket === undefined) op = method === 'POST' ? 'createBucket' : 'other';
    else if (upload && object === undefined && query['upload_id'] !== undefined) op = method === 'PUT' ? 'resumable' : method === 'DELETE' ? 'cancelUpload' : 'other';
    else if (upload && method === 'POST' && object === undefined) op = 'upload';
    else if (!hasO) op = method === 'GET' ? 'bucket' : 'other';
    else if (object === undefined) op = method === 'GET' ? 'list' : 'other';
    else if (method === 'GET') op = query['alt'] === 'media' ? 'media' : 'get';
    else if (method === 'DELETE') op = 'delete';
    return { method, bucket, object, op, query, range, contentRange };
  };

  const server: Server = createServer((req, res) => {
    const rec = describeRequest(req);
    requests.push(rec);
    const i = faults.findIndex((f) => f.match(rec));
    if (i >= 0) {
      const { fault } = faults.splice(i, 1)[0]!;
      if (fault === 'reset') {
        req.socket.destroy();
        return;
      }
      if (fault === 'stall') return; // closed by close()
      if (fault === 'drop-response') {
        loseResponse(req, res);
        route(req, res, rec).catch(() => req.socket.destroy());
        return;
      }
      req.resume();
      sendError(res, new HttpError(fault, ...FAULT_ERRORS[fault]));
      return;
    }
    route(req, res, rec).catch((e: unknown) => {
      if (e instanceof HttpError) sendError(res, e);
      else if (e instanceof SyntaxError) sendError(res, new HttpError(400, `Parse Error: ${e.message}`, 'parseError'));
      else sendError(res, new HttpError(500, e instanceof Error ? e.message : String(e), 'internalError'));
    });
  });
  server.keepAliveTimeout = 1000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoint,
    requests,
    createBucket(name) {
      if (!buckets.has(name)) buckets.set(name, new Map());
    },
    forbidBucket(name) {
      forbidden.add(name);
      if (!buckets.has(name)) buckets.set(name, new Map());
    },
    putObject(bucket, name, data, contentType = 'application/octet-stream') {
      return store(bucket, name, Buffer.from(data), contentType);
    },
    getObject(bucket, name) {
      return buckets.get(bucket)?.get(name);
    },
    failNext(count, fault, match = () => true) {
      for (let i = 0; i < count; i++) faults.push({ fault, match });
    },
    clearFaults() {
      faults.length = 0;
    },
    openUploads() {
      return sessions.open;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

