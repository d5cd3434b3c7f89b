/** parquetTypeToSql on annotations the fixtures cannot produce (invalid or unsupported ones). */
import type { SchemaElement } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { parquetTypeToSql } from '../../../../src/formats/parquet/index.js';
import { typeName } from '../../../../src/types/index.js';

const map = (e: Omit<SchemaElement, 'name'>): string => {
  const m = parquetTypeToSql({ name: 'c', ...e });
  return 'type' in m ? typeName(m.type) : `unsupported: ${m.unsupported}`;
};

describe('parquetTypeToSql', () => {
  it('maps logical INTEGER annotations, preferring them to converted types', () => {
    expect(map({ type: 'INT32', logical_type: { type: 'INTEGER', bitWidth: 8, isSigned: true }, converted_type: 'INT_32' })).toBe('tinyint');
    expect(map({ type: 'INT32', logical_type: { type: 'INTEGER', bitWidth: 16, isSigned: false } })).toBe('integer');
    expect(map({ type: 'INT64', logical_type: { type: 'INTEGER', bitWidth: 64, isSigned: false } })).toBe('decimal(20,0)');
    expect(map({ type: 'INT64', logical_type: { type: 'INTEGER', bitWidth: 8, isSigned: true } })).toMatch(/^unsupported: INT\(8\) annotation on an INT64/);
  });

  it('maps timestamps by unit and UTC adjustment', () => {
    expect(map({ type: 'INT64', logical_type: { type: 'TIMESTAMP', unit: 'NANOS', isAdjustedToUTC: true } })).toBe('timestamp(9) with time zone');
    expect(map({ type: 'INT64', logical_type: { type: 'TIMESTAMP', unit: 'MILLIS', isAdjustedToUTC: false }, converted_type: 'TIMESTAMP_MILLIS' })).toBe('timestamp(3)');
    expect(map({ type: 'INT64', converted_type: 'TIMESTAMP_MICROS' })).toBe('timestamp(6) with time zone');
    expect(map({ type: 'INT96' })).toBe('timestamp(9)');
  });

  it('maps decimals on every physical type and refuses precision over 38 or invalid scales', () => {
    expect(map({ type: 'INT32', converted_type: 'DECIMAL', precision: 9, scale: 2 })).toBe('decimal(9,2)');
    expect(map({ type: 'BYTE_ARRAY', logical_type: { type: 'DECIMAL', precision: 38, scale: 38 } })).toBe('decimal(38,38)');
    expect(map({ type: 'FIXED_LEN_BYTE_ARRAY', type_length: 32, logical_type: { type: 'DECIMAL', precision: 76, scale: 0 } }))
      .toBe("unsupported: type decimal(76,0) exceeds Shoal's maximum precision 38");
    expect(map({ type: 'INT32', converted_type: 'DECIMAL', precision: 4, scale: 5 })).toMatch(/invalid/);
    expect(map({ type: 'DOUBLE', converted_type: 'DECIMAL', precision: 4, scale: 1 })).toMatch(/not valid/);
  });

  it('reads byte arrays as varchar unless they carry a non-text annotation', () => {
    expect(map({ type: 'BYTE_ARRAY' })).toBe('varchar');
    for (const a of ['UTF8', 'ENUM', 'JSON'] as const) expect(map({ type: 'BYTE_ARRAY', converted_type: a })).toBe('varchar');
    expect(map({ type: 'BYTE_ARRAY', converted_type: 'BSON' })).toBe('unsupported: type BSON is not supported yet');
    expect(map({ type: 'BYTE_ARRAY', logical_type: { type: 'GEOMETRY' } })).toBe('unsupported: type GEOMETRY is not supported yet');
  });

  it('refuses TIME, UUID, INTERVAL, raw fixed-length binary and logical types it does not know', () => {
    expect(map({ type: 'INT64', logical_type: { type: 'TIME', unit: 'MICROS', isAdjustedToUTC: false } })).toBe('unsupported: type TIME is not supported yet');
    expect(map({ type: 'FIXED_LEN_BYTE_ARRAY', type_length: 16, logical_type: { type: 'UUID' } })).toBe('unsupported: type UUID is not supported yet');
    expect(map({ type: 'FIXED_LEN_BYTE_ARRAY', type_length: 12, converted_type: 'INTERVAL' })).toBe('unsupported: type INTERVAL is not supported yet');
    expect(map({ type: 'FIXED_LEN_BYTE_ARRAY', type_length: 3, logical_type: { type: 'FLOAT16' } })).toMatch(/2-byte/);
    expect(map({ type: 'BYTE_ARRAY', logical_type: { field_99: {} } as unknown as NonNullable<SchemaElement['logical_type']> })).toMatch(/logical type is unknown/);
  });

  it('maps the NULL logical type to unknown', () => {
    expect(map({ type: 'INT32', logical_type: { type: 'NULL' } })).toBe('unknown');
  });
});
