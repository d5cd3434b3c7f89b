import type { RecordBatch } from 'apache-arrow';
import type { Expr } from '../expr/index.js';
import type { IoOptions } from '../fs/index.js';
import { BIGINT, VARCHAR, columnFromScalars, makeBatch, typeName, type ColumnField, type Scalar } from '../types/index.js';
import type { Catalog } from './catalog.js';
import type { FilterSupport, ScanPlan, ScanRequest, Split, TableProvider } from './table-provider.js';

export const INFORMATION_SCHEMA = 'information_schema';

/** Resolves a view's output columns (the engine binds the view's SQL); undefined when the view is broken. */
export type ViewDescriber = (sql: string, catalog: string, schema: string) => Promise<readonly ColumnField[] | undefined>;

const f = (name: string, type = VARCHAR): ColumnField => ({ name, type, nullable: true });

export const INFORMATION_SCHEMA_TABLES: Readonly<Record<string, readonly ColumnField[]>> = {
  schemata: [f('catalog_name'), f('schema_name')],
  tables: [f('table_catalog'), f('table_schema'), f('table_name'), f('table_type'), f('comment')],
  columns: [
    f('table_catalog'), f('table_schema'), f('table_name'), f('column_name'), f('ordinal_position', BIGINT),
    f('column_default'), f('is_nullable'), f('data_type'), f('comment'),
  ],
};

/**
 * information_schema.schemata/tables/columns of one catalog, computed when scanned (so it always reflects the
 * catalog files as they are now).
 */
export class InformationSchemaTable implements TableProvider {
  readonly partitionColumns: readonly string[] = [];
  readonly columns: readonly ColumnField[];
  readonly name: string;

  constructor(private readonly catalog: Catalog, private readonly table: string, private readonly describeView: ViewDescriber) {
    this.columns = INFORMATION_SCHEMA_TABLES[table]!;
    this.name = `${catalog.name}.${INFORMATION_SCHEMA}.${table}`;
  }

  supportsFilters(filters: readonly Expr[]): FilterSupport[] {
    return filters.map(() => 'unsupported');
  }

  async planScan(_req: ScanRequest, o?: IoOptions): Promise<ScanPlan> {
    const rows = await this.rows(o);
    const batch = makeBatch(this.columns, this.columns.map((c, i) => columnFromScalars(c.type, rows.map((r) => r[i] ?? null))), rows.length);
    return {
      splits: [{ kind: 'memory', batches: [batch], rows: rows.length, bytes: 0 }],
      summary: { filesTotal: 0, filesKept: 0, rowGroupsTotal: 0, rowGroupsKept: 0, bytesToRead: 0, partitionsTotal: 0, partitionsKept: 0 },
    };
  }

  async *readSplit(split: Split, req: ScanRequest): AsyncIterable<RecordBatch> {
    if (split.kind !== 'memory') return;
    const fields = req.projection.map((i) => this.columns[i]!);
    for (const b of split.batches) yield makeBatch(fields, req.projection.map((i) => b.data.children[i]!), b.numRows);
  }

  private async rows(o?: IoOptions): Promise<Scalar[][]> {
    const c = this.catalog;
    const schemas = [...(await c.listSchemas(o)), INFORMATION_SCHEMA];
    const out: Scalar[][] = [];
    if (this.table === 'schemata') {
      for (const s of schemas) out.push([c.name, s]);
      return out;
    }
    for (const s of schemas) {
      const listing = s === INFORMATION_SCHEMA
        ? Object.keys(INFORMATION_SCHEMA_TABLES).map((name) => ({ name, kind: 'table' as const, comment: undefined }))
        : await c.listTables(s, o);
      for (const t of listing) {
        if (this.table === 'tables') {
          out.push([c.name, s, t.name, t.kind === 'view' ? 'VIEW' : 'BASE TABLE', t.comment ?? null]);
          continue;
        }
        let cols: readonly ColumnField[] | undefined;
        if (s === INFORMATION_SCHEMA) cols = INFORMATION_SCHEMA_TABLES[t.name];
        else {
          const entry = await c.getTable(s, t.name, o);
          if (entry?.kind === 'table') cols = entry.provider.columns;
          else if (entry?.kind === 'view') cols = await this.describeView(entry.sql, c.name, s);
        }
        (cols ?? []).forEach((col, i) => out.push([c.name, s, t.name, col.name, BigInt(i + 1), null, 'YES', typeName(col.type), null]));
      }
    }
    return out;
  }
}
