import type { RecordBatch } from 'apache-arrow';
import type { Expr } from '../expr/index.js';
import type { ParquetFooter } from '../formats/index.js';
import type { ExpandOptions, IoOptions, IoStats, RequestGate } from '../fs/index.js';
import type { ColumnStats } from '../pruning/index.js';
import type { ColumnField, Scalar } from '../types/index.js';
import type { ScanKeyBits } from './decoder-row-filter.js';

/**
 * What a scan asks of a table. `filters` are conjuncts over the table's own columns: in them a ColumnRef's `id`
 * is the column's index in `TableProvider.columns`. Providers use them only to skip data (pruning); the plan
 * keeps a Filter above the scan unless the provider reports a filter as exact.
 */
export interface ScanRequest {
  /** Indices into `columns`, in the order the scan's batches must carry them. */
  readonly projection: readonly number[];
  readonly filters: readonly Expr[];
  readonly limit?: number | undefined;
}

/** One unit of scan work: a CSV file, a Parquet row group, an in-memory batch list. */
export type Split =
  | {
      readonly kind: 'parquet';
      readonly location: string;
      readonly size: number;
      readonly etag?: string | undefined;
      readonly rowGroup: number;
      readonly rows: number;
      readonly bytes: number;
      readonly partitionValues: readonly Scalar[];
      /** The file's footer as planning read it: reading the split needs no footer request. */
      readonly footer?: ParquetFooter | undefined;
    }
  | {
      readonly kind: 'csv';
      readonly location: string;
      readonly size: number;
      readonly etag?: string | undefined;
      readonly bytes: number;
      readonly partitionValues: readonly Scalar[];
    }
  | { readonly kind: 'memory'; readonly batches: readonly RecordBatch[]; readonly rows: number; readonly bytes: number };

/** What a planned scan will read, for EXPLAIN and progress. */
export interface ScanSummary {
  readonly filesTotal: number;
  readonly filesKept: number;
  readonly rowGroupsTotal: number;
  readonly rowGroupsKept: number;
  /** Bytes of the column chunks (or whole files for CSV) the splits will read. */
  readonly bytesToRead: number;
  readonly partitionsTotal: number;
  readonly partitionsKept: number;
}

export interface ScanPlan {
  readonly splits: readonly Split[];
  readonly summary: ScanSummary;
}

export type FilterSupport = 'exact' | 'inexact' | 'unsupported';

/** How one scan reads its splits. */
export interface ScanOptions extends IoOptions {
  /** Files the scan holds open at once (default DEFAULT_MAX_OPEN_FILES). */
  readonly maxOpenFiles?: number | undefined;
  /** Bounds the scan's requests in flight (default: a gate of DEFAULT_PARALLEL_REQUESTS). */
  readonly gate?: RequestGate | undefined;
  /** Rows a Parquet decoder left out under the scan's row filter (decoder-row-filter.ts), as they happen. */
  readonly onRowsDropped?: ((rows: number) => void) | undefined;
}

/** Files one scan holds open at once unless told otherwise: enough for the splits it reads ahead. */
export const DEFAULT_MAX_OPEN_FILES = 8;

/**
 * Reads the splits of one scan, in any order and overlapping, keeping what they share (open files, readers)
 * between them; every split's I/O is counted in the scan's IoOptions.stats. close() releases everything (splits
 * still being read release their files when they end).
 */
export interface SplitReader {
  /**
   * `keyBits`: armed probe filters' build keys on the scan's columns; a provider may drop the rows whose key has
   * no bit (they would be dropped above the scan), or ignore them.
   */
  read(split: Split, keyBits?: readonly ScanKeyBits[]): AsyncIterable<RecordBatch>;
  close(): Promise<void>;
}

export interface TableProvider {
  /** Qualified name or path, for EXPLAIN and errors. */
  readonly name: string;
  readonly columns: readonly ColumnField[];
  readonly partitionColumns: readonly string[];
  readonly comment?: string | undefined;
  supportsFilters(filters: readonly Expr[]): FilterSupport[];
  /** Lists (within o.listing: one version of each location per query), prunes and returns the splits; reads no rows (footers at most). */
  planScan(req: ScanRequest, o?: ExpandOptions): Promise<ScanPlan>;
  /** The rows of one split, projected as requested, in canonical layouts, batches of at most ~64k rows. */
  readSplit(split: Split, req: ScanRequest, o?: IoOptions & { stats?: IoStats }): AsyncIterable<RecordBatch>;
  /** A reader for many splits of one scan that shares files between them; without it, readSplit per split. */
  openScan?(req: ScanRequest, o?: ScanOptions): SplitReader;
  /** What planning knows of table column `col` within one of this table's splits (footer statistics), if anything. */
  splitStats?(split: Split, col: number): ColumnStats | undefined;
}
