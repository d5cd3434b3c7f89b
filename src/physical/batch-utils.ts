import type { RecordBatch } from 'apache-arrow';
import type { EvalInput, PhysicalExpr } from '../expr/index.js';
import { materialize } from '../expr/index.js';
import type { OutCol } from '../plan/index.js';
import { batchColumn, concatColumns, makeBatch, rowRuns, takeColumn, toArrowSchema, type Column, type ColumnField } from '../types/index.js';
import type { Schema } from 'apache-arrow';

export function fieldsOf(cols: readonly OutCol[]): ColumnField[] {
  return cols.map((c) => ({ name: c.name, type: c.type, nullable: true }));
}

/** Arrow schema of an operator's output (cached per operator by callers). */
export function schemaOf(cols: readonly OutCol[]): Schema {
  return toArrowSchema(fieldsOf(cols));
}

export function inputOf(batch: RecordBatch): EvalInput {
  return { columns: batch.data.children as Column[], rows: batch.numRows };
}

export function columnsOf(batch: RecordBatch): Column[] {
  return batch.data.children.map((_, i) => batchColumn(batch, i));
}

/** Evaluates expressions over a batch, each as a full column. */
/** Bytes held by the columns' buffers (what an operator reserves for holding them). */
export function columnsByteLength(cols: readonly Column[]): number {
  let n = 0;
  for (const c of cols) n += c.byteLength;
  return n;
}

export function evaluateAll(exprs: readonly PhysicalExpr[], input: EvalInput): Column[] {
  return exprs.map((e) => materialize(e.evaluate(input), e.type, input.rows));
}

/**
 * Rows `sel[0..count)` of a batch; with `keep`, only those columns (by position), in that order. The selection's
 * runs are found once for all columns.
 */
export function takeBatch(schema: Schema, batch: RecordBatch, sel: Int32Array, count: number, keep?: readonly number[]): RecordBatch {
  const runs = rowRuns(sel, count);
  const cols = columnsOf(batch);
  const picked = keep === undefined ? cols : keep.map((i) => cols[i]!);
  return makeBatch(schema, picked.map((c) => takeColumn(c, sel, count, runs)), count);
}

/** Concatenates batches of one schema into columns. */
export function concatBatches(cols: readonly OutCol[], batches: readonly RecordBatch[]): Column[] {
  return cols.map((c, i) => concatColumns(batches.map((b) => batchColumn(b, i)), c.type));
}

/** Splits `n` rows of columns into batches of at most `size` rows. */
export function* chunkColumns(schema: Schema, columns: readonly Column[], n: number, size: number): Iterable<RecordBatch> {
  if (n <= size) {
    yield makeBatch(schema, columns, n);
    return;
  }
  for (let start = 0; start < n; start += size) {
    const len = Math.min(size, n - start);
    const sel = new Int32Array(len);
    for (let i = 0; i < len; i++) sel[i] = start + i;
    yield makeBatch(schema, columns.map((c) => takeColumn(c, sel, len)), len);
  }
}
