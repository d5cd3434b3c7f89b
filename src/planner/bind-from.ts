import { ShoalError, assertNever, didYouMean, type SourceSpan } from '../common/index.js';
import { INFORMATION_SCHEMA, INFORMATION_SCHEMA_TABLES, InformationSchemaTable, type TableProvider } from '../catalog/index.js';
import { and, conjuncts, evaluateConstant, isConstant, literal, referencedIds, type Expr } from '../expr/index.js';
import { outputOf, type EquiCondition, type LogicalPlan, type OutCol } from '../plan/index.js';
import type * as ast from '../sql/index.js';
import { BOOLEAN, commonSuperType, typeName, type Scalar } from '../types/index.js';
import { bindExpr, coerce, type ExprContext } from './bind-expr.js';
import { bindUnnest, singleRow } from './bind-unnest.js';
import type { BinderEnv, Relation } from './binder-env.js';
import type { Binder, CteScope } from './binder.js';
import { Scope, identText, partsOf, type ScopeField } from './scope.js';
import { formatOfPath, pathTable, tableFunction } from './table-functions.js';

/** Binds the comma-separated FROM items: a chain of cross joins the optimizer turns into hash joins. */
export async function bindFrom(b: Binder, items: readonly ast.FromItem[], ctes: CteScope): Promise<Relation> {
  if (items.length === 0) {
    // SELECT without FROM: one row, no columns.
    return { plan: { kind: 'values', output: [], rows: [[]] }, scope: Scope.empty() };
  }
  let rel = await bindFromItem(b, items[0]!, ctes);
  for (const item of items.slice(1)) {
    if (item.kind === 'unnest') {
      // `FROM t, UNNEST(t.a)`: a lateral reference to the items before it.
      rel = bindUnnest(b.env, rel, item);
      continue;
    }
    const right = await bindFromItem(b, item, ctes);
    rel = { plan: { kind: 'join', joinType: 'cross', left: rel.plan, right: right.plan, equi: [] }, scope: rel.scope.concat(right.scope) };
  }
  return rel;
}

/** Re-qualifies a relation's fields by an alias, renaming columns when the alias lists them. */
function applyAlias(rel: Relation, alias: ast.TableAlias | undefined, span: SourceSpan): Relation {
  if (alias === undefined) return rel;
  const q = [alias.name.value.toLowerCase()];
  const cols = alias.columns;
  if (cols !== undefined && cols.length !== rel.scope.fields.length) {
    throw new ShoalError('MISMATCHED_COLUMN_ALIASES', `Alias ${alias.name.value} lists ${cols.length} columns but the relation has ${rel.scope.fields.length}`, { span });
  }
  const fields = rel.scope.fields.map((f, i) => {
    const rename = cols?.[i];
    return { col: rename === undefined ? f.col : { ...f.col, name: rename.value }, name: rename === undefined ? f.name : rename.value.toLowerCase(), qualifier: q };
  });
  // Renames live in the scope only: output names of SELECT * come from the scope's columns.
  return { plan: rel.plan, scope: new Scope(fields) };
}

function scanOf(b: Binder, table: TableProvider, qualifier: readonly string[]): Relation {
  const columns = table.columns.map((c, index) => ({ col: b.env.ids.col(c.name, c.type), index }));
  const fields: ScopeField[] = columns.map((c) => ({ col: c.col, name: c.col.name.toLowerCase(), qualifier }));
  return { plan: { kind: 'scan', table, columns, filters: [] }, scope: new Scope(fields) };
}

async function bindFromItem(b: Binder, item: ast.FromItem, ctes: CteScope): Promise<Relation> {
  const env = b.env;
  switch (item.kind) {
    case 'table':
      return applyAlias(await bindTableName(b, item.name, ctes), item.alias, item.span);
    case 'path': {
      const table = await pathTable(env, { location: item.path, format: formatOfPath(item.path, item.span) }, item.span);
      return applyAlias(scanOf(b, table, [item.path.toLowerCase()]), item.alias, item.span);
    }
    case 'table_function': {
      const args: { name: string | undefined; value: Scalar; span: SourceSpan }[] = [];
      for (const a of item.args) {
        const ctx: ExprContext = { scope: Scope.empty(), functions: env.functions, evalCtx: env.evalCtx, clause: 'table function arguments' };
        const e = bindExpr(a.value, ctx);
        if (!isConstant(e)) throw new ShoalError('INVALID_ARGUMENTS', 'Table function arguments must be constants', { span: a.span });
        args.push({ name: a.name?.value.toLowerCase(), value: evaluateConstant(e, env.evalCtx), span: a.span });
      }
      const fnName = item.name.parts.map((p) => p.value).join('.');
      const table = await tableFunction(env, fnName, args, item.span);
      return applyAlias(scanOf(b, table, [fnName.toLowerCase()]), item.alias, item.span);
    }
    case 'subquery': {
      if (item.lateral) throw new ShoalError('NOT_SUPPORTED', 'LATERAL subqueries are not supported yet', { span: item.span });
      const rel = await b.bindQuery(item.query, ctes);
      const fields = rel.scope.fields.map((f) => ({ ...f, qualifier: [] }));
      return applyAlias({ plan: rel.plan, scope: new Scope(fields) }, item.alias, item.span);
    }
    case 'values': {
      const rel = b.bindValues(item.values);
      return applyAlias(rel, item.alias, item.span);
    }
    case 'unnest':
      return bindUnnest(env, singleRow(), item);
    case 'join':
      return bindJoin(b, item, ctes);
    default:
      return assertNever(item, 'FROM item');
  }
}

/** Resolves `t`, `s.t` or `c.s.t`: CTEs first, then views and tables of the catalogs. */
export async function bindTableName(b: Binder, name: ast.QualifiedName, ctes: CteScope): Promise<Relation> {
  const env = b.env;
  const parts = partsOf(name);
  if (parts.length === 1) {
    const cte = ctes.get(parts[0]!);
    if (cte !== undefined) return b.bindCte(cte);
  }
  if (parts.length > 3) throw new ShoalError('TABLE_NOT_FOUND', `Too many name parts in '${identText(name.parts)}'`, { span: name.span });
  const [catalogName, schemaName, tableName] =
    parts.length === 3 ? parts : parts.length === 2 ? [env.catalog, parts[0], parts[1]] : [env.catalog, env.schema, parts[0]];
  if (catalogName === undefined) {
    throw new ShoalError('MISSING_CATALOG_NAME', `Table '${identText(name.parts)}' needs a catalog: no default catalog is set`, { span: name.span, hint: 'Qualify the name (catalog.schema.table) or run USE catalog.schema' });
  }
  if (schemaName === undefined) {
    throw new ShoalError('MISSING_SCHEMA_NAME', `Table '${identText(name.parts)}' needs a schema: no default schema is set`, { span: name.span, hint: 'Qualify the name (schema.table) or run USE schema' });
  }
  const catalog = withSpan(() => env.catalogs.getFor(catalogName, env.access), name.span);
  if (catalog === undefined) {
    const names = env.catalogs.visibleNames(env.access);
    throw new ShoalError('CATALOG_NOT_FOUND', `Catalog '${catalogName}' does not exist`, { span: name.span, hint: didYouMean(catalogName, names) ?? `Catalogs: ${names.join(', ')}` });
  }
  const qualifier = [catalogName, schemaName!, tableName!];
  if (schemaName === INFORMATION_SCHEMA) {
    if (INFORMATION_SCHEMA_TABLES[tableName!] === undefined) {
      throw new ShoalError('TABLE_NOT_FOUND', `Table '${catalogName}.${schemaName}.${tableName}' does not exist`, { span: name.span, hint: didYouMean(tableName!, Object.keys(INFORMATION_SCHEMA_TABLES)) });
    }
    return scanOf(b, new InformationSchemaTable(catalog, tableName!, (sql, c, s) => b.describeView(sql, c, s)), qualifier);
  }
  let entry;
  try {
    entry = await catalog.getTable(schemaName!, tableName!, { ...env.io, signal: env.signal });
  } catch (e) {
    throw e instanceof ShoalError ? e.withSpan(name.span) : e;
  }
  if (entry === undefined) {
    if (!(await catalog.schemaExists(schemaName!))) {
      const schemas = await catalog.listSchemas();
      throw new ShoalError('SCHEMA_NOT_FOUND', `Schema '${catalogName}.${schemaName}' does not exist`, { span: name.span, hint: didYouMean(schemaName!, schemas) ?? (schemas.length > 0 ? `Schemas in ${catalogName}: ${schemas.join(', ')}` : undefined) });
    }
    const tables = (await catalog.listTables(schemaName!)).map((t) => t.name);
    const ctesNames = [...ctes.keys()];
    throw new ShoalError('TABLE_NOT_FOUND', `Table '${catalogName}.${schemaName}.${tableName}' does not exist`, {
      span: name.span,
      hint: didYouMean(tableName!, [...tables, ...ctesNames]) ?? (tables.length > 0 && tables.length <= 20 ? `Tables in ${catalogName}.${schemaName}: ${tables.join(', ')}` : undefined),
    });
  }
  if (entry.kind === 'view') return b.bindView(entry.sql, `${catalogName}.${schemaName}.${tableName}`, catalogName, schemaName!, qualifier, name.span);
  return scanOf(b, entry.provider, qualifier);
}

async function bindJoin(b: Binder, j: ast.JoinRef, ctes: CteScope): Promise<Relation> {
  const env = b.env;
  const left = await bindFromItem(b, j.left, ctes);
  if (j.right.kind === 'unnest') {
    if (j.joinType === 'cross') return bindUnnest(env, left, j.right, false);
    // Trino: [INNER | LEFT] JOIN UNNEST takes only ON true; LEFT keeps rows whose arrays are empty or NULL.
    const onTrue = j.on?.kind === 'literal' && j.on.literal.type === 'boolean' && j.on.literal.value;
    if ((j.joinType === 'inner' || j.joinType === 'left') && onTrue) return bindUnnest(env, left, j.right, j.joinType === 'left');
    throw new ShoalError('NOT_SUPPORTED', `${j.joinType.toUpperCase()} JOIN UNNEST is only supported with the condition ON true`, { span: j.span, hint: 'Use CROSS JOIN UNNEST(…) or LEFT JOIN UNNEST(…) ON true' });
  }
  const right = await bindFromItem(b, j.right, ctes);
  if (j.joinType === 'cross') {
    return { plan: { kind: 'join', joinType: 'cross', left: left.plan, right: right.plan, equi: [] }, scope: left.scope.concat(right.scope) };
  }
  const using = j.natural ? naturalColumns(left.scope, right.scope) : j.using?.map((u) => ({ name: u.value.toLowerCase(), span: u.span }));
  let cond: Expr;
  let usingPairs: { l: ScopeField; r: ScopeField }[] = [];
  if (using !== undefined) {
    usingPairs = using.map((u) => ({ l: usingSide(left.scope, u, 'left'), r: usingSide(right.scope, u, 'right') }));
    const eqs = usingPairs.map(({ l, r }, k) => {
      const t = commonSuperType(l.col.type, r.col.type);
      if (t === undefined) throw new ShoalError('TYPE_MISMATCH', `USING column ${l.name} has types ${typeName(l.col.type)} and ${typeName(r.col.type)} that do not compare`, { span: using[k]!.span });
      return { kind: 'compare' as const, op: '=' as const, left: coerce(colOf(l), t, env.evalCtx), right: coerce(colOf(r), t, env.evalCtx), type: BOOLEAN };
    });
    cond = eqs.length === 0 ? literal(true, BOOLEAN) : and(eqs);
  } else {
    if (j.on === undefined) throw new ShoalError('SYNTAX_ERROR', `${j.joinType.toUpperCase()} JOIN needs an ON or USING condition`, { span: j.span });
    const ctx: ExprContext = { scope: left.scope.concat(right.scope), functions: env.functions, evalCtx: env.evalCtx, clause: 'ON' };
    cond = bindExpr(j.on, ctx);
    if (cond.type.kind !== 'boolean' && cond.type.kind !== 'unknown') throw new ShoalError('TYPE_MISMATCH', `ON condition must be boolean, not ${typeName(cond.type)}`, { span: j.on.span });
  }
  // RIGHT JOIN is a LEFT JOIN with the sides swapped; outputs keep the written order.
  const swap = j.joinType === 'right';
  const [outer, inner] = swap ? [right, left] : [left, right];
  const { equi, rest } = splitJoinCondition(cond, idsOf(outer.plan), idsOf(inner.plan), env);
  const joinType = j.joinType === 'inner' ? 'inner' : j.joinType === 'full' ? 'full' : 'left';
  const plan: LogicalPlan = { kind: 'join', joinType, left: outer.plan, right: inner.plan, equi, filter: rest.length === 0 ? undefined : and(rest) };
  const written = [...outputOf(left.plan), ...outputOf(right.plan)];
  if (usingPairs.length === 0) {
    const scope = left.scope.concat(right.scope);
    if (!swap) return { plan, scope };
    return { plan: { kind: 'project', input: plan, items: written.map((col) => ({ col, expr: colRef(col) })) }, scope };
  }
  // USING: the merged columns first (Trino's order), then the rest of each side; `t.c` still names each side's.
  const merged = usingPairs.map(({ l, r }) => {
    const t = commonSuperType(l.col.type, r.col.type)!;
    const lc = coerce(colOf(l), t, env.evalCtx), rc = coerce(colOf(r), t, env.evalCtx);
    const expr: Expr = j.joinType === 'full' ? { kind: 'coalesce', args: [lc, rc], type: t } : j.joinType === 'right' ? rc : lc;
    return { field: { col: env.ids.col(l.col.name, t), name: l.name, qualifier: [] } as ScopeField, expr };
  });
  const usingIds = new Set(usingPairs.flatMap(({ l, r }) => [l.col.id, r.col.id]));
  const hide = (f: ScopeField): ScopeField => (usingIds.has(f.col.id) ? { ...f, qualifiedOnly: true } : f);
  const items = [...merged.map((m) => ({ col: m.field.col, expr: m.expr })), ...written.map((col) => ({ col, expr: colRef(col) }))];
  const scope = new Scope([...merged.map((m) => m.field), ...left.scope.fields.map(hide), ...right.scope.fields.map(hide)]);
  return { plan: { kind: 'project', input: plan, items }, scope };
}

function colRef(c: OutCol): Expr {
  return { kind: 'column', id: c.id, name: c.name, type: c.type };
}

function colOf(f: ScopeField): Expr {
  return colRef(f.col);
}

function idsOf(p: LogicalPlan): Set<number> {
  return new Set(outputOf(p).map((c) => c.id));
}

/** NATURAL JOIN: the column names both sides have, in the left side's order. */
function naturalColumns(left: Scope, right: Scope): { name: string; span: SourceSpan | undefined }[] {
  const rightNames = new Set(right.fields.filter((f) => f.qualifiedOnly !== true).map((f) => f.name));
  const seen = new Set<string>();
  const out: { name: string; span: SourceSpan | undefined }[] = [];
  for (const f of left.fields) {
    if (f.qualifiedOnly === true || !rightNames.has(f.name) || seen.has(f.name)) continue;
    seen.add(f.name);
    out.push({ name: f.name, span: undefined });
  }
  return out;
}

function usingSide(scope: Scope, u: { name: string; span: SourceSpan | undefined }, side: string): ScopeField {
  const hits = scope.fields.filter((f) => f.name === u.name && f.qualifiedOnly !== true);
  if (hits.length === 0) throw new ShoalError('COLUMN_NOT_FOUND', `Column '${u.name}' is missing from the ${side} side of the join`, { span: u.span });
  if (hits.length > 1) throw new ShoalError('AMBIGUOUS_NAME', `Column '${u.name}' is ambiguous in the ${side} side of the join`, { span: u.span });
  return hits[0]!;
}

/**
 * Splits an ON condition into equalities between a left-only and a right-only expression (hash join keys, cast
 * to a common type) and the rest.
 */
export function splitJoinCondition(cond: Expr, leftIds: ReadonlySet<number>, rightIds: ReadonlySet<number>, env: BinderEnv): { equi: EquiCondition[]; rest: Expr[] } {
  const equi: EquiCondition[] = [];
  const rest: Expr[] = [];
  const side = (e: Expr): 'left' | 'right' | 'both' | 'none' => {
    const ids = [...referencedIds(e)];
    if (ids.length === 0) return 'none';
    if (ids.every((i) => leftIds.has(i))) return 'left';
    if (ids.every((i) => rightIds.has(i))) return 'right';
    return 'both';
  };
  for (const c of conjuncts(cond)) {
    if (c.kind === 'compare' && c.op === '=') {
      const ls = side(c.left), rs = side(c.right);
      const pair = ls === 'left' && rs === 'right' ? [c.left, c.right] : ls === 'right' && rs === 'left' ? [c.right, c.left] : undefined;
      if (pair !== undefined) {
        const t = commonSuperType(pair[0]!.type, pair[1]!.type)!;
        equi.push({ left: coerce(pair[0]!, t, env.evalCtx), right: coerce(pair[1]!, t, env.evalCtx) });
        continue;
      }
    }
    rest.push(c);
  }
  return { equi, rest };
}

/** Runs `f`, giving a ShoalError it throws the span of the name being resolved. */
function withSpan<T>(f: () => T, span: SourceSpan): T {
  try {
    return f();
  } catch (e) {
    throw e instanceof ShoalError ? e.withSpan(span) : e;
  }
}
