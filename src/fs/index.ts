export type { FileStatus, FileSystem, IoOptions, IoStats, OpenOptions, RandomAccessFile } from './file-system.js';
export { newIoStats } from './file-system.js';
export { LocalFileSystem } from './local-fs.js';
export { FileSystems, schemeOf, resolveLocation, hasGlob, isHiddenFile } from './registry.js';
export {
  coalesceRanges, readRanges, raceAbort, RequestGate, DEFAULT_COALESCE, DEFAULT_PARALLEL_REQUESTS,
  type ByteRange, type FetchedRange, type CoalesceOptions,
} from './ranged-reads.js';
export { ListingCache, ListingScope, DEFAULT_LISTING_MAX_AGE_MS, type ListingCacheOptions } from './listing-cache.js';
export type { ExpandOptions } from './registry.js';
