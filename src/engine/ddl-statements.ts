import { ShoalError, didYouMean, type SourceSpan } from '../common/index.js';
import { MemoryTable, type Catalog } from '../catalog/index.js';
import { castColumn } from '../expr/index.js';
import type * as ast from '../sql/index.js';
import { batchColumn, makeBatch, nullColumn, parseTypeName, typeName, typesEqual, type ColumnField } from '../types/index.js';
import type { StatementContext } from './query-context.js';
import type { QueryResult } from './query-result.js';
import { planQuery, rowsResult } from './run-query.js';

interface TableTarget {
  readonly catalog: Catalog;
  readonly schema: string;
  readonly table: string;
  readonly qualified: string;
}

export function target(name: ast.QualifiedName, ctx: StatementContext): TableTarget {
  const parts = name.parts.map((p) => p.value.toLowerCase());
  if (parts.length > 3) throw new ShoalError('SYNTAX_ERROR', `Too many name parts in '${parts.join('.')}'`, { span: name.span });
  const [c, s, t] = parts.length === 3 ? parts : parts.length === 2 ? [ctx.catalog, parts[0], parts[1]] : [ctx.catalog, ctx.schema, parts[0]];
  if (c === undefined) throw new ShoalError('MISSING_CATALOG_NAME', 'No catalog given and no default catalog is set', { span: name.span, hint: 'Qualify the name (memory.default.t) or run USE catalog.schema' });
  if (s === undefined) throw new ShoalError('MISSING_SCHEMA_NAME', 'No schema given and no default schema is set', { span: name.span, hint: 'Qualify the name or run USE schema' });
  const catalog = ctx.catalogs.get(c);
  if (catalog === undefined) throw new ShoalError('CATALOG_NOT_FOUND', `Catalog '${c}' does not exist`, { span: name.span, hint: didYouMean(c, ctx.catalogs.names()) });
  return { catalog, schema: s!, table: t!, qualified: `${c}.${s}.${t}` };
}

function notWritable(what: string, t: TableTarget, span: SourceSpan): ShoalError {
  return new ShoalError('NOT_SUPPORTED', `${what} in catalog '${t.catalog.name}' is not supported yet`, {
    span,
    hint: "Tables can be created in the 'memory' catalog (CREATE TABLE memory.default.t …)",
  });
}

export async function createTable(s: ast.CreateTableStatement, ctx: StatementContext): Promise<QueryResult> {
  const t = target(s.name, ctx);
  if (t.catalog.createTable === undefined) throw notWritable('CREATE TABLE', t, s.span);
  if (s.properties.length > 0) throw new ShoalError('INVALID_TABLE_PROPERTY', `Table properties are not supported for catalog '${t.catalog.name}'`, { span: s.properties[0]!.span });
  if ((await t.catalog.getTable(t.schema, t.table)) !== undefined) {
    if (s.ifNotExists) return rowsResult([], [], ctx, { updateType: 'CREATE TABLE' });
    throw new ShoalError('TABLE_ALREADY_EXISTS', `Table '${t.qualified}' already exists`, { span: s.name.span });
  }
  const seen = new Set<string>();
  const columns: ColumnField[] = s.columns.map((c) => {
    const name = c.name.value.toLowerCase();
    if (seen.has(name)) throw new ShoalError('DUPLICATE_COLUMN_NAME', `Column '${name}' is specified more than once`, { span: c.span });
    seen.add(name);
    return { name, type: parseTypeName(c.type, c.span), nullable: !c.notNull };
  });
  await t.catalog.createTable(t.schema, t.table, { columns, comment: s.comment });
  return rowsResult([], [], ctx, { updateType: 'CREATE TABLE' });
}

/** Runs a query and appends its rows to a memory table, casting to the table's column types. */
async function appendQuery(table: MemoryTable, query: ast.Query, columns: readonly ColumnField[] | undefined, span: SourceSpan, ctx: StatementContext): Promise<number> {
  const p = await planQuery(query, ctx);
  const targetCols = columns ?? table.columns;
  if (p.fields.length !== targetCols.length) {
    throw new ShoalError('TYPE_MISMATCH', `Insert query has ${p.fields.length} columns but table ${table.name} has ${targetCols.length}`, { span });
  }
  const order = targetCols.map((c) => table.columns.findIndex((tc) => tc.name === c.name));
  let rows = 0;
  const staged = [];
  for await (const b of p.physical.execute(p.task)) {
    const cols = table.columns.map((tc, k) => {
      const src = order.indexOf(k);
      if (src < 0) return nullColumn(tc.type, b.numRows);
      const col = batchColumn(b, src);
      const from = p.fields[src]!.type;
      if (typesEqual(from, tc.type) || from.kind === 'unknown') return from.kind === 'unknown' ? castColumn(col, from, tc.type, false) : col;
      try {
        return castColumn(col, from, tc.type, false, span);
      } catch (e) {
        throw e instanceof ShoalError ? new ShoalError(e.code, `${e.message} (inserting ${typeName(from)} into column ${tc.name} of type ${typeName(tc.type)})`, { span }) : e;
      }
    });
    staged.push(makeBatch(table.columns, cols, b.numRows));
    rows += b.numRows;
  }
  // All or nothing: a failed query leaves the table as it was.
  for (const b of staged) table.append(b);
  return rows;
}

export async function insert(s: ast.InsertStatement, ctx: StatementContext): Promise<QueryResult> {
  const t = target(s.table, ctx);
  const entry = await t.catalog.getTable(t.schema, t.table);
  if (entry === undefined) throw new ShoalError('TABLE_NOT_FOUND', `Table '${t.qualified}' does not exist`, { span: s.table.span });
  if (entry.kind !== 'table' || !(entry.provider instanceof MemoryTable)) throw notWritable('INSERT', t, s.span);
  const table = entry.provider;
  let columns: ColumnField[] | undefined;
  if (s.columns !== undefined) {
    columns = s.columns.map((c) => {
      const f = table.columns.find((tc) => tc.name === c.value.toLowerCase());
      if (f === undefined) throw new ShoalError('COLUMN_NOT_FOUND', `Insert column '${c.value}' does not exist in ${t.qualified}`, { span: c.span, hint: didYouMean(c.value, table.columns.map((x) => x.name)) });
      return f;
    });
  }
  const rows = await appendQuery(table, s.query, columns, s.span, ctx);
  return rowsResult([], [], ctx, { updateType: 'INSERT', updateCount: rows });
}

export async function createTableAs(s: ast.CreateTableAsStatement, ctx: StatementContext): Promise<QueryResult> {
  const t = target(s.name, ctx);
  if (t.catalog.createTable === undefined) throw notWritable('CREATE TABLE AS', t, s.span);
  if (s.properties.length > 0) throw new ShoalError('INVALID_TABLE_PROPERTY', `Table properties are not supported for catalog '${t.catalog.name}'`, { span: s.properties[0]!.span });
  if ((await t.catalog.getTable(t.schema, t.table)) !== undefined) {
    if (s.ifNotExists) return rowsResult([], [], ctx, { updateType: 'CREATE TABLE', updateCount: 0 });
    throw new ShoalError('TABLE_ALREADY_EXISTS', `Table '${t.qualified}' already exists`, { span: s.name.span });
  }
  const p = await planQuery(s.query, ctx);
  if (s.columns !== undefined && s.columns.length !== p.fields.length) {
    throw new ShoalError('MISMATCHED_COLUMN_ALIASES', `${s.columns.length} column names given for a query with ${p.fields.length} columns`, { span: s.span });
  }
  const columns = p.fields.map((f, i) => ({ name: (s.columns?.[i]?.value ?? f.name).toLowerCase(), type: f.type.kind === 'unknown' ? { kind: 'varchar' as const } : f.type, nullable: true }));
  const table = (await t.catalog.createTable(t.schema, t.table, { columns })) as MemoryTable;
  const rows = s.withData ? await appendQuery(table, s.query, undefined, s.span, ctx) : 0;
  return rowsResult([], [], ctx, { updateType: 'CREATE TABLE', updateCount: rows });
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
