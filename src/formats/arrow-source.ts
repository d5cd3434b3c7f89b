/**
 * What arrow-normalize.ts and arrow-normalize-nested.ts both need to read a decoder's Arrow data: its validity
 * re-based to bit 0, and the error for a layout that cannot hold the SQL type's values.
 */
import type { Data, DataType } from 'apache-arrow';
import { ShoalError } from '../common/index.js';
import { sliceBitmap, typeName, type SqlType } from '../types/index.js';

export type AnyData = Data<DataType>;

/** NOT_SUPPORTED naming the Arrow type and the SQL type it was to be read as (the caller adds file and column). */
export function unsupported(data: AnyData, type: SqlType): ShoalError {
  return new ShoalError('NOT_SUPPORTED', `Cannot read Arrow type ${String(data.type)} as ${typeName(type)}`);
}

/** The validity bitmap of `data` re-based to bit 0, or null when every value is valid. */
export function validityOf(data: AnyData): Uint8Array | null {
  const bm = data.nullBitmap;
  if (data.nullCount === 0 || bm === undefined || bm === null || bm.length === 0) return null;
  return data.offset === 0 ? bm : sliceBitmap(bm, data.offset, data.length);
}
