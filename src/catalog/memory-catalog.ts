import type { RecordBatch } from 'apache-arrow';
import { ShoalError } from '../common/index.js';
import type { Expr } from '../expr/index.js';
import { batchColumn, makeBatch, type ColumnField } from '../types/index.js';
import type { Catalog, TableDefinition, TableEntry, TableListing } from './catalog.js';
import type { FilterSupport, ScanPlan, ScanRequest, Split, TableProvider } from './table-provider.js';

/** A table held in memory for the session's life: tests and scratch work (CREATE TABLE + INSERT). */
export class MemoryTable implements TableProvider {
  readonly partitionColumns: readonly string[] = [];
  private batches: RecordBatch[] = [];

  constructor(readonly name: string, readonly columns: readonly ColumnField[], readonly comment?: string) {}

  append(batch: RecordBatch): void {
    if (batch.numRows > 0) this.batches.push(batch);
  }

  get rowCount(): number {
    return this.batches.reduce((a, b) => a + b.numRows, 0);
  }

  supportsFilters(filters: readonly Expr[]): FilterSupport[] {
    return filters.map(() => 'unsupported');
  }

  async planScan(): Promise<ScanPlan> {
    const bytes = this.batches.reduce((a, b) => a + b.data.byteLength, 0);
    return {
      splits: [{ kind: 'memory', batches: this.batches, rows: this.rowCount, bytes }],
      summary: { filesTotal: 0, filesKept: 0, rowGroupsTotal: 0, rowGroupsKept: 0, bytesToRead: bytes, partitionsTotal: 0, partitionsKept: 0 },
    };
  }

  async *readSplit(split: Split, req: ScanRequest): AsyncIterable<RecordBatch> {
    if (split.kind !== 'memory') throw new ShoalError('GENERIC_INTERNAL_ERROR', 'file split given to a memory table');
    const fields = req.projection.map((i) => this.columns[i]!);
    for (const b of split.batches) yield makeBatch(fields, req.projection.map((i) => batchColumn(b, i)), b.numRows);
  }
}

/** The `memory` catalog: schemas and tables created in the session, gone when the process ends. */
export class MemoryCatalog implements Catalog {
  readonly comment = 'Tables held in memory for this process (CREATE TABLE … / INSERT INTO …)';
  private readonly schemas = new Map<string, Map<string, TableEntry>>([['default', new Map()]]);

  constructor(readonly name = 'memory') {}

  async listSchemas(): Promise<string[]> {
    return [...this.schemas.keys()].sort();
  }

  async schemaExists(schema: string): Promise<boolean> {
    return this.schemas.has(schema);
  }

  async listTables(schema: string): Promise<TableListing[]> {
    const s = this.schemas.get(schema);
    if (s === undefined) return [];
    return [...s.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([name, e]) => ({
      name, kind: e.kind, comment: e.kind === 'table' ? e.provider.comment : e.comment,
    }));
  }

  async getTable(schema: string, table: string): Promise<TableEntry | undefined> {
    return this.schemas.get(schema)?.get(table);
  }

  async createTable(schema: string, table: string, def: TableDefinition): Promise<TableProvider> {
    let s = this.schemas.get(schema);
    if (s === undefined) {
      s = new Map();
      this.schemas.set(schema, s);
    }
    if (s.has(table)) throw new ShoalError('TABLE_ALREADY_EXISTS', `Table ${this.name}.${schema}.${table} already exists`);
    const t = new MemoryTable(`${this.name}.${schema}.${table}`, def.columns, def.comment);
    s.set(table, { kind: 'table', provider: t });
    return t;
  }

  async dropTable(schema: string, table: string): Promise<boolean> {
    const s = this.schemas.get(schema);
    const e = s?.get(table);
    if (e?.kind !== 'table') return false;
    s!.delete(table);
    return true;
  }

  async createView(schema: string, table: string, sql: string, orReplace: boolean): Promise<void> {
    let s = this.schemas.get(schema);
    if (s === undefined) {
      s = new Map();
      this.schemas.set(schema, s);
    }
    const existing = s.get(table);
    if (existing !== undefined && !(orReplace && existing.kind === 'view')) {
      throw new ShoalError('TABLE_ALREADY_EXISTS', `${existing.kind === 'view' ? 'View' : 'Table'} ${this.name}.${schema}.${table} already exists`);
    }
    s.set(table, { kind: 'view', sql, origin: `${this.name}.${schema}.${table}` });
  }

  async dropView(schema: string, table: string): Promise<boolean> {
    const s = this.schemas.get(schema);
    if (s?.get(table)?.kind !== 'view') return false;
    s.delete(table);
    return true;
  }
}
