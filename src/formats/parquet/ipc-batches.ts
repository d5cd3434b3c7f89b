/**
 * Decoder output (an Arrow IPC stream of one row group) → Shoal batches: columns picked by name in the order
 * requested, normalized to the canonical layout of their declared SQL types, at most `batchSize` rows each.
 */
import { tableFromIPC, type Data, type RecordBatch } from 'apache-arrow';
import { ShoalError } from '../../common/index.js';
import { makeBatch, sliceColumn, type Column, type ColumnField } from '../../types/index.js';
import { normalizeColumn } from '../arrow-normalize.js';
import { causeText, corruptFile, parquetError } from './errors.js';

export interface IpcContext {
  readonly location: string;
  readonly rowGroup: number;
  readonly fields: readonly ColumnField[];
  readonly batchSize: number;
}

function normalize(ctx: IpcContext, data: Data, field: ColumnField): Column {
  try {
    return normalizeColumn(data, field.type);
  } catch (e) {
    const detail = `column '${field.name}' in row group ${ctx.rowGroup}: ${e instanceof Error ? e.message : String(e)}`;
    if (e instanceof ShoalError && e.code === 'NOT_SUPPORTED') throw parquetError('NOT_SUPPORTED', ctx.location, detail, e);
    throw corruptFile(ctx.location, detail, e);
  }
}

/** Yields the row group's batches; the caller checks the total row count against the footer. */
export function* batchesFromIpc(ipc: Uint8Array, ctx: IpcContext): Generator<RecordBatch> {
  let batches: RecordBatch[];
  try {
    batches = tableFromIPC(ipc).batches;
  } catch (e) {
    throw corruptFile(ctx.location, `the decoder's output for row group ${ctx.rowGroup} is unreadable (${causeText(e)})`, e);
  }
  for (const rb of batches) {
    const byName = new Map<string, number>();
    rb.schema.fields.forEach((f, i) => {
      if (!byName.has(f.name)) byName.set(f.name, i);
    });
    const columns = ctx.fields.map((f) => {
      const i = byName.get(f.name);
      const data = i === undefined ? undefined : rb.data.children[i];
      if (data === undefined) throw corruptFile(ctx.location, `the decoder returned no column '${f.name}' for row group ${ctx.rowGroup}`);
      return normalize(ctx, data, f);
    });
    const n = rb.numRows;
    for (let from = 0; from < n; from += ctx.batchSize) {
      const len = Math.min(ctx.batchSize, n - from);
      yield makeBatch(ctx.fields, columns.map((c) => sliceColumn(c, from, len)), len);
    }
  }
}
