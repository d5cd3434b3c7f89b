import { RecordBatch, Schema, Struct, makeData, tableFromIPC, tableToIPC, Table } from 'apache-arrow';
import { describe, expect, test } from 'vitest';
import {
  BIGINT, DOUBLE, INTEGER, VARCHAR, columnFromScalars, makeBatch, makeDictionaryColumn, scalarAt, stringColumnFromValues,
  toArrowSchema, type ColumnField,
} from '../../../src/types/index.js';

/** makeBatch builds its RecordBatch without apache-arrow's constructor; it must be the same object in use. */
describe('makeBatch', () => {
  const fields: ColumnField[] = [
    { name: 'a', type: INTEGER, nullable: true }, { name: 'b', type: DOUBLE, nullable: true },
    { name: 's', type: VARCHAR, nullable: true }, { name: 'big', type: BIGINT, nullable: false },
  ];
  const cols = () => [
    columnFromScalars(INTEGER, [1, null, 3]), columnFromScalars(DOUBLE, [0.5, 1.5, null]),
    makeDictionaryColumn(3, Int32Array.of(1, 0, 1), stringColumnFromValues(['x', 'yz']), null),
    columnFromScalars(BIGINT, [1n, 2n, 3n]),
  ];

  test('matches the constructor', () => {
    const fast = makeBatch(fields, cols(), 3);
    const schema = new Schema(fast.schema.fields, fast.schema.metadata);
    const slow = new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: 3, nullCount: 0, children: cols() }));
    expect(fast).toBeInstanceOf(RecordBatch);
    expect(RecordBatch.isRecordBatch(fast)).toBe(true);
    expect(fast.numRows).toBe(3);
    expect(fast.numCols).toBe(4);
    expect(fast.metadata.size).toBe(0);
    expect(fast.schema.fields.map((f) => [f.name, String(f.type), f.nullable, [...f.metadata]]))
      .toEqual(slow.schema.fields.map((f) => [f.name, String(f.type), f.nullable, [...f.metadata]]));
    expect(fast.toArray().map((r) => r.toJSON())).toEqual(slow.toArray().map((r) => r.toJSON()));
    expect(fast.dictionaries.size).toBe(slow.dictionaries.size);
    expect(fast.slice(1, 3).numRows).toBe(2);
    expect(fast.select(['b']).numCols).toBe(1);
    expect(fast.getChildAt(2)?.get(0)).toBe('yz');
  });

  test('survives IPC and tables', () => {
    const fast = makeBatch(fields, cols(), 3);
    // (Two batches with dictionary columns make two dictionary types: apache-arrow refuses that Table either way.)
    const plain = fields.filter((f) => f.name !== 's');
    const plainCols = () => cols().filter((_, i) => i !== 2);
    expect(tableFromIPC(tableToIPC(new Table([makeBatch(plain, plainCols(), 3), makeBatch(plain, plainCols(), 3)]))).numRows).toBe(6);
    const back = tableFromIPC(tableToIPC(new Table([fast])));
    expect(back.numRows).toBe(3);
    expect(back.getChild('s')?.get(0)).toBe('yz');
    expect(back.getChild('a')?.get(1)).toBeNull();
    expect(back.getChild('big')?.get(2)).toBe(3n);
  });

  test('one Arrow schema per field list, the same as toArrowSchema', () => {
    const a = makeBatch(fields.slice(0, 2), cols().slice(0, 2), 3);
    const f2 = fields.slice(0, 2);
    const b = makeBatch(f2, cols().slice(0, 2), 3);
    const c = makeBatch(f2, cols().slice(0, 2), 3);
    expect(b.schema).toBe(c.schema);
    expect(a.schema.fields.map((f) => [f.name, String(f.type)])).toEqual(toArrowSchema(f2).fields.map((f) => [f.name, String(f.type)]));
    expect(scalarAt(b.data.children[0]!, INTEGER, 2)).toBe(3);
  });

  test('empty batches and length mismatches', () => {
    expect(makeBatch([], [], 5).numRows).toBe(5);
    expect(() => makeBatch(fields.slice(0, 1), [columnFromScalars(INTEGER, [1])], 2)).toThrow(/length 1 in a batch of 2/);
  });
});
