/**
 * A FileSystem wrapper for I/O tests: counts what a query asks of storage (opens, closes, files open at once,
 * listings, stats, reads with their ranges) and can add latency to every call, so that local files behave like
 * an object store whose requests take time. A real file system underneath; nothing is mocked.
 */
import type { FileStatus, FileSystem, IoOptions, OpenOptions, RandomAccessFile } from '../../src/fs/index.js';

export interface Counts {
  opens: number;
  closes: number;
  /** Files open now, and the most open at once. */
  openNow: number;
  peakOpen: number;
  /** Opens that were given the status from listing (so a remote system could skip its HEAD). */
  opensWithStatus: number;
  lists: number;
  stats: number;
  isDirectory: number;
  /** Every read and readTail, in call order. */
  reads: { location: string; offset: number; length: number; tail: boolean }[];
  /** Reads running now, and the most at once. */
  readsNow: number;
  peakReads: number;
}

export function newCounts(): Counts {
  return { opens: 0, closes: 0, openNow: 0, peakOpen: 0, opensWithStatus: 0, lists: 0, stats: 0, isDirectory: 0, reads: [], readsNow: 0, peakReads: 0 };
}

const sleep = (ms: number): Promise<void> => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());

export class CountingFileSystem implements FileSystem {
  readonly scheme: string;
  counts = newCounts();

  constructor(private readonly inner: FileSystem, private readonly latencyMs = 0) {
    this.scheme = inner.scheme;
  }

  reset(): void {
    const open = this.counts.openNow;
    this.counts = newCounts();
    this.counts.openNow = open;
  }

  async stat(location: string, o?: IoOptions): Promise<FileStatus> {
    this.counts.stats++;
    await sleep(this.latencyMs);
    return this.inner.stat(location, o);
  }

  async isDirectory(location: string, o?: IoOptions): Promise<boolean> {
    this.counts.isDirectory++;
    await sleep(this.latencyMs);
    return this.inner.isDirectory(location, o);
  }

  async *list(prefix: string, o?: IoOptions): AsyncIterable<FileStatus> {
    this.counts.lists++;
    await sleep(this.latencyMs);
    yield* this.inner.list(prefix, o);
  }

  async open(location: string, o?: OpenOptions): Promise<RandomAccessFile> {
    this.counts.opens++;
    if (o?.status !== undefined) this.counts.opensWithStatus++;
    await sleep(this.latencyMs);
    const file = await this.inner.open(location, o);
    const counts = (): Counts => this.counts;
    counts().openNow++;
    counts().peakOpen = Math.max(counts().peakOpen, counts().openNow);
    const latency = this.latencyMs;
    const timed = async <T>(f: () => Promise<T>): Promise<T> => {
      const c = counts();
      c.readsNow++;
      c.peakReads = Math.max(c.peakReads, c.readsNow);
      try {
        await sleep(latency);
        return await f();
      } finally {
        c.readsNow--;
      }
    };
    let closed = false;
    return {
      location: file.location,
      size: file.size,
      etag: file.etag,
      read(offset: number, length: number, io?: IoOptions): Promise<Uint8Array> {
        counts().reads.push({ location: file.location, offset, length, tail: false });
        return timed(() => file.read(offset, length, io));
      },
      readTail(maxLength: number, io?: IoOptions): Promise<Uint8Array> {
        counts().reads.push({ location: file.location, offset: Math.max(0, file.size - maxLength), length: Math.min(maxLength, file.size), tail: true });
        return timed(() => file.readTail(maxLength, io));
      },
      async close(): Promise<void> {
        if (!closed) {
          closed = true;
          counts().closes++;
          counts().openNow--;
        }
        await file.close();
      },
    };
  }
}
