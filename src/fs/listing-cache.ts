/**
 * Listings kept between queries, and pinned within one.
 *
 * Across queries a listing is reused while younger than the caller's max age (default 10 s; a session can ask
 * for 0 to list afresh). Trino's file-status cache is off by default because a stale listing silently misses
 * files another job just wrote; 10 s keeps that window short while a dashboard or a REPL session re-running
 * queries over a large prefix (thousands of objects: several paged LIST requests) lists it once. Within one
 * query every expansion of a location returns the same files (ListingScope), whatever the age, so a self-join
 * never sees two versions of a table.
 *
 * Bounded by entries and by files held (least recently used first). Listing stays paged and lazy: a cold
 * listing streams the file system's pages to the caller as they arrive and is kept only once complete.
 */
import type { FileStatus, FileSystem, IoOptions } from './file-system.js';

export interface ListingCacheOptions {
  /** Age beyond which a listing is not reused, unless a caller asks otherwise. Default 10 000 ms. */
  readonly maxAgeMs?: number | undefined;
  /** Listings kept. Default 1024. */
  readonly maxEntries?: number | undefined;
  /** Files kept over all listings (a FileStatus is a few hundred bytes). Default 200 000. */
  readonly maxFiles?: number | undefined;
  /** Clock, for tests. */
  readonly now?: (() => number) | undefined;
}

interface Entry {
  readonly files: readonly FileStatus[];
  readonly at: number;
}

export const DEFAULT_LISTING_MAX_AGE_MS = 10_000;

export class ListingCache {
  readonly defaultMaxAgeMs: number;
  private readonly maxEntries: number;
  private readonly maxFiles: number;
  private readonly now: () => number;
  private readonly entries = new Map<string, Entry>();
  private readonly ids = new WeakMap<FileSystem, number>();
  private nextId = 1;
  private files = 0;

  constructor(o: ListingCacheOptions = {}) {
    this.defaultMaxAgeMs = o.maxAgeMs ?? DEFAULT_LISTING_MAX_AGE_MS;
    this.maxEntries = o.maxEntries ?? 1024;
    this.maxFiles = o.maxFiles ?? 200_000;
    this.now = o.now ?? Date.now;
  }

  /** fs.list(prefix), or the kept listing when it is at most maxAgeMs old. */
  async *list(fs: FileSystem, prefix: string, maxAgeMs: number = this.defaultMaxAgeMs, o?: IoOptions): AsyncIterable<FileStatus> {
    const key = this.keyOf(fs, prefix);
    const hit = this.fresh(key, maxAgeMs);
    if (hit !== undefined) {
      yield* hit.files;
      return;
    }
    const at = this.now();
    const files: FileStatus[] = [];
    for await (const f of fs.list(prefix, o)) {
      files.push(f);
      yield f;
    }
    this.store(key, { files, at });
  }

  /** True when a kept listing of `prefix` at most maxAgeMs old has files (so it is a directory); else undefined. */
  knownDirectory(fs: FileSystem, prefix: string, maxAgeMs: number = this.defaultMaxAgeMs): true | undefined {
    const hit = this.fresh(this.keyOf(fs, prefix), maxAgeMs);
    return hit !== undefined && hit.files.length > 0 ? true : undefined;
  }

  /** Forgets every listing that may contain `location` or lie under it (after Shoal itself writes there). */
  invalidate(fs: FileSystem, location: string): void {
    const id = this.ids.get(fs);
    if (id === undefined) return;
    const head = `${id}\u0000`;
    for (const [key, e] of this.entries) {
      if (!key.startsWith(head)) continue;
      const prefix = key.slice(head.length);
      if (location.startsWith(prefix) || prefix.startsWith(location)) {
        this.entries.delete(key);
        this.files -= e.files.length;
      }
    }
  }

  /** Listings kept. */
  get size(): number {
    return this.entries.size;
  }

  private keyOf(fs: FileSystem, prefix: string): string {
    let id = this.ids.get(fs);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(fs, id);
    }
    return `${id}\u0000${prefix}`;
  }

  private fresh(key: string, maxAgeMs: number): Entry | undefined {
    const e = this.entries.get(key);
    if (e === undefined || !(this.now() - e.at < maxAgeMs)) return undefined;
    this.entries.delete(key);
    this.entries.set(key, e);
    return e;
  }

  private store(key: string, e: Entry): void {
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.entries.delete(key);
      this.files -= old.files.length;
    }
    if (e.files.length > this.maxFiles) return;
    this.entries.set(key, e);
    this.files += e.files.length;
    for (const [k, v] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.files <= this.maxFiles) break;
      this.entries.delete(k);
      this.files -= v.files.length;
    }
  }
}

/**
 * The listings one query has made: each location expands to the same files for the whole query. `maxAgeMs` is
 * how old a kept listing the query accepts (session property listing_cache_max_age).
 */
export class ListingScope {
  private readonly expanded = new Map<string, Promise<FileStatus[]>>();

  constructor(readonly maxAgeMs: number = DEFAULT_LISTING_MAX_AGE_MS) {}

  /** The files of `location` this query saw first, or the result of `expand` (kept for the rest of the query). */
  pin(location: string, expand: () => Promise<FileStatus[]>): Promise<FileStatus[]> {
    let p = this.expanded.get(location);
    if (p === undefined) {
      p = expand();
      this.expanded.set(location, p);
      p.catch(() => this.expanded.delete(location));
    }
    return p;
  }
}
