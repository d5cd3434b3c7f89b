/**
 * Streams Arrow record batches into one Parquet file with parquet-wasm: batches go to WebAssembly one at a
 * time (through Arrow IPC) and the writer flushes each finished row group, so memory stays bounded by a row
 * group whatever the file size. The file is written under a temporary name and renamed at the end, so an
 * interrupted run never leaves a truncated file that looks complete.
 */
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Table, tableToIPC, type RecordBatch } from 'apache-arrow';
import * as pw from 'parquet-wasm';

export interface ParquetOutOptions {
  /** Rows per row group (the last one may be smaller). */
  readonly rowGroupSize: number;
  /** Default snappy, like TLC's and DuckDB's files. */
  readonly compression?: 'snappy' | 'zstd' | 'uncompressed';
}

function writerProperties(o: ParquetOutOptions): pw.WriterProperties {
  const codec = o.compression === 'zstd' ? pw.Compression.ZSTD : o.compression === 'uncompressed' ? pw.Compression.UNCOMPRESSED : pw.Compression.SNAPPY;
  return new pw.WriterPropertiesBuilder()
    .setCompression(codec)
    .setMaxRowGroupSize(o.rowGroupSize)
    .setDictionaryEnabled(true)
    // Page-level statistics also give chunk-level min/max/null counts (what row-group pruning reads).
    .setStatisticsEnabled(pw.EnabledStatistics.Page)
    .setWriterVersion(pw.WriterVersion.V1)
    .build();
}

function toWasmBatches(batch: RecordBatch): pw.RecordBatch[] {
  const table = pw.Table.fromIPCStream(tableToIPC(new Table(batch), 'stream'));
  try {
    return table.recordBatches();
  } finally {
    table.free();
  }
}

/** Writes `batches` (all with one schema) to `path`; returns the file size in bytes. */
export async function writeParquetFile(
  path: string,
  batches: Iterable<RecordBatch>,
  options: ParquetOutOptions,
): Promise<number> {
  await mkdir(dirname(path), { recursive: true });
  const iterator = batches[Symbol.iterator]();
  const source = new ReadableStream<pw.RecordBatch>({
    pull(controller) {
      for (;;) {
        const next = iterator.next();
        if (next.done === true) {
          controller.close();
          return;
        }
        if (next.value.numRows === 0) continue;
        for (const b of toWasmBatches(next.value)) controller.enqueue(b);
        return;
      }
    },
  });
  const tmp = `${path}.partial`;
  const out = await open(tmp, 'w');
  let size = 0;
  try {
    const bytes = await pw.transformParquetStream(source, writerProperties(options));
    const reader = (bytes as ReadableStream<Uint8Array>).getReader();
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
      await out.write(chunk.value);
      size += chunk.value.byteLength;
    }
  } catch (e: unknown) {
    await out.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await out.close();
  await rename(tmp, path);
  return size;
}
