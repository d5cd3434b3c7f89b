import { Field, RecordBatch, Schema, Struct, Type, makeData, type Data } from 'apache-arrow';
import { internalError } from '../common/index.js';
import type { Column } from './column.js';
import { toArrowSchema, type ColumnField } from './schema.js';

/**
 * Assembles a RecordBatch from columns in canonical layout. Arrow's Schema is derived from Shoal's fields so
 * that the exact SQL type travels in field metadata.
 */
export function makeBatch(schema: Schema | readonly ColumnField[], columns: readonly Column[], length: number): RecordBatch {
  const arrowSchema = schema instanceof Schema ? schema : arrowSchemaOf(schema);
  if (arrowSchema.fields.length !== columns.length) {
    throw internalError(`batch has ${columns.length} columns but its schema has ${arrowSchema.fields.length}`);
  }
  for (const c of columns) {
    if (c.length !== length) throw internalError(`column of length ${c.length} in a batch of ${length} rows`);
  }
  // A varchar column may be plain Utf8 or dictionary-encoded: the batch's fields carry each column's actual
  // Arrow type (the SQL type stays in the field metadata), so the batch is valid Arrow for IPC.
  let fields = arrowSchema.fields;
  if (columns.some((c, i) => c.typeId === Type.Dictionary && fields[i]!.type.typeId !== Type.Dictionary)) {
    fields = fields.map((f, i) => (columns[i]!.typeId === Type.Dictionary && f.typeId !== Type.Dictionary ? new Field(f.name, columns[i]!.type, f.nullable, f.metadata) : f));
  }
  const batchSchema = fields === arrowSchema.fields ? arrowSchema : new Schema(fields, arrowSchema.metadata);
  const data = makeData({ type: new Struct(batchSchema.fields), length, nullCount: 0, children: columns as Column[] });
  return recordBatchOf(batchSchema, data);
}

/** Arrow schemas of field lists seen before: operators pass the same list for every batch they make. */
const schemas = new WeakMap<readonly ColumnField[], Schema>();

function arrowSchemaOf(fields: readonly ColumnField[]): Schema {
  let s = schemas.get(fields);
  if (s === undefined) {
    s = toArrowSchema(fields);
    schemas.set(fields, s);
  }
  return s;
}

/**
 * `new RecordBatch(schema, data)` without what its constructor adds: it re-derives the schema of every batch
 * (ensureSameLengthData → schema.assign: a clone of each field with merged metadata maps, a new Schema) to
 * back-fill columns shorter than the batch, which makeBatch has ruled out. That cost 1–3% of a query's main
 * thread. The object is what the constructor builds (apache-arrow 21: own fields schema, data, _metadata, in
 * that order); test/unit/types/make-batch.test.ts checks it against the constructor.
 */
function recordBatchOf(schema: Schema, data: Data<Struct>): RecordBatch {
  const rb = Object.create(RecordBatch.prototype) as { schema: Schema; data: Data<Struct>; _metadata: Map<string, string> };
  rb.schema = schema;
  rb.data = data;
  rb._metadata = new Map();
  return rb as unknown as RecordBatch;
}
