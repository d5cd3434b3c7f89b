import { ShoalError } from '../common/index.js';
import { gcsUrl, type GcsLocation } from './gcs-location.js';

/**
 * Turns what @google-cloud/storage throws into Shoal's errors. Final outcomes (missing bucket or object, permission,
 * changed object, bad configuration) become ShoalErrors; transient ones (429, 408, 5xx, resets, timeouts) become a
 * plain TransientGcsError, which the retry policy repeats. Messages name the gs:// location and the service's own
 * reason; they never include credentials (the library keeps tokens in headers, which are never quoted here).
 */

/** A failure worth retrying; its message is what the final STORAGE_UNAVAILABLE error quotes. */
export class TransientGcsError extends Error {
  override readonly name = 'TransientGcsError';
}

/**
 * What the failing request was doing: a read of an opened (version-pinned) object turns "gone" into FILE_CHANGED;
 * 'write' covers uploads, copies and deletes.
 */
export type GcsRequestKind = 'stat' | 'list' | 'read' | 'write';

const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const CREDENTIALS_HINT =
  'Shoal uses Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, `gcloud auth application-default login`, ' +
  'or the metadata server) or the service-account key file in the catalog setting gcs.key_file';

function field(e: unknown, name: string): unknown {
  return typeof e === 'object' && e !== null ? (e as Record<string, unknown>)[name] : undefined;
}

/** The HTTP status of an API error (ApiError.code, or a gaxios error's response.status). */
function statusOf(e: unknown): number | undefined {
  const code = field(e, 'code');
  if (typeof code === 'number') return code;
  const status = field(field(e, 'response'), 'status');
  return typeof status === 'number' ? status : undefined;
}

/** The service's message without its final period (Shoal's messages add their own punctuation). */
function serviceMessage(e: unknown): string {
  return rawServiceMessage(e).trim().replace(/\.+$/, '');
}

/** The library's stream paths report the raw JSON error body as the message; take the message out of it. */
function rawServiceMessage(e: unknown): string {
  const raw = e instanceof Error ? e.message : String(e);
  if (raw.startsWith('{')) {
    try {
      const body: unknown = JSON.parse(raw);
      const m = field(field(body, 'error'), 'message');
      if (typeof m === 'string') return m;
    } catch {
      // not JSON after all
    }
  }
  return raw;
}

export function mapGcsError(e: unknown, where: GcsLocation, kind: GcsRequestKind, generation?: string): ShoalError | TransientGcsError {
  if (e instanceof ShoalError || e instanceof TransientGcsError) return e;
  const location = gcsUrl(where.bucket, where.key);
  const status = statusOf(e);
  const message = serviceMessage(e);
  if (status !== undefined) {
    if (TRANSIENT_STATUS.has(status)) return new TransientGcsError(`HTTP ${status}: ${message}`);
    if (status === 404 && (kind === 'list' || /bucket does not exist/i.test(message))) {
      return new ShoalError('STORAGE_CONFIGURATION_ERROR', `Cloud Storage bucket '${where.bucket}' does not exist (${kind === 'write' ? 'writing' : 'reading'} ${location})`, {
        location,
        hint: 'Check the bucket name in the location, and the endpoint (catalog setting gcs.endpoint or STORAGE_EMULATOR_HOST)',
        cause: e,
      });
    }
    if (kind === 'read' && (status === 404 || status === 412)) {
      return new ShoalError('FILE_CHANGED', `${location} changed while the query was reading it: generation ${generation ?? '?'} is no longer the current version (the object was overwritten or deleted)`, {
        location,
        hint: 'Re-run the query to read the current version',
        cause: e,
      });
    }
    if (status === 404) return new ShoalError('FILE_NOT_FOUND', `File not found: ${location}`, { location, cause: e });
    if (status === 401 || status === 403) {
      return new ShoalError('PERMISSION_DENIED', `Permission denied for ${location}: ${message}`, { location, hint: CREDENTIALS_HINT, cause: e });
    }
    return new ShoalError('IO_ERROR', `Cloud Storage request for ${location} failed: HTTP ${status}: ${message}`, { location, cause: e });
  }
  // fetch reports network failures as TypeError('fetch failed' | 'terminated') with the system error as cause.
  const cause = field(e, 'cause');
  const code = typeof field(e, 'code') === 'string' ? field(e, 'code') : field(cause, 'code');
  if (typeof code === 'string' && (/^E[A-Z]+$/.test(code) || code.startsWith('UND_ERR') || code === 'ERR_STREAM_PREMATURE_CLOSE')) {
    if (code === 'ENOENT' || code === 'EACCES') {
      const file = field(e, 'path');
      return new ShoalError('STORAGE_CONFIGURATION_ERROR', `Cannot read the Google Cloud credentials file${typeof file === 'string' ? ` ${file}` : ''} (${code}) while reading ${location}`, {
        location,
        hint: CREDENTIALS_HINT,
        cause: e,
      });
    }
    const detail = cause instanceof Error && field(e, 'code') === undefined ? cause.message : message.replace(/^request to \S+ failed, reason: /, '');
    return new TransientGcsError(`${code}: ${detail}`);
  }
  if (e instanceof TypeError && /^(fetch failed|terminated)$/.test(e.message)) return new TransientGcsError(`connection failed: ${message}`);
  if (/default credentials|credential|invalid_grant|unauthorized_client|JWT|private key|client_email/i.test(message)) {
    return new ShoalError('STORAGE_CONFIGURATION_ERROR', `Cannot authenticate to Cloud Storage for ${location}: ${message}`, { location, hint: CREDENTIALS_HINT, cause: e });
  }
  return new ShoalError('IO_ERROR', `Cloud Storage request for ${location} failed: ${message}`, { location, cause: e });
}
