import path from 'node:path';
import picomatch from 'picomatch';
import { ShoalError } from '../common/index.js';
import type { FileStatus, FileSystem, IoOptions } from './file-system.js';
import { GcsFileSystem } from './gcs-fs.js';
import { parseGcsSettings } from './gcs-settings.js';
import { LocalFileSystem } from './local-fs.js';

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

const GLOB_CHARS = /[*?[{]/;

export function hasGlob(location: string): boolean {
  return GLOB_CHARS.test(location);
}

/** Hidden and marker files that engines skip in table directories (`.crc`, `_SUCCESS`, `_committed_…`). */
export function isHiddenFile(location: string, root: string): boolean {
  const rel = location.slice(root.length).split('/').filter((s) => s !== '');
  return rel.some((seg) => seg.startsWith('.') || seg.startsWith('_'));
}

/** Catalog settings key → the file system that a catalog's settings under that key configure. */
const FROM_CATALOG_SETTINGS: Readonly<Record<string, (raw: unknown, baseDir: string) => FileSystem>> = {
  gcs: (raw, baseDir) => new GcsFileSystem({ settings: parseGcsSettings(raw, baseDir) }),
};

/**
 * File systems by scheme. Local disk and gs:// (configured from the environment; its client library loads on first
 * use) are always there; object stores register themselves.
 */
export class FileSystems {
  private readonly byScheme = new Map<string, FileSystem>();

  constructor(systems: readonly FileSystem[] = [new LocalFileSystem(), new GcsFileSystem()]) {
    for (const fs of systems) this.byScheme.set(fs.scheme, fs);
  }

  register(fs: FileSystem): void {
    this.byScheme.set(fs.scheme, fs);
  }

  /**
   * These file systems with the storage settings of one catalog (catalog/<name>.json: `gcs`, …) applied: a scheme
   * with settings gets its own instance; the others are shared. Bad settings throw STORAGE_CONFIGURATION_ERROR.
   */
  withStorageSettings(storage: Readonly<Record<string, unknown>>, baseDir: string): FileSystems {
    const configured = Object.entries(storage).filter(([key]) => FROM_CATALOG_SETTINGS[key] !== undefined);
    if (configured.length === 0) return this;
    const copy = new FileSystems([...this.byScheme.values()]);
    for (const [key, raw] of configured) copy.register(FROM_CATALOG_SETTINGS[key]!(raw, baseDir));
    return copy;
  }

  for(location: string): FileSystem {
    const scheme = schemeOf(location);
    const fs = this.byScheme.get(scheme);
    if (fs === undefined) {
      throw new ShoalError('NOT_SUPPORTED', `No file system for '${scheme}://' locations in this version of Shoal`, {
        location,
        hint: `Supported here: ${['local paths', ...[...this.byScheme.keys()].filter((k) => k !== 'file').map((k) => `${k}:// URLs`)].join(', ')}`,
      });
    }
    return fs;
  }

  /**
   * The data files a location names: a file; every non-hidden file under a directory; or the files matching a
   * glob (`*` within a segment, `**` across segments). Sorted by location. Throws FILE_NOT_FOUND naming the
   * location when nothing matches.
   */
  async expand(location: string, o?: IoOptions): Promise<FileStatus[]> {
    const fs = this.for(location);
    if (hasGlob(location)) {
      const firstGlob = location.search(GLOB_CHARS);
      const root = location.slice(0, location.lastIndexOf('/', firstGlob) + 1);
      const matcher = picomatch(location, { dot: false });
      const out: FileStatus[] = [];
      if (await fs.isDirectory(root, o)) {
        for await (const f of fs.list(root, o)) if (matcher(f.location)) out.push(f);
      }
      if (out.length === 0) {
        throw new ShoalError('FILE_NOT_FOUND', `No files match ${location}`, { location });
      }
      return out;
    }
    if (await fs.isDirectory(location, o)) {
      const out: FileStatus[] = [];
      const root = location.endsWith('/') ? location : `${location}/`;
      for await (const f of fs.list(location, o)) if (!isHiddenFile(f.location, root)) out.push(f);
      return out;
    }
    return [await fs.stat(location, o)];
  }
}
