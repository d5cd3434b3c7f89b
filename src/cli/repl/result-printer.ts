import type { Sink } from '../result-writer.js';
import { csvField, tsvField } from '../result-writer.js';
import { renderTable } from '../table-renderer.js';
import { renderVertical } from './vertical-renderer.js';
import type { RowChunk, RunningQuery } from './query-runner.js';

export type ReplMode = 'table' | 'csv' | 'tsv' | 'json' | 'jsonl' | 'vertical';
export const REPL_MODES: readonly ReplMode[] = ['table', 'csv', 'tsv', 'json', 'jsonl', 'vertical'];

export interface PrintOptions {
  readonly mode: ReplMode;
  /** Table and vertical modes: rows printed before "… N more rows". */
  readonly maxRows: number;
  /** Terminal width (undefined: unlimited, e.g. output to a file). */
  readonly width: number | undefined;
}

async function forEachChunk(q: RunningQuery, sink: Sink, f: (c: RowChunk) => void): Promise<number> {
  let n = 0;
  for await (const c of q.chunks) {
    f(c);
    n += c.length;
    await sink.flush();
  }
  return n;
}

/** Streams a query's rows to the sink in the REPL's current mode; returns the row count. */
export async function printResult(q: RunningQuery, sink: Sink, o: PrintOptions): Promise<number> {
  const cols = q.columns;
  const n = cols.length;
  const indices = cols.map((_, i) => i);
  switch (o.mode) {
    case 'csv':
    case 'tsv': {
      const d = o.mode === 'csv' ? ',' : '\t';
      const field = (s: string | null): string => (o.mode === 'csv' ? csvField(s, d) : tsvField(s));
      sink.write(`${cols.map((c) => field(c.name)).join(d)}\n`);
      return forEachChunk(q, sink, (c) => {
        for (let r = 0; r < c.length; r++) sink.write(`${indices.map((i) => field(c.text(r, i))).join(d)}\n`);
      });
    }
    case 'json':
    case 'jsonl': {
      const object = (c: RowChunk, r: number): string => `{${indices.map((i) => `${JSON.stringify(cols[i]!.name)}:${c.json(r, i)}`).join(',')}}`;
      let first = true;
      if (o.mode === 'json') sink.write('[');
      const rows = await forEachChunk(q, sink, (c) => {
        for (let r = 0; r < c.length; r++) {
          sink.write(o.mode === 'jsonl' ? `${object(c, r)}\n` : `${first ? '\n' : ',\n'}${object(c, r)}`);
          first = false;
        }
      });
      if (o.mode === 'json') sink.write(first ? ']\n' : '\n]\n');
      return rows;
    }
    case 'table':
    case 'vertical': {
      if (o.mode === 'table' && n === 1 && cols[0]!.name === 'Query Plan') {
        // EXPLAIN: the plan text as it is (as the Trino CLI prints it).
        return forEachChunk(q, sink, (c) => {
          for (let r = 0; r < c.length; r++) sink.write(`${c.text(r, 0) ?? ''}\n`);
        });
      }
      const kept: (string | null)[][] = [];
      const total = await forEachChunk(q, sink, (c) => {
        for (let r = 0; r < c.length && kept.length < o.maxRows; r++) kept.push(indices.map((i) => c.text(r, i)));
      });
      sink.write(o.mode === 'table' ? renderTable(cols, kept, { totalRows: total, width: o.width }) : renderVertical(cols, kept, total));
      return total;
    }
  }
}
