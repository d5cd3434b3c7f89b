/** Opening a CSV file for scanning: options resolved, byte source (maybe gzip) and scanner, BOM and `skip` done. */
import { ShoalError } from '../../common/index.js';
import type { IoOptions, RandomAccessFile } from '../../fs/index.js';
import type { CsvOptions } from './csv-api.js';
import { openByteSource, type ByteSource } from './byte-source.js';
import { resolveCsvConfig, type CsvConfig } from './csv-config.js';
import { CsvScanner } from './scanner.js';

/** Bytes read from the file per request (and decompressed per step): large enough to amortise calls. */
export const DEFAULT_CHUNK_SIZE = 1 << 20;

/** I/O options of the CSV entry points; `chunkSize` exists for tests that force rows across chunk boundaries. */
export interface CsvIoOptions extends IoOptions {
  readonly chunkSize?: number | undefined;
}

export interface OpenedCsv {
  readonly cfg: CsvConfig;
  readonly scanner: CsvScanner;
  /** Close in `finally`; the file itself stays open (its opener closes it). */
  readonly source: ByteSource;
}

export async function openScanner(file: RandomAccessFile, options: CsvOptions, o: CsvIoOptions): Promise<OpenedCsv> {
  const cfg = resolveCsvConfig(file.location, options);
  const chunkSize = o.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) throw new ShoalError('INVALID_ARGUMENTS', `CSV chunk size must be a positive integer, got ${chunkSize}`);
  const source = openByteSource(file, cfg.gzip, chunkSize, o);
  try {
    const scanner = new CsvScanner(cfg, source, chunkSize);
    await scanner.skipLines(cfg.skipRows);
    return { cfg, scanner, source };
  } catch (e) {
    source.close();
    throw e;
  }
}
