/**
 * Shared by the CSV reader tests: fixtures written into a temp dir, reading a file through Shoal's reader into
 * plain rows, and the same file read by DuckDB's read_csv with explicit matching options and types.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { RecordBatch } from 'apache-arrow';
import { DEFAULT_CSV_OPTIONS, inferCsvSchema, readCsv, type CsvOptions, type CsvReadOptions } from '../../../../src/formats/csv/index.js';
import { LocalFileSystem } from '../../../../src/fs/index.js';
import {
  batchColumn, field, formatDecimal, hasCanonicalLayout, scalarAt, typeName, type ColumnField, type Scalar, type SqlType,
} from '../../../../src/types/index.js';

export const fs = new LocalFileSystem();

export class TempDir {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'shoal-csv-'));
  write(name: string, content: string | Uint8Array): string {
    const p = path.join(this.dir, name);
    writeFileSync(p, content);
    return p;
  }
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function opts(over: Partial<CsvOptions> = {}): CsvOptions {
  return { ...DEFAULT_CSV_OPTIONS, ...over };
}

export function fields(spec: Record<string, SqlType>): ColumnField[] {
  return Object.entries(spec).map(([n, t]) => field(n, t));
}

/** A value in the form both readers are compared in: decimals as their plain text, the rest as Scalars. */
export type Cell = Exclude<Scalar, bigint> | bigint;

function normalize(type: SqlType, v: Scalar): Cell {
  if (v === null) return null;
  if (type.kind === 'decimal') return formatDecimal(v as bigint, type.scale);
  return v;
}

export interface ReadResult {
  rows: Cell[][];
  batches: RecordBatch[];
}

/** Reads `file` with Shoal's reader; checks every column is in canonical layout. */
export async function readWithShoal(
  location: string, options: CsvOptions, cols: readonly ColumnField[], o: CsvReadOptions = {}, projection?: readonly number[],
): Promise<ReadResult> {
  const proj = projection ?? cols.map((_, i) => i);
  const file = await fs.open(location);
  try {
    const rows: Cell[][] = [];
    const batches: RecordBatch[] = [];
    for await (const b of readCsv(file, options, cols, proj, o)) {
      batches.push(b);
      for (let j = 0; j < proj.length; j++) {
        const t = cols[proj[j]!]!.type;
        if (!hasCanonicalLayout(batchColumn(b, j), t)) throw new Error(`column ${j} is not in the canonical layout of ${typeName(t)}`);
      }
      for (let r = 0; r < b.numRows; r++) {
        rows.push(proj.map((i, j) => normalize(cols[i]!.type, scalarAt(batchColumn(b, j), cols[i]!.type, r))));
      }
    }
    return { rows, batches };
  } finally {
    await file.close();
  }
}

export async function inferWithShoal(location: string, options: CsvOptions, o: { chunkSize?: number } = {}): Promise<string[]> {
  const file = await fs.open(location);
  try {
    return (await inferCsvSchema(file, options, o)).map((f) => `${f.name}:${typeName(f.type)}`);
  } finally {
    await file.close();
  }
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function errorOf(p: Promise<unknown>): Promise<Error & { code?: string; hint?: string; location?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { code?: string; hint?: string; location?: string };
  }
  throw new Error('expected an error');
}

function duckType(t: SqlType): string {
  switch (t.kind) {
    case 'boolean': return 'BOOLEAN';
    case 'tinyint': return 'TINYINT';
    case 'smallint': return 'SMALLINT';
    case 'integer': return 'INTEGER';
    case 'bigint': return 'BIGINT';
    case 'real': return 'FLOAT';
    case 'double': return 'DOUBLE';
    case 'decimal': return `DECIMAL(${t.precision},${t.scale})`;
    case 'varchar': return 'VARCHAR';
    case 'date': return 'DATE';
    case 'timestamp':
      if (t.precision === 6) return 'TIMESTAMP';
      if (t.precision === 9) return 'TIMESTAMP_NS';
      throw new Error(`no DuckDB type read like timestamp(${t.precision})`);
    default: throw new Error(`no DuckDB type for ${typeName(t)}`);
  }
}

/** The DuckDB expression giving column `c` in the form of `normalize`. */
function duckExpr(c: ColumnField): string {
  const q = `"${c.name.replace(/"/g, '""')}"`;
  switch (c.type.kind) {
    case 'real': return `CAST(${q} AS DOUBLE)`;
    case 'decimal': return `CAST(${q} AS VARCHAR)`;
    case 'date': return `CAST(${q} - DATE '1970-01-01' AS INTEGER)`;
    case 'timestamp': return c.type.precision > 6 ? `epoch_ns(${q})` : `epoch_us(${q})`;
    default: return q;
  }
}

function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export class DuckOracle {
  private constructor(private readonly conn: DuckDBConnection) {}

  static async create(): Promise<DuckOracle> {
    const inst = await DuckDBInstance.create(':memory:', { threads: '1' });
    return new DuckOracle(await inst.connect());
  }

  /** read_csv with auto-detection off and every option matching Shoal's. */
  readCsvSql(location: string, o: CsvOptions, cols: readonly ColumnField[]): string {
    const columns = cols.map((c) => `${sqlString(c.name)}: ${sqlString(duckType(c.type))}`).join(', ');
    const compression = o.compression === 'auto' ? 'auto' : o.compression === 'gzip' ? 'gzip' : 'none';
    return `read_csv(${sqlString(location)}, auto_detect = false, header = ${o.header}, delim = ${sqlString(o.delimiter)}, `
      + `quote = ${sqlString(o.quote)}, escape = ${sqlString(o.quote)}, nullstr = ${sqlString(o.nullString)}, allow_quoted_nulls = false, `
      + `null_padding = ${o.nullPadding}, skip = ${o.skipRows}, compression = ${sqlString(compression)}, columns = {${columns}})`;
  }

  async read(location: string, o: CsvOptions, cols: readonly ColumnField[]): Promise<Cell[][]> {
    const sql = `SELECT ${cols.map(duckExpr).join(', ')} FROM ${this.readCsvSql(location, o, cols)}`;
    const r = await this.conn.runAndReadAll(sql);
    return r.getRowsJS().map((row) => row.map((v, i) => {
      if (v === null) return null;
      const t = cols[i]!.type;
      if (t.kind === 'date' && typeof v === 'bigint') return Number(v);
      return v as Cell;
    }));
  }

  /** DuckDB's sniffer: `name:TYPE` per column. */
  async sniff(location: string): Promise<string[]> {
    const r = await this.conn.runAndReadAll(`DESCRIBE SELECT * FROM read_csv(${sqlString(location)})`);
    return r.getRowsJS().map((row) => `${String(row[0])}:${String(row[1])}`);
  }
}

/** Rows equal value by value (NaN equals NaN, -0 equals 0 as SQL compares them). */
export function sameRows(a: readonly Cell[][], b: readonly Cell[][]): boolean {
  if (a.length !== b.length) return false;
  for (let r = 0; r < a.length; r++) {
    const x = a[r]!, y = b[r]!;
    if (x.length !== y.length) return false;
    for (let c = 0; c < x.length; c++) {
      const u = x[c], v = y[c];
      if (u === v) continue;
      if (typeof u === 'number' && typeof v === 'number' && Number.isNaN(u) && Number.isNaN(v)) continue;
      return false;
    }
  }
  return true;
}
