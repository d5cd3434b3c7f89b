/**
 * objects.rewrite of the GCS test server (gcs-server.ts), as the JSON API reference describes it:
 * `POST /storage/v1/b/SRC_BUCKET/o/SRC_OBJECT/rewriteTo/b/DST_BUCKET/o/DST_OBJECT` copies an object server-side.
 * The source is chosen by `sourceGeneration` and checked by `ifSourceGenerationMatch` (and the NotMatch /
 * metageneration variants); the destination's preconditions (`ifGenerationMatch=0`: only if absent) apply when the
 * copy is written. A copy may take several calls: while `done` is false the answer carries `rewriteToken`, which
 * the next call sends back (the service does this for large objects or across locations; here when the object is
 * larger than `maxBytesRewrittenPerCall` or the server's `rewriteBytesPerCall` option). Answers are
 * `storage#rewriteResponse` resources with `totalBytesRewritten`, `objectSize`, `done` and, when done, `resource`.
 */
import { HttpError } from './gcs-http-error.js';

export interface RewriteSource {
  readonly generation: string;
  readonly data: Buffer;
  readonly contentType: string;
}

export interface RewriteRequest {
  readonly sourceBucket: string;
  readonly sourceObject: string;
  readonly destinationBucket: string;
  readonly destinationObject: string;
  readonly query: Readonly<Record<string, string>>;
}

export interface RewriteDeps<T extends RewriteSource> {
  /** The live source object after a generation selector and preconditions given as objects.get takes them. */
  readonly select: (bucket: string, name: string, q: Record<string, string>, write: boolean) => T | undefined;
  readonly store: (bucket: string, name: string, data: Buffer, contentType: string) => T;
  readonly resource: (obj: T) => Record<string, unknown>;
  /** The server's own limit on bytes copied per call (default: whole objects). */
  readonly bytesPerCall: number | undefined;
}

/** Source-side parameters of rewrite, renamed to the objects.get parameters `select` understands. */
const SOURCE_PARAMS: Record<string, string> = {
  sourceGeneration: 'generation',
  ifSourceGenerationMatch: 'ifGenerationMatch',
  ifSourceGenerationNotMatch: 'ifGenerationNotMatch',
  ifSourceMetagenerationMatch: 'ifMetagenerationMatch',
  ifSourceMetagenerationNotMatch: 'ifMetagenerationNotMatch',
};
const DEST_PARAMS = ['ifGenerationMatch', 'ifGenerationNotMatch', 'ifMetagenerationMatch', 'ifMetagenerationNotMatch'];

export function rewrite<T extends RewriteSource>(r: RewriteRequest, deps: RewriteDeps<T>): Record<string, unknown> {
  const q = r.query;
  const sourceQuery: Record<string, string> = {};
  for (const [from, to] of Object.entries(SOURCE_PARAMS)) if (q[from] !== undefined) sourceQuery[to] = q[from]!;
  let copied = 0;
  if (q['rewriteToken'] !== undefined) {
    // The token pins the source generation the copy started from, and how far it got.
    const token: unknown = JSON.parse(Buffer.from(q['rewriteToken'], 'base64url').toString('utf8'));
    const t = typeof token === 'object' && token !== null ? (token as Record<string, unknown>) : {};
    if (typeof t['generation'] !== 'string' || typeof t['copied'] !== 'number') throw new HttpError(400, 'Invalid rewrite token.', 'invalid');
    sourceQuery['generation'] = t['generation'];
    copied = t['copied'];
  }
  const source = deps.select(r.sourceBucket, r.sourceObject, sourceQuery, false)!;
  const destQuery: Record<string, string> = {};
  for (const k of DEST_PARAMS) if (q[k] !== undefined) destQuery[k] = q[k]!;
  deps.select(r.destinationBucket, r.destinationObject, destQuery, true);
  const size = source.data.length;
  const asked = q['maxBytesRewrittenPerCall'] === undefined ? Number.POSITIVE_INFINITY : Number(q['maxBytesRewrittenPerCall']);
  const perCall = Math.min(asked, deps.bytesPerCall ?? Number.POSITIVE_INFINITY);
  copied = Math.min(size, copied + perCall);
  const answer: Record<string, unknown> = { kind: 'storage#rewriteResponse', totalBytesRewritten: String(copied), objectSize: String(size) };
  if (copied < size) {
    return { ...answer, done: false, rewriteToken: Buffer.from(JSON.stringify({ generation: source.generation, copied })).toString('base64url') };
  }
  const obj = deps.store(r.destinationBucket, r.destinationObject, Buffer.from(source.data), source.contentType);
  return { ...answer, done: true, resource: deps.resource(obj) };
}
