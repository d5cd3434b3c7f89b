import { ShoalError, assertNever } from '../common/index.js';
import { and, columnRef, literal, replaceColumns, type Expr } from '../expr/index.js';
import { outputOf, type JoinNode, type LogicalPlan, type OutCol, type ProjectItem } from '../plan/index.js';
import { BOOLEAN, commonSuperType, typeName } from '../types/index.js';
import { coerce } from './bind-expr.js';
import { splitJoinCondition } from './bind-from.js';
import type { BinderEnv } from './binder-env.js';
import { decorrelate, definedIds, isCorrelated } from './decorrelate.js';
import type { SubqueryUse } from './subquery-uses.js';

/**
 * Rewrites an expression over the outer query's columns into one over the plan the subqueries are joined to
 * (over an aggregation: group keys and aggregates). `innerIds` are the subquery's own columns, left alone.
 */
export type OuterRewrite = (e: Expr, innerIds: ReadonlySet<number>) => Expr;

const identity: OuterRewrite = (e) => e;

/** Aggregates whose value over no rows is not NULL: a missing group must read as this value (the "count bug"). */
const EMPTY_INPUT_VALUE: Readonly<Record<string, bigint>> = { count: 0n, count_if: 0n, approx_distinct: 0n };

/**
 * Joins each subquery's plan to `plan` so that the column standing for it (SubqueryUse.col) is available above:
 * scalar subqueries by a LEFT join that allows one match per row (uncorrelated: a one-row nested loop),
 * IN and EXISTS by mark joins. Correlated subqueries are decorrelated first, so each runs once.
 */
export function applySubqueries(env: BinderEnv, plan: LogicalPlan, uses: readonly SubqueryUse[], rewriteOuter: OuterRewrite = identity): LogicalPlan {
  let p = plan;
  for (const u of uses) {
    switch (u.kind) {
      case 'scalar': p = applyScalar(env, p, u, rewriteOuter); break;
      case 'exists': p = applyExists(env, p, u, rewriteOuter); break;
      case 'in': p = applyIn(env, p, u, rewriteOuter); break;
      default: assertNever(u, 'subquery use');
    }
  }
  return p;
}

function passThrough(cols: readonly OutCol[]): ProjectItem[] {
  return cols.map((c) => ({ col: c, expr: columnRef(c.id, c.name, c.type) }));
}

/** The join condition from correlated conjuncts: hash keys where they are equalities between the sides. */
function joinOn(env: BinderEnv, left: LogicalPlan, right: LogicalPlan, preds: readonly Expr[], rewriteOuter: OuterRewrite): Pick<JoinNode, 'equi' | 'filter'> {
  const inner = definedIds(right);
  const cond = preds.map((x) => rewriteOuter(x, inner));
  if (cond.length === 0) return { equi: [], filter: undefined };
  const leftIds = new Set(outputOf(left).map((c) => c.id));
  const rightIds = new Set(outputOf(right).map((c) => c.id));
  const { equi, rest } = splitJoinCondition(and(cond), leftIds, rightIds, env);
  return { equi, filter: rest.length === 0 ? undefined : and(rest) };
}

function applyScalar(env: BinderEnv, plan: LogicalPlan, u: Extract<SubqueryUse, { kind: 'scalar' }>, rewriteOuter: OuterRewrite): LogicalPlan {
  const sub = u.rel.plan;
  const left = outputOf(plan);
  if (!isCorrelated(sub)) {
    const c = outputOf(sub)[0]!;
    const join: LogicalPlan = { kind: 'join', joinType: 'left', left: plan, right: sub, equi: [], singleMatch: true };
    return { kind: 'project', input: join, items: [...passThrough(left), { col: u.col, expr: columnRef(c.id, c.name, c.type) }] };
  }
  // A global aggregate under projections (SELECT 0.2 * avg(x) FROM … WHERE inner = outer): aggregate per outer
  // key, LEFT join, and compute the projection above the join, where a missing group reads as the aggregate
  // over no rows.
  let top = sub;
  let value: Expr = columnRef(outputOf(sub)[0]!.id, outputOf(sub)[0]!.name, outputOf(sub)[0]!.type);
  while (top.kind === 'project') {
    value = replaceColumns(value, new Map(top.items.map((i) => [i.col.id, i.expr])));
    top = top.input;
  }
  if (top.kind === 'aggregate' && top.groups.length === 0 && top.groupingSets === undefined) {
    const d = decorrelate(top, env.ids, u.span);
    const on = joinOn(env, plan, d.plan, d.preds, rewriteOuter);
    const join: LogicalPlan = { kind: 'join', joinType: 'left', left: plan, right: d.plan, ...on };
    const empties = new Map<number, Expr>();
    for (const a of top.aggregates) {
      const v = EMPTY_INPUT_VALUE[a.fn.name];
      if (v !== undefined) empties.set(a.col.id, { kind: 'coalesce', args: [columnRef(a.col.id, a.col.name, a.col.type), literal(v, a.col.type)], type: a.col.type });
    }
    const expr = rewriteOuter(replaceColumns(value, empties), definedIds(d.plan));
    return { kind: 'project', input: join, items: [...passThrough(left), { col: u.col, expr }] };
  }
  const d = decorrelate(sub, env.ids, u.span);
  if (d.globalAggregate) throw new ShoalError('NOT_SUPPORTED', 'This correlated subquery is not supported: an aggregation without GROUP BY below other operators', { span: u.span, hint: 'Rewrite it as a join' });
  const on = joinOn(env, plan, d.plan, d.preds, rewriteOuter);
  const join: LogicalPlan = { kind: 'join', joinType: 'left', left: plan, right: d.plan, ...on, singleMatch: true };
  const c = outputOf(sub)[0]!;
  return { kind: 'project', input: join, items: [...passThrough(left), { col: u.col, expr: columnRef(c.id, c.name, c.type) }] };
}

/** For EXISTS only whether rows exist matters: projections, ordering and DISTINCT on top can go. */
function stripForExistence(p: LogicalPlan): LogicalPlan {
  let q = p;
  for (;;) {
    if (q.kind === 'project' || (q.kind === 'sort' && q.fetch === undefined)) q = q.input;
    else if (q.kind === 'limit' && q.offset === 0 && (q.fetch === undefined || q.fetch > 0)) q = q.input;
    else if (q.kind === 'aggregate' && q.aggregates.length === 0 && q.groups.length > 0 && q.groupingSets === undefined) q = q.input;
    else return q;
  }
}

function applyExists(env: BinderEnv, plan: LogicalPlan, u: Extract<SubqueryUse, { kind: 'exists' }>, rewriteOuter: OuterRewrite): LogicalPlan {
  const sub = stripForExistence(u.rel.plan);
  if (!isCorrelated(sub)) {
    // One row is enough to know.
    const one: LogicalPlan = { kind: 'limit', input: sub, offset: 0, fetch: 1 };
    return { kind: 'join', joinType: 'mark', left: plan, right: one, equi: [], mark: u.col };
  }
  const d = decorrelate(sub, env.ids, u.span);
  if (d.globalAggregate) throw new ShoalError('NOT_SUPPORTED', 'This correlated subquery is not supported: EXISTS over an aggregation without GROUP BY', { span: u.span, hint: 'Such a subquery always returns one row' });
  return { kind: 'join', joinType: 'mark', left: plan, right: d.plan, ...joinOn(env, plan, d.plan, d.preds, rewriteOuter), mark: u.col };
}

function applyIn(env: BinderEnv, plan: LogicalPlan, u: Extract<SubqueryUse, { kind: 'in' }>, rewriteOuter: OuterRewrite): LogicalPlan {
  let sub = u.rel.plan;
  // Duplicates and order do not change IN's answer.
  // (A DISTINCT over the one column groups by the column of its input, which carries the same values.)
  const isDistinctOfInput = (q: LogicalPlan): q is Extract<LogicalPlan, { kind: 'aggregate' }> =>
    q.kind === 'aggregate' && q.aggregates.length === 0 && q.groups.length === 1 && q.groupingSets === undefined && q.groups[0]!.expr.kind === 'column' && q.groups[0]!.expr.id === outputOf(q.input)[0]?.id;
  while ((sub.kind === 'sort' && sub.fetch === undefined) || isDistinctOfInput(sub)) sub = sub.input;
  const y = outputOf(sub)[0]!;
  const t = commonSuperType(u.operand.type, y.type);
  if (t === undefined) {
    throw new ShoalError('TYPE_MISMATCH', `Value and result of subquery must be of the same type for IN expression: ${typeName(u.operand.type)} vs ${typeName(y.type)}`, { span: u.span });
  }
  const operand = rewriteOuter(coerce(u.operand, t, env.evalCtx), new Set());
  const key = { left: operand, right: coerce(columnRef(y.id, y.name, y.type), t, env.evalCtx) };
  if (!isCorrelated(sub)) {
    return { kind: 'join', joinType: 'mark', left: plan, right: sub, equi: [key], mark: u.col, nullAware: true };
  }
  const d = decorrelate(sub, env.ids, u.span);
  if (d.globalAggregate) throw new ShoalError('NOT_SUPPORTED', 'This correlated subquery is not supported: IN over an aggregation without GROUP BY', { span: u.span, hint: 'Compare with = (subquery) instead' });
  const on = joinOn(env, plan, d.plan, d.preds, rewriteOuter);
  // Three-valued IN over the rows of the outer row's correlation group: true when some y equals x; otherwise
  // NULL when x is NULL or some y is NULL (and the group is not empty); otherwise false. Two mark joins: one for
  // a true match, one for "a NULL took part" over the same correlation condition.
  const matched = env.ids.col('in_match', BOOLEAN);
  const nullSeen = env.ids.col('in_null', BOOLEAN);
  const isNull = (e: Expr): Expr => ({ kind: 'is_null', operand: e, negated: false, type: BOOLEAN });
  const nullTookPart: Expr = { kind: 'or', args: [isNull(key.left), isNull(key.right)], type: BOOLEAN };
  const first: LogicalPlan = { kind: 'join', joinType: 'mark', left: plan, right: d.plan, equi: [key, ...on.equi], filter: on.filter, mark: matched };
  const second: LogicalPlan = {
    kind: 'join', joinType: 'mark', left: first, right: d.plan, equi: on.equi,
    filter: on.filter === undefined ? nullTookPart : and([on.filter, nullTookPart]), mark: nullSeen,
  };
  const value: Expr = {
    kind: 'case',
    whens: [
      { when: columnRef(matched.id, matched.name, BOOLEAN), then: literal(true, BOOLEAN) },
      { when: columnRef(nullSeen.id, nullSeen.name, BOOLEAN), then: literal(null, BOOLEAN) },
    ],
    else: literal(false, BOOLEAN),
    type: BOOLEAN,
  };
  return { kind: 'project', input: second, items: [...passThrough(outputOf(plan)), { col: u.col, expr: value }] };
}
