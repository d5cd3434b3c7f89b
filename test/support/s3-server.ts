/**
 * A real S3-compatible server for tests: s3rver on 127.0.0.1 (port 0) in a child process (see s3rver-main.ts),
 * storing objects in a temporary directory, plus an SDK client to create buckets and upload test data. Suites
 * point Shoal at it through the standard AWS variables (`useS3Server`) or a catalog setting.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll } from 'vitest';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

/** s3rver accepts only this access key id (any secret, as started here). */
export const TEST_ACCESS_KEY_ID = 'S3RVER';
/** A recognisable fake secret: tests assert it never appears in errors, logs or EXPLAIN. */
export const TEST_SECRET = 'shoal-test-secret-7Qx9vZ2k';

export interface S3TestServer {
  /** http://127.0.0.1:port */
  readonly endpoint: string;
  readonly client: S3Client;
  createBucket(name: string): Promise<void>;
  put(bucket: string, key: string, body: Uint8Array | string): Promise<void>;
  putFile(bucket: string, key: string, file: string): Promise<void>;
  /** Uploads every file under `dir` to `prefix/<relative path>`; returns the number of files. */
  putFolder(bucket: string, prefix: string, dir: string): Promise<number>;
  delete(bucket: string, key: string): Promise<void>;
  close(): Promise<void>;
}

const MAIN = path.join(import.meta.dirname, 's3rver-main.ts');

export async function startS3Server(buckets: readonly string[] = []): Promise<S3TestServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'shoal-s3rver-'));
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '--import', 'tsx', MAIN, dir, ...buckets], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`s3rver exited with code ${code} before listening`)));
    child.once('error', reject);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  // The SDK's Node 20 end-of-support warning would clutter test output (Shoal itself opts out the same way).
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const put = async (bucket: string, key: string, body: Uint8Array | string): Promise<void> => {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: typeof body === 'string' ? Buffer.from(body) : body }));
  };
  const putFile = async (bucket: string, key: string, file: string): Promise<void> => put(bucket, key, await readFile(file));
  return {
    endpoint,
    client,
    createBucket: async (name) => {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    put,
    putFile,
    putFolder: async (bucket, prefix, folder) => {
      const files = readdirSync(folder, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
      for (const f of files) {
        const full = path.join(f.parentPath, f.name);
        await putFile(bucket, `${prefix.replace(/\/$/, '')}/${path.relative(folder, full).split(path.sep).join('/')}`, full);
      }
      return files.length;
    },
    delete: async (bucket, key) => {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    close: async () => {
      client.destroy();
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdin?.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/** Sets environment variables (undefined deletes one); returns a function that restores the previous values. */
export function setEnv(vars: Readonly<Record<string, string | undefined>>): () => void {
  const saved = Object.keys(vars).map((k) => [k, process.env[k]] as const);
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return () => {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

/**
 * The standard AWS variables pointing at `endpoint` with the test credentials, and nothing of the machine's own
 * AWS setup (no shared files, profile or instance metadata).
 */
export function awsTestEnv(endpoint: string | undefined): Record<string, string | undefined> {
  const none = path.join(tmpdir(), 'shoal-no-such-aws-file');
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ENDPOINT_URL_S3: undefined,
    AWS_ACCESS_KEY_ID: TEST_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: TEST_SECRET,
    AWS_SESSION_TOKEN: undefined,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: undefined,
    AWS_PROFILE: undefined,
    AWS_CONFIG_FILE: none,
    AWS_SHARED_CREDENTIALS_FILE: none,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
    AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
  };
}

/**
 * Starts s3rver with `buckets` before the enclosing describe's tests and stops it after them. With `env` (default)
 * the AWS variables point at it for the suite and are restored afterwards.
 */
export function useS3Server(buckets: readonly string[], o: { env?: boolean } = {}): () => S3TestServer {
  let server: S3TestServer | undefined;
  let restore: (() => void) | undefined;
  beforeAll(async () => {
    server = await startS3Server(buckets);
    if (o.env !== false) restore = setEnv(awsTestEnv(server.endpoint));
  });
  afterAll(async () => {
    restore?.();
    await server?.close();
  });
  return () => {
    if (server === undefined) throw new Error('the S3 server is used before beforeAll ran');
    return server;
  };
}
