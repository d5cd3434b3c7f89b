import { ShoalError, type SourceSpan } from '../common/index.js';
import { columnRef, exprKey, exprToString, mapChildren, type Expr } from '../expr/index.js';
import type { AggregateCall, LogicalPlan, OutCol, ProjectItem, SortKey } from '../plan/index.js';
import type * as ast from '../sql/index.js';
import { typeName } from '../types/index.js';
import { bindExpr, type AggregateRequest, type ExprContext } from './bind-expr.js';
import { bindFrom } from './bind-from.js';
import { WindowCollector, planWindows } from './bind-window.js';
import type { Relation } from './binder-env.js';
import type { Binder, CteScope } from './binder.js';
import { Scope, partsOf, type ScopeField } from './scope.js';

interface SelectOutput {
  readonly expr: Expr;
  readonly name: string;
  /** Lower-case name for ORDER BY / GROUP BY alias matching; undefined for unnamed expressions. */
  readonly alias: string | undefined;
  readonly span: SourceSpan;
}

/** An ORDER BY item: either an output column (alias or ordinal) or an expression over the input. */
type OrderTarget = { readonly kind: 'output'; readonly index: number } | { readonly kind: 'expr'; readonly expr: Expr };

/**
 * SELECT in Trino's order: FROM → WHERE → GROUP BY/aggregates → HAVING → SELECT → DISTINCT → ORDER BY.
 * ORDER BY may name output aliases, output ordinals, or any expression over the input (kept as hidden
 * columns through the projection); in aggregate queries, expressions over group keys and aggregates.
 */
export async function bindSelect(b: Binder, sel: ast.Select, ctes: CteScope, orderBy: readonly ast.OrderItem[]): Promise<Relation> {
  const env = b.env;
  const from = await bindFrom(b, sel.from, ctes);
  let plan: LogicalPlan = from.plan;
  const scope = from.scope;
  const base: Omit<ExprContext, 'clause'> = { scope, functions: env.functions, evalCtx: env.evalCtx };

  if (sel.where !== undefined) {
    const pred = bindExpr(sel.where, { ...base, clause: 'WHERE' });
    if (pred.type.kind !== 'boolean' && pred.type.kind !== 'unknown') {
      throw new ShoalError('TYPE_MISMATCH', `WHERE clause must evaluate to a boolean: actual type ${typeName(pred.type)}`, { span: sel.where.span });
    }
    plan = { kind: 'filter', input: plan, predicate: pred };
  }

  // Aggregates found anywhere in SELECT, HAVING or ORDER BY, deduplicated.
  const aggregates: AggregateCall[] = [];
  const aggByKey = new Map<string, Expr>();
  const aggIds = new Set<number>();
  const sink = (req: AggregateRequest): Expr => {
    const key = `${req.fn.name}|${req.distinct}|${req.star}|${req.args.map(exprKey).join(',')}|${req.filter === undefined ? '' : exprKey(req.filter)}`;
    const hit = aggByKey.get(key);
    if (hit !== undefined) return hit;
    const col = env.ids.col(`${req.fn.name}`, req.resolved.returnType);
    aggregates.push({ col, fn: req.fn, resolved: req.resolved, args: req.args, star: req.star, distinct: req.distinct, filter: req.filter });
    aggIds.add(col.id);
    const ref: Expr = { ...columnRef(col.id, col.name, col.type), span: req.span };
    aggByKey.set(key, ref);
    return ref;
  };
  const aggCtx = (clause: string): ExprContext => ({ ...base, aggregates: sink, clause });
  // Window calls may appear in SELECT and ORDER BY only; they are computed after aggregation and HAVING.
  const windows = new WindowCollector(env, sel.windows);
  const windowCtx = (clause: string): ExprContext => ({ ...aggCtx(clause), windows: windows.sink });

  const outputs = bindSelectItems(sel.items, scope, windowCtx('SELECT'));
  const having = sel.having === undefined ? undefined : bindExpr(sel.having, aggCtx('HAVING'));
  if (having !== undefined && having.type.kind !== 'boolean' && having.type.kind !== 'unknown') {
    throw new ShoalError('TYPE_MISMATCH', `HAVING clause must evaluate to a boolean: actual type ${typeName(having.type)}`, { span: sel.having!.span });
  }
  const orderTargets = orderBy.map((o) => resolveOrderItem(o, outputs, windowCtx('ORDER BY')));

  const isAggregate = aggregates.length > 0 || sel.groupBy !== undefined || having !== undefined;
  let finalOutputs = outputs;
  let finalOrder = orderTargets;
  let finalHaving = having;
  let overInput = (e: Expr): Expr => e;
  if (isAggregate) {
    if (sel.groupBy?.distinct === true) throw new ShoalError('NOT_SUPPORTED', 'GROUP BY DISTINCT is not supported yet', { span: sel.groupBy.span });
    const groupExprs = bindGroupBy(sel, outputs, base);
    const groups: ProjectItem[] = [];
    const groupByKey = new Map<string, Expr>();
    for (const g of groupExprs) {
      const key = exprKey(g);
      if (groupByKey.has(key)) continue;
      const col = env.ids.col(g.kind === 'column' ? g.name : `_g${groups.length}`, g.type);
      groups.push({ col, expr: g });
      groupByKey.set(key, columnRef(col.id, col.name, col.type));
    }
    plan = { kind: 'aggregate', input: plan, groups, aggregates };
    // Window results are computed above the aggregation: references to them stay as they are.
    for (const id of windows.resultIds()) aggIds.add(id);
    const rewrite = (e: Expr, clause: string): Expr => rewriteOverAggregate(e, groupByKey, aggIds, clause);
    overInput = (e) => rewrite(e, 'window');
    finalOutputs = outputs.map((o) => ({ ...o, expr: rewrite(o.expr, 'SELECT') }));
    finalHaving = having === undefined ? undefined : rewrite(having, 'HAVING');
    finalOrder = orderTargets.map((t) => (t.kind === 'expr' ? { kind: 'expr', expr: rewrite(t.expr, 'ORDER BY') } : t));
  }
  if (finalHaving !== undefined) plan = { kind: 'filter', input: plan, predicate: finalHaving };
  if (windows.calls.length > 0) plan = planWindows(plan, windows.calls, overInput);

  // Projection: outputs, then hidden columns for ORDER BY expressions that are not outputs.
  const items: ProjectItem[] = finalOutputs.map((o) => ({ col: env.ids.col(o.name, o.expr.type), expr: o.expr }));
  const keyIndex: number[] = [];
  for (const t of finalOrder) {
    if (t.kind === 'output') {
      keyIndex.push(t.index);
      continue;
    }
    const k = exprKey(t.expr);
    const existing = items.findIndex((it) => exprKey(it.expr) === k);
    if (existing >= 0) keyIndex.push(existing);
    else {
      if (sel.distinct) {
        throw new ShoalError('EXPRESSION_NOT_IN_DISTINCT', `For SELECT DISTINCT, ORDER BY expressions must appear in the select list: ${exprToString(t.expr)}`, { span: t.expr.span });
      }
      items.push({ col: env.ids.col(`_sort${items.length}`, t.expr.type), expr: t.expr });
      keyIndex.push(items.length - 1);
    }
  }
  plan = { kind: 'project', input: plan, items };
  const visible = finalOutputs.length;

  if (sel.distinct) {
    const groups = items.slice(0, visible).map((it) => ({ col: env.ids.col(it.col.name, it.col.type), expr: columnRef(it.col.id, it.col.name, it.col.type) }));
    plan = { kind: 'aggregate', input: plan, groups, aggregates: [] };
    // After DISTINCT the sort keys refer to the distinct outputs.
    const cols = groups.map((g) => g.col);
    return finishOrder(plan, cols, cols, keyIndex, orderBy, visible);
  }
  const cols = items.map((it) => it.col);
  return finishOrder(plan, cols, cols, keyIndex, orderBy, visible);
}

/** Adds the Sort (if any) and a final projection dropping hidden sort columns. */
function finishOrder(input: LogicalPlan, cols: readonly OutCol[], sortCols: readonly OutCol[], keyIndex: readonly number[], orderBy: readonly ast.OrderItem[], visible: number): Relation {
  let plan = input;
  if (keyIndex.length > 0) {
    const keys: SortKey[] = keyIndex.map((idx, i) => {
      const c = sortCols[idx]!;
      const o = orderBy[i]!;
      // Trino's default: NULLS LAST for both ASC and DESC.
      return { expr: columnRef(c.id, c.name, c.type), descending: o.descending, nullsFirst: o.nullsFirst ?? false };
    });
    plan = { kind: 'sort', input: plan, keys };
  }
  if (cols.length > visible) {
    const items = cols.slice(0, visible).map((c) => ({ col: c, expr: columnRef(c.id, c.name, c.type) }));
    plan = { kind: 'project', input: plan, items };
  }
  return { plan, scope: new Scope(cols.slice(0, visible).map((c) => ({ col: c, name: c.name.toLowerCase(), qualifier: [] }))) };
}

function bindSelectItems(items: readonly ast.SelectItem[], scope: Scope, ctx: ExprContext): SelectOutput[] {
  const out: SelectOutput[] = [];
  for (const item of items) {
    if (item.kind === 'star') {
      let fields: readonly ScopeField[] = scope.fields;
      if (item.qualifier !== undefined) {
        const q = partsOf(item.qualifier);
        fields = scope.fields.filter((f) => f.qualifier.length >= q.length && f.qualifier.slice(f.qualifier.length - q.length).every((p, i) => p === q[i]));
        if (fields.length === 0) throw new ShoalError('TABLE_NOT_FOUND', `No relation '${q.join('.')}' in FROM for ${q.join('.')}.*`, { span: item.span });
      } else if (fields.length === 0) {
        throw new ShoalError('TABLE_HAS_NO_COLUMNS', 'SELECT * needs a FROM clause with columns', { span: item.span });
      }
      for (const f of fields) out.push({ expr: { ...columnRef(f.col.id, f.col.name, f.col.type), span: item.span }, name: f.col.name, alias: f.name, span: item.span });
      continue;
    }
    const e = bindExpr(item.expr, ctx);
    const name = item.alias !== undefined ? item.alias.value : item.expr.kind === 'column' ? item.expr.name.parts[item.expr.name.parts.length - 1]!.value : `_col${out.length}`;
    const alias = item.alias !== undefined ? item.alias.value.toLowerCase() : item.expr.kind === 'column' ? name.toLowerCase() : undefined;
    out.push({ expr: e, name, alias, span: item.span });
  }
  return out;
}

function ordinalOf(e: ast.Expr): number | undefined {
  return e.kind === 'literal' && e.literal.type === 'integer' ? Number(e.literal.text) : undefined;
}

function bareName(e: ast.Expr): string | undefined {
  return e.kind === 'column' && e.name.parts.length === 1 ? e.name.parts[0]!.value.toLowerCase() : undefined;
}

function resolveOrderItem(o: ast.OrderItem, outputs: readonly SelectOutput[], ctx: ExprContext): OrderTarget {
  const ord = ordinalOf(o.expr);
  if (ord !== undefined) {
    if (ord < 1 || ord > outputs.length) throw new ShoalError('INVALID_COLUMN_REFERENCE', `ORDER BY position ${ord} is not in the select list (1..${outputs.length})`, { span: o.expr.span });
    return { kind: 'output', index: ord - 1 };
  }
  const name = bareName(o.expr);
  if (name !== undefined) {
    const hits = outputs.map((x, i) => (x.alias === name ? i : -1)).filter((i) => i >= 0);
    if (hits.length === 1) return { kind: 'output', index: hits[0]! };
    if (hits.length > 1) {
      // Several outputs named alike: fine if they are the same expression (SELECT a, a … ORDER BY a).
      const keys = new Set(hits.map((i) => exprKey(outputs[i]!.expr)));
      if (keys.size > 1) throw new ShoalError('AMBIGUOUS_NAME', `ORDER BY '${name}' is ambiguous`, { span: o.expr.span });
      return { kind: 'output', index: hits[0]! };
    }
  }
  return { kind: 'expr', expr: bindExpr(o.expr, ctx) };
}

/** GROUP BY items: ordinals select outputs; names resolve to input columns first, then to output aliases. */
function bindGroupBy(sel: ast.Select, outputs: readonly SelectOutput[], base: Omit<ExprContext, 'clause'>): Expr[] {
  const gb = sel.groupBy;
  if (gb === undefined) return [];
  const ctx: ExprContext = { ...base, clause: 'GROUP BY' };
  const out: Expr[] = [];
  const bindOne = (e: ast.Expr): Expr => {
    const ord = ordinalOf(e);
    if (ord !== undefined) {
      if (ord < 1 || ord > outputs.length) throw new ShoalError('INVALID_COLUMN_REFERENCE', `GROUP BY position ${ord} is not in the select list (1..${outputs.length})`, { span: e.span });
      const item = sel.items.filter((i) => i.kind === 'expr')[ord - 1];
      const target = outputs[ord - 1]!;
      if (item === undefined || item.kind !== 'expr') return target.expr;
      return bindExpr(item.expr, { ...ctx, clause: `GROUP BY (position ${ord})` });
    }
    const name = bareName(e);
    if (name !== undefined && base.scope.matches([name]).length === 0) {
      const hit = sel.items.find((i) => i.kind === 'expr' && i.alias?.value.toLowerCase() === name);
      if (hit !== undefined && hit.kind === 'expr') return bindExpr(hit.expr, ctx);
    }
    return bindExpr(e, ctx);
  };
  for (const el of gb.elements) {
    if (el.kind !== 'expr') throw new ShoalError('NOT_SUPPORTED', `${el.kind.toUpperCase().replace('_', ' ')} is not supported yet`, { span: el.span });
    out.push(bindOne(el.expr));
  }
  return out;
}

/**
 * Rewrites an expression bound over the aggregate's input into one over its output: subtrees equal to a GROUP BY
 * expression become its column, aggregate results stay; any other column reference is an error.
 */
function rewriteOverAggregate(e: Expr, groups: ReadonlyMap<string, Expr>, aggIds: ReadonlySet<number>, clause: string): Expr {
  const g = groups.get(exprKey(e));
  if (g !== undefined) return g;
  if (e.kind === 'column') {
    if (aggIds.has(e.id)) return e;
    throw new ShoalError('EXPRESSION_NOT_AGGREGATE', `'${e.name}' must be an aggregate expression or appear in GROUP BY clause`, {
      span: e.span,
      hint: clause === 'SELECT' ? `Add ${e.name} to GROUP BY, or wrap it in an aggregate such as arbitrary(${e.name}) or max(${e.name})` : undefined,
    });
  }
  return mapChildren(e, (c) => rewriteOverAggregate(c, groups, aggIds, clause));
}

/** ORDER BY over a set operation or VALUES: output names and ordinals only. */
export function bindOutputOrderBy(b: Binder, rel: Relation, orderBy: readonly ast.OrderItem[]): Relation {
  const outputs: SelectOutput[] = rel.scope.fields.map((f) => ({ expr: columnRef(f.col.id, f.col.name, f.col.type), name: f.col.name, alias: f.name, span: orderBy[0]!.span }));
  const ctx: ExprContext = { scope: rel.scope, functions: b.env.functions, evalCtx: b.env.evalCtx, clause: 'ORDER BY' };
  const keys: SortKey[] = orderBy.map((o) => {
    const t = resolveOrderItem(o, outputs, ctx);
    const expr = t.kind === 'output' ? outputs[t.index]!.expr : t.expr;
    return { expr, descending: o.descending, nullsFirst: o.nullsFirst ?? false };
  });
  return { plan: { kind: 'sort', input: rel.plan, keys }, scope: rel.scope };
}

