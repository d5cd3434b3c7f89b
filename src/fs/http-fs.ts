import { ShoalError, throwIfAborted } from '../common/index.js';
import type { FileStatus, FileSystem, IoOptions, OpenOptions, RandomAccessFile } from './file-system.js';
import { checkVersion, fileChanged, normalizeEtag } from './object-version.js';
import { contentRangeStart, readBody, type BodyStream } from './read-body.js';
import { isRetryableStatus, networkFailureCause, withRetries, type AttemptFailure, type RetryPolicy } from './retry.js';
import { retryPolicyOf, type HttpSettings } from './storage-settings.js';

/**
 * A server that ignores Range (answers 200 with the whole file) is still read, by keeping the whole body of the
 * first read in memory for the open file's later reads, up to this size; a bigger file is refused (NOT_SUPPORTED)
 * rather than downloaded again for every column chunk.
 */
export const MAX_UNRANGED_BYTES = 256 * 1024 * 1024;

/** A URL as messages show it: no user name or password, and no query (presigned URLs carry signatures there). */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}${u.search === '' ? '' : '?…'}`;
  } catch {
    return '(invalid URL)';
  }
}

/**
 * What to fetch for a location: the URL without user info, and a Basic Authorization header when the location
 * carries `user:password@` (fetch refuses such URLs, and its error would repeat the password).
 */
function requestTarget(location: string): { readonly href: string; readonly headers: Record<string, string> } {
  const u = new URL(location);
  const headers: Record<string, string> = { 'accept-encoding': 'identity' };
  if (u.username !== '' || u.password !== '') {
    const credentials = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
    headers['authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`;
    u.username = '';
    u.password = '';
  }
  return { href: u.href, headers };
}

/** A failed response, for retry classification. */
class HttpStatusError extends Error {
  constructor(readonly status: number, readonly statusText: string) {
    super(`HTTP ${status}${statusText === '' ? '' : ` ${statusText}`}`);
  }
}

/** The version of a response: its ETag, else its Last-Modified date. */
function versionOf(headers: Headers): string | undefined {
  const etag = normalizeEtag(headers.get('etag'));
  if (etag !== undefined) return etag;
  const lm = headers.get('last-modified');
  return lm === null ? undefined : `last-modified ${lm}`;
}

function classifyHttp(e: unknown, location: string, host: string): AttemptFailure {
  if (e instanceof ShoalError) return { retry: false, error: e };
  if (e instanceof HttpStatusError) {
    if (isRetryableStatus(e.status)) return { retry: true, cause: e.message };
    if (e.status === 404 || e.status === 410) {
      return { retry: false, error: new ShoalError('FILE_NOT_FOUND', `File not found: ${location} (${e.message})`, { location, cause: e }) };
    }
    if (e.status === 401 || e.status === 403) {
      return {
        retry: false,
        error: new ShoalError('PERMISSION_DENIED', `Access denied reading ${location} (${e.message})`, { location, hint: 'The server refused the request; check that the URL is public or still valid (presigned URLs expire)', cause: e }),
      };
    }
    if (e.status === 412 || e.status === 416) return { retry: false, error: fileChanged(location, `the server answered ${e.message} to a read within its former size`, e) };
    return { retry: false, error: new ShoalError('IO_ERROR', `Cannot read ${location}: ${e.message}`, { location, cause: e }) };
  }
  const network = networkFailureCause(e, host);
  if (network !== undefined) return { retry: true, cause: network };
  // Client errors may quote the URL they were given; show only its safe form.
  const detail = (e instanceof Error ? e.message : String(e)).replace(/\b(https?):\/\/\S+/g, (m) => safeUrl(m));
  return { retry: false, error: new ShoalError('IO_ERROR', `Cannot read ${location}: ${detail}`, { location, cause: e }) };
}

/**
 * Read-only files over http:// and https://. A URL is one file: nothing can be listed, so globs and directories
 * are refused (NOT_SUPPORTED). stat = HEAD (Content-Length; ETag, else Last-Modified, as the version), falling
 * back to a one-byte ranged GET when HEAD is refused (presigned GET URLs, servers without HEAD); reads = GET with
 * Range, expecting 206, checked against the pinned version. Bodies are requested without content encoding so
 * ranges are byte ranges of the file.
 */
export class HttpFileSystem implements FileSystem {
  readonly listable = false;
  private readonly policy: RetryPolicy;

  constructor(
    readonly scheme: 'http' | 'https',
    settings: HttpSettings = {},
  ) {
    this.policy = retryPolicyOf(settings);
  }

  /** One request with retries; `op` reads the whole response under the signal it is given. */
  async request<T>(url: string, o: IoOptions | undefined, op: (signal: AbortSignal) => Promise<T>): Promise<T> {
    throwIfAborted(o?.signal);
    const location = safeUrl(url);
    const host = safeUrl(new URL(url).origin);
    return withRetries(
      {
        location,
        policy: this.policy,
        signal: o?.signal,
        classify: (e) => classifyHttp(e, location, host),
        onAttempt: () => {
          if (o?.stats !== undefined) o.stats.requests += 1;
        },
      },
      op,
    );
  }

  async stat(location: string, o?: IoOptions): Promise<FileStatus> {
    const url = checkUrl(location);
    const target = requestTarget(url);
    const head = await this.request(url, o, async (signal) => {
      const res = await fetch(target.href, { method: 'HEAD', headers: target.headers, signal, redirect: 'follow' });
      if (res.status === 403 || res.status === 405 || res.status === 501) return undefined;
      if (!res.ok) throw new HttpStatusError(res.status, res.statusText);
      const length = Number(res.headers.get('content-length'));
      if (!Number.isFinite(length) || res.headers.get('content-length') === null) return undefined;
      return { location, size: length, etag: versionOf(res.headers), mtimeMs: mtimeOf(res.headers) };
    });
    return head ?? this.statByGet(url, location, o);
  }

  /** Size and version from a one-byte ranged GET (Content-Range: bytes 0-0/size). */
  private statByGet(url: string, location: string, o?: IoOptions): Promise<FileStatus> {
    const target = requestTarget(url);
    return this.request(url, o, async (signal) => {
      const res = await fetch(target.href, { headers: { ...target.headers, range: 'bytes=0-0' }, signal, redirect: 'follow' });
      await res.body?.cancel();
      if (res.status === 416) return { location, size: 0, etag: versionOf(res.headers), mtimeMs: mtimeOf(res.headers) };
      if (!res.ok) throw new HttpStatusError(res.status, res.statusText);
      const total = /\/(\d+)\s*$/.exec(res.headers.get('content-range') ?? '')?.[1] ?? (res.status === 200 ? res.headers.get('content-length') : null);
      if (total === null || total === undefined) {
        throw new ShoalError('NOT_SUPPORTED', `Cannot learn the size of ${safeUrl(url)}: the server sends no Content-Length or Content-Range`, { location: safeUrl(url) });
      }
      return { location, size: Number(total), etag: versionOf(res.headers), mtimeMs: mtimeOf(res.headers) };
    });
  }

  async isDirectory(_location: string): Promise<boolean> {
    return false;
  }

  async *list(prefix: string): AsyncIterable<FileStatus> {
    throw new ShoalError('NOT_SUPPORTED', `Cannot list files over ${this.scheme}: ${safeUrl(prefix)}`, {
      location: safeUrl(prefix),
      hint: 'An http(s) URL names one file; put many files in S3, GCS or a local folder to use globs and directories',
    });
  }

  async open(location: string, o?: OpenOptions): Promise<RandomAccessFile> {
    const url = checkUrl(location);
    const status = o?.status ?? (await this.stat(location, o));
    return new HttpFile(this, url, status.size, status.etag);
  }
}

function mtimeOf(headers: Headers): number | undefined {
  const lm = headers.get('last-modified');
  const t = lm === null ? NaN : Date.parse(lm);
  return Number.isNaN(t) ? undefined : t;
}

/** The URL to fetch; a wildcard in its path is refused (nothing can be listed over http). */
function checkUrl(location: string): string {
  let u: URL;
  try {
    u = new URL(location);
  } catch {
    throw new ShoalError('INVALID_ARGUMENTS', `Not a valid URL: ${safeUrl(location)}`, { location: safeUrl(location) });
  }
  if (/[*[{]/.test(decodeURIComponent(u.pathname))) {
    throw new ShoalError('NOT_SUPPORTED', `Wildcards are not supported in http(s) locations: ${safeUrl(location)}`, {
      location: safeUrl(location),
      hint: 'An http(s) URL names one file; list the files one by one, or put them in S3, GCS or a local folder to use globs',
    });
  }
  return location;
}

class HttpFile implements RandomAccessFile {
  readonly location: string;
  /** The whole file, when the server ignored Range once (see MAX_UNRANGED_BYTES). */
  private whole: Uint8Array | undefined;

  constructor(
    private readonly fs: HttpFileSystem,
    private readonly url: string,
    readonly size: number,
    private pinned: string | undefined,
  ) {
    this.location = safeUrl(url);
  }

  get etag(): string | undefined {
    return this.pinned;
  }

  async read(offset: number, length: number, o?: IoOptions): Promise<Uint8Array> {
    throwIfAborted(o?.signal);
    const n = Math.max(0, Math.min(length, this.size - offset));
    if (n === 0) return new Uint8Array(0);
    if (this.whole !== undefined) return this.whole.subarray(offset, offset + n);
    const shown = this.location;
    const count = (bytes: number): void => {
      if (o?.stats !== undefined) o.stats.bytesRead += bytes;
    };
    const target = requestTarget(this.url);
    return this.fs.request(this.url, o, async (signal) => {
      const res = await fetch(target.href, { headers: { ...target.headers, range: `bytes=${offset}-${offset + n - 1}` }, signal, redirect: 'follow' });
      if (res.status !== 206 && res.status !== 200) {
        await res.body?.cancel();
        throw new HttpStatusError(res.status, res.statusText);
      }
      try {
        checkVersion(shown, this.pinned, versionOf(res.headers));
      } catch (e) {
        await res.body?.cancel();
        throw e;
      }
      this.pinned ??= versionOf(res.headers);
      const body = (res.body ?? emptyBody()) as BodyStream;
      if (res.status === 206) {
        if (contentRangeStart(res.headers.get('content-range')) !== offset) {
          await res.body?.cancel();
          throw new ShoalError('IO_ERROR', `The server answered bytes ${offset}-${offset + n - 1} of ${shown} with ${res.headers.get('content-range') ?? 'no Content-Range'}`, { location: shown });
        }
        return readBody(body, signal, n, count);
      }
      // 200: the server ignored Range and sends the whole file.
      if (this.size > MAX_UNRANGED_BYTES) {
        await res.body?.cancel();
        throw new ShoalError('NOT_SUPPORTED', `The server of ${shown} ignores range requests, and the file is too big to download whole (${this.size} bytes)`, {
          location: shown,
          hint: 'Download the file and query the local copy, or serve it from a server that supports Range (S3, GCS, nginx)',
        });
      }
      const all = await readBody(body, signal, this.size, count);
      this.whole = all;
      return all.subarray(offset, offset + n);
    });
  }

  readTail(maxLength: number, o?: IoOptions): Promise<Uint8Array> {
    const n = Math.min(maxLength, this.size);
    return this.read(this.size - n, n, o);
  }

  async close(): Promise<void> {
    this.whole = undefined;
  }
}

async function* emptyBody(): AsyncIterable<Uint8Array> {}
