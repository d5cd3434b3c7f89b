import path from 'node:path';
import { ShoalError, didYouMean } from '../common/index.js';

/**
 * The `gcs` object of a catalog's settings file (catalog/<name>.json). Never credentials: `key_file` is the path of a
 * service-account key file, read by the Google auth library when a request needs a token.
 *
 *   "gcs": { "endpoint": "http://127.0.0.1:4443", "project": "my-project", "key_file": "/etc/shoal/sa.json" }
 */
export interface GcsSettings {
  /** API endpoint (scheme, host, port), e.g. an emulator; default STORAGE_EMULATOR_HOST, else Google's. */
  readonly endpoint?: string | undefined;
  /** Project for requests that need one; default from the credentials or GOOGLE_CLOUD_PROJECT. */
  readonly project?: string | undefined;
  /** Absolute path of a service-account key file (relative paths resolve against the catalog's base folder). */
  readonly keyFile?: string | undefined;
}

const KEYS = ['endpoint', 'project', 'key_file'];

function bad(message: string, hint?: string): ShoalError {
  return new ShoalError('STORAGE_CONFIGURATION_ERROR', `Invalid gcs settings: ${message}`, { hint });
}

function optionalString(raw: Record<string, unknown>, key: string): string | undefined {
  const v = raw[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') throw bad(`${key} must be a non-empty string`);
  return v;
}

/** Validates catalog settings (`unknown` from JSON); relative key_file paths resolve against `baseDir`. */
export function parseGcsSettings(raw: unknown, baseDir: string = process.cwd()): GcsSettings {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad('gcs must be an object');
  const obj = raw as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    if (!KEYS.includes(k)) throw bad(`unknown key '${k}'`, didYouMean(k, KEYS) ?? `Allowed keys: ${KEYS.join(', ')} and the retry keys (request_timeout_ms, max_attempts, retry_base_delay_ms, retry_max_delay_ms)`);
  }
  const endpoint = optionalString(obj, 'endpoint');
  if (endpoint !== undefined && !/^https?:\/\/[^/]+/i.test(endpoint)) {
    throw bad(`endpoint must be an http:// or https:// URL, not ${JSON.stringify(endpoint)}`);
  }
  const keyFile = optionalString(obj, 'key_file');
  return {
    endpoint: endpoint?.replace(/\/+$/, '').replace(/\/storage\/v1$/, ''),
    project: optionalString(obj, 'project'),
    keyFile: keyFile === undefined ? undefined : path.resolve(baseDir, keyFile),
  };
}
