import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AllowedRoots } from '../../../src/fs/index.js';
import { ShoalError } from '../../../src/common/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'shoal-roots-'));
  await mkdir(path.join(dir, 'data'));
  await mkdir(path.join(dir, 'database'));
  await writeFile(path.join(dir, 'data', 'a.csv'), 'x\n1\n');
  await symlink('/etc', path.join(dir, 'data', 'etc-link'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function denied(roots: AllowedRoots, location: string): Promise<ShoalError> {
  const e = await roots.check(location, 'read', 'queries').then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(ShoalError);
  return e as ShoalError;
}

describe('AllowedRoots', () => {
  it('allows locations under a root on a segment boundary, relative roots resolved against the base folder', async () => {
    const roots = await AllowedRoots.of(['data', 's3://lake-bucket/', 'gs://b/prefix'], dir);
    await roots.check(path.join(dir, 'data', 'a.csv'), 'read', 'queries');
    await roots.check(path.join(dir, 'data', 'new', 'x.parquet'), 'write', 'queries');
    await roots.check(path.join(dir, 'data', '*.csv'), 'read', 'queries');
    await roots.check('s3://lake-bucket/nyc/x.parquet', 'read', 'queries');
    await roots.check('S3://LAKE-BUCKET/nyc/x.parquet', 'read', 'queries');
    await roots.check('gs://b/prefix/y.csv', 'read', 'queries');
    expect((await denied(roots, path.join(dir, 'database', 'x.csv'))).code).toBe('PERMISSION_DENIED');
    await denied(roots, 's3://lake-bucket2/x.parquet');
    await denied(roots, 'gs://b/prefixed/y.csv');
  });

  it('cannot be escaped by .., symlinks, encoded dots or other buckets', async () => {
    const roots = await AllowedRoots.of(['data', 's3://lake-bucket/'], dir);
    await denied(roots, path.join(dir, 'data', 'etc-link', 'passwd'));
    await denied(roots, `${dir}/data/../database/x.csv`.replace(/\/data\/\.\./, '/data/..'));
    await denied(roots, path.resolve(dir, 'data/../../etc/passwd'));
    await denied(roots, 's3://lake-bucket/../other-bucket/x');
    await denied(roots, 's3://lake-bucket/%2e%2e/other-bucket/x');
    await denied(roots, 's3://lake-bucket/a/.%2E/b');
    await denied(roots, 'https://lake-bucket/x');
    await denied(roots, '/etc/passwd');
  });

  it('names the location, the roots and what to do, and hides presigned URL signatures', async () => {
    const roots = await AllowedRoots.of(['data'], dir);
    const e = await denied(roots, 'https://user:pw@example.com/x.csv?X-Amz-Signature=deadbeefcafe');
    expect(e.message).toContain('Access denied: queries may not read https://example.com/x.csv');
    expect(e.message).toContain(`allowed roots: ${path.join(dir, 'data')}`);
    expect(e.message).not.toMatch(/deadbeefcafe|pw@/);
    expect(e.hint).toContain('--allowed-root');
    const none = await AllowedRoots.of([], dir);
    expect((await denied(none, '/tmp/x.csv')).message).toContain('allowed roots: (none)');
  });
});
