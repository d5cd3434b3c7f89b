/**
 * Contract of the Parquet reader (implemented in this folder). Metadata comes from a footer reader that exposes
 * row-group statistics; decoding goes through parquet-wasm's async ParquetFile API, one row group at a time and
 * only the requested columns, fed with bytes fetched through Shoal's RandomAccessFile.
 */
import type { ColumnField, Scalar } from '../../types/index.js';

export interface ParquetColumnStatistics {
  /** Min and max in the Scalar representation of the column's SQL type; absent when the file has none (or they are unusable). */
  readonly min?: Scalar | undefined;
  readonly max?: Scalar | undefined;
  readonly nullCount?: number | undefined;
}

export interface ParquetColumnChunk {
  /** Byte range of the chunk in the file (dictionary page through the last data page). */
  readonly offset: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly statistics: ParquetColumnStatistics;
}

export interface ParquetRowGroup {
  readonly index: number;
  readonly numRows: number;
  /** By top-level column name as in the file; a nested column spans its leaves' chunks and has no statistics. */
  readonly columns: ReadonlyMap<string, ParquetColumnChunk>;
}

export interface ParquetFileInfo {
  readonly location: string;
  readonly size: number;
  readonly etag?: string | undefined;
  /** Top-level columns with the names as written in the file and Shoal's SQL types. */
  readonly fields: readonly ColumnField[];
  readonly numRows: number;
  readonly rowGroups: readonly ParquetRowGroup[];
  readonly createdBy?: string | undefined;
}

/** A top-level column the reader leaves out of `fields` (nested, or of a type Shoal cannot represent yet). */
export interface ParquetSkippedColumn {
  readonly name: string;
  /** Why, for a user: "nested columns (LIST) are not supported yet", "type UUID is not supported". */
  readonly reason: string;
}

export interface ParquetReadOptions {
  readonly signal?: AbortSignal | undefined;
  /** Rows per batch (at most); default DEFAULT_PARQUET_BATCH_SIZE. */
  readonly batchSize?: number | undefined;
}

export const DEFAULT_PARQUET_BATCH_SIZE = 65_536;
