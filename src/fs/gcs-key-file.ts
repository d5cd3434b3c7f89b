import { readFile } from 'node:fs/promises';
import type { JWT } from 'google-auth-library';
import { ShoalError } from '../common/index.js';

/**
 * The credentials of a service-account key file (the catalog setting gcs.key_file). Only `service_account` keys are
 * accepted: other credential files (external accounts, executables) can run commands or reach arbitrary token
 * endpoints, which Google advises against loading unchecked. Nothing from the file is ever quoted in a message.
 */

/** Shoal only reads from Cloud Storage. */
const READ_ONLY_SCOPE = 'https://www.googleapis.com/auth/devstorage.read_only';

const HINT = 'gcs.key_file must name a service-account key file (JSON, "type": "service_account") that Shoal can read';

function bad(file: string, problem: string, cause?: unknown): ShoalError {
  return new ShoalError('STORAGE_CONFIGURATION_ERROR', `The service-account key file ${file} (gcs.key_file) ${problem}`, { location: file, hint: HINT, cause });
}

export interface KeyFileCredentials {
  readonly client: JWT;
  readonly projectId: string | undefined;
}

export async function loadKeyFile(file: string): Promise<KeyFileCredentials> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    throw bad(file, `cannot be read${typeof code === 'string' ? ` (${code})` : ''}`, e);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw bad(file, 'is not JSON');
  }
  const k = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  if (k['type'] !== 'service_account') {
    throw bad(file, `is not a service-account key (its type is ${typeof k['type'] === 'string' ? JSON.stringify(k['type']) : 'missing'})`);
  }
  const email = k['client_email'];
  const key = k['private_key'];
  if (typeof email !== 'string' || typeof key !== 'string') throw bad(file, 'lacks client_email or private_key');
  const { JWT } = await import('google-auth-library');
  const keyId = k['private_key_id'];
  const client = new JWT({ email, key, scopes: [READ_ONLY_SCOPE], ...(typeof keyId === 'string' ? { keyId } : {}) });
  return { client, projectId: typeof k['project_id'] === 'string' ? k['project_id'] : undefined };
}
