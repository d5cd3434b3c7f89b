/**
 * A decoded row group (decoder-pool.ts: the decoder's buffers, or an Arrow IPC stream) → Shoal batches: columns
 * picked by name in the order requested, normalized to the canonical layout of their declared SQL types, at most
 * `batchSize` rows each.
 */
import { tableFromIPC, type Data, type RecordBatch } from 'apache-arrow';
import { ShoalError } from '../../common/index.js';
import { makeBatch, sliceColumn, type Column, type ColumnField } from '../../types/index.js';
import { normalizeColumn } from '../arrow-normalize.js';
import { arraysData, arrowTypeOfFormat } from './decoder/arrays-data.js';
import type { DecodedRowGroup } from './decoder/decoder-pool.js';
import { causeText, corruptFile, parquetError } from './errors.js';

export interface DecodedContext {
  readonly location: string;
  readonly rowGroup: number;
  readonly fields: readonly ColumnField[];
  readonly batchSize: number;
}

/** One decoder batch: its row count and its columns by name (the first of a repeated name). */
interface DecoderBatch {
  readonly numRows: number;
  column(name: string): Data | undefined;
}

function normalize(ctx: DecodedContext, data: Data, field: ColumnField): Column {
  try {
    return normalizeColumn(data, field.type);
  } catch (e) {
    const detail = `column '${field.name}' in row group ${ctx.rowGroup}: ${e instanceof Error ? e.message : String(e)}`;
    if (e instanceof ShoalError && e.code === 'NOT_SUPPORTED') throw parquetError('NOT_SUPPORTED', ctx.location, detail, e);
    throw corruptFile(ctx.location, detail, e);
  }
}

function firstIndexByName(names: readonly string[]): Map<string, number> {
  const byName = new Map<string, number>();
  names.forEach((name, i) => {
    if (!byName.has(name)) byName.set(name, i);
  });
  return byName;
}

function ipcBatches(ipc: Uint8Array, ctx: DecodedContext): DecoderBatch[] {
  let batches: RecordBatch[];
  try {
    batches = tableFromIPC(ipc).batches;
  } catch (e) {
    throw corruptFile(ctx.location, `the decoder's output for row group ${ctx.rowGroup} is unreadable (${causeText(e)})`, e);
  }
  return batches.map((rb) => {
    const byName = firstIndexByName(rb.schema.fields.map((f) => f.name));
    return {
      numRows: rb.numRows,
      column: (name: string) => {
        const i = byName.get(name);
        return i === undefined ? undefined : rb.data.children[i];
      },
    };
  });
}

function arraysBatches(decoded: DecodedRowGroup & { kind: 'arrays' }): DecoderBatch[] {
  const { layout, data } = decoded;
  const types = layout.fields.map((f) => arrowTypeOfFormat(f.format));
  const byName = firstIndexByName(layout.fields.map((f) => f.name));
  return layout.batches.map((b) => ({
    numRows: b.length,
    column: (name: string) => {
      const i = byName.get(name);
      return i === undefined ? undefined : arraysData(types[i]!, b.columns[i]!, data);
    },
  }));
}

/** Yields the row group's batches; the caller checks the total row count against the footer. */
export function* batchesFromDecoded(decoded: DecodedRowGroup, ctx: DecodedContext): Generator<RecordBatch> {
  const batches = decoded.kind === 'ipc' ? ipcBatches(decoded.ipc, ctx) : arraysBatches(decoded);
  for (const b of batches) {
    const columns = ctx.fields.map((f) => {
      const data = b.column(f.name);
      if (data === undefined) throw corruptFile(ctx.location, `the decoder returned no column '${f.name}' for row group ${ctx.rowGroup}`);
      return normalize(ctx, data, f);
    });
    const n = b.numRows;
    for (let from = 0; from < n; from += ctx.batchSize) {
      const len = Math.min(ctx.batchSize, n - from);
      yield makeBatch(ctx.fields, columns.map((c) => sliceColumn(c, from, len)), len);
    }
  }
}
