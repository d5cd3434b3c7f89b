export type { FileStatus, FileSystem, IoOptions, IoStats, OpenOptions, RandomAccessFile } from './file-system.js';
export { newIoStats } from './file-system.js';
export { LocalFileSystem } from './local-fs.js';
export { FileSystems, schemeOf, resolveLocation, hasGlob, isHiddenFile } from './registry.js';
export {
  coalesceRanges, readRanges, raceAbort, RequestGate, DEFAULT_COALESCE, DEFAULT_PARALLEL_REQUESTS,
  type ByteRange, type FetchedRange, type CoalesceOptions,
} from './ranged-reads.js';
