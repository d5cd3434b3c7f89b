import type { S3Client } from '@aws-sdk/client-s3';
import { ShoalError } from '../common/index.js';
import type { S3Settings } from './storage-settings.js';

export type S3Sdk = typeof import('@aws-sdk/client-s3');

/** An S3 client with its SDK module, and the endpoint as error messages name it. */
export interface S3Connection {
  readonly sdk: S3Sdk;
  readonly client: S3Client;
  /** The endpoint URL (custom) or `https://s3.<region>.amazonaws.com`; never carries credentials. */
  readonly endpoint: string;
}

/** Where the client connects and how it addresses buckets, from settings over the standard AWS variables. */
export interface S3Endpoint {
  readonly endpoint?: string | undefined;
  /** Which setting or variable named the endpoint (for error messages). */
  readonly endpointSource?: string | undefined;
  readonly forcePathStyle: boolean;
  readonly region?: string | undefined;
  readonly profile?: string | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

/**
 * Endpoint: the `s3.endpoint` setting, else AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL (both ignored when
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true), else AWS's own. Path-style addressing is on for a custom endpoint
 * (MinIO, R2 and test servers rarely serve virtual-host buckets) unless `s3.path_style` says otherwise.
 * Region: the setting, else AWS_REGION, else AWS_DEFAULT_REGION (else the shared config; see connectS3).
 */
export function resolveS3Endpoint(s: S3Settings, env: Env): S3Endpoint {
  const ignoreEnv = env['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS']?.toLowerCase() === 'true';
  let endpoint = s.endpoint;
  let endpointSource = endpoint === undefined ? undefined : 'the catalog setting s3.endpoint';
  if (endpoint === undefined && !ignoreEnv) {
    for (const name of ['AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL']) {
      const v = nonEmpty(env[name]);
      if (v !== undefined) {
        endpoint = v;
        endpointSource = `the environment variable ${name}`;
        break;
      }
    }
  }
  if (endpoint !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new ShoalError('STORAGE_CONFIGURATION_ERROR', `The S3 endpoint from ${endpointSource} is not an http(s) URL`, {
        hint: 'Set it to a URL such as http://127.0.0.1:9000',
      });
    }
  }
  return {
    endpoint,
    endpointSource,
    forcePathStyle: s.pathStyle ?? endpoint !== undefined,
    region: s.region ?? nonEmpty(env['AWS_REGION']) ?? nonEmpty(env['AWS_DEFAULT_REGION']),
    profile: s.profile,
  };
}

/** An endpoint URL fit for messages: no user name, password or query. */
export function displayEndpoint(endpoint: string): string {
  try {
    const u = new URL(endpoint);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '(invalid endpoint)';
  }
}

let sdk: Promise<S3Sdk> | undefined;

/**
 * The SDK, loaded on first use so that local-only runs never pay for it. The SDK warns on stderr that Node 20
 * support ends in 2027; Shoal users cannot act on that, so it is silenced with the SDK's documented opt-out
 * (aws/aws-sdk-js-v3#7983), unless the user set the variable themselves.
 */
export function loadS3Sdk(): Promise<S3Sdk> {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  sdk ??= import('@aws-sdk/client-s3');
  return sdk;
}

const DEFAULT_REGION = 'us-east-1';

/**
 * Creates the client: credentials from the default Node provider chain (environment, shared config and
 * credentials files with the profile, SSO, web identity, container and instance metadata), resolved lazily on
 * the first request; the SDK's own retries off (maxAttempts 1) so that retry.ts is the one retry policy.
 */
export async function connectS3(s: S3Settings, env: Env = process.env): Promise<S3Connection> {
  const where = resolveS3Endpoint(s, env);
  const mod = await loadS3Sdk();
  const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
  const region = where.region ?? (await sharedConfigRegion(mod, where.profile)) ?? DEFAULT_REGION;
  const client = new mod.S3Client({
    region,
    ...(where.endpoint === undefined ? {} : { endpoint: where.endpoint }),
    forcePathStyle: where.forcePathStyle,
    ...(where.profile === undefined ? {} : { profile: where.profile }),
    credentials: fromNodeProviderChain(where.profile === undefined ? {} : { profile: where.profile }),
    maxAttempts: 1,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const endpoint = where.endpoint !== undefined ? displayEndpoint(where.endpoint) : `https://s3.${region}.amazonaws.com`;
  return { sdk: mod, client, endpoint };
}

/** The region of the shared config file (for the profile), as the SDK reads it; undefined when there is none. */
async function sharedConfigRegion(mod: S3Sdk, profile: string | undefined): Promise<string | undefined> {
  const probe = new mod.S3Client(profile === undefined ? {} : { profile });
  try {
    const r: unknown = await probe.config.region();
    return typeof r === 'string' && r !== '' ? r : undefined;
  } catch {
    return undefined;
  } finally {
    probe.destroy();
  }
}
