import { ShoalError, type SourceSpan } from '../common/index.js';
import { FileCatalog, MemoryTable } from '../catalog/index.js';
import type * as ast from '../sql/index.js';
import type { ColumnField } from '../types/index.js';
import type { StatementContext } from './query-context.js';
import type { QueryResult } from './query-result.js';
import { executePlan, planQuery, rowsResult } from './run-query.js';
import { ROWS_FIELD, definedColumns, insertColumns, schemaTarget, tableBatchFitter, target, type TableTarget } from './table-target.js';
import { createFileTable, createFileTableAs, insertIntoFileTable } from './write-statements.js';

function notWritable(what: string, t: TableTarget, span: SourceSpan): ShoalError {
  return new ShoalError('NOT_SUPPORTED', `${what} in catalog '${t.catalog.name}' is not supported yet`, {
    span,
    hint: "Tables can be created in the 'memory' catalog (CREATE TABLE memory.default.t …)",
  });
}

export async function createTable(s: ast.CreateTableStatement, ctx: StatementContext): Promise<QueryResult> {
  const t = target(s.name, ctx);
  if (t.catalog instanceof FileCatalog) return createFileTable(s, t, t.catalog, ctx);
  if (t.catalog.createTable === undefined) throw notWritable('CREATE TABLE', t, s.span);
  if (s.properties.length > 0) throw new ShoalError('INVALID_TABLE_PROPERTY', `Table properties are not supported for catalog '${t.catalog.name}'`, { span: s.properties[0]!.span });
  if ((await t.catalog.getTable(t.schema, t.table)) !== undefined) {
    if (s.ifNotExists) return rowsResult([], [], ctx, { updateType: 'CREATE TABLE' });
    throw new ShoalError('TABLE_ALREADY_EXISTS', `Table '${t.qualified}' already exists`, { span: s.name.span });
  }
  const columns = definedColumns(s.columns);
  await t.catalog.createTable(t.schema, t.table, { columns, comment: s.comment });
  return rowsResult([], [], ctx, { updateType: 'CREATE TABLE' });
}

/** Runs a query and appends its rows to a memory table, casting to the table's column types. */
async function appendQuery(table: MemoryTable, query: ast.Query, columns: readonly ColumnField[] | undefined, span: SourceSpan, ctx: StatementContext): Promise<number> {
  const p = await planQuery(query, ctx);
  const fit = tableBatchFitter(p.fields, table.columns, columns ?? table.columns, table.name, span);
  let rows = 0;
  const staged = [];
  for await (const b of executePlan(p)) {
    staged.push(fit(b));
    rows += b.numRows;
  }
  // All or nothing: a failed query leaves the table as it was.
  for (const b of staged) table.append(b);
  return rows;
}

export async function insert(s: ast.InsertStatement, ctx: StatementContext): Promise<QueryResult> {
  const t = target(s.table, ctx);
  if (t.catalog instanceof FileCatalog) return insertIntoFileTable(s, t, t.catalog, ctx);
  const entry = await t.catalog.getTable(t.schema, t.table);
  if (entry === undefined) throw new ShoalError('TABLE_NOT_FOUND', `Table '${t.qualified}' does not exist`, { span: s.table.span });
  if (entry.kind !== 'table' || !(entry.provider instanceof MemoryTable)) throw notWritable('INSERT', t, s.span);
  const table = entry.provider;
  const rows = await appendQuery(table, s.query, insertColumns(s, table.columns, t.qualified), s.span, ctx);
  return rowsResult(ROWS_FIELD, [[BigInt(rows)]], ctx, { updateType: 'INSERT', updateCount: rows });
}

export async function createTableAs(s: ast.CreateTableAsStatement, ctx: StatementContext): Promise<QueryResult> {
  const t = target(s.name, ctx);
  if (t.catalog instanceof FileCatalog) return createFileTableAs(s, t, t.catalog, ctx);
  if (t.catalog.createTable === undefined) throw notWritable('CREATE TABLE AS', t, s.span);
  if (s.properties.length > 0) throw new ShoalError('INVALID_TABLE_PROPERTY', `Table properties are not supported for catalog '${t.catalog.name}'`, { span: s.properties[0]!.span });
  if ((await t.catalog.getTable(t.schema, t.table)) !== undefined) {
    if (s.ifNotExists) return rowsResult(ROWS_FIELD, [[0n]], ctx, { updateType: 'CREATE TABLE', updateCount: 0 });
    throw new ShoalError('TABLE_ALREADY_EXISTS', `Table '${t.qualified}' already exists`, { span: s.name.span });
  }
  const p = await planQuery(s.query, ctx);
  if (s.columns !== undefined && s.columns.length !== p.fields.length) {
    throw new ShoalError('MISMATCHED_COLUMN_ALIASES', `${s.columns.length} column names given for a query with ${p.fields.length} columns`, { span: s.span });
  }
  const columns = p.fields.map((f, i) => ({ name: (s.columns?.[i]?.value ?? f.name).toLowerCase(), type: f.type.kind === 'unknown' ? { kind: 'varchar' as const } : f.type, nullable: true }));
  const table = (await t.catalog.createTable(t.schema, t.table, { columns })) as MemoryTable;
  const rows = s.withData ? await appendQuery(table, s.query, undefined, s.span, ctx) : 0;
  return rowsResult(ROWS_FIELD, [[BigInt(rows)]], ctx, { updateType: 'CREATE TABLE', updateCount: rows });
}

export async function createView(s: ast.CreateViewStatement, ctx: StatementContext): Promise<QueryResult> {
  const t = target(s.name, ctx);
  if (t.catalog.createView === undefined) throw notWritable('CREATE VIEW', t, s.span);
  // Bind once now so a broken view is rejected when created, not when first used.
  await planQuery(s.query, ctx, { enforceScanLimit: false });
  await t.catalog.createView(t.schema, t.table, s.queryText, s.orReplace);
  return rowsResult([], [], ctx, { updateType: 'CREATE VIEW' });
}

export async function drop(s: ast.DropStatement, ctx: StatementContext): Promise<QueryResult> {
  const t = target(s.name, ctx);
  const entry = await t.catalog.getTable(t.schema, t.table);
  const kind = s.object === 'view' ? 'view' : 'table';
  if (entry === undefined || entry.kind !== kind) {
    if (s.ifExists) return rowsResult([], [], ctx, { updateType: `DROP ${kind.toUpperCase()}` });
    const hint = entry !== undefined ? `'${t.qualified}' is a ${entry.kind}; use DROP ${entry.kind.toUpperCase()}` : undefined;
    throw new ShoalError('TABLE_NOT_FOUND', `${kind === 'view' ? 'View' : 'Table'} '${t.qualified}' does not exist`, { span: s.name.span, hint });
  }
  const fn = kind === 'view' ? t.catalog.dropView : t.catalog.dropTable;
  if (fn === undefined) throw notWritable(`DROP ${kind.toUpperCase()}`, t, s.span);
  await fn.call(t.catalog, t.schema, t.table);
  return rowsResult([], [], ctx, { updateType: `DROP ${kind.toUpperCase()}` });
}

/** CREATE SCHEMA [IF NOT EXISTS]: a folder in a file catalog. */
export async function createSchema(s: ast.CreateSchemaStatement, ctx: StatementContext): Promise<QueryResult> {
  const t = schemaTarget(s.name, ctx);
  if (t.catalog.createSchema === undefined) {
    throw new ShoalError('NOT_SUPPORTED', `CREATE SCHEMA in catalog '${t.catalog.name}' is not supported`, { span: s.span });
  }
  const created = await t.catalog.createSchema(t.schema);
  if (!created && !s.ifNotExists) {
    throw new ShoalError('ALREADY_EXISTS', `Schema '${t.qualified}' already exists`, { span: s.name.span, hint: 'Use CREATE SCHEMA IF NOT EXISTS' });
  }
  return rowsResult([], [], ctx, { updateType: 'CREATE SCHEMA' });
}

/** DROP SCHEMA [IF EXISTS]: only an empty schema (Trino's RESTRICT, its default). */
export async function dropSchema(s: ast.DropSchemaStatement, ctx: StatementContext): Promise<QueryResult> {
  const t = schemaTarget(s.name, ctx);
  if (t.catalog.dropSchema === undefined) {
    throw new ShoalError('NOT_SUPPORTED', `DROP SCHEMA in catalog '${t.catalog.name}' is not supported`, { span: s.span });
  }
  if ((await t.catalog.listTables(t.schema)).length > 0) {
    throw new ShoalError('SCHEMA_NOT_EMPTY', `Cannot drop non-empty schema '${t.qualified}'`, { span: s.name.span, hint: 'Drop its tables and views first' });
  }
  const dropped = await t.catalog.dropSchema(t.schema);
  if (!dropped && !s.ifExists) throw new ShoalError('SCHEMA_NOT_FOUND', `Schema '${t.qualified}' does not exist`, { span: s.name.span });
  return rowsResult([], [], ctx, { updateType: 'DROP SCHEMA' });
}
