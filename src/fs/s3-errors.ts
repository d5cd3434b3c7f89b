import { ShoalError } from '../common/index.js';
import { fileChanged } from './object-version.js';
import { isRetryableStatus, networkFailureCause, type AttemptFailure } from './retry.js';

/** The parts of an AWS SDK error Shoal looks at (SDK errors enter as unknown and are narrowed here). */
interface SdkErrorShape {
  readonly name: string;
  readonly message: string;
  readonly status: number | undefined;
}

function shapeOf(e: unknown): SdkErrorShape {
  const o = (typeof e === 'object' && e !== null ? e : {}) as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const status = o.$metadata?.httpStatusCode;
  return {
    name: typeof o.name === 'string' ? o.name : 'Error',
    message: typeof o.message === 'string' ? o.message : String(e),
    status: typeof status === 'number' ? status : undefined,
  };
}

/** One line for a failed S3 response: `HTTP 503 SlowDown: Please reduce your request rate.` */
function describeResponse(s: SdkErrorShape): string {
  const detail = s.message === '' || s.message === 'UnknownError' ? '' : `: ${s.message}`;
  const name = s.name === 'Unknown' || s.name === 'Error' ? '' : ` ${s.name}`;
  return s.status === undefined ? `${s.name}${detail}` : `HTTP ${s.status}${name}${detail}`;
}

const CREDENTIAL_HINT =
  'Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, choose a profile with AWS_PROFILE (or the catalog setting s3.profile) ' +
  'in the shared files ~/.aws/credentials and ~/.aws/config, or run where web-identity, container or instance credentials are available';

const PERMISSION_NAMES = new Set(['AccessDenied', 'Forbidden', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidToken', 'TokenRefreshRequired', 'AllAccessDisabled']);
const RETRYABLE_NAMES = new Set(['SlowDown', 'ConditionalRequestConflict', 'RequestTimeout', 'RequestTimeoutException', 'InternalError', 'ServiceUnavailable', 'Throttling', 'ThrottlingException', 'TooManyRequestsException']);

/** What the failing request was doing, for the wording of messages and of the permissions hint. */
export type S3Action = 'read' | 'write' | 'delete' | 'copy';

/** The verb messages use for an action ('reading', 'writing', …). */
export function s3ActionVerb(action: S3Action | undefined): string {
  return ACTION_WORDS[action ?? 'read'].verb;
}

const ACTION_WORDS: Record<S3Action, { readonly verb: string; readonly permissions: string }> = {
  read: { verb: 'reading', permissions: 'read this bucket and key (s3:GetObject, s3:ListBucket)' },
  write: { verb: 'writing', permissions: 'write this bucket and key (s3:PutObject, s3:AbortMultipartUpload)' },
  delete: { verb: 'deleting', permissions: 'delete in this bucket (s3:DeleteObject, s3:ListBucket)' },
  copy: { verb: 'copying to', permissions: 'read the source and write the target (s3:GetObject, s3:PutObject)' },
};

export interface S3ErrorContext {
  /** s3://bucket/key (or s3://bucket/prefix/ for listings). */
  readonly location: string;
  readonly bucket: string;
  readonly endpoint: string;
  /** Default 'read'. */
  readonly action?: S3Action | undefined;
}

/**
 * Maps an S3 failure to retry-or-fail. Final errors name the location and the cause: a missing bucket is a
 * configuration error, a missing key FILE_NOT_FOUND, 403s PERMISSION_DENIED, missing credentials a configuration
 * error with a hint. Throttling, 5xx, timeouts and dropped connections are retried. A ShoalError thrown by the
 * attempt itself (FILE_CHANGED) is final as it is.
 */
export function classifyS3Error(e: unknown, c: S3ErrorContext): AttemptFailure {
  if (e instanceof ShoalError) return { retry: false, error: e };
  const s = shapeOf(e);
  const words = ACTION_WORDS[c.action ?? 'read'];
  if (s.name === 'CredentialsProviderError' || /could not load credentials/i.test(s.message)) {
    return {
      retry: false,
      error: new ShoalError('STORAGE_CONFIGURATION_ERROR', `No AWS credentials found for ${words.verb} ${c.location} (${s.message})`, { location: c.location, hint: CREDENTIAL_HINT, cause: e }),
    };
  }
  if (s.name === 'NoSuchBucket') return { retry: false, error: noSuchBucket(c, e) };
  if (s.name === 'NoSuchKey' || s.status === 404) {
    return { retry: false, error: new ShoalError('FILE_NOT_FOUND', `Object not found: ${c.location}`, { location: c.location, cause: e }) };
  }
  if (s.status === 403 || PERMISSION_NAMES.has(s.name)) {
    return {
      retry: false,
      error: new ShoalError('PERMISSION_DENIED', `Access denied ${words.verb} ${c.location} (${describeResponse(s)})`, {
        location: c.location,
        hint: `Check that the credentials in use may ${words.permissions}, and that they are valid`,
        cause: e,
      }),
    };
  }
  if (s.name === 'PermanentRedirect' || s.name === 'AuthorizationHeaderMalformed' || s.status === 301) {
    return {
      retry: false,
      error: new ShoalError('STORAGE_CONFIGURATION_ERROR', `Bucket '${c.bucket}' is not in the configured region (${describeResponse(s)}; ${c.location})`, {
        location: c.location,
        hint: "Set AWS_REGION or the catalog setting s3.region to the bucket's region",
        cause: e,
      }),
    };
  }
  if (s.status === 416 || s.name === 'InvalidRange') {
    return { retry: false, error: fileChanged(c.location, 'it is now shorter than when the query listed it', e) };
  }
  if ((s.status !== undefined && isRetryableStatus(s.status)) || RETRYABLE_NAMES.has(s.name)) {
    return { retry: true, cause: describeResponse(s) };
  }
  const network = networkFailureCause(e, c.endpoint);
  if (network !== undefined) return { retry: true, cause: network };
  return {
    retry: false,
    error: new ShoalError('IO_ERROR', `Failed ${words.verb} ${c.location}: ${describeResponse(s)}`, { location: c.location, cause: e }),
  };
}

export function noSuchBucket(c: S3ErrorContext, cause?: unknown): ShoalError {
  return new ShoalError('STORAGE_CONFIGURATION_ERROR', `Bucket '${c.bucket}' does not exist (${c.location})`, {
    location: c.location,
    hint: `Check the bucket name, the region and the endpoint (${c.endpoint})`,
    cause,
  });
}
