import path from 'node:path';
import picomatch from 'picomatch';
import { ShoalError } from '../common/index.js';
import type { FileStatus, FileSystem, IoOptions } from './file-system.js';
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

/** File systems by scheme. Local disk is always there; object stores register themselves. */
export class FileSystems {
  private readonly byScheme = new Map<string, FileSystem>();

  constructor(systems: readonly FileSystem[] = [new LocalFileSystem()]) {
    for (const fs of systems) this.byScheme.set(fs.scheme, fs);
  }

  register(fs: FileSystem): void {
    this.byScheme.set(fs.scheme, fs);
  }

  for(location: string): FileSystem {
    const scheme = schemeOf(location);
    const fs = this.byScheme.get(scheme);
    if (fs === undefined) {
      throw new ShoalError('NOT_SUPPORTED', `No file system for '${scheme}://' locations in this version of Shoal`, {
        location,
        hint: 'Supported here: local paths',
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
