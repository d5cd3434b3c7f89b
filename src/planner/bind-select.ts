import { ShoalError, type SourceSpan } from '../common/index.js';
import { columnRef, exprKey, exprToString, mapChildren, type Expr } from '../expr/index.js';
import type { AggregateCall, GroupingSets, LogicalPlan, OutCol, ProjectItem, SortKey } from '../plan/index.js';
import type * as ast from '../sql/index.js';
import { BIGINT, INTEGER, typeName } from '../types/index.js';
import { bindExpr, type AggregateRequest, type ExprContext } from './bind-expr.js';
import { bindFrom } from './bind-from.js';
import { expandGroupBy, groupingExpr, type ExpandedGroupBy, type GroupingCall } from './grouping-sets.js';
import { WindowCollector, planWindows } from './bind-window.js';
import type { Relation } from './binder-env.js';
import type { Binder, CteScope } from './binder.js';
import { Scope, partsOf, type ScopeField } from './scope.js';
import { applySubqueries } from './apply-subqueries.js';
import { SubqueryCollector, prebindSubqueries } from './subquery-uses.js';
import { requireOrderable } from './operator-types.js';

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
  const scope = from.scope.withOuter(env.outerScope);
  const base: Omit<ExprContext, 'clause'> = { scope, functions: env.functions, evalCtx: env.evalCtx };

  if (sel.where !== undefined) {
    const subqueries = new SubqueryCollector(await prebindSubqueries(b, [sel.where], scope, ctes), env.ids);
    const pred = bindExpr(sel.where, { ...base, clause: 'WHERE', subqueries });
    if (pred.type.kind !== 'boolean' && pred.type.kind !== 'unknown') {
      throw new ShoalError('TYPE_MISMATCH', `WHERE clause must evaluate to a boolean: actual type ${typeName(pred.type)}`, { span: sel.where.span });
    }
    plan = applySubqueries(env, plan, subqueries.uses);
    plan = { kind: 'filter', input: plan, predicate: pred };
  }
  // Subqueries of SELECT, HAVING and ORDER BY join after the WHERE filter (and after aggregation).
  const laterBound = await prebindSubqueries(b, [sel.items, sel.having, orderBy], scope, ctes);
  const later = new SubqueryCollector(laterBound, env.ids);
  const inAggregates = new SubqueryCollector(laterBound, env.ids);
  const laterIds = later.resultIds.bind(later);

  // Aggregates found anywhere in SELECT, HAVING or ORDER BY, deduplicated.
  const aggregates: AggregateCall[] = [];
  const aggByKey = new Map<string, Expr>();
  const aggIds = new Set<number>();
  const sink = (req: AggregateRequest): Expr => {
    const order = (req.orderBy ?? []).map((o) => `${exprKey(o.expr)} ${o.descending} ${o.nullsFirst}`).join(',');
    const key = `${req.fn.name}|${req.distinct}|${req.star}|${req.args.map(exprKey).join(',')}|${req.filter === undefined ? '' : exprKey(req.filter)}|${order}`;
    const hit = aggByKey.get(key);
    if (hit !== undefined) return hit;
    const col = env.ids.col(`${req.fn.name}`, req.resolved.returnType);
    aggregates.push({ col, fn: req.fn, resolved: req.resolved, args: req.args, star: req.star, distinct: req.distinct, filter: req.filter, orderBy: req.orderBy });
    aggIds.add(col.id);
    const ref: Expr = { ...columnRef(col.id, col.name, col.type), span: req.span };
    aggByKey.set(key, ref);
    return ref;
  };
  // grouping(…) calls stand for placeholder columns until the GROUP BY is bound.
  const groupingCalls: GroupingCall[] = [];
  const groupingSink = (args: readonly Expr[], span: SourceSpan): Expr => {
    const col = env.ids.col('grouping', BIGINT);
    groupingCalls.push({ col, args, span });
    return { ...columnRef(col.id, col.name, col.type), span };
  };
  const aggCtx = (clause: string): ExprContext => ({ ...base, aggregates: sink, grouping: groupingSink, subqueries: later, argSubqueries: inAggregates, clause });
  // Window calls may appear in SELECT and ORDER BY only; they are computed after aggregation and HAVING.
  const windows = new WindowCollector(env, sel.windows);
  const windowCtx = (clause: string): ExprContext => ({ ...aggCtx(clause), windows: windows.sink });

  const outputs = bindSelectItems(sel.items, scope, windowCtx('SELECT'));
  const having = sel.having === undefined ? undefined : bindExpr(sel.having, aggCtx('HAVING'));
  if (having !== undefined && having.type.kind !== 'boolean' && having.type.kind !== 'unknown') {
    throw new ShoalError('TYPE_MISMATCH', `HAVING clause must evaluate to a boolean: actual type ${typeName(having.type)}`, { span: sel.having!.span });
  }
  const orderTargets = orderBy.map((o) => resolveOrderItem(o, outputs, windowCtx('ORDER BY')));

  const isAggregate = aggregates.length > 0 || sel.groupBy !== undefined || having !== undefined || groupingCalls.length > 0;
  let finalOutputs = outputs;
  let finalOrder = orderTargets;
  let finalHaving = having;
  let overInput = (e: Expr): Expr => e;
  if (isAggregate) {
    const expanded = bindGroupBy(sel, outputs, base);
    const groups: ProjectItem[] = [];
    const groupByKey = new Map<string, Expr>();
    const keyIndex = new Map<string, number>();
    for (const g of expanded.exprs) {
      const key = exprKey(g);
      const col = env.ids.col(g.kind === 'column' ? g.name : `_g${groups.length}`, g.type);
      keyIndex.set(key, groups.length);
      groups.push({ col, expr: g });
      groupByKey.set(key, columnRef(col.id, col.name, col.type));
    }
    let groupingSets: GroupingSets | undefined;
    if (expanded.sets !== undefined) {
      if (groups.length > 30) throw new ShoalError('NOT_SUPPORTED', 'GROUPING SETS over more than 30 distinct expressions are not supported', { span: sel.groupBy!.span });
      groupingSets = { sets: expanded.sets, idCol: env.ids.col('$groupid', INTEGER) };
    }
    const idRef = groupingSets === undefined ? undefined : columnRef(groupingSets.idCol.id, groupingSets.idCol.name, groupingSets.idCol.type);
    const replaced = new Map<number, Expr>();
    for (const call of groupingCalls) replaced.set(call.col.id, groupingExpr(call, keyIndex, expanded.sets, idRef));
    plan = applySubqueries(env, plan, inAggregates.uses);
    plan = { kind: 'aggregate', input: plan, groups, aggregates, groupingSets };
    // Window results are computed above the aggregation: references to them stay as they are.
    for (const id of windows.resultIds()) aggIds.add(id);
    const allowed = new Set([...aggIds, ...laterIds()]);
    plan = applySubqueries(env, plan, later.uses, (e, inner) => rewriteOverAggregate(e, groupByKey, new Set([...allowed, ...inner]), replaced, 'SELECT'));
    const rewrite = (e: Expr, clause: string): Expr => rewriteOverAggregate(e, groupByKey, allowed, replaced, clause);
    overInput = (e) => rewrite(e, 'window');
    finalOutputs = outputs.map((o) => ({ ...o, expr: rewrite(o.expr, 'SELECT') }));
    finalHaving = having === undefined ? undefined : rewrite(having, 'HAVING');
    finalOrder = orderTargets.map((t) => (t.kind === 'expr' ? { kind: 'expr', expr: rewrite(t.expr, 'ORDER BY') } : t));
  } else {
    plan = applySubqueries(env, plan, later.uses);
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
      requireOrderable(c.type, o.span);
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
      let fields: readonly ScopeField[] = scope.fields.filter((f) => f.qualifiedOnly !== true);
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

/**
 * GROUP BY items: ordinals select outputs; names resolve to input columns first, then to output aliases. Grouping
 * sets, ROLLUP and CUBE expand as in grouping-sets.ts.
 */
function bindGroupBy(sel: ast.Select, outputs: readonly SelectOutput[], base: Omit<ExprContext, 'clause'>): ExpandedGroupBy {
  const gb = sel.groupBy;
  if (gb === undefined) return { exprs: [], sets: undefined };
  const ctx: ExprContext = { ...base, clause: 'GROUP BY' };
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
  return expandGroupBy(gb, bindOne);
}

/**
 * Rewrites an expression bound over the aggregate's input into one over its output: subtrees equal to a GROUP BY
 * expression become its column, aggregate results stay; any other column reference is an error.
 */
function rewriteOverAggregate(e: Expr, groups: ReadonlyMap<string, Expr>, aggIds: ReadonlySet<number>, replaced: ReadonlyMap<number, Expr>, clause: string): Expr {
  const g = groups.get(exprKey(e));
  if (g !== undefined) return g;
  if (e.kind === 'column') {
    if (aggIds.has(e.id)) return e;
    const r = replaced.get(e.id);
    if (r !== undefined) return r;
    throw new ShoalError('EXPRESSION_NOT_AGGREGATE', `'${e.name}' must be an aggregate expression or appear in GROUP BY clause`, {
      span: e.span,
      hint: clause === 'SELECT' ? `Add ${e.name} to GROUP BY, or wrap it in an aggregate such as arbitrary(${e.name}) or max(${e.name})` : undefined,
    });
  }
  return mapChildren(e, (c) => rewriteOverAggregate(c, groups, aggIds, replaced, clause));
}

/** ORDER BY over a set operation or VALUES: output names and ordinals only. */
export function bindOutputOrderBy(b: Binder, rel: Relation, orderBy: readonly ast.OrderItem[]): Relation {
  const outputs: SelectOutput[] = rel.scope.fields.map((f) => ({ expr: columnRef(f.col.id, f.col.name, f.col.type), name: f.col.name, alias: f.name, span: orderBy[0]!.span }));
  const ctx: ExprContext = { scope: rel.scope, functions: b.env.functions, evalCtx: b.env.evalCtx, clause: 'ORDER BY' };
  const keys: SortKey[] = orderBy.map((o) => {
    const t = resolveOrderItem(o, outputs, ctx);
    const expr = t.kind === 'output' ? outputs[t.index]!.expr : t.expr;
    requireOrderable(expr.type, o.span);
    return { expr, descending: o.descending, nullsFirst: o.nullsFirst ?? false };
  });
  return { plan: { kind: 'sort', input: rel.plan, keys }, scope: rel.scope };
}

