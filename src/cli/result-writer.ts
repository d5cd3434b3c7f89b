import { csvField, toJsValue, typeName, type QueryResult, type Scalar } from '../engine/index.js';
import type { OutputFormat } from './args.js';
import { renderTable } from './table-renderer.js';
import { isNumericType, renderValue } from './render-value.js';

/** Where results go. `flush` is awaited after every batch so a slow consumer holds back the query. */
export interface Sink {
  write(text: string): void;
  flush(force?: boolean): Promise<void>;
}

/** RFC 4180 field text, shared with the CSV file writer (formats/csv/csv-text.ts). */
export { csvField };

export function tsvField(s: string | null): string {
  if (s === null) return '';
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/**
 * JSON text of a value: exact digits for bigint (JSON numbers have no size limit); arrays as JSON arrays, rows
 * and maps as JSON objects (map keys as their text, as Trino's JSON output writes them).
 */
export function jsonValue(v: ReturnType<typeof toJsValue>): string {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number' && !Number.isFinite(v)) return JSON.stringify(String(v));
  if (Array.isArray(v)) return `[${(v as readonly ReturnType<typeof toJsValue>[]).map(jsonValue).join(',')}]`;
  if (v instanceof Map) return `{${[...(v as ReadonlyMap<ReturnType<typeof toJsValue>, ReturnType<typeof toJsValue>>)].map(([k, x]) => `${JSON.stringify(String(k))}:${jsonValue(x)}`).join(',')}}`;
  if (v !== null && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${jsonValue(x)}`).join(',')}}`;
  return JSON.stringify(v);
}

async function forEachRow(result: QueryResult, sink: Sink, f: (row: Scalar[]) => void): Promise<number> {
  let n = 0;
  for await (const rows of result.rowChunks()) {
    for (const row of rows) f(row);
    n += rows.length;
    await sink.flush();
  }
  return n;
}

export interface WriteOptions {
  readonly format: OutputFormat;
  /** Table format: the most rows to print before "… N more rows". */
  readonly maxRows?: number | undefined;
  /** Terminal width for folding wide tables (undefined: no limit). */
  readonly width?: number | undefined;
}

/** Streams a result to the sink in the chosen format; returns the number of rows. */
export async function writeResult(result: QueryResult, sink: Sink, o: WriteOptions): Promise<number> {
  const fields = result.fields;
  switch (o.format) {
    case 'csv':
    case 'tsv': {
      const d = o.format === 'csv' ? ',' : '\t';
      const field = (s: string | null): string => (o.format === 'csv' ? csvField(s, d) : tsvField(s));
      sink.write(`${fields.map((f) => field(f.name)).join(d)}\n`);
      return forEachRow(result, sink, (row) => sink.write(`${row.map((v, i) => field(renderValue(v, fields[i]!.type))).join(d)}\n`));
    }
    case 'jsonl':
      return forEachRow(result, sink, (row) => sink.write(`{${row.map((v, i) => `${JSON.stringify(fields[i]!.name)}:${jsonValue(toJsValue(v, fields[i]!.type))}`).join(',')}}\n`));
    case 'json': {
      let first = true;
      sink.write('[');
      const n = await forEachRow(result, sink, (row) => {
        sink.write(`${first ? '\n' : ',\n'}{${row.map((v, i) => `${JSON.stringify(fields[i]!.name)}:${jsonValue(toJsValue(v, fields[i]!.type))}`).join(',')}}`);
        first = false;
      });
      sink.write(first ? ']\n' : '\n]\n');
      return n;
    }
    case 'table': {
      if (fields.length === 1 && fields[0]!.type.kind === 'varchar' && fields[0]!.name === 'Query Plan') {
        // EXPLAIN: the plan text as it is, one line per operator (as the Trino CLI prints it).
        return forEachRow(result, sink, (row) => sink.write(`${String(row[0] ?? '')}\n`));
      }
      const rows: (string | null)[][] = [];
      const max = o.maxRows ?? Number.POSITIVE_INFINITY;
      const n = await forEachRow(result, sink, (row) => {
        if (rows.length < max) rows.push(row.map((v, i) => renderValue(v, fields[i]!.type)));
      });
      sink.write(renderTable(fields.map((f) => ({ name: f.name, type: typeName(f.type), numeric: isNumericType(f.type) })), rows, { totalRows: n, width: o.width }));
      return n;
    }
  }
}

/** What a statement without rows reports: "INSERT: 3 rows", "USE". */
export function updateSummary(updateType: string, updateCount: number | undefined): string {
  return `${updateType}${updateCount === undefined ? '' : `: ${updateCount} row${updateCount === 1 ? '' : 's'}`}`;
}

/**
 * Prints one statement's result: its rows, or for statements that change state (USE, INSERT, CREATE TABLE…)
 * a summary line such as "INSERT: 3 rows" in table format and nothing in csv/json output, which holds query
 * results only (write statements answer one `rows` row, as in Trino; Trino's CLI prints the summary too).
 * Returns the number of rows printed.
 */
export async function writeStatementResult(result: QueryResult, sink: Sink, o: WriteOptions): Promise<number> {
  if (result.fields.length > 0 && result.updateType === undefined) return writeResult(result, sink, o);
  for await (const _ of result) { /* drain */ }
  if (o.format === 'table' && result.updateType !== undefined) sink.write(`${updateSummary(result.updateType, result.updateCount)}\n`);
  return 0;
}
