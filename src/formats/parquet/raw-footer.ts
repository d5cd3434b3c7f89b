/**
 * The parts of the footer that hyparquet's parquetMetadata converts lossily, read from the Thrift structure
 * itself: statistics as the raw bytes the writer stored (hyparquet turns decimals into doubles and timestamps
 * into Dates) and the column orders that say how min_value/max_value were ordered.
 *
 * Field numbers are parquet.thrift's: FileMetaData.row_groups = 4, .column_orders = 7; RowGroup.columns = 1;
 * ColumnChunk.meta_data = 3; ColumnMetaData.statistics = 12; Statistics max = 1, min = 2, null_count = 3,
 * max_value = 5, min_value = 6; ColumnOrder.TYPE_ORDER = 1.
 */
import { deserializeTCompactProtocol } from 'hyparquet/src/thrift.js';

export interface RawStatistics {
  /** Deprecated fields, ordered as signed values by old writers. */
  readonly max?: Uint8Array | undefined;
  readonly min?: Uint8Array | undefined;
  readonly nullCount?: bigint | undefined;
  /** Fields ordered by the column's type-defined order (when the column order says so). */
  readonly maxValue?: Uint8Array | undefined;
  readonly minValue?: Uint8Array | undefined;
}

export interface RawFooter {
  /** statistics[rowGroup][leafColumn]. */
  readonly statistics: readonly (readonly (RawStatistics | undefined)[])[];
  /**
   * Per leaf column: true when min_value/max_value use the type-defined order, false when the file declares an
   * order this reader does not know; undefined when the file declares no column orders.
   */
  readonly typeDefinedOrder: readonly (boolean | undefined)[];
}

type Struct = Readonly<Record<string, unknown>>;

function struct(v: unknown): Struct | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) ? (v as Struct) : undefined;
}

function list(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

function bytes(v: unknown): Uint8Array | undefined {
  return v instanceof Uint8Array ? v : undefined;
}

function rawStatistics(v: unknown): RawStatistics | undefined {
  const s = struct(v);
  if (s === undefined) return undefined;
  const nullCount = s['field_3'];
  return {
    max: bytes(s['field_1']),
    min: bytes(s['field_2']),
    nullCount: typeof nullCount === 'bigint' ? nullCount : undefined,
    maxValue: bytes(s['field_5']),
    minValue: bytes(s['field_6']),
  };
}

/** Parses the Thrift FileMetaData (without the trailing length and magic). Throws on malformed input. */
export function readRawFooter(metadata: Uint8Array): RawFooter {
  const view = new DataView(metadata.buffer, metadata.byteOffset, metadata.byteLength);
  const root: unknown = deserializeTCompactProtocol({ view, offset: 0 });
  const file = struct(root);
  if (file === undefined) throw new Error('footer is not a Thrift struct');
  const statistics = list(file['field_4']).map((rg) =>
    list(struct(rg)?.['field_1']).map((cc) => rawStatistics(struct(struct(cc)?.['field_3'])?.['field_12'])),
  );
  const orders = file['field_7'];
  const typeDefinedOrder = list(orders).map((o) => struct(o)?.['field_1'] !== undefined);
  return { statistics, typeDefinedOrder };
}
