/**
 * What CREATE TABLE, INSERT and DROP share: resolving a table name to its catalog, and fitting a query's rows to
 * a table's columns (INSERT's column list and implicit casts).
 */
import type { RecordBatch } from 'apache-arrow';
import { ShoalError, didYouMean, type SourceSpan } from '../common/index.js';
import type { Catalog } from '../catalog/index.js';
import { castColumn } from '../expr/index.js';
import type * as ast from '../sql/index.js';
import { BIGINT, batchColumn, makeBatch, nullColumn, parseTypeName, typeName, typesEqual, type ColumnField } from '../types/index.js';
import type { StatementContext } from './query-context.js';

/** What INSERT, CREATE TABLE … AS and UNLOAD answer, as in Trino: one row with the number of rows written. */
export const ROWS_FIELD: readonly ColumnField[] = [{ name: 'rows', type: BIGINT, nullable: true }];

export interface TableTarget {
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
  const catalog = catalogFor(c, ctx, name.span);
  return { catalog, schema: s!, table: t!, qualified: `${c}.${s}.${t}` };
}

export interface SchemaTarget {
  readonly catalog: Catalog;
  readonly schema: string;
  readonly qualified: string;
}

/** The catalog and schema a schema name ([catalog.]schema) denotes, the catalog defaulting to the session's. */
export function schemaTarget(name: ast.QualifiedName, ctx: StatementContext): SchemaTarget {
  const parts = name.parts.map((p) => p.value.toLowerCase());
  const [c, s] = parts.length === 2 ? parts : [ctx.catalog, parts[0]];
  if (c === undefined) throw new ShoalError('MISSING_CATALOG_NAME', 'No catalog given and no default catalog is set', { span: name.span, hint: 'Qualify the name (catalog.schema) or run USE catalog.schema' });
  const catalog = catalogFor(c, ctx, name.span);
  return { catalog, schema: s!, qualified: `${c}.${s}` };
}

/** CREATE TABLE's column definitions as fields; DUPLICATE_COLUMN_NAME for a name given twice. */
export function definedColumns(defs: readonly ast.ColumnDefinition[]): ColumnField[] {
  const seen = new Set<string>();
  return defs.map((c) => {
    const name = c.name.value.toLowerCase();
    if (seen.has(name)) throw new ShoalError('DUPLICATE_COLUMN_NAME', `Column '${name}' is specified more than once`, { span: c.span });
    seen.add(name);
    return { name, type: parseTypeName(c.type, c.span), nullable: !c.notNull };
  });
}

/** INSERT's column list as table columns (all columns when absent); COLUMN_NOT_FOUND for an unknown name. */
export function insertColumns(s: ast.InsertStatement, columns: readonly ColumnField[], qualified: string): readonly ColumnField[] {
  if (s.columns === undefined) return columns;
  return s.columns.map((c) => {
    const f = columns.find((tc) => tc.name === c.value.toLowerCase());
    if (f === undefined) throw new ShoalError('COLUMN_NOT_FOUND', `Insert column '${c.value}' does not exist in ${qualified}`, { span: c.span, hint: didYouMean(c.value, columns.map((x) => x.name)) });
    return f;
  });
}

/**
 * Fits a query's batches to a table: `targetCols` (the INSERT column list) receive the query's columns in order,
 * other table columns NULL, each cast to the table's type (TYPE_MISMATCH when the counts differ, the cast error
 * naming the column when a value does not convert).
 */
export function tableBatchFitter(fields: readonly ColumnField[], table: readonly ColumnField[], targetCols: readonly ColumnField[], name: string, span: SourceSpan): (b: RecordBatch) => RecordBatch {
  if (fields.length !== targetCols.length) {
    throw new ShoalError('TYPE_MISMATCH', `Insert query has ${fields.length} columns but table ${name} has ${targetCols.length}`, { span });
  }
  const order = targetCols.map((c) => table.findIndex((tc) => tc.name === c.name));
  return (b) => {
    const cols = table.map((tc, k) => {
      const src = order.indexOf(k);
      if (src < 0) return nullColumn(tc.type, b.numRows);
      const col = batchColumn(b, src);
      const from = fields[src]!.type;
      if (typesEqual(from, tc.type)) return col;
      if (from.kind === 'unknown') return castColumn(col, from, tc.type, false);
      try {
        return castColumn(col, from, tc.type, false, span);
      } catch (e) {
        throw e instanceof ShoalError ? new ShoalError(e.code, `${e.message} (inserting ${typeName(from)} into column ${tc.name} of type ${typeName(tc.type)})`, { span }) : e;
      }
    });
    return makeBatch(table, cols, b.numRows);
  };
}

/** The catalog named, checked against the user's catalog access; CATALOG_NOT_FOUND or PERMISSION_DENIED at `span`. */
export function catalogFor(c: string, ctx: StatementContext, span: SourceSpan): Catalog {
  let catalog: Catalog | undefined;
  try {
    catalog = ctx.catalogs.getFor(c, ctx.access);
  } catch (e) {
    throw e instanceof ShoalError ? e.withSpan(span) : e;
  }
  if (catalog === undefined) throw new ShoalError('CATALOG_NOT_FOUND', `Catalog '${c}' does not exist`, { span, hint: didYouMean(c, ctx.catalogs.visibleNames(ctx.access)) });
  return catalog;
}
