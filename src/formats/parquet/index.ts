/**
 * Shoal's Parquet reader: footer and statistics via hyparquet's metadata parser over bytes fetched through the
 * RandomAccessFile, decoding via parquet-wasm in worker threads, batches in Shoal's canonical Arrow layouts.
 */
export * from './parquet-api.js';
export { ParquetReader, type ParquetOpenOptions, type RowGroupReadOptions } from './parquet-reader.js';
export { ROW_FILTER_BOUND_MAX, type RowFilterAtom, type RowFilterFormat } from './decoder/row-filter.js';
export { ParquetFooter } from './parquet-footer.js';
export { parquetTypeToSql, type ParquetTypeMapping } from './schema-map.js';
export { ParquetDecoderPool, defaultDecoderPool, type DecoderPoolOptions } from './decoder/decoder-pool.js';
export { FOOTER_TAIL_BYTES } from './footer.js';
export { ParquetEncoder, type ParquetCompression, type ParquetEncodeOptions } from './encoder/parquet-encoder.js';
export { ParquetFileWriter, checkParquetTypes, type ParquetWriterOptions } from './parquet-writer.js';
