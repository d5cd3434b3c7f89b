import { Field, RecordBatch, Schema, Struct, Type, makeData } from 'apache-arrow';
import { internalError } from '../common/index.js';
import type { Column } from './column.js';
import { toArrowSchema, type ColumnField } from './schema.js';

/**
 * Assembles a RecordBatch from columns in canonical layout. Arrow's Schema is derived from Shoal's fields so
 * that the exact SQL type travels in field metadata.
 */
export function makeBatch(schema: Schema | readonly ColumnField[], columns: readonly Column[], length: number): RecordBatch {
  const arrowSchema = schema instanceof Schema ? schema : toArrowSchema(schema);
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
  return new RecordBatch(batchSchema, data);
}
