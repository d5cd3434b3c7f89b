import type { Storage, StorageOptions } from '@google-cloud/storage';
import { ShoalError } from '../common/index.js';
import { loadKeyFile } from './gcs-key-file.js';
import type { GcsSettings } from './gcs-settings.js';

type GcsLibrary = typeof import('@google-cloud/storage');

let library: Promise<GcsLibrary> | undefined;

/** @google-cloud/storage, imported on first use: local-only runs never load it (it pulls in ~60 modules). */
function loadLibrary(): Promise<GcsLibrary> {
  library ??= import('@google-cloud/storage').catch((e: unknown) => {
    library = undefined;
    throw new ShoalError('STORAGE_CONFIGURATION_ERROR', 'gs:// locations need the @google-cloud/storage package, which could not be loaded', {
      hint: 'Reinstall Shoal with its dependencies (npm ci)',
      cause: e,
    });
  });
  return library;
}

/**
 * A Storage client for these settings. Credentials: the service-account key file `settings.keyFile` when given,
 * else Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, the gcloud ADC file, the metadata server),
 * resolved by the auth library on the first request. Endpoint: `settings.endpoint`, else STORAGE_EMULATOR_HOST,
 * else Google's. A custom endpoint (an emulator) is called without credentials unless a key file is configured.
 * The library's own retries are off: Shoal's retry policy wraps every call, and `timeoutMs` bounds each request.
 */
export async function createStorage(settings: GcsSettings, timeoutMs: number): Promise<Storage> {
  const { Storage } = await loadLibrary();
  const options: StorageOptions = {
    retryOptions: { autoRetry: false, maxRetries: 0 },
    timeout: timeoutMs,
    useAuthWithCustomEndpoint: settings.keyFile !== undefined,
  };
  if (settings.endpoint !== undefined) options.apiEndpoint = settings.endpoint;
  if (settings.keyFile !== undefined) {
    const key = await loadKeyFile(settings.keyFile);
    options.authClient = key.client;
    if (key.projectId !== undefined) options.projectId = key.projectId;
  }
  if (settings.project !== undefined) options.projectId = settings.project;
  const storage = new Storage(options);
  if (settings.endpoint !== undefined) {
    // The library sends JSON-API requests to STORAGE_EMULATOR_HOST whenever that variable is set, even when an
    // apiEndpoint is given; the catalog's endpoint must win for every request.
    storage.baseUrl = `${settings.endpoint}/storage/v1`;
  } else if (!/\/storage\/v1\/?$/.test(storage.baseUrl)) {
    // From STORAGE_EMULATOR_HOST the library takes the host as the JSON API's base as written (often without
    // /storage/v1); Shoal's own media and upload URLs are built beside `<origin>/storage/v1`.
    storage.baseUrl = `${storage.baseUrl.replace(/\/+$/, '')}/storage/v1`;
  }
  return storage;
}
