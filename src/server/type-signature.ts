import { assertNever } from '../common/index.js';
import { typeName, type SqlType } from '../types/index.js';
import type { ClientTypeSignature, ProtocolColumn } from './protocol-types.js';

/** Trino's length of an unbounded varchar in type signatures (VarcharType.UNBOUNDED_LENGTH). */
const UNBOUNDED_VARCHAR = 2_147_483_647;

/**
 * The type signature Trino's clients parse column types from (ClientTypeSignature): raw type plus LONG, TYPE
 * and NAMED_TYPE arguments, e.g. decimal(10,2) → {rawType:'decimal', arguments:[LONG 10, LONG 2]}.
 */
export function typeSignature(t: SqlType): ClientTypeSignature {
  switch (t.kind) {
    case 'unknown':
    case 'boolean':
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'bigint':
    case 'real':
    case 'double':
    case 'date':
    case 'interval_day_time':
    case 'interval_year_month':
      return { rawType: typeName(t), arguments: [] };
    case 'decimal':
      return { rawType: 'decimal', arguments: [{ kind: 'LONG', value: t.precision }, { kind: 'LONG', value: t.scale }] };
    case 'varchar':
      return { rawType: 'varchar', arguments: [{ kind: 'LONG', value: t.length ?? UNBOUNDED_VARCHAR }] };
    case 'timestamp':
      return { rawType: t.withTimeZone ? 'timestamp with time zone' : 'timestamp', arguments: [{ kind: 'LONG', value: t.precision }] };
    case 'array':
      return { rawType: 'array', arguments: [{ kind: 'TYPE', value: typeSignature(t.element) }] };
    case 'map':
      return { rawType: 'map', arguments: [{ kind: 'TYPE', value: typeSignature(t.key) }, { kind: 'TYPE', value: typeSignature(t.value) }] };
    case 'row':
      return {
        rawType: 'row',
        arguments: t.fields.map((f) => ({
          kind: 'NAMED_TYPE' as const,
          value: f.name === undefined ? { typeSignature: typeSignature(f.type) } : { fieldName: { name: f.name }, typeSignature: typeSignature(f.type) },
        })),
      };
    default:
      return assertNever(t, 'type');
  }
}

export function protocolColumn(name: string, type: SqlType): ProtocolColumn {
  return { name, type: typeName(type), typeSignature: typeSignature(type) };
}
