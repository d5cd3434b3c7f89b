/**
 * The storage backends the file-system contract suite (test/fs/fs-contract.test.ts) runs against. Each one starts
 * what it needs (a temporary folder, a real S3-compatible server on loopback) and gives the file system under
 * test, configured with a small listing page so paging is exercised. A new backend (GCS) is one more entry here.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Storage } from '@google-cloud/storage';
import { GcsFileSystem, LocalFileSystem, S3FileSystem, type FileSystem } from '../../src/fs/index.js';
import { startGcsServer } from './gcs-server.js';
import { awsTestEnv, setEnv, startS3Server } from './s3-server.js';

export interface FsBackend {
  /** The file system under test. */
  readonly fs: FileSystem;
  /** Location of the suite's folder: an absolute path, or a URL such as s3://bucket/root. */
  readonly root: string;
  /** A location in a bucket that does not exist (remote backends). */
  readonly missingContainer?: string | undefined;
  /** Whether reads are pinned to the version seen at open (remote stores: FILE_CHANGED on overwrite). */
  readonly pinsVersion: boolean;
  /** Listing page size, when listing is paged (requests are then counted per page). */
  readonly listPageSize?: number | undefined;
  /** Creates or replaces the file at `rel` (a path under root, '/'-separated). */
  put(rel: string, data: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export interface FsBackendFactory {
  readonly name: string;
  start(): Promise<FsBackend>;
}

export const localBackend: FsBackendFactory = {
  name: 'local',
  async start() {
    const dir = mkdtempSync(path.join(tmpdir(), 'shoal-fs-contract-'));
    return {
      fs: new LocalFileSystem(),
      root: dir,
      pinsVersion: false,
      async put(rel, data) {
        const p = path.join(dir, ...rel.split('/'));
        mkdirSync(path.dirname(p), { recursive: true });
        // Replace by rename, as object stores replace objects: an open handle keeps reading the old file.
        const tmp = `${p}.tmp-${process.pid}`;
        writeFileSync(tmp, data);
        renameSync(tmp, p);
      },
      async close() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

const S3_PAGE = 2;

export const s3Backend: FsBackendFactory = {
  name: 's3',
  async start() {
    const server = await startS3Server(['contract']);
    const restore = setEnv(awsTestEnv(server.endpoint));
    return {
      fs: new S3FileSystem({ listPageSize: S3_PAGE, retryBaseDelayMs: 1, maxAttempts: 2 }),
      root: 's3://contract/root',
      missingContainer: 's3://no-such-bucket/root/a.bin',
      pinsVersion: true,
      listPageSize: S3_PAGE,
      put: (rel, data) => server.put('contract', `root/${rel}`, data),
      async close() {
        restore();
        await server.close();
      },
    };
  },
};

const GCS_PAGE = 3;

/** The GCS JSON-API test server, seeded through the real @google-cloud/storage client. */
export const gcsBackend: FsBackendFactory = {
  name: 'gcs',
  async start() {
    const server = await startGcsServer({ maxPageSize: GCS_PAGE });
    server.createBucket('contract');
    const client = new Storage({ apiEndpoint: server.endpoint, projectId: 'test', retryOptions: { autoRetry: false } });
    client.baseUrl = `${server.endpoint}/storage/v1`;
    return {
      fs: new GcsFileSystem({ settings: { endpoint: server.endpoint }, baseDelayMs: 1, maxAttempts: 2, pageSize: GCS_PAGE }),
      root: 'gs://contract/root',
      missingContainer: 'gs://no-such-bucket/root/a.bin',
      pinsVersion: true,
      listPageSize: GCS_PAGE,
      async put(rel, data) {
        await client.bucket('contract').file(`root/${rel}`).save(Buffer.from(data), { resumable: false });
      },
      close: () => server.close(),
    };
  },
};

export const FS_BACKENDS: readonly FsBackendFactory[] = [localBackend, s3Backend, gcsBackend];
