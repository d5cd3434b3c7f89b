import { ParquetFooter } from '../formats/index.js';
import type { FileStatus, FileSystems, IoOptions } from '../fs/index.js';

export interface MetadataCacheOptions {
  /** Bound on the estimated memory of the cached footers (ParquetFooter.weight). Default 128 MiB. */
  readonly maxBytes?: number | undefined;
  /** Bound on the number of files. Default 16384. */
  readonly maxEntries?: number | undefined;
}

interface Entry {
  readonly footer: Promise<ParquetFooter>;
  /** Known once loaded; until then the entry counts as 0 bytes. */
  weight: number;
}

/**
 * Parquet footers (parsed metadata plus the end-of-file bytes the decoder needs) keyed by location, size and
 * version token, so a file rewritten in place is never served from a stale entry, and kept across queries:
 * planning a warm table reads no footer, and reading a row group neither re-reads the tail nor re-parses Thrift.
 * Bounded by estimated bytes and by entries, least recently used first; concurrent requests for one footer share
 * one read; a failed read is not kept.
 */
export class MetadataCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxBytes: number;
  private readonly maxEntries: number;
  private totalBytes = 0;

  constructor(o: MetadataCacheOptions = {}) {
    this.maxBytes = o.maxBytes ?? 128 * 1024 * 1024;
    this.maxEntries = o.maxEntries ?? 16_384;
  }

  parquetFooter(file: FileStatus, load: () => Promise<ParquetFooter>): Promise<ParquetFooter> {
    const key = `${file.location}\u0000${file.size}\u0000${file.etag ?? ''}`;
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.footer;
    }
    const footer = load();
    const entry: Entry = { footer, weight: 0 };
    this.entries.set(key, entry);
    footer.then(
      (f) => {
        if (this.entries.get(key) !== entry) return;
        entry.weight = f.weight;
        this.totalBytes += f.weight;
        this.evict();
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    this.evict();
    return footer;
  }

  /** Files cached (or being read). */
  get size(): number {
    return this.entries.size;
  }

  /** Estimated bytes held. */
  get bytes(): number {
    return this.totalBytes;
  }

  private evict(): void {
    for (const [key, e] of this.entries) {
      if (this.totalBytes <= this.maxBytes && this.entries.size <= this.maxEntries) return;
      if (this.entries.size === 1) return; // the newest entry stays even when it alone exceeds the bound
      this.entries.delete(key);
      this.totalBytes -= e.weight;
    }
  }
}

/** A Parquet file's footer from `cache`, or read now: one open file (with its listed status), one request (two for big footers). */
export function parquetFooter(fs: FileSystems, cache: MetadataCache, file: FileStatus, o?: IoOptions): Promise<ParquetFooter> {
  return cache.parquetFooter(file, async () => {
    const raf = await fs.for(file.location).open(file.location, { signal: o?.signal, stats: o?.stats, status: file });
    try {
      return await ParquetFooter.read(raf, { signal: o?.signal, stats: o?.stats, etag: file.etag });
    } finally {
      await raf.close();
    }
  });
}
