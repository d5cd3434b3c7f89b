export type { FileStatus, FileSystem, IoOptions, IoStats, OpenOptions, RandomAccessFile } from './file-system.js';
export { newIoStats } from './file-system.js';
export { LocalFileSystem } from './local-fs.js';
export { FileSystems, schemeOf, resolveLocation, hasGlob, isHiddenFile } from './registry.js';
export { isWritable, countWrite, type WritableFileSystem, type FileWriter, type CreateOptions, type PublishMethod } from './writable.js';
