import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, ListMultipartUploadsCommand, PutObjectCommand, UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { describe, expect, test } from 'vitest';
import { useS3Server } from '../support/s3-server.js';

const MIB = 1024 * 1024;

async function failure(p: Promise<unknown>): Promise<{ name: string; status: number | undefined }> {
  try {
    await p;
  } catch (e) {
    const o = e as { name: string; $metadata?: { httpStatusCode?: number } };
    return { name: o.name, status: o.$metadata?.httpStatusCode };
  }
  throw new Error('expected the request to fail');
}

/** What test/support/s3rver-extensions.ts adds to s3rver, answered as the S3 API reference describes. */
describe('s3rver with the S3 behaviour Shoal writers need', () => {
  const server = useS3Server(['x'], { env: false });
  const client = (): S3Client => server().client;

  async function upload(key: string, sizes: readonly number[]): Promise<{ uploadId: string; parts: { ETag: string; PartNumber: number }[] }> {
    const { UploadId } = await client().send(new CreateMultipartUploadCommand({ Bucket: 'x', Key: key }));
    const parts = [];
    for (const [i, size] of sizes.entries()) {
      const { ETag } = await client().send(new UploadPartCommand({ Bucket: 'x', Key: key, UploadId, PartNumber: i + 1, Body: new Uint8Array(size).fill(i) }));
      parts.push({ ETag: ETag!, PartNumber: i + 1 });
    }
    return { uploadId: UploadId!, parts };
  }

  test('ListMultipartUploads lists uploads in progress by prefix; AbortMultipartUpload removes one; then it is NoSuchUpload', async () => {
    const a = await upload('dir/a.bin', [10]);
    const b = await upload('other/b.bin', [10]);
    const listed = await client().send(new ListMultipartUploadsCommand({ Bucket: 'x', Prefix: 'dir/' }));
    expect(listed.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([['dir/a.bin', a.uploadId]]);
    await client().send(new AbortMultipartUploadCommand({ Bucket: 'x', Key: 'dir/a.bin', UploadId: a.uploadId }));
    expect((await client().send(new ListMultipartUploadsCommand({ Bucket: 'x' }))).Uploads?.map((u) => u.Key)).toEqual(['other/b.bin']);
    for (const call of [
      () => client().send(new UploadPartCommand({ Bucket: 'x', Key: 'dir/a.bin', UploadId: a.uploadId, PartNumber: 2, Body: new Uint8Array(1) })),
      () => client().send(new CompleteMultipartUploadCommand({ Bucket: 'x', Key: 'dir/a.bin', UploadId: a.uploadId, MultipartUpload: { Parts: a.parts } })),
      () => client().send(new AbortMultipartUploadCommand({ Bucket: 'x', Key: 'dir/a.bin', UploadId: a.uploadId })),
    ]) {
      expect(await failure(call())).toEqual({ name: 'NoSuchUpload', status: 404 });
    }
    await client().send(new AbortMultipartUploadCommand({ Bucket: 'x', Key: 'other/b.bin', UploadId: b.uploadId }));
  });

  test('CompleteMultipartUpload refuses a part under 5 MiB that is not the last (EntityTooSmall), and a repeated Complete is NoSuchUpload', async () => {
    const small = await upload('small.bin', [MIB, 10]);
    expect(await failure(client().send(new CompleteMultipartUploadCommand({ Bucket: 'x', Key: 'small.bin', UploadId: small.uploadId, MultipartUpload: { Parts: small.parts } })))).toEqual({
      name: 'EntityTooSmall',
      status: 400,
    });
    await client().send(new AbortMultipartUploadCommand({ Bucket: 'x', Key: 'small.bin', UploadId: small.uploadId }));
    const ok = await upload('ok.bin', [5 * MIB, 10]);
    const complete = new CompleteMultipartUploadCommand({ Bucket: 'x', Key: 'ok.bin', UploadId: ok.uploadId, MultipartUpload: { Parts: ok.parts } });
    await client().send(complete);
    expect(await failure(client().send(complete))).toEqual({ name: 'NoSuchUpload', status: 404 });
  });

  test('If-None-Match: * makes PutObject and CompleteMultipartUpload fail with 412 when the key exists', async () => {
    await client().send(new PutObjectCommand({ Bucket: 'x', Key: 'cond.bin', Body: 'one', IfNoneMatch: '*' }));
    expect(await failure(client().send(new PutObjectCommand({ Bucket: 'x', Key: 'cond.bin', Body: 'two', IfNoneMatch: '*' })))).toEqual({ name: 'PreconditionFailed', status: 412 });
    const up = await upload('cond.bin', [10]);
    expect(await failure(client().send(new CompleteMultipartUploadCommand({ Bucket: 'x', Key: 'cond.bin', UploadId: up.uploadId, MultipartUpload: { Parts: up.parts }, IfNoneMatch: '*' })))).toEqual({
      name: 'PreconditionFailed',
      status: 412,
    });
    // The upload is still there to abort, as on S3.
    await client().send(new AbortMultipartUploadCommand({ Bucket: 'x', Key: 'cond.bin', UploadId: up.uploadId }));
    // Without the header an object is replaced.
    await client().send(new PutObjectCommand({ Bucket: 'x', Key: 'cond.bin', Body: 'three' }));
  });
});
