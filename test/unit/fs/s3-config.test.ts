/**
 * How the S3 file system finds its endpoint, addressing style, region and credentials: catalog settings over the
 * standard AWS variables and shared files (no requests are made here).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { FileSystems, parseS3Location, parseStorageSettings } from '../../../src/fs/index.js';
import { connectS3, resolveS3Endpoint } from '../../../src/fs/s3-client.js';
import { ShoalError } from '../../../src/common/index.js';
import { awsTestEnv, setEnv } from '../../support/s3-server.js';

describe('endpoint, path style and region', () => {
  test('the s3.endpoint setting, else AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL; path style for custom endpoints', () => {
    const env = { AWS_ENDPOINT_URL: 'http://generic:1', AWS_ENDPOINT_URL_S3: 'http://s3-specific:2' };
    expect(resolveS3Endpoint({ endpoint: 'http://setting:3' }, env)).toMatchObject({ endpoint: 'http://setting:3', forcePathStyle: true });
    expect(resolveS3Endpoint({}, env)).toMatchObject({ endpoint: 'http://s3-specific:2', endpointSource: 'the environment variable AWS_ENDPOINT_URL_S3' });
    expect(resolveS3Endpoint({}, { AWS_ENDPOINT_URL: 'http://generic:1' })).toMatchObject({ endpoint: 'http://generic:1', forcePathStyle: true });
    expect(resolveS3Endpoint({}, { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).toMatchObject({ endpoint: undefined, forcePathStyle: false });
    expect(resolveS3Endpoint({ endpoint: 'https://r2.example', pathStyle: false }, {})).toMatchObject({ forcePathStyle: false });
    expect(resolveS3Endpoint({ pathStyle: true }, {})).toMatchObject({ endpoint: undefined, forcePathStyle: true });
  });

  test('region: the setting, else AWS_REGION, else AWS_DEFAULT_REGION', () => {
    expect(resolveS3Endpoint({ region: 'eu-west-1' }, { AWS_REGION: 'us-west-2' }).region).toBe('eu-west-1');
    expect(resolveS3Endpoint({}, { AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'ap-south-1' }).region).toBe('us-west-2');
    expect(resolveS3Endpoint({}, { AWS_DEFAULT_REGION: 'ap-south-1' }).region).toBe('ap-south-1');
    expect(resolveS3Endpoint({}, {}).region).toBeUndefined();
  });

  test('an endpoint variable that is not an http(s) URL is a configuration error naming it', () => {
    expect(() => resolveS3Endpoint({}, { AWS_ENDPOINT_URL_S3: 'localhost:9000' })).toThrow(/AWS_ENDPOINT_URL_S3 is not an http\(s\) URL/);
  });

  test('s3 locations', () => {
    expect(parseS3Location('s3://bucket/a/b.parquet')).toEqual({ url: 's3://bucket/a/b.parquet', bucket: 'bucket', key: 'a/b.parquet' });
    expect(parseS3Location('s3://bucket')).toMatchObject({ bucket: 'bucket', key: '' });
    expect(() => parseS3Location('s3:///key')).toThrow(ShoalError);
  });
});

describe('shared config and credentials files', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'shoal-aws-files-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a profile gives region and credentials; without any region the default is us-east-1', async () => {
    const config = path.join(dir, 'config');
    const credentials = path.join(dir, 'credentials');
    writeFileSync(config, '[profile analytics]\nregion = eu-central-1\n');
    writeFileSync(credentials, '[analytics]\naws_access_key_id = AKIDANALYTICS\naws_secret_access_key = analytics-secret\n');
    const restore = setEnv({ ...awsTestEnv(undefined), AWS_REGION: undefined, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials });
    try {
      const viaSetting = await connectS3({ profile: 'analytics' });
      expect(await viaSetting.client.config.region()).toBe('eu-central-1');
      expect((await viaSetting.client.config.credentials()).accessKeyId).toBe('AKIDANALYTICS');
      expect(viaSetting.endpoint).toBe('https://s3.eu-central-1.amazonaws.com');
      viaSetting.client.destroy();
      const viaEnv = setEnv({ AWS_PROFILE: 'analytics' });
      try {
        const c = await connectS3({});
        expect((await c.client.config.credentials()).accessKeyId).toBe('AKIDANALYTICS');
        c.client.destroy();
      } finally {
        viaEnv();
      }
      const none = await connectS3({});
      expect(await none.client.config.region()).toBe('us-east-1');
      none.client.destroy();
    } finally {
      restore();
    }
  });
});

describe('storage settings and per-catalog file systems', () => {
  const bad = (message: string): ShoalError => new ShoalError('INVALID_CATALOG_FILE', message);

  test('settings parse to typed values', () => {
    expect(parseStorageSettings({ s3: { endpoint: 'http://127.0.0.1:9000/', region: 'auto', path_style: false, max_attempts: 3, list_page_size: 10 }, http: { request_timeout_ms: 5000 } }, bad)).toEqual({
      s3: { endpoint: 'http://127.0.0.1:9000', region: 'auto', profile: undefined, pathStyle: false, listPageSize: 10, maxAttempts: 3, requestTimeoutMs: undefined, retryBaseDelayMs: undefined, retryMaxDelayMs: undefined },
      http: { requestTimeoutMs: 5000, maxAttempts: undefined, retryBaseDelayMs: undefined, retryMaxDelayMs: undefined },
      gcs: undefined,
    });
  });

  test('a catalog with storage settings gets its own file system for that store and shares the others', () => {
    const engine = FileSystems.standard({ s3: { maxAttempts: 2 } });
    expect(engine.withStorage({})).toBe(engine);
    const catalog = engine.withStorage({ s3: { endpoint: 'http://127.0.0.1:9000' } });
    expect(catalog.for('s3://b/k')).not.toBe(engine.for('s3://b/k'));
    expect(catalog.for('https://h/f.parquet')).toBe(engine.for('https://h/f.parquet'));
    expect(catalog.for('/tmp/x')).toBe(engine.for('/tmp/x'));
    expect(catalog.storage.s3).toEqual({ maxAttempts: 2, endpoint: 'http://127.0.0.1:9000' });
  });
});
