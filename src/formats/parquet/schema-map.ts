/**
 * Parquet column types → Shoal SQL types. The mapping must equal what the decoder (parquet-wasm, i.e. arrow-rs)
 * produces after arrow-normalize, so that a column's declared type and its batches always agree:
 *
 *   physical              annotation (logical, else converted)         SQL type
 *   BOOLEAN               —                                            boolean
 *   INT32                 none / INT(32,signed) / INT_32               integer
 *   INT32                 INT(8|16,signed) / INT_8|INT_16              tinyint / smallint
 *   INT32                 INT(8|16|32,unsigned) / UINT_8|16|32         smallint / integer / bigint (widened: no wrap)
 *   INT32                 DATE                                         date
 *   INT64                 none / INT(64,signed) / INT_64               bigint
 *   INT64                 INT(64,unsigned) / UINT_64                   decimal(20,0)
 *   INT64                 TIMESTAMP(MILLIS|MICROS|NANOS, utc?)         timestamp(3|6|9) [with time zone when utc]
 *   INT64                 converted TIMESTAMP_MILLIS|MICROS only       timestamp(3|6) with time zone (the spec's
 *                                                                      legacy meaning, as arrow-rs reads them)
 *   INT96                 —                                            timestamp(9) (arrow-rs decodes nanoseconds)
 *   INT32/INT64/BYTE_ARRAY/FIXED_LEN_BYTE_ARRAY  DECIMAL(p,s), p ≤ 38  decimal(p,s)
 *   FLOAT / DOUBLE        —                                            real / double
 *   FIXED_LEN_BYTE_ARRAY(2) FLOAT16                                    real
 *   BYTE_ARRAY            STRING/UTF8, ENUM, JSON                      varchar
 *   BYTE_ARRAY            none                                         varchar: the bytes as they are (like Hive's
 *                                                                      binary_as_string); invalid UTF-8 shows as U+FFFD
 *   any                   NULL (UNKNOWN)                               unknown (always NULL)
 *
 * Not supported (reported in skippedColumns): TIME, UUID, INTERVAL, BSON, GEOMETRY/GEOGRAPHY, FIXED_LEN_BYTE_ARRAY
 * without DECIMAL/FLOAT16, DECIMAL with precision > 38, and annotations that do not fit their physical type.
 */
import type { LogicalType, SchemaElement } from 'hyparquet';
import {
  BIGINT, BOOLEAN, DATE, DOUBLE, INTEGER, MAX_DECIMAL_PRECISION, REAL, SMALLINT, TINYINT, UNKNOWN, VARCHAR,
  decimalType, timestampType, type SqlType,
} from '../../types/index.js';

export type ParquetTypeMapping = { readonly type: SqlType } | { readonly unsupported: string };

const ok = (type: SqlType): ParquetTypeMapping => ({ type });
const no = (reason: string): ParquetTypeMapping => ({ unsupported: reason });

/** The annotation name used in messages: the logical type if any, else the converted type. */
export function annotationName(e: SchemaElement): string | undefined {
  return e.logical_type?.type ?? e.converted_type;
}

function integer(bitWidth: number, signed: boolean, physical: 'INT32' | 'INT64'): ParquetTypeMapping {
  if (physical === 'INT64') {
    if (bitWidth !== 64) return no(`INT(${bitWidth}) annotation on an INT64 column is not valid`);
    return ok(signed ? BIGINT : decimalType(20, 0));
  }
  if (signed) {
    if (bitWidth === 8) return ok(TINYINT);
    if (bitWidth === 16) return ok(SMALLINT);
    if (bitWidth === 32) return ok(INTEGER);
  } else {
    if (bitWidth === 8) return ok(SMALLINT);
    if (bitWidth === 16) return ok(INTEGER);
    if (bitWidth === 32) return ok(BIGINT);
  }
  return no(`INT(${bitWidth}) annotation on an INT32 column is not valid`);
}

/** The integer annotation of an INT32/INT64 column from its logical or legacy converted type, if any. */
function integerAnnotation(e: SchemaElement): { bitWidth: number; signed: boolean } | undefined {
  const lt = e.logical_type;
  if (lt?.type === 'INTEGER') return { bitWidth: lt.bitWidth, signed: lt.isSigned };
  const m = /^(U?)INT_(8|16|32|64)$/.exec(e.converted_type ?? '');
  return m === null ? undefined : { bitWidth: Number(m[2]), signed: m[1] === '' };
}

function decimal(e: SchemaElement): ParquetTypeMapping {
  const lt: LogicalType | undefined = e.logical_type;
  const precision = lt?.type === 'DECIMAL' ? lt.precision : e.precision;
  const scale = lt?.type === 'DECIMAL' ? lt.scale : (e.scale ?? 0);
  if (precision === undefined || !Number.isInteger(precision) || !Number.isInteger(scale) || precision < 1 || scale < 0 || scale > precision) {
    return no(`its DECIMAL annotation is invalid (precision ${String(precision)}, scale ${String(scale)})`);
  }
  if (precision > MAX_DECIMAL_PRECISION) {
    return no(`type decimal(${precision},${scale}) exceeds Shoal's maximum precision ${MAX_DECIMAL_PRECISION}`);
  }
  return ok(decimalType(precision, scale));
}

const TIMESTAMP_PRECISION = { MILLIS: 3, MICROS: 6, NANOS: 9 } as const;

/** The SQL type of a primitive (leaf) Parquet column, or why it cannot be read. */
export function parquetTypeToSql(e: SchemaElement): ParquetTypeMapping {
  const lt = e.logical_type;
  const ct = e.converted_type;
  const annotation = annotationName(e);
  // hyparquet passes logical types it does not know through undecoded (no `type`): newer than this reader.
  if (lt !== undefined && typeof (lt as { type?: unknown }).type !== 'string') return no('its logical type is unknown to this version of Shoal');
  if (lt?.type === 'NULL') return ok(UNKNOWN);
  if (lt?.type === 'DECIMAL' || ct === 'DECIMAL') {
    if (e.type === 'INT32' || e.type === 'INT64' || e.type === 'BYTE_ARRAY' || e.type === 'FIXED_LEN_BYTE_ARRAY') return decimal(e);
    return no(`DECIMAL annotation on a ${String(e.type)} column is not valid`);
  }
  if (lt?.type === 'TIME' || ct === 'TIME_MILLIS' || ct === 'TIME_MICROS') return no('type TIME is not supported yet');
  switch (e.type) {
    case 'BOOLEAN':
      return annotation === undefined ? ok(BOOLEAN) : no(`${annotation} annotation on a BOOLEAN column is not valid`);
    case 'INT32': {
      if (lt?.type === 'DATE' || ct === 'DATE') return ok(DATE);
      const int = integerAnnotation(e);
      if (int !== undefined) return integer(int.bitWidth, int.signed, 'INT32');
      return annotation === undefined ? ok(INTEGER) : no(`type ${annotation} on INT32 is not supported`);
    }
    case 'INT64': {
      if (lt?.type === 'TIMESTAMP') return ok(timestampType(TIMESTAMP_PRECISION[lt.unit], lt.isAdjustedToUTC));
      if (ct === 'TIMESTAMP_MILLIS') return ok(timestampType(3, true));
      if (ct === 'TIMESTAMP_MICROS') return ok(timestampType(6, true));
      const int = integerAnnotation(e);
      if (int !== undefined) return integer(int.bitWidth, int.signed, 'INT64');
      return annotation === undefined ? ok(BIGINT) : no(`type ${annotation} on INT64 is not supported`);
    }
    case 'INT96':
      return ok(timestampType(9, false));
    case 'FLOAT':
      return ok(REAL);
    case 'DOUBLE':
      return ok(DOUBLE);
    case 'BYTE_ARRAY':
      if (annotation === undefined || annotation === 'STRING' || annotation === 'UTF8' || annotation === 'ENUM' || annotation === 'JSON') return ok(VARCHAR);
      return no(`type ${annotation} is not supported yet`);
    case 'FIXED_LEN_BYTE_ARRAY':
      if (lt?.type === 'FLOAT16') return e.type_length === 2 ? ok(REAL) : no('FLOAT16 annotation needs a 2-byte FIXED_LEN_BYTE_ARRAY');
      return no(annotation === undefined ? 'type FIXED_LEN_BYTE_ARRAY (fixed-length binary) is not supported yet' : `type ${annotation} is not supported yet`);
    default:
      return no(`physical type ${String(e.type)} is not supported`);
  }
}
