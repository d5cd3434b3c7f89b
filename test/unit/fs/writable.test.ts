import { describe, expect, test } from 'vitest';
import { ShoalError } from '../../../src/common/index.js';
import { FileSystems, GcsFileSystem, HttpFileSystem, isWritable, S3FileSystem, type WritableFileSystem } from '../../../src/fs/index.js';

describe('the writable capability', () => {
  test('S3 and GCS are writable and publish by copy; HTTP stays read-only', () => {
    const s3 = new S3FileSystem();
    const gcs = new GcsFileSystem();
    expect(isWritable(s3) && s3.publishMethod).toBe('copy');
    expect(isWritable(gcs) && gcs.publishMethod).toBe('copy');
    expect(isWritable(new HttpFileSystem('https'))).toBe(false);
    const registry = FileSystems.standard();
    expect(isWritable(registry.for('s3://b/k'))).toBe(true);
    expect(isWritable(registry.for('gs://b/k'))).toBe(true);
    expect(isWritable(registry.for('https://example.com/x'))).toBe(false);
  });

  test('object stores refuse rename, and writing at a bucket or folder, without a request', async () => {
    for (const [fs, where] of [[new S3FileSystem(), 's3://b/dir/'], [new GcsFileSystem(), 'gs://b/']] as const) {
      await expect((fs as WritableFileSystem).rename(`${where}a`, `${where}b`)).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
      const e = await fs.create(where).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ShoalError);
      expect((e as ShoalError).code).toBe('INVALID_ARGUMENTS');
    }
  });

  test('a GCS chunk size must be a multiple of 256 KiB', async () => {
    const fs = new GcsFileSystem({ uploadChunkSize: 300_000 });
    await expect(fs.create('gs://b/k')).rejects.toMatchObject({ code: 'INVALID_ARGUMENTS' });
  });
});
