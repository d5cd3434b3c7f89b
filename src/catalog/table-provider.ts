import type { RecordBatch } from 'apache-arrow';
import type { Expr } from '../expr/index.js';
import type { IoOptions, IoStats } from '../fs/index.js';
import type { ColumnField, Scalar } from '../types/index.js';

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

export interface TableProvider {
  /** Qualified name or path, for EXPLAIN and errors. */
  readonly name: string;
  readonly columns: readonly ColumnField[];
  readonly partitionColumns: readonly string[];
  readonly comment?: string | undefined;
  supportsFilters(filters: readonly Expr[]): FilterSupport[];
  /** Lists, prunes and returns the splits; reads no rows (footers at most). */
  planScan(req: ScanRequest, o?: IoOptions): Promise<ScanPlan>;
  /** The rows of one split, projected as requested, in canonical layouts, batches of at most ~64k rows. */
  readSplit(split: Split, req: ScanRequest, o?: IoOptions & { stats?: IoStats }): AsyncIterable<RecordBatch>;
}
