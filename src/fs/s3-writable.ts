/**
 * The write side of S3FileSystem apart from creating files (s3-upload.ts); contracts in writable.ts. S3 publishes
 * by copy: CopyObject (server-side, atomic per object) then DeleteObject of the source.
 *
 *  - delete: HeadObject, then DeleteObject when the object exists (S3 answers 204 either way, so the HEAD is what
 *    tells "did not exist": false). An object deleted by someone else between the two still counts as deleted.
 *  - deletePrefix: the objects whose keys start with `<key>/` (folder markers included), listed with paged
 *    ListObjectsV2 and deleted with DeleteObjects in batches of up to 1,000 keys. An object named exactly `<key>`
 *    is not a folder's content and stays.
 *  - copy: CopyObject, after a HeadObject of the source (its size: a single CopyObject copies at most 5 GiB, larger
 *    objects need UploadPartCopy, which Shoal does not do yet: NOT_SUPPORTED).
 *  - rename: NOT_SUPPORTED (S3 has no rename); directories need no creating or removing.
 */
import { ShoalError, throwIfAborted } from '../common/index.js';
import type { IoOptions } from './file-system.js';
import { parseS3Location, type S3FileSystem, type S3Location } from './s3-fs.js';

/** Largest object one CopyObject copies. */
export const S3_MAX_COPY_BYTES = 5 * 1024 ** 3;
/** Most keys one DeleteObjects removes. */
const DELETE_BATCH = 1000;

/** The key prefix that lists a folder's contents: '' for the bucket root, else the key with one trailing '/'. */
export function folderPrefix(key: string): string {
  return key === '' || key.endsWith('/') ? key : `${key}/`;
}

/**
 * The `x-amz-copy-source` value: `bucket/key`, each path segment percent-encoded. Characters that are safe in a
 * URL path and common in table layouts (`=` of hive partitions, `:`, `@`, `,`) stay literal: S3 decodes either
 * form, and some S3-compatible servers decode the header with decodeURI, which leaves `%3D` encoded.
 */
export function copySource(loc: S3Location): string {
  const encode = (segment: string): string => encodeURIComponent(segment).replace(/%3D/gi, '=').replace(/%3A/gi, ':').replace(/%40/gi, '@').replace(/%2C/gi, ',');
  return [loc.bucket, ...loc.key.split('/')].map(encode).join('/');
}

export async function deleteS3Object(fs: S3FileSystem, location: string, o?: IoOptions): Promise<boolean> {
  const loc = parseS3Location(location);
  try {
    await fs.statFor(location, o, 'delete');
  } catch (e) {
    if (e instanceof ShoalError && e.code === 'FILE_NOT_FOUND') return false;
    throw e;
  }
  await fs.request(loc, o, (c, signal) => c.client.send(new c.sdk.DeleteObjectCommand({ Bucket: loc.bucket, Key: loc.key }), { abortSignal: signal }), { action: 'delete' });
  return true;
}

export async function deleteS3Prefix(fs: S3FileSystem, prefix: string, pageSize: number, o?: IoOptions): Promise<number> {
  const loc = parseS3Location(prefix);
  const keyPrefix = folderPrefix(loc.key);
  const where: S3Location = { ...loc, url: `s3://${loc.bucket}/${keyPrefix}` };
  let deleted = 0;
  let batch: string[] = [];
  let token: string | undefined;
  do {
    throwIfAborted(o?.signal);
    const page = await fs.request(
      where, o,
      (c, signal) => c.client.send(new c.sdk.ListObjectsV2Command({ Bucket: loc.bucket, Prefix: keyPrefix, MaxKeys: pageSize, ...(token === undefined ? {} : { ContinuationToken: token }) }), { abortSignal: signal }),
      { action: 'delete' },
    );
    for (const obj of page.Contents ?? []) {
      if (obj.Key === undefined) continue;
      batch.push(obj.Key);
      if (batch.length === DELETE_BATCH) {
        deleted += await deleteBatch(fs, where, batch, o);
        batch = [];
      }
    }
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  if (batch.length > 0) deleted += await deleteBatch(fs, where, batch, o);
  return deleted;
}

/** One DeleteObjects request (idempotent: retried like the others); a key S3 could not delete fails the call. */
async function deleteBatch(fs: S3FileSystem, where: S3Location, keys: readonly string[], o: IoOptions | undefined): Promise<number> {
  const res = await fs.request(
    where, o,
    (c, signal) => c.client.send(new c.sdk.DeleteObjectsCommand({ Bucket: where.bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }), { abortSignal: signal }),
    { action: 'delete' },
  );
  const failed = res.Errors ?? [];
  if (failed.length > 0) {
    const first = failed[0]!;
    const location = `s3://${where.bucket}/${first.Key ?? ''}`;
    const code = first.Code === 'AccessDenied' ? 'PERMISSION_DENIED' : 'IO_ERROR';
    throw new ShoalError(code, `Failed deleting ${location}${failed.length > 1 ? ` and ${failed.length - 1} more objects` : ''}: ${first.Code ?? 'error'}: ${first.Message ?? ''}`.trim(), {
      location,
      hint: code === 'PERMISSION_DENIED' ? 'Check that the credentials in use may delete in this bucket (s3:DeleteObject)' : undefined,
    });
  }
  return keys.length;
}

export async function copyS3Object(fs: S3FileSystem, from: string, to: string, o?: IoOptions): Promise<void> {
  const src = parseS3Location(from);
  const dst = parseS3Location(to);
  const { size } = await fs.stat(from, o);
  if (size > S3_MAX_COPY_BYTES) {
    throw new ShoalError('NOT_SUPPORTED', `Cannot copy ${from} to ${to}: the object is ${size} bytes, and one S3 copy is limited to 5 GiB`, {
      location: from,
      hint: 'Write files under 5 GiB (lower the target file size setting)',
    });
  }
  await fs.request(
    dst, o,
    (c, signal) => c.client.send(new c.sdk.CopyObjectCommand({ Bucket: dst.bucket, Key: dst.key, CopySource: copySource(src) }), { abortSignal: signal }),
    // The server writes the bytes; they count as written, as a local copy's do.
    { action: 'copy', bytes: size },
  );
}
