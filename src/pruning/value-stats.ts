import type { Scalar } from '../types/index.js';

/**
 * What is known about one column over a unit of data (a partition, a file, a row group). Absent min/max means
 * unknown; `rows` with `nullCount` decide IS [NOT] NULL.
 */
export interface ColumnStats {
  readonly min?: Scalar | undefined;
  readonly max?: Scalar | undefined;
  readonly nullCount?: number | undefined;
  readonly rows?: number | undefined;
}

/** Stats by table column index (the id space of provider filters); undefined = nothing known. */
export type StatsLookup = (columnIndex: number) => ColumnStats | undefined;
