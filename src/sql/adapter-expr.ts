/**
 * node-sql-parser expression nodes (after the rewrite) → Shoal's Expr. Every result has a span: from a
 * placeholder, a mapped `loc`, or its children widened over the keywords around them.
 */
import type { SourceSpan } from '../common/index.js';
import type { BinaryOperator, Expr, FunctionCallExpr, Identifier, OrderItem, QualifiedName, WindowSpec } from './ast.js';
import { placeholderText, type AdaptContext } from './adapter-context.js';
import { adaptOrderBy, adaptSubquery, adaptWindowSpecNode } from './adapter-query.js';
import { exprListItems, field, isNode, list, node, str, type Node } from './node.js';

const BINARY_OPS: Record<string, BinaryOperator> = {
  '+': '+', '-': '-', '*': '*', '/': '/', '%': '%', '||': '||',
  '=': '=', '<>': '<>', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=',
  AND: 'and', OR: 'or', '~': 'is_distinct_from', '!~': 'is_not_distinct_from',
};

export function adaptExpr(cx: AdaptContext, x: unknown): Expr {
  if (!isNode(x)) throw cx.bug(`expression node is ${typeof x}`);
  if (field(x, 'ast') !== undefined && field(x, 'type') === undefined) {
    const query = adaptSubquery(cx, x);
    return { kind: 'scalar_subquery', query, span: cx.inParens(query.span) };
  }
  const type = str(x, 'type');
  switch (type) {
    case 'column_ref':
      return columnRef(cx, x);
    case 'single_quote_string': {
      const sub = cx.subquery(x['value']);
      if (sub !== undefined) return { kind: 'scalar_subquery', query: sub.query, span: sub.span };
      const lit = cx.literal(x['value']);
      if (lit === undefined) throw cx.unknownNode('expression', x);
      return { kind: 'literal', literal: lit.literal, span: lit.span };
    }
    case 'binary_expr':
      return binary(cx, x);
    case 'unary_expr':
      return unary(cx, x);
    case 'function':
      return call(cx, x);
    case 'case':
      return caseExpr(cx, x);
    case 'cast':
      return cast(cx, x);
    case 'expr_list': {
      const items = list(x, 'value').map((e) => adaptExpr(cx, e));
      const span = cx.inParens(cx.cover(...items.map((e) => e.span)));
      return { kind: 'row', fields: items, span };
    }
    default:
      throw cx.unknownNode('expression', x);
  }
}

/** An expression where the grammar allowed a comma list but SQL does not (WHERE, HAVING, ON). */
export function adaptScalar(cx: AdaptContext, x: unknown, clause: string): Expr {
  const items = exprListItems(x);
  if (items !== undefined && isNode(x) && x['parentheses'] !== true) {
    const first = items[0];
    const second = items[1];
    const a = first === undefined ? undefined : adaptExpr(cx, first);
    const b = second === undefined ? undefined : adaptExpr(cx, second);
    throw cx.syntax(`Syntax error: a comma is not allowed in ${clause}`, cx.cover(a?.span, b?.span), 'Combine conditions with AND or OR');
  }
  return adaptExpr(cx, x);
}

function columnRef(cx: AdaptContext, x: Node): Expr {
  const column = field(x, 'column');
  const parts: Identifier[] = [];
  for (const key of ['db', 'schema', 'table']) {
    const v = field(x, key);
    if (v === null || v === undefined) continue;
    parts.push(cx.requireIdent(v, cx.locSpan(x)));
  }
  if (column === '*') {
    throw cx.syntax("Syntax error at or near '*'", parts.length > 0 ? cx.rightWhile(cx.cover(...parts.map((p) => p.span)), (k) => cx.ts.isOp(k, '.') || cx.ts.isOp(k, '*')) : undefined);
  }
  const col = isNode(column) && isNode(column['expr']) ? column['expr'] : column;
  // a.b.c.d comes as a tree of binary '.' nodes
  for (const p of flattenDots(col)) parts.push(cx.requireIdent(p, cx.locSpan(x)));
  if (field(x, 'array_index') !== undefined && list(x, 'array_index').length > 0) throw cx.unknownNode('subscript', x);
  if (present(x, 'collate')) throw cx.unsupported('COLLATE is not supported', cx.cover(...parts.map((p) => p.span)));
  const span = cx.cover(...parts.map((p) => p.span));
  return { kind: 'column', name: { parts, span }, span };
}

function flattenDots(x: unknown): unknown[] {
  if (isNode(x) && x['type'] === 'binary_expr' && x['operator'] === '.') return [...flattenDots(x['left']), ...flattenDots(x['right'])];
  return [x];
}

function present(n: Node, key: string): boolean {
  const v = field(n, key);
  return v !== null && v !== undefined;
}

function binary(cx: AdaptContext, x: Node): Expr {
  const op = (str(x, 'operator') ?? '').toUpperCase();
  const loc = cx.locSpan(x);
  const left = adaptExpr(cx, field(x, 'left'));
  const rightNode = field(x, 'right');
  const whole = (e: readonly (SourceSpan | undefined)[]): SourceSpan => loc ?? cx.cover(...e);
  switch (op) {
    case 'IS':
    case 'IS NOT': {
      const negated = op === 'IS NOT';
      const r = isNode(rightNode) ? str(rightNode, 'type') : undefined;
      if (r === 'null') return { kind: 'is_null', operand: left, negated, span: whole([left.span]) };
      if (r === 'bool' && isNode(rightNode)) {
        // x IS [NOT] TRUE|FALSE ≡ x IS [NOT] NOT DISTINCT FROM TRUE|FALSE (never NULL, as IS TRUE is).
        const span = whole([left.span]);
        const value = rightNode['value'] === true;
        let k = cx.ts.indexAt(left.span.end.offset);
        while (cx.ts.isKw(k, 'is', 'not') || cx.ts.isOp(k, ')')) k++;
        const boolSpan = cx.ts.isKw(k, 'true', 'false') ? cx.ts.spanOf(k, k) : span;
        return {
          kind: 'binary',
          op: negated ? 'is_distinct_from' : 'is_not_distinct_from',
          left,
          right: { kind: 'literal', literal: { type: 'boolean', value }, span: boolSpan },
          span,
        };
      }
      throw cx.unknownNode('IS predicate', x, whole([left.span]));
    }
    case 'IN':
    case 'NOT IN': {
      const negated = op === 'NOT IN';
      const items = exprListItems(rightNode) ?? [rightNode];
      const sub = items.length === 1 ? cx.subqueryNode(items[0]) : undefined;
      if (sub !== undefined) {
        return { kind: 'in_subquery', operand: left, query: sub.query, negated, span: whole([left.span, sub.span]) };
      }
      const listExprs = items.map((e) => adaptExpr(cx, e));
      return { kind: 'in_list', operand: left, list: listExprs, negated, span: cx.balance(whole([left.span, ...listExprs.map((e) => e.span)])) };
    }
    case 'BETWEEN':
    case 'NOT BETWEEN': {
      const items = exprListItems(rightNode) ?? [];
      const [lo, hi] = items;
      if (items.length !== 2) throw cx.unknownNode('BETWEEN', x, loc);
      const low = adaptExpr(cx, lo);
      const high = adaptExpr(cx, hi);
      return { kind: 'between', operand: left, low, high, negated: op === 'NOT BETWEEN', span: whole([left.span, high.span]) };
    }
    case 'LIKE':
    case 'NOT LIKE':
    case 'ILIKE':
    case 'NOT ILIKE': {
      const pattern = adaptExpr(cx, rightNode);
      const esc = isNode(rightNode) ? node(rightNode, 'escape') : undefined;
      const escape = esc === undefined ? undefined : adaptExpr(cx, field(esc, 'value'));
      return {
        kind: 'like',
        operand: left,
        pattern,
        escape,
        negated: op.startsWith('NOT'),
        caseInsensitive: op.endsWith('ILIKE'),
        span: whole([left.span, pattern.span, escape?.span]),
      };
    }
    default: {
      const mapped = BINARY_OPS[op];
      const right = adaptExpr(cx, rightNode);
      if (mapped === undefined) throw cx.unsupported(`Operator ${op} is not supported`, whole([left.span, right.span]));
      return { kind: 'binary', op: mapped, left, right, span: whole([left.span, right.span]) };
    }
  }
}

function unary(cx: AdaptContext, x: Node): Expr {
  const op = (str(x, 'operator') ?? '').toUpperCase();
  const inner = field(x, 'expr');
  if (op === 'NOT EXISTS' || op === 'EXISTS') {
    if (!isNode(inner) || field(inner, 'ast') === undefined) throw cx.unknownNode('EXISTS', x);
    const query = adaptSubquery(cx, inner);
    const span = cx.leftTo(cx.inParens(query.span), ['not', 'exists'], ['exists']);
    return { kind: 'exists', query, negated: op === 'NOT EXISTS', span };
  }
  const operand = adaptExpr(cx, inner);
  if (op === 'NOT') return { kind: 'unary', op: 'not', operand, span: cx.locSpan(x) ?? cx.leftTo(operand.span, ['not']) };
  if (op === '-' || op === '+') {
    return { kind: 'unary', op, operand, span: cx.locSpan(x) ?? cx.leftOverOp(operand.span, [op]) };
  }
  // Anything else is an operator the grammar read where an operand was missing (e.g. a leading IS DISTINCT FROM).
  let k = cx.ts.indexAt(operand.span.start.offset) - 1;
  while (k > 0 && cx.ts.isKw(k, 'from', 'distinct', 'not') && !cx.ts.isKw(k, 'is')) k--;
  throw cx.syntaxNear(cx.ts.tok(k)?.text, k >= 0 ? cx.ts.spanOf(k, k) : operand.span);
}

function caseExpr(cx: AdaptContext, x: Node): Expr {
  const operandNode = field(x, 'expr');
  const operand = operandNode === null || operandNode === undefined ? undefined : adaptExpr(cx, operandNode);
  const whens: { when: Expr; then: Expr }[] = [];
  let elseExpr: Expr | undefined;
  for (const arm of list(x, 'args')) {
    if (!isNode(arm)) throw cx.unknownNode('CASE', x);
    if (arm['type'] === 'when') whens.push({ when: adaptExpr(cx, arm['cond']), then: adaptExpr(cx, arm['result']) });
    else if (arm['type'] === 'else') elseExpr = adaptExpr(cx, arm['result']);
    else throw cx.unknownNode('CASE', x);
  }
  const first = operand?.span ?? whens[0]?.when.span;
  const last = elseExpr?.span ?? whens[whens.length - 1]?.then.span;
  let span = cx.cover(first, last);
  span = cx.rightTo(cx.leftTo(span, ['case'], ['when']), 'end');
  return { kind: 'case', operand, whens, else: elseExpr, span };
}

function cast(cx: AdaptContext, x: Node): Expr {
  let operand = adaptExpr(cx, field(x, 'expr'));
  const targets = list(x, 'target');
  if (targets.length === 0) throw cx.unknownNode('CAST', x);
  for (const t of targets) {
    const entry = isNode(t) ? cx.type(t) : undefined;
    if (entry === undefined) throw cx.unknownNode('CAST', x, operand.span);
    const span = entry.castSpan ?? cx.cover(operand.span, entry.span);
    operand = { kind: 'cast', operand, targetType: entry.text, try: entry.try, span };
  }
  return operand;
}

// ---- calls -------------------------------------------------------------------------------------------------

function callName(x: Node): { name: string | undefined; schema: unknown } {
  const nameNode = node(x, 'name');
  if (nameNode === undefined) return { name: str(x, 'name'), schema: undefined };
  const parts = list(nameNode, 'name');
  const first = parts[0];
  return { name: parts.length === 1 ? placeholderText(first) : undefined, schema: field(nameNode, 'schema') };
}

export function callArgs(x: Node): readonly unknown[] {
  const args = field(x, 'args');
  if (args === null || args === undefined) return [];
  return exprListItems(args) ?? [args];
}

/** Chains of up to this many operands stay left-deep (as the grammar builds them); longer ones are balanced. */
const LEFT_DEEP_MAX = 32;

function balanced(cx: AdaptContext, op: 'and' | 'or' | '||', operands: readonly Expr[], from: number, to: number): Expr {
  if (to - from === 1) {
    const only = operands[from];
    if (only === undefined) throw cx.bug(`${op} operand ${from} missing`);
    return only;
  }
  const mid = from + Math.ceil((to - from) / 2);
  const left = balanced(cx, op, operands, from, mid);
  const right = balanced(cx, op, operands, mid, to);
  return { kind: 'binary', op, left, right, span: cx.cover(left.span, right.span) };
}

function call(cx: AdaptContext, x: Node): Expr {
  const { name } = callName(x);
  const args = callArgs(x);
  const loc = cx.locSpan(x);
  const at = (k: number): unknown => args[k];
  switch (name) {
    case '__shoal_paren':
      return adaptExpr(cx, at(0));
    case '__shoal_and':
    case '__shoal_or':
    case '__shoal_concat': {
      const op = name === '__shoal_and' ? 'and' : name === '__shoal_or' ? 'or' : '||';
      const operands = args.map((a) => adaptExpr(cx, a));
      const [first, ...rest] = operands;
      if (first === undefined) throw cx.bug(`${op} without operands`);
      if (operands.length > LEFT_DEEP_MAX) {
        // AND, OR and || are associative: a long chain (a generated 10,000-term WHERE) becomes a balanced tree,
        // so that every later recursive pass sees depth log2(n) instead of n and cannot exhaust the stack.
        const tree = balanced(cx, op, operands, 0, operands.length);
        return loc === undefined ? tree : { ...tree, span: loc };
      }
      // Left-deep, like the grammar would build it; the outermost node gets the whole location.
      let acc = first;
      rest.forEach((right, k) => {
        const span = k === rest.length - 1 && loc !== undefined ? loc : cx.cover(first.span, right.span);
        acc = { kind: 'binary', op, left: acc, right, span };
      });
      return acc;
    }
    case '__shoal_not': {
      const operand = adaptExpr(cx, at(0));
      const span = loc ?? cx.leftTo(operand.span, ['not']);
      // NOT EXISTS (…) is one predicate.
      if (operand.kind === 'exists' && !operand.negated) return { ...operand, negated: true, span };
      return { kind: 'unary', op: 'not', operand, span };
    }
    case '__shoal_row':
      return { kind: 'row', fields: args.map((a) => adaptExpr(cx, a)), span: loc ?? cx.statementSpan() };
    case '__shoal_array':
      return { kind: 'array', elements: args.map((a) => adaptExpr(cx, a)), span: loc ?? cx.statementSpan() };
    case '__shoal_sub': {
      const base = adaptExpr(cx, at(0));
      const index = adaptExpr(cx, at(1));
      return { kind: 'subscript', base, index, span: loc ?? cx.balance(cx.cover(base.span, index.span)) };
    }
    case '__shoal_deref': {
      const base = adaptExpr(cx, at(0));
      const f = at(1);
      const fieldName = cx.requireIdent(isNode(f) ? columnPlaceholder(f) : undefined, loc, 'a field name');
      return { kind: 'dereference', base, field: fieldName, span: loc ?? cx.cover(base.span, fieldName.span) };
    }
    case '__shoal_tz': {
      const operand = adaptExpr(cx, at(0));
      const zone = adaptExpr(cx, at(1));
      return { kind: 'at_time_zone', operand, zone, span: loc ?? cx.cover(operand.span, zone.span) };
    }
    case '__shoal_extract': {
      const meta = cx.metaNode(at(0));
      if (meta === undefined || meta.kind !== 'extract_field') throw cx.bug('EXTRACT without its field');
      const operand = adaptExpr(cx, at(1));
      return { kind: 'extract', field: meta.field, operand, span: loc ?? cx.cover(meta.span, operand.span) };
    }
    case '__shoal_lambda': {
      const params = args.slice(0, -1).map((p) => lambdaParam(cx, p));
      const body = adaptExpr(cx, args[args.length - 1]);
      return { kind: 'lambda', params, body, span: cx.cover(params[0]?.span, body.span) };
    }
    case '__shoal_named': {
      const n = cx.requireIdent(isNode(at(0)) ? columnPlaceholder(at(0)) : undefined, loc);
      throw cx.unsupported('Named arguments are only supported in table functions (FROM read_csv(..., header => true))', loc ?? n.span);
    }
    case '__shoal_gsets':
    case '__shoal_set':
      throw cx.syntax('GROUPING SETS is only allowed in GROUP BY', loc);
    case '__shoal_filter': {
      const fn = adaptCallExpr(cx, at(0));
      const filter = adaptScalar(cx, at(1), 'FILTER');
      return { ...fn, filter, span: loc ?? cx.cover(fn.span, filter.span) };
    }
    case '__shoal_within': {
      const fn = adaptCallExpr(cx, at(0));
      const orderBy = carrierOrderBy(cx, at(1));
      return { ...fn, orderBy, span: loc ?? fn.span };
    }
    case '__shoal_over': {
      const fn = adaptCallExpr(cx, at(0));
      const over = windowFromCarrier(cx, at(1), at(2));
      return { ...fn, over, span: loc ?? cx.cover(fn.span, over.span) };
    }
    case '__shoal_exists': {
      const sub = cx.subqueryNode(at(0));
      if (sub === undefined) throw cx.bug('EXISTS without its subquery');
      return { kind: 'exists', query: sub.query, negated: false, span: loc ?? sub.span };
    }
    case 'EXISTS':
    case 'exists': {
      const only = at(0);
      if (args.length !== 1 || !isNode(only) || field(only, 'ast') === undefined) throw cx.unknownNode('EXISTS', x);
      const query = adaptSubquery(cx, only);
      return { kind: 'exists', query, negated: false, span: loc ?? cx.leftTo(cx.inParens(query.span), ['exists']) };
    }
    default:
      break;
  }
  const upper = name?.toUpperCase();
  if (upper === 'ANY' || upper === 'SOME' || upper === 'ALL') {
    throw cx.unsupported(`Quantified comparisons (${upper} (subquery)) are not supported`, loc, 'Use IN (subquery), EXISTS, or compare with min()/max() of the subquery');
  }
  const fn = adaptCallExpr(cx, x);
  if (fn.name.parts.length === 1 && fn.name.parts[0]?.value === 'row' && fn.name.parts[0].quoted === false && !fn.distinct && !fn.star && fn.over === undefined && fn.filter === undefined) {
    return { kind: 'row', fields: fn.args, span: fn.span };
  }
  return fn;
}

function columnPlaceholder(x: unknown): unknown {
  if (!isNode(x) || x['type'] !== 'column_ref') return undefined;
  const column = field(x, 'column');
  return isNode(column) && isNode(column['expr']) ? column['expr'] : column;
}

function lambdaParam(cx: AdaptContext, x: unknown): Identifier {
  return cx.requireIdent(columnPlaceholder(x), undefined, 'a lambda parameter name');
}

/** A call node that must be a placeholder function call `__fN__(…)` (possibly qualified). */
export function adaptCallExpr(cx: AdaptContext, x: unknown): FunctionCallExpr {
  if (!isNode(x) || x['type'] !== 'function') throw cx.bug('expected a function call');
  const nested = callName(x).name;
  if (nested === '__shoal_filter' || nested === '__shoal_within' || nested === '__shoal_over') {
    const e = call(cx, x);
    if (e.kind !== 'function') throw cx.bug('wrapped call is not a function call');
    return e;
  }
  const { name, schema } = callName(x);
  const entry = cx.func(name);
  if (entry === undefined) throw cx.syntaxNear(name, cx.locSpan(x));
  const parts: Identifier[] = [];
  if (schema !== null && schema !== undefined) parts.push(cx.requireIdent(schema, entry.span));
  parts.push(entry.name);
  const qualified: QualifiedName = { parts, span: cx.cover(...parts.map((p) => p.span)) };
  const rawArgs = callArgs(x);
  const only = rawArgs[0];
  const star = rawArgs.length === 1 && isNode(only) && only['type'] === 'column_ref' && only['column'] === '*' && (only['table'] === null || only['table'] === undefined);
  const args = star ? [] : rawArgs.map((a) => adaptExpr(cx, a));
  const span = cx.cover(parts[0]?.span, entry.span);
  return { kind: 'function', name: qualified, args, star, distinct: entry.distinct, nullTreatment: entry.nullTreatment, span };
}

/** The ORDER BY of a `row_number() OVER (ORDER BY …)` carrier. */
function carrierOrderBy(cx: AdaptContext, carrier: unknown): readonly OrderItem[] {
  const spec = carrierSpec(cx, carrier);
  return adaptOrderBy(cx, field(spec, 'orderby'));
}

function carrierSpec(cx: AdaptContext, carrier: unknown): Node {
  const over = isNode(carrier) ? node(carrier, 'over') : undefined;
  const aws = over === undefined ? undefined : node(over, 'as_window_specification');
  const spec = aws === undefined ? undefined : node(aws, 'window_specification');
  if (spec === undefined) throw cx.bug('window carrier without a specification');
  return spec;
}

function windowFromCarrier(cx: AdaptContext, carrier: unknown, metaNode: unknown): WindowSpec {
  const meta = cx.metaNode(metaNode);
  if (meta === undefined || meta.kind !== 'over') throw cx.bug('OVER without its marker');
  const spec = adaptWindowSpecNode(cx, carrierSpec(cx, carrier), meta.span);
  return { ...spec, baseWindow: meta.baseWindow };
}
