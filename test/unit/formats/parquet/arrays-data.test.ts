/**
 * The main-thread side of the decoder's `arrays` transport: C data interface formats → Arrow types, and spans of
 * the transferred buffer → Data (the round trip through real decoder output is in parquet-reader.duckdb.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { arraysData, arrowTypeOfFormat } from '../../../../src/formats/parquet/decoder/arrays-data.js';

describe('arrowTypeOfFormat', () => {
  it.each([
    ['b', 'Bool'], ['c', 'Int8'], ['C', 'Uint8'], ['s', 'Int16'], ['S', 'Uint16'], ['i', 'Int32'], ['I', 'Uint32'],
    ['l', 'Int64'], ['L', 'Uint64'], ['e', 'Float16'], ['f', 'Float32'], ['g', 'Float64'], ['u', 'Utf8'],
    ['U', 'LargeUtf8'], ['z', 'Binary'], ['Z', 'LargeBinary'], ['tdD', 'Date32<DAY>'], ['tdm', 'Date64<MILLISECOND>'],
    ['ttu', 'Time64<MICROSECOND>'], ['d:38,10', 'Decimal[38e+10]'], ['d:9,-2,128', 'Decimal[9e-2]'],
    ['tsu:', 'Timestamp<MICROSECOND>'], ['tsn:UTC', 'Timestamp<NANOSECOND, UTC>'], ['tDm', 'Duration<MILLISECOND>'], ['n', 'Null'],
  ])('%s is %s', (format, type) => {
    expect(String(arrowTypeOfFormat(format))).toBe(type);
  });

  it('refuses a format the worker does not pass on as an internal error', () => {
    expect(() => arrowTypeOfFormat('+l')).toThrow(/format '\+l'/);
    expect(() => arrowTypeOfFormat('d:38,10,256')).toThrow(/format/);
    expect(() => arrowTypeOfFormat('tDu:UTC')).toThrow(/format/);
  });
});

describe('arraysData', () => {
  it('views the spans of the buffer: validity, offsets and bytes of a string column', () => {
    const data = new ArrayBuffer(32);
    const bytes = new Uint8Array(data);
    bytes[0] = 0b101; // rows 0 and 2 valid
    new Int32Array(data, 8, 4).set([0, 3, 3, 4]);
    bytes.set(new TextEncoder().encode('héy'), 24);
    const d = arraysData(arrowTypeOfFormat('u'), { length: 3, nullCount: 1, buffers: [[0, 1], [8, 16], [24, 4]] }, data);
    expect(d.length).toBe(3);
    expect(d.nullCount).toBe(1);
    expect(d.valueOffsets.buffer).toBe(data); // a view, not a copy
    expect([...d.valueOffsets]).toEqual([0, 3, 3, 4]);
    expect(new TextDecoder().decode(d.values.subarray(0, 3))).toBe('hé');
    expect(new TextDecoder().decode(d.values.subarray(3, 4))).toBe('y');
    expect(d.getValid(1)).toBe(false);
  });

  it('makes an empty string column and a column without nulls from absent buffers', () => {
    const data = new ArrayBuffer(8);
    const empty = arraysData(arrowTypeOfFormat('u'), { length: 0, nullCount: 0, buffers: [null, null, null] }, data);
    expect(empty.length).toBe(0);
    expect([...empty.valueOffsets]).toEqual([0]);
    new Float64Array(data)[0] = 2.5;
    const d = arraysData(arrowTypeOfFormat('g'), { length: 1, nullCount: 0, buffers: [null, [0, 8]] }, data);
    expect(d.nullCount).toBe(0);
    expect([...d.values]).toEqual([2.5]);
  });
});
