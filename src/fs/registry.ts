import path from 'node:path';
import picomatch from 'picomatch';
import { ShoalError } from '../common/index.js';
import type { FileStatus, FileSystem, IoOptions } from './file-system.js';
import { GcsFileSystem } from './gcs-fs.js';
import { HttpFileSystem, safeUrl } from './http-fs.js';
import { ListingCache, type ListingCacheOptions, type ListingScope } from './listing-cache.js';
import { LocalFileSystem } from './local-fs.js';
import { S3FileSystem } from './s3-fs.js';
import { mergeStorageSettings, retryPolicyOf, type StorageSettings } from './storage-settings.js';

const URL_SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/** The scheme of a location: `file` for plain paths and file:// URLs, else the URL scheme in lower case. */
export function schemeOf(location: string): string {
  const m = URL_SCHEME.exec(location);
  return m === null ? 'file' : m[1]!.toLowerCase();
}

/**
 * Resolves a location as written in a catalog file or a query: URLs stay as they are; `file://` URLs become
 * paths; relative paths resolve against `baseDir`.
 */
export function resolveLocation(location: string, baseDir: string): string {
  const scheme = schemeOf(location);
  if (scheme === 'file') {
    const p = location.startsWith('file://') ? decodeURIComponent(new URL(location).pathname) : location;
    return path.resolve(baseDir, p);
  }
  return location;
}

/**
 * A location as EXPLAIN and messages may show it: http(s) URLs lose user info and query (presigned URLs carry
 * signatures there); paths and object-store URLs hold no secrets and stay as they are.
 */
export function displayLocation(location: string): string {
  const scheme = schemeOf(location);
  return scheme === 'http' || scheme === 'https' ? safeUrl(location) : location;
}

const GLOB_CHARS = /[*?[{]/;

export function hasGlob(location: string): boolean {
  return GLOB_CHARS.test(location);
}

/** Hidden and marker files that engines skip in table directories (`.crc`, `_SUCCESS`, `_committed_…`). */
export function isHiddenFile(location: string, root: string): boolean {
  const rel = location.slice(root.length).split('/').filter((s) => s !== '');
  return rel.some((seg) => seg.startsWith('.') || seg.startsWith('_'));
}

/** Builds the file systems of one settings key (`s3`, `http`, `gcs`) from a registry's storage settings. */
interface RemoteFileSystems {
  readonly key: keyof StorageSettings;
  readonly create: (storage: StorageSettings) => readonly FileSystem[];
}

/** The remote file systems by settings key: the one table that maps URL schemes to implementations. */
const REMOTE: readonly RemoteFileSystems[] = [
  { key: 's3', create: (s) => [new S3FileSystem(s.s3)] },
  { key: 'http', create: (s) => [new HttpFileSystem('http', s.http), new HttpFileSystem('https', s.http)] },
  {
    key: 'gcs',
    create: (s) => {
      const p = retryPolicyOf(s.gcs);
      return [new GcsFileSystem({ settings: s.gcs, maxAttempts: p.maxAttempts, baseDelayMs: p.baseDelayMs, timeoutMs: p.requestTimeoutMs })];
    },
  },
];

/** Options of FileSystems.expand: the query's listings, so that it sees one version of every location. */
export interface ExpandOptions extends IoOptions {
  readonly listing?: ListingScope | undefined;
}

/**
 * File systems by scheme. `FileSystems.standard(storage)` has local disk and every remote store, configured by
 * `storage` over the environment (AWS_* variables and shared files); `withStorage` derives a catalog's file systems
 * from its settings. Remote clients are created on first use, so local-only runs never load an SDK.
 */
export class FileSystems {
  private readonly byScheme = new Map<string, FileSystem>();
  /** Directory and prefix listings kept between queries (see listing-cache.ts). */
  readonly listings: ListingCache;

  constructor(
    systems: readonly FileSystem[] = [new LocalFileSystem()],
    /** The storage settings the remote file systems were built from. */
    readonly storage: StorageSettings = {},
    /** A registry derived by withStorage shares its parent's cache (entries are keyed by file system instance). */
    o: { listingCache?: ListingCacheOptions | ListingCache } = {},
  ) {
    for (const fs of systems) this.byScheme.set(fs.scheme, fs);
    this.listings = o.listingCache instanceof ListingCache ? o.listingCache : new ListingCache(o.listingCache);
  }

  /** Local disk plus every remote file system, configured by `storage` (defaults: the environment). */
  static standard(storage: StorageSettings = {}): FileSystems {
    return new FileSystems([new LocalFileSystem(), ...REMOTE.flatMap((r) => r.create(storage))], storage);
  }

  /**
   * The file systems of a catalog: this registry's, with those whose settings key `storage` sets rebuilt from the
   * merged settings (catalog over engine defaults); the others are shared. Returns `this` when nothing is set.
   */
  withStorage(storage: StorageSettings): FileSystems {
    const changed = REMOTE.filter((r) => storage[r.key] !== undefined);
    if (changed.length === 0) return this;
    const merged = mergeStorageSettings(this.storage, storage);
    const out = new FileSystems([...this.byScheme.values()], merged, { listingCache: this.listings });
    for (const r of changed) for (const fs of r.create(merged)) out.register(fs);
    return out;
  }

  /**
   * A file system was registered after construction (a test's counting wrapper, an embedder's own scheme): other
   * threads, which build the standard file systems, could not read through it, so queries stay on one thread.
   */
  customized = false;

  register(fs: FileSystem): void {
    this.byScheme.set(fs.scheme, fs);
    this.customized = true;
  }

  for(location: string): FileSystem {
    const scheme = schemeOf(location);
    const fs = this.byScheme.get(scheme);
    if (fs === undefined) {
      throw new ShoalError('NOT_SUPPORTED', `No file system for '${scheme}://' locations in this version of Shoal`, {
        location,
        hint: `Supported here: local paths${[...this.byScheme.keys()].filter((k) => k !== 'file').map((k) => `, ${k}://`).join('')}`,
      });
    }
    return fs;
  }

  /**
   * The data files a location names: a file; every non-hidden file under a directory; or the files matching a
   * glob (`*` within a segment, `**` across segments). Sorted by location. Throws FILE_NOT_FOUND naming the
   * location when nothing matches.
   */
  async expand(location: string, o?: ExpandOptions): Promise<readonly FileStatus[]> {
    const scope = o?.listing;
    if (scope === undefined) return this.expandNow(location, this.listings.defaultMaxAgeMs, o);
    return scope.pin(location, () => this.expandNow(location, scope.maxAgeMs, o));
  }

  /** Listings younger than maxAgeMs come from the listing cache; single files are always stat-ed. */
  private async expandNow(location: string, maxAgeMs: number, o?: IoOptions): Promise<FileStatus[]> {
    const fs = this.for(location);
    if (fs.listable === false) return [await fs.stat(location, o)];
    const isDirectory = async (p: string): Promise<boolean> => this.listings.knownDirectory(fs, p, maxAgeMs) ?? fs.isDirectory(p, o);
    if (hasGlob(location)) {
      const firstGlob = location.search(GLOB_CHARS);
      const root = location.slice(0, location.lastIndexOf('/', firstGlob) + 1);
      const matcher = picomatch(location, { dot: false });
      const out: FileStatus[] = [];
      if (await isDirectory(root)) {
        for await (const f of this.listings.list(fs, root, maxAgeMs, o)) if (matcher(f.location)) out.push(f);
      }
      if (out.length === 0) {
        throw new ShoalError('FILE_NOT_FOUND', `No files match ${location}`, { location });
      }
      return out;
    }
    if (await isDirectory(location)) {
      const out: FileStatus[] = [];
      const root = location.endsWith('/') ? location : `${location}/`;
      for await (const f of this.listings.list(fs, location, maxAgeMs, o)) if (!isHiddenFile(f.location, root)) out.push(f);
      return out;
    }
    return [await fs.stat(location, o)];
  }

  /** Forgets kept listings that may include `location` (call after writing there). */
  invalidateListings(location: string): void {
    this.listings.invalidate(this.for(location), location);
  }
}

/** Text (SQL as reports echo it) with every http(s) URL shown as displayLocation does: no user info, no query. */
export function redactUrls(text: string): string {
  return text.replace(/https?:\/\/[^\s'"`)]+/gi, (url) => displayLocation(url));
}
