/**
 * S3 API behaviour that s3rver 3.7 lacks and Shoal's writers rely on, added to the test server as Koa middleware
 * ahead of s3rver's router (s3rver-main.ts installs it). Each follows the Amazon S3 API reference:
 *
 *  - AbortMultipartUpload (DELETE /bucket/key?uploadId=…): 204, the parts are gone; NoSuchUpload (404) when the
 *    upload does not exist (s3rver answers MethodNotAllowed and keeps the parts).
 *  - ListMultipartUploads (GET /bucket?uploads[&prefix=…]): the uploads in progress (s3rver: NotImplemented).
 *  - UploadPart and CompleteMultipartUpload of an unknown upload: NoSuchUpload (404). s3rver would recreate the
 *    upload's folder for a part, and answer a Complete with a 500 (it reads a missing file).
 *  - CompleteMultipartUpload with a part under 5 MiB that is not the last: EntityTooSmall (400). Checked on the
 *    parts stored for the upload (every one but the highest-numbered), which is what a client completes in practice.
 *  - Conditional writes: PutObject and CompleteMultipartUpload with `If-None-Match: *` fail with PreconditionFailed
 *    (412) when the key exists (s3rver ignores the header). Conditional writes to one key are serialized here, so
 *    the check and the write are atomic with respect to each other, as on S3.
 */
import { createRequire } from 'node:module';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/** The parts of a Koa context the extensions use (s3rver ships no types). */
interface Context {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string | string[] | undefined>>;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly req: AsyncIterable<unknown>;
  status: number;
  body: unknown;
}

type Next = () => Promise<void>;
type Middleware = (ctx: Context, next: Next) => Promise<void>;

/** The parts of s3rver's FilesystemStore the extensions use. */
interface Store {
  existsObject(bucket: string, key: string): Promise<boolean>;
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
}

type S3ErrorClass = new (code: string, message: string, detail?: Record<string, string>) => Error;

const require = createRequire(import.meta.url);
const S3Error = require('s3rver/lib/models/error') as S3ErrorClass;

const MIN_PART_SIZE = 5 * 1024 * 1024;

function noSuchUpload(uploadId: string): Error {
  return new S3Error('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', { UploadId: uploadId });
}

/** `/bucket/key…` in path style; key '' for bucket requests. */
function splitPath(p: string): { bucket: string; key: string } {
  const m = /^\/([^/]+)\/?(.*)$/.exec(p);
  return { bucket: m?.[1] ?? '', key: decodeURIComponent(m?.[2] ?? '') };
}

function header(ctx: Context, name: string): string | undefined {
  const v = ctx.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function queryValue(ctx: Context, name: string): string | undefined {
  const v = ctx.query[name];
  return Array.isArray(v) ? v[0] : v;
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(() => true, () => false);
}

export function s3rverExtensions(store: Store): Middleware {
  const uploadsDir = (bucket: string): string => store.getResourcePath(bucket, undefined, 'uploads');
  const uploadDir = (bucket: string, uploadId: string): string => path.join(uploadsDir(bucket), path.basename(uploadId));
  const keyLocks = new Map<string, Promise<void>>();

  /** Runs `f` after every earlier conditional write to the same key finished. */
  const serialized = async (lockKey: string, f: () => Promise<void>): Promise<void> => {
    const before = keyLocks.get(lockKey) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const chain = before.then(() => mine);
    keyLocks.set(lockKey, chain);
    await before;
    try {
      await f();
    } finally {
      release();
      if (keyLocks.get(lockKey) === chain) keyLocks.delete(lockKey);
    }
  };

  const listUploads = async (bucket: string, prefix: string): Promise<{ Key: string; UploadId: string; Initiated: string }[]> => {
    const dir = uploadsDir(bucket);
    const ids = await readdir(dir).catch(() => [] as string[]);
    const out: { Key: string; UploadId: string; Initiated: string }[] = [];
    for (const id of ids) {
      const key = await readFile(path.join(dir, id, 'key'), 'utf8').catch(() => undefined);
      if (key === undefined || !key.startsWith(prefix)) continue;
      const { birthtime } = await stat(path.join(dir, id));
      out.push({ Key: key, UploadId: id, Initiated: birthtime.toISOString() });
    }
    return out.sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : a.UploadId < b.UploadId ? -1 : 1));
  };

  /** Every stored part but the highest-numbered must be at least 5 MiB. */
  const checkPartSizes = async (dir: string): Promise<void> => {
    const parts = (await readdir(dir)).filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
    for (const n of parts.slice(0, -1)) {
      const { size } = await stat(path.join(dir, String(n)));
      if (size < MIN_PART_SIZE) {
        throw new S3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', { ProposedSize: String(size), MinSizeAllowed: String(MIN_PART_SIZE), PartNumber: String(n) });
      }
    }
  };

  return async (ctx, next) => {
    const { bucket, key } = splitPath(ctx.path);
    const uploadId = queryValue(ctx, 'uploadId');
    const conditional = header(ctx, 'if-none-match') === '*';
    if (bucket === '') return next();

    if (key === '' && ctx.method === 'GET' && 'uploads' in ctx.query) {
      const prefix = queryValue(ctx, 'prefix') ?? '';
      const uploads = await listUploads(bucket, prefix);
      ctx.body = {
        ListMultipartUploadsResult: {
          '@': { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' },
          Bucket: bucket, KeyMarker: '', UploadIdMarker: '', Prefix: prefix, MaxUploads: 1000, IsTruncated: false,
          ...(uploads.length > 0 ? { Upload: uploads } : {}),
        },
      };
      return;
    }
    if (key === '') return next();

    if (uploadId !== undefined) {
      const dir = uploadDir(bucket, uploadId);
      if (!(await exists(dir))) await refuse(ctx, noSuchUpload(uploadId));
      if (ctx.method === 'DELETE') {
        await rm(dir, { recursive: true, force: true });
        ctx.status = 204;
        return;
      }
      if (ctx.method === 'POST') {
        await checkPartSizes(dir).catch((e: unknown) => refuse(ctx, e as Error));
        if (!conditional) return next();
        return serialized(`${bucket}/${key}`, async () => {
          if (await store.existsObject(bucket, key)) await refuse(ctx, preconditionFailed());
          await next();
        });
      }
      return next();
    }

    // PutObject: no sub-resource in the query (SDKs add `x-id=PutObject`).
    const subresource = Object.keys(ctx.query).some((k) => k !== 'x-id');
    if (ctx.method === 'PUT' && conditional && header(ctx, 'x-amz-copy-source') === undefined && !subresource) {
      return serialized(`${bucket}/${key}`, async () => {
        if (await store.existsObject(bucket, key)) await refuse(ctx, preconditionFailed());
        await next();
      });
    }
    return next();
  };
}

/** Reads the request body to its end before answering with an error, so the connection stays usable. */
async function refuse(ctx: Context, error: Error): Promise<never> {
  for await (const chunk of ctx.req) void chunk;
  throw error;
}

function preconditionFailed(): Error {
  return new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-None-Match' });
}
