import {
  Bool, DataType, DateDay, Decimal, Dictionary, DurationMicrosecond, Field, Float32, Float64, Int8, Int16, Int32, Int64,
  IntervalYearMonth, List, Map_, Null, Struct, TimeUnit, Timestamp, Type, Utf8,
} from 'apache-arrow';
import { ShoalError, assertNever } from '../common/index.js';
import {
  BIGINT, BOOLEAN, DATE, DOUBLE, INTEGER, INTERVAL_DAY_TIME, INTERVAL_YEAR_MONTH, REAL, SMALLINT, TINYINT, UNKNOWN,
  VARCHAR, arrayType, decimalType, mapType, rowType, timestampType, typeName, type SqlType,
} from './sql-type.js';
import { parseTypeName } from './type-names.js';
import { canonicalZone } from './time-zones.js';

/**
 * The canonical physical layout of each SQL type inside Shoal's record batches. Every batch an operator emits
 * uses exactly these layouts with offset 0; scans convert other layouts (see arrow-normalize.ts).
 *
 *   boolean        Bool (bit-packed)            decimal(p,s)   Decimal128 (four Uint32 words, little endian)
 *   tinyint..bigint Int8/16/32/64 (BigInt64)    varchar        Utf8 (Int32 offsets) or Dictionary<Int32, Utf8>
 *   real, double   Float32, Float64             date           DateDay (Int32 days since 1970-01-01)
 *   timestamp(p)   Timestamp µs for p ≤ 6, ns for p > 6 (BigInt64), wall-clock time as if in UTC
 *   timestamp(p) with time zone   the same, holding the instant (UTC); the Arrow type's timezone is the
 *                  column's display zone (SqlType.zone, default 'UTC'). One zone per column, not per value as in
 *                  Trino: values that came from different zones (a CASE over two AT TIME ZONEs, offsets parsed
 *                  per row) keep their instants and display in the column's zone.
 *   interval day to second  Duration µs        interval year to month  Interval YEAR_MONTH (Int32 months)
 *
 * Nested types (see nested.ts for builders and accessors):
 *   array(t)       List<item: t> with Int32 offsets starting at 0; the child holds exactly offsets[n] values
 *   map(k, v)      Map<entries: Struct<key: k (not null), value: v>>, unsorted keys, offsets as for List
 *   row(f t, …)    Struct with one child per field (named as the field, `field<i>` when anonymous), each child
 *                  as long as the row column; a NULL row keeps whatever its children hold at that position
 *   Inside nested types every child is itself canonical with offset 0, and varchar children are always plain
 *   Utf8 (never dictionary-encoded), so that a nested column's Arrow type is exactly toArrowType(type).
 */
export function toArrowType(t: SqlType): DataType {
  switch (t.kind) {
    case 'unknown': return new Null();
    case 'boolean': return new Bool();
    case 'tinyint': return new Int8();
    case 'smallint': return new Int16();
    case 'integer': return new Int32();
    case 'bigint': return new Int64();
    case 'real': return new Float32();
    case 'double': return new Float64();
    case 'decimal': return new Decimal(t.scale, t.precision, 128);
    case 'varchar': return new Utf8();
    case 'date': return new DateDay();
    case 'timestamp':
      return new Timestamp(t.precision > 6 ? TimeUnit.NANOSECOND : TimeUnit.MICROSECOND, t.withTimeZone ? (t.zone ?? 'UTC') : null);
    case 'interval_day_time': return new DurationMicrosecond();
    case 'interval_year_month': return new IntervalYearMonth();
    case 'array': return new List(new Field('item', toArrowType(t.element), true));
    case 'map':
      return mapArrowType(toArrowType(t.key), toArrowType(t.value));
    case 'row': return new Struct(t.fields.map((f, i) => new Field(f.name ?? `field${i}`, toArrowType(f.type), true)));
    default: return assertNever(t, 'type');
  }
}

function mapArrowType(key: DataType, value: DataType): DataType {
  const entries = new Struct<{ key: DataType; value: DataType }>([new Field('key', key, false), new Field('value', value, true)] as never);
  return new Map_(new Field('entries', entries, false) as never, false);
}

/** Metadata key on Arrow fields that keeps the exact SQL type (varchar length, timestamp precision). */
export const SQL_TYPE_METADATA_KEY = 'shoal.type';

export function toArrowField(name: string, t: SqlType, nullable = true): Field {
  return new Field(name, toArrowType(t), nullable, new Map([[SQL_TYPE_METADATA_KEY, typeName(t)]]));
}

/** The SQL type of an Arrow field: its Shoal metadata when present, else derived from the Arrow type. */
export function sqlTypeOfField(field: Field): SqlType {
  const meta = field.metadata.get(SQL_TYPE_METADATA_KEY);
  if (meta !== undefined) {
    const t = parseTypeName(meta);
    const tz = field.type.typeId === Type.Timestamp ? (field.type as unknown as { timezone: string | null }).timezone : null;
    return t.kind === 'timestamp' && t.withTimeZone && tz !== null ? timestampType(t.precision, true, canonicalZone(tz)) : t;
  }
  return sqlTypeOfArrow(field.type, field.name);
}

/** The SQL type Shoal reads an Arrow type as; throws NOT_SUPPORTED for types outside this version's reach. */
export function sqlTypeOfArrow(type: DataType, column = '?'): SqlType {
  switch (type.typeId) {
    case Type.Null: return UNKNOWN;
    case Type.Bool: return BOOLEAN;
    case Type.Int: {
      const t = type as unknown as { bitWidth: number; isSigned: boolean };
      if (t.isSigned) return t.bitWidth === 8 ? TINYINT : t.bitWidth === 16 ? SMALLINT : t.bitWidth === 32 ? INTEGER : BIGINT;
      // Unsigned values widen to the next signed type so that none wrap; uint64 has no wider integer in Trino.
      return t.bitWidth === 8 ? SMALLINT : t.bitWidth === 16 ? INTEGER : t.bitWidth === 32 ? BIGINT : decimalType(20, 0);
    }
    case Type.Float: {
      const t = type as unknown as { precision: number };
      return t.precision === 2 ? DOUBLE : REAL;
    }
    case Type.Decimal: {
      const t = type as unknown as { precision: number; scale: number };
      if (t.precision > 38) throw new ShoalError('NOT_SUPPORTED', `Column '${column}' has type decimal(${t.precision},${t.scale}); Shoal supports precision up to 38`);
      return decimalType(t.precision, t.scale);
    }
    case Type.Utf8:
    case Type.LargeUtf8:
    case Type.Utf8View:
      return VARCHAR;
    case Type.Dictionary: {
      const t = type as unknown as Dictionary;
      return sqlTypeOfArrow(t.dictionary, column);
    }
    case Type.Date: return DATE;
    case Type.Timestamp: {
      const t = type as unknown as { unit: TimeUnit; timezone: string | null };
      const precision = t.unit === TimeUnit.SECOND ? 0 : t.unit === TimeUnit.MILLISECOND ? 3 : t.unit === TimeUnit.MICROSECOND ? 6 : 9;
      const tz = t.timezone !== null && t.timezone !== '';
      return timestampType(precision, tz, tz ? canonicalZone(t.timezone!) : undefined);
    }
    case Type.Duration: return INTERVAL_DAY_TIME;
    case Type.Interval: return INTERVAL_YEAR_MONTH;
    case Type.List:
    case Type.LargeList:
    case Type.FixedSizeList: {
      const child = (type as unknown as { children: Field[] }).children[0]!;
      return arrayType(sqlTypeOfArrow(child.type, column));
    }
    case Type.Map: {
      const entries = (type as unknown as { children: Field[] }).children[0]!.type as unknown as { children: Field[] };
      return mapType(sqlTypeOfArrow(entries.children[0]!.type, column), sqlTypeOfArrow(entries.children[1]!.type, column));
    }
    case Type.Struct:
      return rowType((type as unknown as { children: Field[] }).children.map((f) => ({ name: f.name, type: sqlTypeOfArrow(f.type, `${column}.${f.name}`) })));
    default:
      throw new ShoalError('NOT_SUPPORTED', `Column '${column}' has Arrow type ${String(type)}, which this version of Shoal cannot read yet`);
  }
}
