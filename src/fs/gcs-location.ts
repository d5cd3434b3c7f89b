import { ShoalError } from '../common/index.js';

/** A `gs://bucket/key` location split into bucket and object name (key may be empty: the bucket's root). */
export interface GcsLocation {
  readonly bucket: string;
  readonly key: string;
}

const GS_URL = /^gs:\/\/([^/]*)(?:\/(.*))?$/i;

/** Parses `gs://bucket[/key]`. Object names are taken verbatim (no percent-decoding), as gsutil and gcloud do. */
export function parseGcsLocation(location: string): GcsLocation {
  const m = GS_URL.exec(location);
  if (m === null || m[1] === '') {
    throw new ShoalError('STORAGE_CONFIGURATION_ERROR', `Not a valid Cloud Storage location: ${location}`, {
      location,
      hint: 'Write gs://bucket/path/to/object',
    });
  }
  return { bucket: m[1]!, key: m[2] ?? '' };
}

export function gcsUrl(bucket: string, key: string): string {
  return `gs://${bucket}/${key}`;
}
