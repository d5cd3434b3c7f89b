import { Storage } from '@google-cloud/storage';
import { mkdtemp, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GcsFileSystem, LocalFileSystem, type FileSystem } from '../../src/fs/index.js';
import { startGcsServer, type GcsTestServer } from './gcs-server.js';

/** One storage backend under test, set up empty; `root` is a directory location (no trailing slash). */
export interface FsBackendHandle {
  readonly fs: FileSystem;
  readonly root: string;
  /** Creates a file at `root/relPath` through the storage's own API (not through `fs`). */
  put(relPath: string, bytes: Uint8Array): Promise<void>;
  /** Replaces an existing file with new content (a new version / generation). */
  overwrite(relPath: string, bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export interface FsBackend {
  readonly name: string;
  setup(): Promise<FsBackendHandle>;
}

const local: FsBackend = {
  name: 'local',
  async setup() {
    const dir = await mkdtemp(path.join(tmpdir(), 'shoal-fs-'));
    const put = async (rel: string, bytes: Uint8Array): Promise<void> => {
      const file = path.join(dir, rel);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, bytes);
    };
    return {
      fs: new LocalFileSystem(),
      root: dir,
      put,
      // Write-then-rename, as tools that replace files do: open handles keep reading the version they opened.
      async overwrite(rel, bytes) {
        const tmp = path.join(dir, `.tmp-${process.pid}`);
        await writeFile(tmp, bytes);
        await rename(tmp, path.join(dir, rel));
      },
      close: () => rm(dir, { recursive: true, force: true }),
    };
  },
};

/** The GCS test server with a small page size (3), so listings take several pages; seeded with the real client. */
const gcs: FsBackend = {
  name: 'gcs',
  async setup() {
    const server: GcsTestServer = await startGcsServer({ maxPageSize: 3 });
    server.createBucket('contract');
    const client = new Storage({ apiEndpoint: server.endpoint, projectId: 'test', retryOptions: { autoRetry: false } });
    client.baseUrl = `${server.endpoint}/storage/v1`;
    const put = async (rel: string, bytes: Uint8Array): Promise<void> => {
      await client.bucket('contract').file(`data/${rel}`).save(Buffer.from(bytes), { resumable: false });
    };
    return {
      fs: new GcsFileSystem({ settings: { endpoint: server.endpoint }, baseDelayMs: 1 }),
      root: 'gs://contract/data',
      put,
      overwrite: put,
      close: () => server.close(),
    };
  },
};

export const FS_BACKENDS: readonly FsBackend[] = [local, gcs];
