import { ShoalError, didYouMean } from '../common/index.js';
import { parseGcsSettings, type GcsSettings } from './gcs-settings.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';

/**
 * Storage settings of a catalog (`catalog/<name>.json` keys `s3`, `http`, `gcs`) or of the engine's defaults.
 * Never secrets: credentials come from the environment, shared credential files or instance metadata.
 */
export interface StorageSettings {
  readonly s3?: S3Settings | undefined;
  readonly http?: HttpSettings | undefined;
  readonly gcs?: (GcsSettings & RetrySettings) | undefined;
}

/** Retry and timeout settings every remote file system accepts. */
export interface RetrySettings {
  readonly requestTimeoutMs?: number | undefined;
  readonly maxAttempts?: number | undefined;
  readonly retryBaseDelayMs?: number | undefined;
  readonly retryMaxDelayMs?: number | undefined;
}

export interface S3Settings extends RetrySettings {
  /** A custom endpoint (MinIO, R2, a test server); overrides AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL. */
  readonly endpoint?: string | undefined;
  readonly region?: string | undefined;
  /** Shared config/credentials profile; overrides AWS_PROFILE. */
  readonly profile?: string | undefined;
  /** Path-style addressing (`endpoint/bucket/key`); default: on for custom endpoints, off for AWS. */
  readonly pathStyle?: boolean | undefined;
  /** Keys per ListObjectsV2 page (1..1000, default 1000). */
  readonly listPageSize?: number | undefined;
}

export type HttpSettings = RetrySettings;

/** Builds the error for a bad setting; the caller words and codes it (INVALID_CATALOG_FILE naming the file). */
export type SettingError = (message: string, hint?: string) => ShoalError;

const RETRY_KEYS = ['request_timeout_ms', 'max_attempts', 'retry_base_delay_ms', 'retry_max_delay_ms'];
const S3_KEYS = ['endpoint', 'region', 'profile', 'path_style', 'list_page_size', ...RETRY_KEYS];
const HTTP_KEYS = [...RETRY_KEYS];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkKeys(obj: Record<string, unknown>, allowed: readonly string[], where: string, bad: SettingError): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) throw bad(`unknown key '${where}.${k}'`, didYouMean(k, allowed) ?? `Allowed keys in ${where}: ${allowed.join(', ')}`);
  }
}

function integer(obj: Record<string, unknown>, key: string, where: string, min: number, max: number, bad: SettingError): number | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw bad(`${where}.${key} must be an integer from ${min} to ${max}`);
  return v;
}

function text(obj: Record<string, unknown>, key: string, where: string, bad: SettingError): string | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.trim() === '') throw bad(`${where}.${key} must be a non-empty string`);
  return v;
}

function parseRetrySettings(obj: Record<string, unknown>, where: string, bad: SettingError): RetrySettings {
  return {
    requestTimeoutMs: integer(obj, 'request_timeout_ms', where, 1, 3_600_000, bad),
    maxAttempts: integer(obj, 'max_attempts', where, 1, 100, bad),
    retryBaseDelayMs: integer(obj, 'retry_base_delay_ms', where, 0, 600_000, bad),
    retryMaxDelayMs: integer(obj, 'retry_max_delay_ms', where, 0, 600_000, bad),
  };
}

/** An endpoint URL: http(s), no user name or password in it (those would be secrets in a catalog file). */
function endpoint(obj: Record<string, unknown>, where: string, bad: SettingError): string | undefined {
  const v = text(obj, 'endpoint', where, bad);
  if (v === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw bad(`${where}.endpoint must be a URL such as "http://127.0.0.1:9000"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw bad(`${where}.endpoint must be an http:// or https:// URL`);
  if (url.username !== '' || url.password !== '') {
    throw bad(`${where}.endpoint must not contain a user name or password`, 'Credentials come from the environment or shared credential files, never catalog files');
  }
  return v.replace(/\/+$/, '');
}

function parseS3(raw: unknown, bad: SettingError): S3Settings {
  if (!isRecord(raw)) throw bad('s3 must be an object');
  checkKeys(raw, S3_KEYS, 's3', bad);
  const pathStyle = raw['path_style'];
  if (pathStyle !== undefined && typeof pathStyle !== 'boolean') throw bad('s3.path_style must be true or false');
  return {
    ...parseRetrySettings(raw, 's3', bad),
    endpoint: endpoint(raw, 's3', bad),
    region: text(raw, 'region', 's3', bad),
    profile: text(raw, 'profile', 's3', bad),
    pathStyle,
    listPageSize: integer(raw, 'list_page_size', 's3', 1, 1000, bad),
  };
}

function parseHttp(raw: unknown, bad: SettingError): HttpSettings {
  if (!isRecord(raw)) throw bad('http must be an object');
  checkKeys(raw, HTTP_KEYS, 'http', bad);
  return parseRetrySettings(raw, 'http', bad);
}

/** Validates the storage keys of a catalog file (or the engine's defaults) given as parsed JSON. */
export function parseStorageSettings(raw: Readonly<Record<string, unknown>>, bad: SettingError, baseDir?: string): StorageSettings {
  return {
    s3: raw['s3'] === undefined ? undefined : parseS3(raw['s3'], bad),
    http: raw['http'] === undefined ? undefined : parseHttp(raw['http'], bad),
    gcs: raw['gcs'] === undefined ? undefined : parseGcs(raw['gcs'], bad, baseDir),
  };
}

/** GCS owns its keys (gcs-settings.ts); its errors are reworded by the caller like the others. */
function parseGcs(raw: unknown, bad: SettingError, baseDir: string | undefined): GcsSettings & RetrySettings {
  if (!isRecord(raw)) throw bad('gcs must be an object');
  const own = Object.fromEntries(Object.entries(raw).filter(([k]) => !RETRY_KEYS.includes(k)));
  try {
    return { ...parseRetrySettings(raw, 'gcs', bad), ...parseGcsSettings(own, baseDir) };
  } catch (e) {
    if (e instanceof ShoalError) throw bad(e.message.replace(/^Invalid gcs settings: /, ''), e.hint);
    throw e;
  }
}

/** The retry policy a file system uses: its settings over the defaults. */
export function retryPolicyOf(s: RetrySettings | undefined): RetryPolicy {
  return {
    maxAttempts: s?.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts,
    baseDelayMs: s?.retryBaseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
    maxDelayMs: s?.retryMaxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
    requestTimeoutMs: s?.requestTimeoutMs ?? DEFAULT_RETRY_POLICY.requestTimeoutMs,
  };
}

function isPlainRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `over` on top of `base`, key by key within each store's settings; keys `over` leaves undefined keep `base`'s. */
export function mergeStorageSettings(base: StorageSettings, over: StorageSettings): StorageSettings {
  const merge = (a: unknown, b: unknown): unknown => {
    if (b === undefined) return a;
    if (!isPlainRecord(a) || !isPlainRecord(b)) return b;
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) if (v !== undefined) out[k] = v;
    return out;
  };
  return {
    s3: merge(base.s3, over.s3) as S3Settings | undefined,
    http: merge(base.http, over.http) as HttpSettings | undefined,
    gcs: merge(base.gcs, over.gcs) as (GcsSettings & RetrySettings) | undefined,
  };
}
