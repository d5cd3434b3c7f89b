/**
 * The main-thread side of the decoder's `arrays` transport: C data interface formats → Arrow types, and spans of
 * the transferred buffer → Data (the round trip through real decoder output is in parquet-reader.duckdb.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { arraysData, arrowTypeOfFormat } from '../../../../src/formats/parquet/decoder/arrays-data.js';
import { parseFromWorker } from '../../../../src/formats/parquet/decoder/decoder-protocol.js';
import { decimalAt, knownNumberView, knownNumberViewMaxAbs, scalarAt, type Column } from '../../../../src/types/index.js';

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

describe('decimals sent as doubles', () => {
  /** Two rows of unscaled values −12345 and 2^53, the second NULL, as the worker sends them. */
  function doublesMessage(numberMaxAbs: unknown, valuesBytes = 16): unknown {
    const data = new ArrayBuffer(24);
    new Uint8Array(data)[0] = 0b01;
    new Float64Array(data, 8, 2).set([-12345, 2 ** 53]);
    const column = { length: 2, nullCount: 1, buffers: [[0, 1], [8, valuesBytes]], numberMaxAbs };
    return { t: 'arrays', id: 7, memory: 0, data, layout: { fields: [{ name: 'x', format: 'd:15,2' }], batches: [{ length: 2, columns: [column] }], dropped: 0 } };
  }

  it('become a lazy decimal column whose words are written only when read', () => {
    const m = parseFromWorker(doublesMessage(2 ** 53));
    if (m?.t !== 'arrays') throw new Error('the message did not parse');
    const spans = m.layout.batches[0]!.columns[0]!;
    expect(spans.numberMaxAbs).toBe(2 ** 53);
    const d = arraysData(arrowTypeOfFormat('d:15,2'), spans, m.data) as Column;
    expect(knownNumberView(d)).toBeInstanceOf(Float64Array);
    expect(knownNumberViewMaxAbs(d)).toBe(2 ** 53);
    expect(d.nullCount).toBe(1);
    expect(decimalAt(d.values as Uint32Array, 0)).toBe(-12345n);
    expect(scalarAt(d, { kind: 'decimal', precision: 15, scale: 2 }, 0)).toBe(-12345n);
  });

  it('are refused when the bound is not an exact double, or the values span is not 8 bytes a row', () => {
    expect(parseFromWorker(doublesMessage(2 ** 53 + 2))).toBeUndefined();
    expect(parseFromWorker(doublesMessage(-1))).toBeUndefined();
    expect(parseFromWorker(doublesMessage('12345'))).toBeUndefined();
    expect(parseFromWorker(doublesMessage(12345, 8))).toBeUndefined();
    expect(parseFromWorker(doublesMessage(undefined))?.t).toBe('arrays');
  });

  it('are an internal error for a type that is not a decimal', () => {
    const data = new ArrayBuffer(8);
    expect(() => arraysData(arrowTypeOfFormat('g'), { length: 1, nullCount: 0, buffers: [null, [0, 8]], numberMaxAbs: 0 }, data)).toThrow(/doubles for a Float64/);
  });
});
