import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { ShoalError } from '../common/index.js';
import { displayLocation, resolveLocation, schemeOf } from './registry.js';

/**
 * The locations queries may read and write: local folders (compared after symlinks are resolved) and URL prefixes
 * (`s3://bucket/prefix/`, `gs://…`, `https://host/…`). A location is inside a root when it equals it or lies below
 * it on a path-segment boundary. URL locations holding `.`/`..` segments, raw or percent-encoded, are refused
 * outright: object-store keys are not paths, and a client that normalises them could leave the root.
 */
export class AllowedRoots {
  private constructor(private readonly roots: readonly string[], private readonly canonical: readonly string[]) {}

  /** Roots as written (catalog file or command line); relative paths resolve against `baseDir`. */
  static async of(roots: readonly string[], baseDir: string): Promise<AllowedRoots> {
    const resolved = roots.map((r) => resolveLocation(r, baseDir));
    return new AllowedRoots(resolved, await Promise.all(resolved.map((r) => canonicalize(r))));
  }

  /** The roots for messages. */
  get list(): readonly string[] {
    return this.roots;
  }

  /** Resolves when `location` (already resolved: an absolute path or a URL) is inside a root, else PERMISSION_DENIED. */
  async check(location: string, action: 'read' | 'write', who: string): Promise<void> {
    const bad = dotSegment(location);
    const canon = bad ? undefined : await canonicalize(location);
    if (canon !== undefined && this.canonical.some((r) => inside(canon, r))) return;
    const shown = displayLocation(location);
    throw new ShoalError('PERMISSION_DENIED', `Access denied: ${who} may not ${action} ${shown}${bad ? ' (it holds "." or ".." path segments)' : ''}; allowed roots: ${this.roots.length === 0 ? '(none)' : this.roots.map(displayLocation).join(', ')}`, {
      location: shown,
      hint: this.roots.length === 0
        ? 'No locations are allowed here; ask the administrator to add one (allowed_roots in catalog/<name>.json, or --allowed-root)'
        : 'Use a location under one of the allowed roots, or ask the administrator to add one (allowed_roots in catalog/<name>.json, or --allowed-root)',
    });
  }
}

/** Whether a URL location has `.` or `..` segments, also percent-encoded (`%2e`), or backslashes that some stores fold. */
function dotSegment(location: string): boolean {
  if (schemeOf(location) === 'file') return false;
  const rest = location.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  let decoded = rest;
  try {
    decoded = decodeURIComponent(rest.replace(/\?.*$/, ''));
  } catch {
    return true;
  }
  return decoded.includes('\\') || decoded.split('/').some((s) => s === '.' || s === '..');
}

/**
 * Local paths: absolute, normalised, with symlinks resolved on the longest existing prefix (a file to be written
 * need not exist yet). URLs: the scheme and host lowercased, the query dropped.
 */
async function canonicalize(location: string): Promise<string> {
  if (schemeOf(location) !== 'file') {
    const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)([^?#]*)/i.exec(location);
    return m === null ? location : `${m[1]!.toLowerCase()}${m[2]!.toLowerCase()}${m[3]!}`;
  }
  let p = path.resolve(location);
  const tail: string[] = [];
  for (;;) {
    try {
      return path.join(await realpath(p), ...tail);
    } catch {
      const parent = path.dirname(p);
      if (parent === p) return path.join(p, ...tail);
      tail.unshift(path.basename(p));
      p = parent;
    }
  }
}

/** On a segment boundary: root `/data` holds `/data` and `/data/x`, not `/database`; `/` and `s3://b/` hold all below. */
function inside(location: string, root: string): boolean {
  if (root.endsWith('/')) return location.startsWith(root) || location === root.slice(0, -1);
  return location === root || location.startsWith(`${root}/`);
}
