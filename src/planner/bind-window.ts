/**
 * Window calls (`f(…) OVER (…)`, `OVER w`) in SELECT and ORDER BY. Each call is bound over the SELECT's input
 * scope (aggregates allowed in its arguments and keys, windows not), collected, and planned as Window nodes after
 * aggregation and HAVING: one node per distinct (PARTITION BY, ORDER BY), so calls sharing a window share a sort.
 */
import { ShoalError, didYouMean, type SourceSpan } from '../common/index.js';
import { columnRef, evaluateConstant, exprKey, exprToString, isConstant, type Expr } from '../expr/index.js';
import type { LogicalPlan, OutCol, SortKey, WindowCall, WindowFrame, FrameBound, WindowFunctionRef } from '../plan/index.js';
import type * as ast from '../sql/index.js';
import { isIntegerKind, typeName, type SqlType } from '../types/index.js';
import { signatureOf, type FunctionDoc } from '../functions/index.js';
import { bindExpr, coerce, type ExprContext, type WindowSink } from './bind-expr.js';
import type { BinderEnv } from './binder-env.js';

/** A bound window call, over the SELECT's input (before aggregation); `rewrite` moves it over the aggregate's output. */
export interface BoundWindowCall {
  readonly call: WindowCall;
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly SortKey[];
}

type ResolvedSpec = Omit<ast.WindowSpec, 'baseWindow'>;

export class WindowCollector {
  readonly calls: BoundWindowCall[] = [];
  private readonly byKey = new Map<string, Expr>();
  private readonly named = new Map<string, ResolvedSpec>();

  constructor(private readonly env: BinderEnv, windows: readonly ast.NamedWindow[]) {
    // A named window may refine one defined before it (WINDOW w1 AS (PARTITION BY a), w2 AS (w1 ORDER BY b)).
    for (const w of windows) {
      const name = w.name.value.toLowerCase();
      if (this.named.has(name)) throw new ShoalError('GENERIC_USER_ERROR', `WINDOW '${w.name.value}' is defined twice`, { span: w.name.span });
      this.named.set(name, this.resolveSpec(w.spec));
    }
  }

  readonly sink: WindowSink = (node, ctx) => this.bind(node, ctx);

  /** Column ids of the window results (they stand for values computed above the aggregation). */
  resultIds(): Set<number> {
    return new Set(this.calls.map((c) => c.call.col.id));
  }

  private resolveSpec(spec: ast.WindowSpec): ResolvedSpec {
    if (spec.baseWindow === undefined) return spec;
    const name = spec.baseWindow.value.toLowerCase();
    const base = this.named.get(name);
    if (base === undefined) {
      throw new ShoalError('NOT_FOUND', `Window '${spec.baseWindow.value}' is not defined`, { span: spec.baseWindow.span, hint: didYouMean(name, [...this.named.keys()]) });
    }
    const refines = spec.partitionBy.length > 0 || spec.orderBy.length > 0 || spec.frame !== undefined;
    if (!refines) return base;
    if (spec.partitionBy.length > 0) {
      throw new ShoalError('GENERIC_USER_ERROR', 'A window specification that references a named WINDOW cannot specify PARTITION BY', { span: spec.partitionBy[0]!.span });
    }
    if (spec.orderBy.length > 0 && base.orderBy.length > 0) {
      throw new ShoalError('INVALID_ORDER_BY', `Cannot specify ORDER BY: named WINDOW '${spec.baseWindow.value}' already specifies ORDER BY`, { span: spec.orderBy[0]!.span });
    }
    if (base.frame !== undefined) {
      throw new ShoalError('GENERIC_USER_ERROR', `Cannot refine named WINDOW '${spec.baseWindow.value}': it has a frame`, { span: spec.baseWindow.span });
    }
    return { partitionBy: base.partitionBy, orderBy: spec.orderBy.length > 0 ? spec.orderBy : base.orderBy, frame: spec.frame, span: spec.span };
  }

  private bind(node: ast.FunctionCallExpr, ctx: ExprContext): Expr {
    const name = node.name.parts.map((p) => p.value.toLowerCase()).join('.');
    const spec = this.resolveSpec(node.over!);
    const fn = ctx.functions.lookup(name);
    if (fn === undefined) {
      throw new ShoalError('FUNCTION_NOT_FOUND', `Function '${name}' not registered`, { span: node.span, hint: didYouMean(name, ctx.functions.names()) });
    }
    if (fn.kind === 'scalar') throw new ShoalError('FUNCTION_NOT_WINDOW', `${name} is not a window function`, { span: node.span, hint: 'OVER applies to aggregate and window functions' });
    if (node.distinct) throw new ShoalError('NOT_SUPPORTED', `DISTINCT in window function ${name}() is not supported`, { span: node.span });
    if (node.filter !== undefined) throw new ShoalError('NOT_SUPPORTED', `FILTER in window function ${name}() is not supported`, { span: node.filter.span });
    if (node.nullTreatment !== undefined && (fn.kind !== 'window' || !fn.nullTreatment)) {
      throw new ShoalError('NOT_SUPPORTED', `IGNORE NULLS and RESPECT NULLS do not apply to ${name}()`, { span: node.span });
    }
    const inner: ExprContext = { ...ctx, windows: undefined, clause: `the arguments of window function ${name}()` };
    const args = node.args.map((a) => bindExpr(a, inner));
    const keyCtx: ExprContext = { ...inner, clause: 'the window specification' };
    const partitionBy = spec.partitionBy.map((e) => bindExpr(e, keyCtx));
    const orderBy: SortKey[] = spec.orderBy.map((o) => ({ expr: bindExpr(o.expr, keyCtx), descending: o.descending, nullsFirst: o.nullsFirst ?? false }));
    const argTypes = args.map((a) => a.type);
    let ref: WindowFunctionRef;
    if (fn.kind === 'aggregate') {
      const resolved = fn.resolve(argTypes, { star: node.star, distinct: false });
      if (resolved === undefined) throw unexpected(name, node.star ? ['*'] : argTypes, fn.docs, node.span);
      ref = { kind: 'aggregate', fn, resolved, star: node.star };
    } else {
      const resolved = node.star ? undefined : fn.resolve(argTypes);
      if (resolved === undefined) throw unexpected(name, argTypes, fn.docs, node.span);
      ref = { kind: 'window', fn, resolved };
    }
    const bound = args.map((a, i) => coerce(a, ref.resolved.argTypes[i]!, ctx.evalCtx));
    const frame = bindFrame(spec.frame, orderBy, keyCtx);
    const ignoreNulls = node.nullTreatment === 'ignore';
    const key = [
      name, node.star, ignoreNulls, bound.map(exprKey).join(','), partitionBy.map(exprKey).join(','),
      orderBy.map((k) => `${exprKey(k.expr)} ${k.descending} ${k.nullsFirst}`).join(','), JSON.stringify(frame),
    ].join('|');
    const hit = this.byKey.get(key);
    if (hit !== undefined) return { ...hit, span: node.span };
    const col: OutCol = this.env.ids.col(name, ref.resolved.returnType);
    this.calls.push({ call: { col, function: ref, args: bound, frame, ignoreNulls }, partitionBy, orderBy });
    const result: Expr = { ...columnRef(col.id, col.name, col.type), span: node.span };
    this.byKey.set(key, result);
    return result;
  }
}

function unexpected(name: string, args: readonly (SqlType | '*')[], docs: readonly FunctionDoc[], span: SourceSpan): ShoalError {
  const list = args.map((a) => (a === '*' ? '*' : typeName(a))).join(', ');
  return new ShoalError('FUNCTION_NOT_FOUND', `Unexpected parameters (${list}) for function ${name}`, { span, hint: `Expected: ${docs.map((d) => signatureOf(name, d)).join('; ')}` });
}

/**
 * Trino's frames: without a frame clause, RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW when there is an ORDER
 * BY (so peers of the current row are in its frame), else the whole partition. A single bound is the start, ending
 * at CURRENT ROW.
 */
function bindFrame(f: ast.WindowFrame | undefined, orderBy: readonly SortKey[], ctx: ExprContext): WindowFrame {
  if (f === undefined) {
    return orderBy.length > 0
      ? { unit: 'range', start: { kind: 'unbounded_preceding' }, end: { kind: 'current_row' } }
      : { unit: 'rows', start: { kind: 'unbounded_preceding' }, end: { kind: 'unbounded_following' } };
  }
  const end: ast.FrameBound = f.end ?? { kind: 'current_row' };
  const invalid = (msg: string): ShoalError => new ShoalError('INVALID_WINDOW_FRAME', msg, { span: f.span });
  if (f.start.kind === 'unbounded_following') throw invalid('Window frame start cannot be UNBOUNDED FOLLOWING');
  if (end.kind === 'unbounded_preceding') throw invalid('Window frame end cannot be UNBOUNDED PRECEDING');
  if (f.start.kind === 'current_row' && end.kind === 'preceding') throw invalid('Window frame starting from CURRENT ROW cannot end with PRECEDING');
  if (f.start.kind === 'following' && (end.kind === 'preceding' || end.kind === 'current_row')) {
    throw invalid(`Window frame starting from FOLLOWING cannot end with ${end.kind === 'preceding' ? 'PRECEDING' : 'CURRENT ROW'}`);
  }
  const hasOffset = [f.start, end].some((b) => b.kind === 'preceding' || b.kind === 'following');
  if (hasOffset && f.unit !== 'rows') {
    const unit = f.unit.toUpperCase();
    if (orderBy.length === 0) throw new ShoalError('MISSING_ORDER_BY', `Window frame of type ${unit} PRECEDING or FOLLOWING requires ORDER BY`, { span: f.span });
    if (f.unit === 'range' && orderBy.length !== 1) {
      throw new ShoalError('INVALID_ORDER_BY', `Window frame of type RANGE PRECEDING or FOLLOWING requires a single sort item in ORDER BY (actual: ${orderBy.length})`, { span: f.span });
    }
  }
  const keyType = orderBy[0]?.expr.type;
  const bound = (b: ast.FrameBound): FrameBound => {
    if (b.kind !== 'preceding' && b.kind !== 'following') return b;
    const offset = f.unit === 'range' ? rangeOffset(b.offset, keyType!, ctx) : rowOffset(b.offset, ctx);
    return { kind: b.kind, offset, text: exprToString(bindExpr(b.offset, ctx)) };
  };
  return { unit: f.unit, start: bound(f.start), end: bound(end) };
}

function constantOffset(node: ast.Expr, ctx: ExprContext): { e: Expr; value: unknown } {
  const e = bindExpr(node, { ...ctx, aggregates: undefined, clause: 'the window frame' });
  if (!isConstant(e)) throw new ShoalError('NOT_SUPPORTED', 'Window frame offsets must be constants', { span: node.span });
  const value = evaluateConstant(e, ctx.evalCtx);
  if (value === null) throw new ShoalError('INVALID_WINDOW_FRAME', 'Window frame offset value must not be negative or null', { span: node.span });
  return { e, value };
}

function nonNegative(n: number, span: SourceSpan): number {
  if (!(n >= 0)) throw new ShoalError('INVALID_WINDOW_FRAME', 'Window frame offset value must not be negative or null', { span });
  return n;
}

/** ROWS and GROUPS offsets: a constant integer count. */
function rowOffset(node: ast.Expr, ctx: ExprContext): number {
  const { e, value } = constantOffset(node, ctx);
  if (!isIntegerKind(e.type.kind)) throw new ShoalError('TYPE_MISMATCH', `Window frame ROWS or GROUPS offset must be an integer, not ${typeName(e.type)}`, { span: node.span });
  return nonNegative(Number(value as number | bigint), node.span);
}

/** RANGE offsets, in the units of the order key's number view: numbers for numeric keys, intervals for dates and timestamps. */
function rangeOffset(node: ast.Expr, key: SqlType, ctx: ExprContext): number {
  const { e, value } = constantOffset(node, ctx);
  const mismatch = (): ShoalError =>
    new ShoalError('TYPE_MISMATCH', `Window frame RANGE offset of type ${typeName(e.type)} does not apply to a sort key of type ${typeName(key)}`, { span: node.span });
  switch (key.kind) {
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'bigint':
    case 'real':
    case 'double':
    case 'decimal': {
      const numeric = ['tinyint', 'smallint', 'integer', 'bigint', 'real', 'double', 'decimal'].includes(e.type.kind);
      if (!numeric) throw mismatch();
      // Coerced to the key's type: a decimal key measures in its unscaled units, an integer key truncates nothing
      // it cannot represent (the cast fails instead).
      const target: SqlType = key.kind === 'decimal' || key.kind === 'real' || key.kind === 'double' || e.type.kind === 'decimal' || e.type.kind === 'real' || e.type.kind === 'double' ? (key.kind === 'decimal' ? key : { kind: 'double' }) : key;
      const v = evaluateConstant(coerce(e, target, ctx.evalCtx), ctx.evalCtx);
      return nonNegative(Number(v as number | bigint), node.span);
    }
    case 'date': {
      if (e.type.kind !== 'interval_day_time') throw mismatch();
      const micros = Number(value as bigint);
      if (micros % 86_400_000_000 !== 0) throw new ShoalError('INVALID_WINDOW_FRAME', 'A RANGE offset over a date must be a whole number of days', { span: node.span });
      return nonNegative(micros / 86_400_000_000, node.span);
    }
    case 'timestamp': {
      if (e.type.kind !== 'interval_day_time') throw mismatch();
      return nonNegative(Number(value as bigint) * (key.precision > 6 ? 1000 : 1), node.span);
    }
    default:
      throw new ShoalError('TYPE_MISMATCH', `Window frame of type RANGE PRECEDING or FOLLOWING needs a numeric, date or timestamp sort key, not ${typeName(key)}`, { span: node.span });
  }
}

/**
 * Places the Window nodes over `input` (the aggregation/HAVING result): calls are grouped by their (PARTITION BY,
 * ORDER BY), after `rewrite` has moved their expressions over `input`'s columns.
 */
export function planWindows(input: LogicalPlan, calls: readonly BoundWindowCall[], rewrite: (e: Expr) => Expr): LogicalPlan {
  const groups = new Map<string, { partitionBy: Expr[]; orderBy: SortKey[]; calls: WindowCall[] }>();
  for (const c of calls) {
    const partitionBy = c.partitionBy.map(rewrite);
    const orderBy = c.orderBy.map((k) => ({ ...k, expr: rewrite(k.expr) }));
    const key = `${partitionBy.map(exprKey).join(',')}|${orderBy.map((k) => `${exprKey(k.expr)} ${k.descending} ${k.nullsFirst}`).join(',')}`;
    let g = groups.get(key);
    if (g === undefined) {
      g = { partitionBy, orderBy, calls: [] };
      groups.set(key, g);
    }
    g.calls.push({ ...c.call, args: c.call.args.map(rewrite) });
  }
  let plan = input;
  for (const g of groups.values()) plan = { kind: 'window', input: plan, partitionBy: g.partitionBy, orderBy: g.orderBy, calls: g.calls };
  return plan;
}
