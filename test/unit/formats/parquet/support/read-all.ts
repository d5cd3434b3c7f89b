/**
 * Reads a whole Parquet file through ParquetReader, checking every batch's shape on the way (names, Arrow
 * types, canonical layouts, batch sizes), and returns each column's values by row group.
 */
import { Type, type RecordBatch } from 'apache-arrow';
import { expect } from 'vitest';
import { ParquetReader, type ParquetOpenOptions, type RowFilterAtom } from '../../../../../src/formats/parquet/index.js';
import { LocalFileSystem, type IoStats } from '../../../../../src/fs/index.js';
import {
  SQL_TYPE_METADATA_KEY, batchColumn, hasCanonicalLayout, isNestedKind, knownNumberView, scalarAt, toArrowType, typeName, type Scalar, type SqlType,
} from '../../../../../src/types/index.js';

export interface FileValues {
  readonly reader: ParquetReader;
  /** values[column][rowGroup] = the row group's values in order. */
  readonly values: Map<string, Scalar[][]>;
  /** Decimal columns some batch of which came back as exact doubles (the decoder's 8-byte form, lazy-decimal.ts). */
  readonly asDoubles: Set<string>;
}

/** Asserts a batch is in Shoal's canonical layout for `fields`. */
export function checkBatch(batch: RecordBatch, fields: readonly { name: string; type: SqlType }[], batchSize: number): void {
  expect(batch.numRows).toBeLessThanOrEqual(batchSize);
  expect(batch.schema.fields.map((f) => f.name)).toEqual(fields.map((f) => f.name));
  fields.forEach((f, i) => {
    const arrowField = batch.schema.fields[i]!;
    // A batch field carries its column's actual Arrow type: varchar may be Utf8 or Dictionary<Int32, Utf8>.
    expect(String(arrowField.type)).toBe(String(batchColumn(batch, i).type));
    if (f.type.kind !== 'varchar') expect(String(arrowField.type)).toBe(String(toArrowType(f.type)));
    expect(arrowField.metadata.get(SQL_TYPE_METADATA_KEY)).toBe(typeName(f.type));
    const col = batchColumn(batch, i);
    expect(col.length).toBe(batch.numRows);
    expect(col.offset).toBe(0);
    expect(hasCanonicalLayout(col, f.type), `${f.name}: ${String(col.type)} for ${typeName(f.type)}`).toBe(true);
    if (col.typeId === Type.Utf8) expect(col.valueOffsets).toBeInstanceOf(Int32Array);
    if (col.typeId === Type.Dictionary) expect(col.values).toBeInstanceOf(Int32Array);
    if (f.type.kind !== 'varchar' && f.type.kind !== 'unknown') expect(String(col.type)).toBe(String(toArrowType(f.type)));
  });
}

/**
 * `flatOnly` reads only the columns of scalar types (in one job per row group, as a scan of them would);
 * `rowFilter` lets the decoder drop rows (each row group's kept and dropped rows must add up to its rows).
 */
export async function readAll(
  path: string, o: { batchSize?: number; stats?: IoStats; flatOnly?: boolean; rowFilter?: readonly RowFilterAtom[] } & ParquetOpenOptions = {},
): Promise<FileValues> {
  const file = await new LocalFileSystem().open(path);
  try {
    const reader = await ParquetReader.open(file, o);
    const fields = reader.info.fields.filter((f) => o.flatOnly !== true || !isNestedKind(f.type.kind));
    const names = fields.map((f) => f.name);
    const values = new Map<string, Scalar[][]>(names.map((n) => [n, []]));
    const asDoubles = new Set<string>();
    const batchSize = o.batchSize ?? 65_536;
    for (const rg of reader.info.rowGroups) {
      const perColumn: Scalar[][] = names.map(() => []);
      let dropped = 0;
      const onDropped = (n: number): void => {
        dropped += n;
      };
      for await (const batch of reader.readRowGroup(rg.index, names, { batchSize, stats: o.stats, rowFilter: o.rowFilter, onDropped })) {
        checkBatch(batch, fields, batchSize);
        fields.forEach((f, i) => {
          const col = batchColumn(batch, i);
          // Asked before the values are read: scalarAt reads a decimal's words.
          if (f.type.kind === 'decimal' && knownNumberView(col) instanceof Float64Array) asDoubles.add(f.name);
          for (let r = 0; r < batch.numRows; r++) perColumn[i]!.push(scalarAt(col, f.type, r));
        });
      }
      expect((perColumn[0]?.length ?? rg.numRows - dropped) + dropped).toBe(rg.numRows);
      names.forEach((n, i) => values.get(n)!.push(perColumn[i]!));
    }
    // Every byte the decoder read came from the prefetched column chunks or the kept tail.
    expect(reader.unplannedReads).toBe(0);
    await reader.close();
    return { reader, values, asDoubles };
  } finally {
    await file.close();
  }
}
