export type { FileStatus, FileSystem, IoOptions, IoStats, OpenOptions, RandomAccessFile } from './file-system.js';
export { newIoStats } from './file-system.js';
export { isWritable, countWrite, type WritableFileSystem, type FileWriter, type CreateOptions, type PublishMethod } from './writable.js';
export { LocalFileSystem } from './local-fs.js';
export { AllowedRoots } from './allowed-roots.js';
export { FileSystems, schemeOf, resolveLocation, hasGlob, isHiddenFile, displayLocation, redactUrls } from './registry.js';
export { S3FileSystem, parseS3Location } from './s3-fs.js';
export { HttpFileSystem, safeUrl } from './http-fs.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';
export {
  parseStorageSettings, mergeStorageSettings, retryPolicyOf,
  type StorageSettings, type S3Settings, type HttpSettings, type RetrySettings, type SettingError,
} from './storage-settings.js';
export { GcsFileSystem, type GcsFileSystemOptions } from './gcs-fs.js';
export { parseGcsSettings, type GcsSettings } from './gcs-settings.js';
export {
  coalesceRanges, ownsBuffer, readRanges, raceAbort, RequestGate, DEFAULT_COALESCE, DEFAULT_PARALLEL_REQUESTS,
  type ByteRange, type FetchedRange, type CoalesceOptions,
} from './ranged-reads.js';
export { ListingCache, ListingScope, DEFAULT_LISTING_MAX_AGE_MS, type ListingCacheOptions } from './listing-cache.js';
export type { ExpandOptions } from './registry.js';
