import { ShoalError, didYouMean } from '../common/index.js';
import { INFORMATION_SCHEMA, INFORMATION_SCHEMA_TABLES } from '../catalog/index.js';
import type * as ast from '../sql/index.js';
import { BOOLEAN, VARCHAR, typeName, type ColumnField, type Scalar } from '../types/index.js';
import { compileLikeFilter } from './like-filter.js';
import { sessionPropertyRows } from './session-properties.js';
import type { StatementContext } from './query-context.js';
import type { QueryResult } from './query-result.js';
import { binderFor, rowsResult } from './run-query.js';
import { catalogFor } from './table-target.js';

const v = (name: string): ColumnField => ({ name, type: VARCHAR, nullable: true });

function requireCatalog(ctx: StatementContext, name: string | undefined, span: ast.Statement['span']): string {
  const c = name ?? ctx.catalog;
  if (c === undefined) throw new ShoalError('MISSING_CATALOG_NAME', 'No catalog given and no default catalog is set', { span, hint: 'Name one (SHOW SCHEMAS FROM lake) or run USE catalog.schema' });
  catalogFor(c, ctx, span);
  return c;
}

export function showCatalogs(s: ast.ShowCatalogsStatement, ctx: StatementContext): QueryResult {
  const like = compileLikeFilter(s.like);
  return rowsResult([v('Catalog')], ctx.catalogs.visibleNames(ctx.access).filter(like).map((c) => [c]), ctx);
}

export async function showSchemas(s: ast.ShowSchemasStatement, ctx: StatementContext): Promise<QueryResult> {
  const c = requireCatalog(ctx, s.catalog?.value.toLowerCase(), s.span);
  const like = compileLikeFilter(s.like);
  const schemas = [...(await ctx.catalogs.require(c).listSchemas()), INFORMATION_SCHEMA].sort();
  return rowsResult([v('Schema')], schemas.filter(like).map((x) => [x]), ctx);
}

export async function showTables(s: ast.ShowTablesStatement, ctx: StatementContext): Promise<QueryResult> {
  const parts = s.schema?.parts.map((p) => p.value.toLowerCase()) ?? [];
  const catalogName = requireCatalog(ctx, parts.length === 2 ? parts[0] : undefined, s.span);
  const schema = parts.length === 0 ? ctx.schema : parts[parts.length - 1];
  if (schema === undefined) throw new ShoalError('MISSING_SCHEMA_NAME', 'No schema given and no default schema is set', { span: s.span, hint: 'Name one (SHOW TABLES FROM nyc) or run USE schema' });
  const catalog = ctx.catalogs.require(catalogName);
  const like = compileLikeFilter(s.like);
  let names: string[];
  if (schema === INFORMATION_SCHEMA) names = Object.keys(INFORMATION_SCHEMA_TABLES);
  else {
    if (!(await catalog.schemaExists(schema))) {
      throw new ShoalError('SCHEMA_NOT_FOUND', `Schema '${catalogName}.${schema}' does not exist`, { span: s.span, hint: didYouMean(schema, await catalog.listSchemas()) });
    }
    names = (await catalog.listTables(schema)).map((t) => t.name);
  }
  return rowsResult([v('Table')], names.sort().filter(like).map((n) => [n]), ctx);
}

/** SHOW COLUMNS FROM t / DESCRIBE t: Column, Type, Extra, Comment as in Trino. */
export async function showColumns(s: ast.ShowColumnsStatement, ctx: StatementContext): Promise<QueryResult> {
  const q: ast.Query = {
    kind: 'query', orderBy: [], span: s.span,
    body: { kind: 'select', distinct: false, windows: [], span: s.span, items: [{ kind: 'star', span: s.span }], from: [{ kind: 'table', name: s.table, span: s.table.span }] },
  };
  const rel = await binderFor(ctx).bindQuery(q, new Map());
  const plan = rel.plan;
  const scan = plan.kind === 'project' && plan.input.kind === 'scan' ? plan.input : undefined;
  const partitions = new Set(scan?.table.partitionColumns ?? []);
  const rows: Scalar[][] = rel.scope.fields.map((f) => [f.col.name, typeName(f.col.type), partitions.has(f.name) ? 'partition key' : '', '']);
  return rowsResult([v('Column'), v('Type'), v('Extra'), v('Comment')], rows, ctx);
}

/**
 * SHOW FUNCTIONS [LIKE 'pattern']: one row per registered name (aliases included) and documented overload, in
 * Trino's columns. Reads the registry, so every scalar, aggregate and window function appears.
 */
/** SHOW SESSION, in Trino's columns. */
export function showSession(s: ast.ShowSessionStatement, properties: ReadonlyMap<string, string>, ctx: StatementContext): QueryResult {
  const like = compileLikeFilter(s.like);
  const rows: Scalar[][] = sessionPropertyRows(properties).filter((p) => like(p.name)).map((p) => [p.name, p.value, p.default, p.type, p.description]);
  return rowsResult([v('Name'), v('Value'), v('Default'), v('Type'), v('Description')], rows, ctx);
}

export function showFunctions(s: ast.ShowFunctionsStatement, ctx: StatementContext): QueryResult {
  const like = compileLikeFilter(s.like);
  const rows: Scalar[][] = [];
  for (const [name, fn] of ctx.functions.entries()) {
    if (!like(name)) continue;
    for (const d of fn.docs) rows.push([name, d.returnType, d.argumentTypes.join(', '), fn.kind, d.deterministic ?? true, d.description]);
  }
  const fields: ColumnField[] = [v('Function'), v('Return Type'), v('Argument Types'), v('Function Type'), { name: 'Deterministic', type: BOOLEAN, nullable: true }, v('Description')];
  return rowsResult(fields, rows, ctx);
}
