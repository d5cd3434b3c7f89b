import type { OutputFormat } from '../args.js';
import { csvField, tsvField, type Sink, type WriteOptions } from '../result-writer.js';
import { renderTable } from '../table-renderer.js';
import type { RemoteResult } from './trino-protocol-client.js';
import { formatRemoteValue, isNumericSignature, remoteJson } from './remote-values.js';
import type { RemoteColumn, RemoteRow } from './remote-types.js';

async function forEachRow(result: RemoteResult, sink: Sink, f: (row: RemoteRow) => void): Promise<number> {
  let n = 0;
  for await (const rows of result.pages()) {
    for (const row of rows) f(row);
    n += rows.length;
    await sink.flush();
  }
  return n;
}

function jsonObject(columns: readonly RemoteColumn[], row: RemoteRow): string {
  return `{${row.map((v, i) => `${JSON.stringify(columns[i]!.name)}:${remoteJson(v, columns[i]!.typeSignature)}`).join(',')}}`;
}

/**
 * Streams a remote result to the sink in the chosen format, with the same text the local writer
 * (result-writer.ts) produces for the same query; returns the number of rows.
 */
export async function writeRemoteResult(result: RemoteResult, columns: readonly RemoteColumn[], sink: Sink, o: WriteOptions): Promise<number> {
  const format: OutputFormat = o.format;
  const text = (row: RemoteRow, i: number): string | null => formatRemoteValue(row[i] ?? null, columns[i]!.typeSignature);
  switch (format) {
    case 'csv':
    case 'tsv': {
      const d = format === 'csv' ? ',' : '\t';
      const field = (s: string | null): string => (format === 'csv' ? csvField(s, d) : tsvField(s));
      sink.write(`${columns.map((c) => field(c.name)).join(d)}\n`);
      return forEachRow(result, sink, (row) => sink.write(`${columns.map((_, i) => field(text(row, i))).join(d)}\n`));
    }
    case 'jsonl':
      return forEachRow(result, sink, (row) => sink.write(`${jsonObject(columns, row)}\n`));
    case 'json': {
      let first = true;
      sink.write('[');
      const n = await forEachRow(result, sink, (row) => {
        sink.write(`${first ? '\n' : ',\n'}${jsonObject(columns, row)}`);
        first = false;
      });
      sink.write(first ? ']\n' : '\n]\n');
      return n;
    }
    case 'table': {
      if (columns.length === 1 && columns[0]!.typeSignature.rawType === 'varchar' && columns[0]!.name === 'Query Plan') {
        return forEachRow(result, sink, (row) => sink.write(`${String(row[0] ?? '')}\n`));
      }
      const rows: (string | null)[][] = [];
      const max = o.maxRows ?? Number.POSITIVE_INFINITY;
      const n = await forEachRow(result, sink, (row) => {
        if (rows.length < max) rows.push(columns.map((_, i) => text(row, i)));
      });
      const cols = columns.map((c) => ({ name: c.name, type: c.type, numeric: isNumericSignature(c.typeSignature) }));
      sink.write(renderTable(cols, rows, { totalRows: n, width: o.width }));
      return n;
    }
  }
}
