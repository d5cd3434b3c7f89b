import { ShoalError, assertNever, didYouMean, type SourceSpan } from '../common/index.js';
import {
  and, columnRef, evaluateConstant, isConstant, literal, or, type CompareOp, type Expr,
} from '../expr/index.js';
import {
  EXTRACT_FIELDS, arrayConstructorFunction, requireZone, resolveRowField, rowConstructorFunction, rowFieldFunction, signatureOf, subscriptFunction,
  type AggregateFunction, type EvalContext, type FunctionRegistry, type ResolvedAggregate, type ResolvedScalar, type ScalarFunction,
} from '../functions/index.js';
import type * as ast from '../sql/index.js';
import {
  BOOLEAN, VARCHAR, commonSuperType, parseTypeName, typeName, typesEqual, withZone, zoneOf, type SqlType,
} from '../types/index.js';
import { typeLiteral } from './literal-types.js';
import type { SubqueryCollector } from './subquery-uses.js';
import { arithmeticTyping, comparisonType } from './operator-types.js';
import { canCast } from './cast-rules.js';
import type { Scope } from './scope.js';

/** An aggregate call found while binding a SELECT/HAVING/ORDER BY expression. */
export interface AggregateRequest {
  readonly fn: AggregateFunction;
  readonly resolved: ResolvedAggregate;
  readonly args: readonly Expr[];
  readonly star: boolean;
  readonly distinct: boolean;
  readonly filter?: Expr | undefined;
  /** agg(x ORDER BY y) / WITHIN GROUP (ORDER BY y); NULLS LAST unless said otherwise. */
  readonly orderBy?: readonly { readonly expr: Expr; readonly descending: boolean; readonly nullsFirst: boolean }[] | undefined;
  readonly span: SourceSpan;
  /** Text for EXPLAIN and default names. */
  readonly text: string;
}

/** Receives aggregate calls and returns the expression standing for the aggregate's result. */
export type AggregateSink = (req: AggregateRequest) => Expr;

/** Receives grouping(…) calls (arguments bound over the input) and returns the expression standing for one. */
export type GroupingSink = (args: readonly Expr[], span: SourceSpan) => Expr;
/** Binds a call with OVER (in `ctx`, the context of the clause it appears in) and returns the expression for its result. */
export type WindowSink = (node: ast.FunctionCallExpr, ctx: ExprContext) => Expr;

export interface ExprContext {
  readonly scope: Scope;
  readonly functions: FunctionRegistry;
  readonly evalCtx: EvalContext;
  /** Where aggregates may appear; undefined elsewhere (WHERE, GROUP BY, ON, inside an aggregate's arguments). */
  readonly aggregates?: AggregateSink | undefined;
  /** Where grouping(…) may appear: the SELECT, HAVING and ORDER BY of an aggregation. */
  readonly grouping?: GroupingSink | undefined;
  /** Where window functions may appear (SELECT, ORDER BY); undefined elsewhere and inside a window call. */
  readonly windows?: WindowSink | undefined;
  /** The clause being bound, for messages: "WHERE", "ON", "GROUP BY"… */
  readonly clause: string;
  /** Where subqueries may appear: their pre-bound plans, and the uses found. */
  readonly subqueries?: SubqueryCollector | undefined;
  /** Subqueries inside aggregate arguments (joined below the aggregation). */
  readonly argSubqueries?: SubqueryCollector | undefined;
}

function subqueriesOf(ctx: ExprContext, span: SourceSpan): SubqueryCollector {
  if (ctx.subqueries === undefined) throw new ShoalError('NOT_SUPPORTED', `Subqueries are not supported in ${ctx.clause}`, { span });
  return ctx.subqueries;
}

/**
 * Casts `e` to `to` when needed. Constants are converted right away, so literals reach pruning and IN lists as
 * literals of the target type; a constant that does not convert is an error at its span.
 */
export function coerce(e: Expr, to: SqlType, ctx: EvalContext): Expr {
  if (typesEqual(e.type, to)) return e;
  if (to.kind === 'varchar' && e.type.kind === 'varchar' && to.length === undefined) {
    if (e.kind === 'literal') return literal(e.value, to, e.span);
    return { kind: 'cast', operand: e, type: to, try: false, span: e.span };
  }
  const cast: Expr = { kind: 'cast', operand: e, type: to, try: false, span: e.span };
  return e.kind === 'literal' ? fold(cast, ctx) : cast;
}

function requireBoolean(e: Expr, what: string, span: SourceSpan): Expr {
  if (e.type.kind === 'boolean') return e;
  if (e.type.kind === 'unknown') return literal(null, BOOLEAN, span);
  throw new ShoalError('TYPE_MISMATCH', `${what} must be boolean, not ${typeName(e.type)}`, { span });
}

export function bindExpr(node: ast.Expr, ctx: ExprContext): Expr {
  const b = (n: ast.Expr, c: ExprContext = ctx): Expr => bindExpr(n, c);
  const ec = ctx.evalCtx;
  switch (node.kind) {
    case 'column':
      return bindColumn(node, ctx);
    case 'literal': {
      const t = typeLiteral(node.literal, node.span);
      return literal(t.value, t.type, node.span);
    }
    case 'unary': {
      const o = b(node.operand);
      if (node.op === 'not') return { kind: 'not', operand: requireBoolean(o, 'The operand of NOT', node.operand.span), type: BOOLEAN, span: node.span };
      const k = o.type.kind;
      const numeric = ['tinyint', 'smallint', 'integer', 'bigint', 'real', 'double', 'decimal', 'interval_day_time', 'interval_year_month', 'unknown'].includes(k);
      if (!numeric) throw new ShoalError('TYPE_MISMATCH', `Cannot apply unary ${node.op} to ${typeName(o.type)}`, { span: node.span });
      if (node.op === '+') return o;
      if (o.kind === 'literal') return fold({ kind: 'negate', operand: o, type: o.type, span: node.span }, ec);
      return { kind: 'negate', operand: o, type: o.type, span: node.span };
    }
    case 'binary':
      return bindBinary(node, ctx);
    case 'is_null':
      return { kind: 'is_null', operand: b(node.operand), negated: node.negated, type: BOOLEAN, span: node.span };
    case 'between': {
      const o = b(node.operand), lo = b(node.low), hi = b(node.high);
      let t = comparisonType('BETWEEN', o.type, lo.type, node.span);
      t = comparisonType('BETWEEN', t, hi.type, node.span);
      const oc = coerce(o, t, ec);
      const inside = and([
        compare('>=', oc, coerce(lo, t, ec), node.span),
        compare('<=', oc, coerce(hi, t, ec), node.span),
      ]);
      return node.negated ? { kind: 'not', operand: inside, type: BOOLEAN, span: node.span } : inside;
    }
    case 'in_list': {
      const o = b(node.operand);
      const items = node.list.map((x) => b(x));
      let t: SqlType = o.type;
      for (const [k, it] of items.entries()) t = comparisonType('IN', t, it.type, node.list[k]!.span);
      const oc = coerce(o, t, ec);
      const cs = items.map((it) => coerce(it, t, ec));
      if (cs.every(isConstant)) {
        const list = cs.map((c) => (c.kind === 'literal' ? c : literal(evaluateConstant(c, ec), t, c.span)));
        return { kind: 'in_list', operand: oc, list, negated: node.negated, type: BOOLEAN, span: node.span };
      }
      const anyMatch = or(cs.map((c) => compare('=', oc, c, node.span)));
      return node.negated ? { kind: 'not', operand: anyMatch, type: BOOLEAN, span: node.span } : anyMatch;
    }
    case 'like': {
      const o = b(node.operand), p = b(node.pattern);
      for (const [e, n] of [[o, node.operand], [p, node.pattern]] as const) {
        if (e.type.kind !== 'varchar' && e.type.kind !== 'unknown') {
          throw new ShoalError('TYPE_MISMATCH', `LIKE needs varchar operands, not ${typeName(e.type)}`, { span: n.span, hint: 'CAST the value to varchar' });
        }
      }
      let escape: string | undefined;
      if (node.escape !== undefined) {
        const esc = b(node.escape);
        if (!isConstant(esc)) throw new ShoalError('NOT_SUPPORTED', 'The ESCAPE of LIKE must be a constant', { span: node.escape.span });
        const v = evaluateConstant(esc, ec);
        if (typeof v !== 'string') throw new ShoalError('TYPE_MISMATCH', 'ESCAPE must be a string', { span: node.escape.span });
        escape = v;
      }
      return {
        kind: 'like', operand: coerce(o, VARCHAR, ec), pattern: coerce(p, VARCHAR, ec), escape, negated: node.negated,
        caseInsensitive: node.caseInsensitive, type: BOOLEAN, span: node.span,
      };
    }
    case 'case':
      return bindCase(node, ctx);
    case 'cast': {
      const o = b(node.operand);
      const parsed = parseTypeName(node.targetType, node.span);
      // WITH TIME ZONE targets keep the operand's zone, else display in the session zone.
      const to = withZone(parsed, o.type.kind === 'timestamp' && o.type.withTimeZone ? zoneOf(o.type) : ec.timeZone);
      if (!canCast(o.type, to)) {
        throw new ShoalError('TYPE_MISMATCH', `Cannot cast ${typeName(o.type)} to ${typeName(to)}`, { span: node.span });
      }
      if (typesEqual(o.type, to) && (to.kind !== 'timestamp' || zoneOf(o.type) === zoneOf(to))) return o;
      const c: Expr = { kind: 'cast', operand: o, type: to, try: node.try, span: node.span };
      return o.kind === 'literal' ? fold(c, ec) : c;
    }
    case 'function':
      return bindFunction(node, ctx);
    case 'extract': {
      const fnName = EXTRACT_FIELDS[node.field.toLowerCase()];
      if (fnName === undefined) {
        throw new ShoalError('INVALID_FUNCTION_ARGUMENT', `Invalid EXTRACT field '${node.field}'`, { span: node.span, hint: didYouMean(node.field, Object.keys(EXTRACT_FIELDS)) });
      }
      return callScalar(fnName, [b(node.operand)], [node.operand.span], node.span, ctx);
    }
    case 'in_subquery':
      return subqueriesOf(ctx, node.span).in(node, b(node.operand));
    case 'exists':
      return subqueriesOf(ctx, node.span).exists(node);
    case 'scalar_subquery':
      return subqueriesOf(ctx, node.span).scalar(node);
    case 'at_time_zone':
      return callScalar('at_timezone', [b(node.operand), b(node.zone)], [node.operand.span, node.zone.span], node.span, ctx);
    case 'array':
      return bindCall(arrayConstructorFunction, node.elements.map((x) => b(x)), node.elements.map((x) => x.span), node.span, ctx);
    case 'subscript': {
      const base = b(node.base);
      if (base.type.kind !== 'array' && base.type.kind !== 'map' && base.type.kind !== 'unknown') {
        throw new ShoalError('TYPE_MISMATCH', `Cannot use [] on a value of type ${typeName(base.type)}`, { span: node.base.span, hint: 'Subscripts apply to arrays and maps; use .field for rows' });
      }
      return bindCall(subscriptFunction, [base, b(node.index)], [node.base.span, node.index.span], node.span, ctx);
    }
    case 'dereference':
      return dereference(b(node.base), node.field.value, node.field.span, node.span);
    case 'row':
      return bindCall(rowConstructorFunction, node.fields.map((x) => b(x)), node.fields.map((x) => x.span), node.span, ctx);
    case 'lambda':
      throw new ShoalError('NOT_SUPPORTED', `${node.kind.replace('_', ' ')} expressions are not supported yet`, { span: node.span });
    default:
      return assertNever(node, 'expression');
  }
}

/**
 * Evaluates a constant expression now. One that fails (1 / 0, CAST('x' AS integer)) stays unevaluated: it may sit
 * in a CASE branch that never runs, and if it does run it fails then, at its span.
 */
function fold(e: Expr, ctx: EvalContext): Expr {
  try {
    return literal(evaluateConstant(e, ctx), e.type, e.span);
  } catch {
    return e;
  }
}

function compare(op: CompareOp, l: Expr, r: Expr, span: SourceSpan): Expr {
  return { kind: 'compare', op, left: l, right: r, type: BOOLEAN, span };
}

const COMPARE_OPS: Readonly<Record<string, CompareOp>> = {
  '=': '=', '<>': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=',
  is_distinct_from: 'is_distinct_from', is_not_distinct_from: 'is_not_distinct_from',
};

function bindBinary(node: ast.BinaryExpr, ctx: ExprContext): Expr {
  const ec = ctx.evalCtx;
  const l = bindExpr(node.left, ctx), r = bindExpr(node.right, ctx);
  switch (node.op) {
    case 'and':
    case 'or': {
      const args = [requireBoolean(l, `The left operand of ${node.op.toUpperCase()}`, node.left.span), requireBoolean(r, `The right operand of ${node.op.toUpperCase()}`, node.right.span)];
      return node.op === 'and' ? and(args) : or(args);
    }
    case '||': {
      for (const [e, n] of [[l, node.left], [r, node.right]] as const) {
        if (e.type.kind !== 'varchar' && e.type.kind !== 'unknown') {
          throw new ShoalError('TYPE_MISMATCH', `Cannot apply operator: ${typeName(l.type)} || ${typeName(r.type)}`, { span: n.span, hint: 'CAST the value to varchar' });
        }
      }
      return callScalar('concat', [l, r], [node.left.span, node.right.span], node.span, ctx);
    }
    case '+':
    case '-':
    case '*':
    case '/':
    case '%': {
      const t = arithmeticTyping(node.op, l.type, r.type, node.span);
      const [a, bb] = t.swap ? [r, l] : [l, r];
      const e: Expr = { kind: 'arith', op: node.op, left: coerce(a, t.left, ec), right: coerce(bb, t.right, ec), type: t.result, span: node.span };
      return l.kind === 'literal' && r.kind === 'literal' ? fold(e, ec) : e;
    }
    default: {
      const op = COMPARE_OPS[node.op];
      if (op === undefined) throw new ShoalError('NOT_SUPPORTED', `Operator ${node.op} is not supported`, { span: node.span });
      const t = comparisonType(node.op === 'is_distinct_from' ? 'IS DISTINCT FROM' : node.op === 'is_not_distinct_from' ? 'IS NOT DISTINCT FROM' : node.op, l.type, r.type, node.span);
      return compare(op, coerce(l, t, ec), coerce(r, t, ec), node.span);
    }
  }
}

function bindCase(node: ast.CaseExpr, ctx: ExprContext): Expr {
  const ec = ctx.evalCtx;
  const thens = node.whens.map((w) => bindExpr(w.then, ctx));
  const els = node.else === undefined ? undefined : bindExpr(node.else, ctx);
  let t: SqlType | undefined = thens[0]?.type;
  for (const [i, x] of [...thens, ...(els === undefined ? [] : [els])].entries()) {
    const next: SqlType | undefined = t === undefined ? x.type : commonSuperType(t, x.type);
    if (next === undefined) {
      const span = i < node.whens.length ? node.whens[i]!.then.span : node.else!.span;
      throw new ShoalError('TYPE_MISMATCH', `All CASE results must have a common type: ${typeName(t!)} and ${typeName(x.type)} do not`, { span });
    }
    t = next;
  }
  const resultType = t ?? { kind: 'unknown' as const };
  let whens;
  if (node.operand !== undefined) {
    const operand = bindExpr(node.operand, ctx);
    whens = node.whens.map((w, i) => {
      const v = bindExpr(w.when, ctx);
      const ct = comparisonType('=', operand.type, v.type, w.when.span);
      return { when: compare('=', coerce(operand, ct, ec), coerce(v, ct, ec), w.when.span), then: coerce(thens[i]!, resultType, ec) };
    });
  } else {
    whens = node.whens.map((w, i) => ({ when: requireBoolean(bindExpr(w.when, ctx), 'A WHEN condition', w.when.span), then: coerce(thens[i]!, resultType, ec) }));
  }
  return { kind: 'case', whens, else: els === undefined ? undefined : coerce(els, resultType, ec), type: resultType, span: node.span };
}

/**
 * A column reference, or field access on a ROW column written as a qualified name (`r.x`, `t.r.x`): as in Trino,
 * the name is a column when one matches, else its longest prefix naming a ROW column and the rest are fields.
 */
function bindColumn(node: ast.ColumnExpr, ctx: ExprContext): Expr {
  const parts = partsOfName(node.name);
  if (parts.length > 1 && ctx.scope.matches(parts).length === 0) {
    for (let k = parts.length - 1; k >= 1; k--) {
      const found = ctx.scope.matches(parts.slice(0, k));
      if (found.length !== 1 || found[0]!.col.type.kind !== 'row') continue;
      const f = found[0]!;
      let e: Expr = { ...columnRef(f.col.id, f.col.name, f.col.type), span: node.span };
      for (const p of node.name.parts.slice(k)) e = dereference(e, p.value, p.span, node.span);
      return e;
    }
  }
  const f = ctx.scope.resolve(node.name);
  return { ...columnRef(f.col.id, f.col.name, f.col.type), span: node.span };
}

function partsOfName(n: ast.QualifiedName): string[] {
  return n.parts.map((p) => p.value.toLowerCase());
}

/** `base.field` on a ROW value; field names match case-insensitively. */
function dereference(base: Expr, field: string, fieldSpan: SourceSpan, span: SourceSpan): Expr {
  const t = base.type;
  if (t.kind !== 'row') {
    throw new ShoalError('TYPE_MISMATCH', `Expression ${exprText(base)} is not of type ROW`, { span, hint: t.kind === 'unknown' ? undefined : `Its type is ${typeName(t)}` });
  }
  const want = field.toLowerCase();
  const index = t.fields.findIndex((f) => f.name?.toLowerCase() === want);
  if (index < 0) {
    const names = t.fields.map((f) => f.name).filter((n): n is string => n !== undefined);
    throw new ShoalError('COLUMN_NOT_FOUND', `Field '${field}' not found in ${typeName(t)}`, { span: fieldSpan, hint: didYouMean(field, names) });
  }
  const resolved = resolveRowField(t, index);
  const args = [base, literal(BigInt(index), resolved.argTypes[1]!)];
  return { kind: 'call', fn: rowFieldFunction, resolved, args, type: resolved.returnType, span };
}

function exprText(e: Expr): string {
  return e.kind === 'column' ? `'${e.name}'` : 'the expression';
}

/** Resolves and binds a scalar function call over already-bound arguments. */
export function callScalar(name: string, args: readonly Expr[], argSpans: readonly SourceSpan[], span: SourceSpan, ctx: ExprContext): Expr {
  const fn = ctx.functions.lookup(name);
  if (fn === undefined) {
    throw new ShoalError('FUNCTION_NOT_FOUND', `Function '${name}' not registered`, { span, hint: didYouMean(name, ctx.functions.names()) });
  }
  if (fn.kind !== 'scalar') throw new ShoalError('GENERIC_INTERNAL_ERROR', `'${name}' is not a scalar function`);
  return bindCall(fn, args, argSpans, span, ctx);
}

/** Binds a call of a known scalar function (also the ones bound from syntax: ARRAY[…], subscripts). */
function bindCall(fn: ScalarFunction, args: readonly Expr[], argSpans: readonly SourceSpan[], span: SourceSpan, ctx: ExprContext): Expr {
  const name = fn.name;
  const resolved = fn.resolve(args.map((a) => a.type));
  if (resolved === undefined) {
    throw new ShoalError('FUNCTION_NOT_FOUND', `Unexpected parameters (${args.map((a) => typeName(a.type)).join(', ')}) for function ${name}`, {
      span,
      hint: `Expected: ${fn.docs.map((d) => signatureOf(name, d)).join('; ')}`,
    });
  }
  const bound = args.map((a, i) => {
    try {
      return coerce(a, resolved.argTypes[i]!, ctx.evalCtx);
    } catch (e) {
      throw e instanceof ShoalError ? e.withSpan(argSpans[i]) : e;
    }
  });
  const call: Expr = { kind: 'call', fn, resolved, args: bound, type: resultZone(resolved, bound, argSpans, ctx), span };
  return bound.every((a) => a.kind === 'literal') && resolved.deterministic && resolved.argTypes.length > 0 ? fold(call, ctx.evalCtx) : call;
}

/**
 * The result type with its display zone (TIMESTAMP WITH TIME ZONE results): the constant zone argument the
 * function names, else the zone the function gave, else the session zone.
 */
function resultZone(resolved: ResolvedScalar, args: readonly Expr[], argSpans: readonly SourceSpan[], ctx: ExprContext): SqlType {
  const t = resolved.returnType;
  if (t.kind !== 'timestamp' || !t.withTimeZone) return t;
  const k = resolved.zoneArgument;
  const zoneArg = k === undefined ? undefined : args[k];
  if (zoneArg?.kind === 'literal' && typeof zoneArg.value === 'string') {
    try {
      return withZone(t, requireZone(zoneArg.value));
    } catch (e) {
      throw e instanceof ShoalError ? e.withSpan(argSpans[k!]) : e;
    }
  }
  return t.zone === undefined ? withZone(t, ctx.evalCtx.timeZone) : t;
}

function bindFunction(node: ast.FunctionCallExpr, ctx: ExprContext): Expr {
  const name = node.name.parts.map((p) => p.value.toLowerCase()).join('.');
  if (node.over !== undefined) {
    if (ctx.windows === undefined) {
      // Inside another call's arguments it is nesting; elsewhere (WHERE, GROUP BY, HAVING, ON) the clause forbids it.
      if (ctx.clause.startsWith('the ')) throw new ShoalError('NESTED_WINDOW', `Cannot nest window function ${name}() inside ${ctx.clause}`, { span: node.span });
      throw new ShoalError('EXPRESSION_NOT_SCALAR', `${ctx.clause} clause cannot contain window functions`, {
        span: node.span,
        hint: 'Compute the window function in a subquery and use its result outside',
      });
    }
    return ctx.windows(node, ctx);
  }
  const fn = ctx.functions.lookup(name);
  if (fn === undefined && name === 'grouping') return bindGrouping(node, ctx);
  if (fn?.kind === 'aggregate') return bindAggregate(node, fn, name, ctx);
  if (node.orderBy !== undefined && node.orderBy.length > 0) {
    throw new ShoalError('FUNCTION_NOT_AGGREGATE', `${name} is not an aggregate function, so ORDER BY does not apply`, { span: node.span });
  }
  if (fn?.kind === 'window') throw new ShoalError('MISSING_OVER', `Window function ${name}() requires an OVER clause`, { span: node.span });
  if (node.nullTreatment !== undefined) {
    throw new ShoalError('NOT_SUPPORTED', `IGNORE NULLS and RESPECT NULLS apply to window functions only, not ${name}()`, { span: node.span });
  }
  if (node.distinct || node.filter !== undefined || node.star) {
    throw new ShoalError('FUNCTION_NOT_AGGREGATE', `${name} is not an aggregate function, so DISTINCT, FILTER and * do not apply`, { span: node.span });
  }
  const args = node.args.map((a) => bindExpr(a, ctx));
  const spans = node.args.map((a) => a.span);
  const ec = ctx.evalCtx;
  switch (name) {
    case 'coalesce': {
      if (args.length === 0) throw new ShoalError('INVALID_ARGUMENTS', 'coalesce needs at least one argument', { span: node.span });
      let t: SqlType = args[0]!.type;
      for (const [i, a] of args.entries()) {
        const n = commonSuperType(t, a.type);
        if (n === undefined) throw new ShoalError('TYPE_MISMATCH', `coalesce arguments must have a common type: ${typeName(t)} and ${typeName(a.type)} do not`, { span: spans[i] });
        t = n;
      }
      if (args.length === 1) return args[0]!;
      return { kind: 'coalesce', args: args.map((a) => coerce(a, t, ec)), type: t, span: node.span };
    }
    case 'nullif': {
      if (args.length !== 2) throw new ShoalError('INVALID_ARGUMENTS', 'nullif takes two arguments', { span: node.span });
      const [a, c] = args as [Expr, Expr];
      const ct = comparisonType('=', a.type, c.type, node.span);
      return {
        kind: 'case', whens: [{ when: compare('=', coerce(a, ct, ec), coerce(c, ct, ec), node.span), then: literal(null, a.type) }],
        else: a, type: a.type, span: node.span,
      };
    }
    case 'if': {
      if (args.length < 2 || args.length > 3) throw new ShoalError('INVALID_ARGUMENTS', 'if takes two or three arguments: if(condition, then [, else])', { span: node.span });
      const cond = requireBoolean(args[0]!, 'The condition of if()', spans[0]!);
      const t = args.length === 3 ? commonSuperType(args[1]!.type, args[2]!.type) : args[1]!.type;
      if (t === undefined) throw new ShoalError('TYPE_MISMATCH', `if() results must have a common type: ${typeName(args[1]!.type)} and ${typeName(args[2]!.type)} do not`, { span: node.span });
      return { kind: 'case', whens: [{ when: cond, then: coerce(args[1]!, t, ec) }], else: args.length === 3 ? coerce(args[2]!, t, ec) : undefined, type: t, span: node.span };
    }
    case 'try': {
      if (args.length !== 1) throw new ShoalError('INVALID_ARGUMENTS', 'try takes one argument', { span: node.span });
      const operand = args[0]!;
      if (operand.kind === 'literal') return operand;
      const t: Expr = { kind: 'try', operand, type: operand.type, span: node.span };
      return isConstant(operand) ? fold(t, ec) : t;
    }
    case 'date': {
      if (args.length !== 1) throw new ShoalError('INVALID_ARGUMENTS', 'date takes one argument', { span: node.span });
      const c: Expr = { kind: 'cast', operand: args[0]!, type: { kind: 'date' }, try: false, span: node.span };
      return args[0]!.kind === 'literal' ? fold(c, ec) : c;
    }
    default:
      return callScalar(name, args, spans, node.span, ctx);
  }
}

function bindAggregate(node: ast.FunctionCallExpr, fn: AggregateFunction, name: string, ctx: ExprContext): Expr {
  if (ctx.aggregates === undefined) {
    throw new ShoalError('EXPRESSION_NOT_SCALAR', `Aggregate function ${name}() is not allowed in ${ctx.clause}`, { span: node.span });
  }
  // Arguments are bound without aggregates: nested aggregation is an error.
  const inner: ExprContext = { ...ctx, aggregates: undefined, grouping: undefined, windows: undefined, subqueries: ctx.argSubqueries, argSubqueries: undefined, clause: `the arguments of ${name}()` };
  let args: Expr[];
  try {
    args = node.args.map((a) => bindExpr(a, inner));
  } catch (e) {
    if (e instanceof ShoalError && e.code === 'EXPRESSION_NOT_SCALAR') {
      throw new ShoalError('NESTED_AGGREGATION', `Cannot nest aggregate functions inside ${name}()`, { span: e.span ?? node.span });
    }
    throw e;
  }
  const filter = node.filter === undefined ? undefined : requireBoolean(bindExpr(node.filter, inner), 'FILTER (WHERE …)', node.filter.span);
  const resolved = fn.resolve(args.map((a) => a.type), { star: node.star, distinct: node.distinct });
  if (resolved === undefined) {
    throw new ShoalError('FUNCTION_NOT_FOUND', `Unexpected parameters (${node.star ? '*' : args.map((a) => typeName(a.type)).join(', ')}) for function ${name}`, {
      span: node.span,
      hint: `Expected: ${fn.docs.map((d) => signatureOf(name, d)).join('; ')}`,
    });
  }
  const bound = args.map((a, i) => coerce(a, resolved.argTypes[i]!, ctx.evalCtx));
  const orderBy = node.orderBy === undefined || node.orderBy.length === 0
    ? undefined
    : node.orderBy.map((o) => ({ expr: bindExpr(o.expr, inner), descending: o.descending, nullsFirst: o.nullsFirst ?? false }));
  const text = `${name}(${node.distinct ? 'DISTINCT ' : ''}${node.star ? '*' : ''}…)`;
  return ctx.aggregates({ fn, resolved, args: bound, star: node.star, distinct: node.distinct, filter, orderBy, span: node.span, text });
}

/** grouping(k1, k2, …): Trino's bitmask of rolled-up keys, resolved once the GROUP BY is bound. */
function bindGrouping(node: ast.FunctionCallExpr, ctx: ExprContext): Expr {
  if (ctx.grouping === undefined) {
    throw new ShoalError('EXPRESSION_NOT_SCALAR', `grouping() is not allowed in ${ctx.clause}`, { span: node.span });
  }
  if (node.args.length === 0 || node.star || node.distinct || node.filter !== undefined || (node.orderBy?.length ?? 0) > 0) {
    throw new ShoalError('INVALID_ARGUMENTS', 'grouping() takes one or more GROUP BY expressions', { span: node.span });
  }
  const inner: ExprContext = { ...ctx, aggregates: undefined, grouping: undefined, clause: 'the arguments of grouping()' };
  return ctx.grouping(node.args.map((a) => bindExpr(a, inner)), node.span);
}
