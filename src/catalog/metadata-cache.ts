import type { ParquetFileInfo } from '../formats/index.js';
import type { FileStatus } from '../fs/index.js';

/**
 * Parquet footers keyed by location, size and version token, so a file rewritten in place is never served from a
 * stale entry. Bounded (least recently used entries go first); concurrent requests for one footer share one read.
 */
export class MetadataCache {
  private readonly entries = new Map<string, Promise<ParquetFileInfo>>();

  constructor(private readonly capacity = 4096) {}

  parquetInfo(file: FileStatus, load: () => Promise<ParquetFileInfo>): Promise<ParquetFileInfo> {
    const key = `${file.location}\u0000${file.size}\u0000${file.etag ?? ''}`;
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const p = load();
    this.entries.set(key, p);
    p.catch(() => this.entries.delete(key));
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return p;
  }

  get size(): number {
    return this.entries.size;
  }
}
