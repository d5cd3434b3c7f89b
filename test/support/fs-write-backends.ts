/**
 * The storage backends the write contract suite (test/fs/fs-write-contract.test.ts) runs against: every backend of
 * fs-backends.ts whose file system is writable (isWritable). S3 and GCS add what their tests need to look behind
 * the file system: the uploads a store still holds unfinished, and faults injected into chosen requests (S3: a
 * fault proxy in front of s3rver; GCS: the test server's own hooks).
 */
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { GcsFileSystem, isWritable, LocalFileSystem, S3FileSystem, type FileSystem, type WritableFileSystem } from '../../src/fs/index.js';
import { SLOW_DOWN, FaultProxy } from './fault-proxy.js';
import { localBackend } from './fs-backends.js';
import { startGcsServer, type GcsFault, type RecordedRequest } from './gcs-server.js';
import { awsTestEnv, setEnv, startS3Server } from './s3-server.js';

/** Faults for the next matching requests, in store-neutral terms. */
export interface WriteFaults {
  /** The next `n` requests that upload a part or chunk of a multi-part upload answer 503. */
  failPartUploads(n: number): void;
  /** The next request that finishes a multi-part upload is carried out, but its answer is lost. */
  loseCompletion(): void;
  /** The next single-request upload (or copy) is carried out, but its answer is lost. */
  loseSmallWrite(kind: 'upload' | 'copy'): void;
  /** Every request answers 503 (throttling) until reset. */
  failAll(): void;
  /** Faults injected since the last reset. */
  injected(): number;
  reset(): void;
}

export interface WriteBackend {
  readonly fs: WritableFileSystem;
  /** The suite's folder (a path or a URL). */
  readonly root: string;
  /** A location in a bucket that does not exist (remote backends). */
  readonly missingContainer?: string | undefined;
  /** Bytes above which a file is written in several parts (S3 part, GCS chunk size); undefined for local files. */
  readonly partSize?: number | undefined;
  /** Listing page size (deletePrefix pages through it). */
  readonly listPageSize?: number | undefined;
  /** Uploads the store holds unfinished (S3 multipart uploads, GCS resumable sessions). */
  pendingUploads?(): Promise<number>;
  readonly faults?: WriteFaults | undefined;
  /** Runs `f` with a file system and a location it may not write (remote backends). */
  denied?<T>(f: (fs: WritableFileSystem, location: string) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface WriteBackendFactory {
  readonly name: string;
  /** Whether the backend's file system is writable on this branch (the suite skips the others). */
  readonly writable: boolean;
  start(): Promise<WriteBackend>;
}

function writableOrThrow(fs: FileSystem): WritableFileSystem {
  if (!isWritable(fs)) throw new Error(`${fs.scheme} file system is not writable`);
  return fs;
}

const LOCAL: WriteBackendFactory = {
  name: 'local',
  writable: isWritable(new LocalFileSystem()),
  async start() {
    const b = await localBackend.start();
    return { fs: writableOrThrow(b.fs), root: b.root, close: () => b.close() };
  },
};

const S3_PAGE = 5;
const S3_PART = 5 * 1024 * 1024;

const S3: WriteBackendFactory = {
  name: 's3',
  writable: isWritable(new S3FileSystem()),
  async start() {
    const server = await startS3Server(['writes']);
    const proxy = await FaultProxy.start(server.endpoint);
    const restore = setEnv(awsTestEnv(proxy.url));
    const fs = new S3FileSystem({ listPageSize: S3_PAGE, retryBaseDelayMs: 1, maxAttempts: 3, requestTimeoutMs: 10_000 }, process.env, { partSize: S3_PART });
    const faults: WriteFaults = {
      failPartUploads: (n) => proxy.addRule({ method: 'PUT', path: /[?&]partNumber=/, times: n, fault: SLOW_DOWN }),
      loseCompletion: () => proxy.addRule({ method: 'POST', path: /[?&]uploadId=/, times: 1, fault: { kind: 'drop-response' } }),
      loseSmallWrite: (kind) =>
        proxy.addRule({ method: 'PUT', path: kind === 'upload' ? /[?&]x-id=PutObject/ : /[?&]x-id=CopyObject/, times: 1, fault: { kind: 'drop-response' } }),
      failAll: () => proxy.addRule({ fault: SLOW_DOWN }),
      injected: () => proxy.faultsInjected,
      reset: () => proxy.reset(),
    };
    return {
      fs,
      root: 's3://writes/root',
      missingContainer: 's3://no-such-bucket/root/a.bin',
      partSize: S3_PART,
      listPageSize: S3_PAGE,
      faults,
      async pendingUploads() {
        const res = await server.client.send(new ListMultipartUploadsCommand({ Bucket: 'writes' }));
        return res.Uploads?.length ?? 0;
      },
      /** s3rver refuses unknown access keys (InvalidAccessKeyId, 403); credentials are resolved on a client's first request. */
      async denied(f) {
        const undo = setEnv({ AWS_ACCESS_KEY_ID: 'NOT-S3RVER' });
        try {
          return await f(new S3FileSystem({ retryBaseDelayMs: 1, maxAttempts: 2 }), 's3://writes/root/denied/x.bin');
        } finally {
          undo();
        }
      },
      async close() {
        restore();
        await proxy.close();
        await server.close();
      },
    };
  },
};

const GCS_PAGE = 4;
const GCS_CHUNK = 256 * 1024;

const isFinalChunk = (r: RecordedRequest): boolean => r.op === 'resumable' && /\/\d+$/.test(r.contentRange ?? '') && !(r.contentRange ?? '').startsWith('bytes */');

const GCS: WriteBackendFactory = {
  name: 'gcs',
  writable: isWritable(new GcsFileSystem()),
  async start() {
    const server = await startGcsServer({ maxPageSize: GCS_PAGE, rewriteBytesPerCall: 64 * 1024 });
    server.createBucket('writes');
    const fs = new GcsFileSystem({ settings: { endpoint: server.endpoint }, baseDelayMs: 1, maxAttempts: 3, pageSize: GCS_PAGE, uploadChunkSize: GCS_CHUNK });
    let injected = 0;
    /** Counts the requests a fault is injected into (a match consumes the fault). */
    const fail = (count: number, fault: GcsFault, match: (r: RecordedRequest) => boolean): void =>
      server.failNext(count, fault, (r) => {
        const hit = match(r);
        if (hit) injected++;
        return hit;
      });
    const faults: WriteFaults = {
      failPartUploads: (n) => fail(n, 503, (r) => r.op === 'resumable' && !isFinalChunk(r) && !(r.contentRange ?? '').startsWith('bytes */')),
      loseCompletion: () => fail(1, 'drop-response', isFinalChunk),
      loseSmallWrite: (kind) => fail(1, 'drop-response', (r) => (kind === 'upload' ? r.op === 'upload' && r.query['uploadType'] === 'media' : r.op === 'rewrite')),
      failAll: () => fail(1_000_000, 503, () => true),
      injected: () => injected,
      reset: () => {
        server.clearFaults();
        injected = 0;
      },
    };
    return {
      fs,
      root: 'gs://writes/root',
      missingContainer: 'gs://no-such-bucket/root/a.bin',
      partSize: GCS_CHUNK,
      listPageSize: GCS_PAGE,
      faults,
      pendingUploads: async () => server.openUploads(),
      denied: (f) => {
        server.forbidBucket('locked');
        return f(fs, 'gs://locked/root/x.bin');
      },
      close: () => server.close(),
    };
  },
};

export const WRITE_BACKENDS: readonly WriteBackendFactory[] = [LOCAL, S3, GCS];
