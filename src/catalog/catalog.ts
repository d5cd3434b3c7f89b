import type { ExpandOptions, IoOptions } from '../fs/index.js';
import type { ColumnField } from '../types/index.js';
import type { TableProvider } from './table-provider.js';

export type TableEntry =
  | { readonly kind: 'table'; readonly provider: TableProvider }
  | { readonly kind: 'view'; readonly sql: string; readonly comment?: string | undefined; readonly origin: string };

export interface TableListing {
  readonly name: string;
  readonly kind: 'table' | 'view';
  readonly comment?: string | undefined;
}

/** A definition handed to catalogs that can create tables (the memory catalog; file catalogs in later work). */
export interface TableDefinition {
  readonly columns: readonly ColumnField[];
  readonly comment?: string | undefined;
}

/** A named catalog: schemas of tables and views. Names are compared case-insensitively (stored lower-case). */
export interface Catalog {
  readonly name: string;
  readonly comment?: string | undefined;
  listSchemas(o?: IoOptions): Promise<string[]>;
  listTables(schema: string, o?: IoOptions): Promise<TableListing[]>;
  /** undefined when the schema or table does not exist. */
  /** The table or view; o.listing is the query's listings (a table's files are listed once per query). */
  getTable(schema: string, table: string, o?: ExpandOptions): Promise<TableEntry | undefined>;
  schemaExists(schema: string, o?: IoOptions): Promise<boolean>;
  /** Creates an empty schema; false when it already existed. */
  createSchema?(schema: string): Promise<boolean>;
  /** Drops an empty schema (SCHEMA_NOT_EMPTY otherwise); false when it did not exist. */
  dropSchema?(schema: string): Promise<boolean>;
  createTable?(schema: string, table: string, def: TableDefinition): Promise<TableProvider>;
  dropTable?(schema: string, table: string): Promise<boolean>;
  createView?(schema: string, table: string, sql: string, orReplace: boolean): Promise<void>;
  dropView?(schema: string, table: string): Promise<boolean>;
}
