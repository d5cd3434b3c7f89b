/**
 * node-sql-parser query nodes → Shoal's Query: set operations (`_next`/`set_op`, INTERSECT binding tighter than
 * UNION/EXCEPT as in Trino), WITH, SELECT clauses, ORDER BY, LIMIT/OFFSET (the grammar's `seperator` and
 * `_limit` quirks), GROUP BY with ROLLUP/CUBE/GROUPING SETS, WINDOW, and window specifications.
 */
import type { SourceSpan } from '../common/index.js';
import type {
  CommonTableExpression, Expr, GroupBy, GroupingElement, Identifier, NamedWindow, OrderItem, Query, QueryBody,
  Select, SelectItem, ValuesBody, WindowFrame, WindowSpec, With,
} from './ast.js';
import type { AdaptContext } from './adapter-context.js';
import { adaptCallExpr, adaptExpr, adaptScalar, callArgs } from './adapter-expr.js';
import { adaptFromList, adaptValuesRows } from './adapter-from.js';
import { parseFrame } from './frame-parser.js';
import { exprListItems, field, isNode, list, node, str, type Node } from './node.js';

/** The statement-level result of the grammar for a query. */
export function adaptQueryRoot(cx: AdaptContext, ast: unknown): Query {
  const root = Array.isArray(ast) ? (ast.length === 1 ? (ast as readonly unknown[])[0] : undefined) : ast;
  if (!isNode(root)) throw cx.syntax('Expected exactly one query', undefined);
  if (str(root, 'type') !== 'select') throw cx.unsupported(`${(str(root, 'type') ?? 'This').toUpperCase()} statements are not supported`, undefined);
  return adaptQueryNode(cx, root);
}

/** A subquery wrapper `{ast, parentheses}`. */
export function adaptSubquery(cx: AdaptContext, wrapper: Node): Query {
  const ast = node(wrapper, 'ast');
  if (ast === undefined) throw cx.bug('subquery without ast');
  return adaptQueryNode(cx, ast);
}

interface Tail {
  orderBy: readonly OrderItem[];
  limit?: Expr | undefined;
  offset?: Expr | undefined;
}

export function adaptQueryNode(cx: AdaptContext, n: Node): Query {
  if (str(n, 'type') !== 'select') throw cx.unknownNode('query', n);
  const chain: Node[] = [];
  const ops: string[] = [];
  for (let cur: Node | undefined = n; cur !== undefined; cur = node(cur, '_next')) {
    chain.push(cur);
    if (node(cur, '_next') !== undefined) ops.push((str(cur, 'set_op') ?? 'union').toLowerCase());
  }
  const withClause = adaptWith(cx, field(n, 'with'));
  const head = n;
  const last = chain[chain.length - 1] ?? n;
  const single = chain.length === 1;
  // The last operand's ORDER BY/LIMIT belong to the whole set operation unless it is parenthesised.
  const lastOwnsTail = single || field(last, 'parentheses_symbol') !== true;
  const tail: Tail = { orderBy: [] };
  if (lastOwnsTail) mergeTail(cx, tail, field(last, 'orderby'), field(last, 'limit'));
  mergeTail(cx, tail, field(head, '_orderby'), field(head, '_limit'));

  const bodies: QueryBody[] = chain.map((c, k) => {
    const sel = adaptSelect(cx, c);
    if (single || (k === chain.length - 1 && lastOwnsTail)) return sel;
    const own: Tail = { orderBy: [] };
    mergeTail(cx, own, field(c, 'orderby'), field(c, 'limit'));
    const ownWith = k === 0 ? undefined : adaptWith(cx, field(c, 'with'));
    if (own.orderBy.length === 0 && own.limit === undefined && own.offset === undefined && ownWith === undefined) return sel;
    return makeQuery(cx, ownWith, sel, own);
  });
  const body = combineSetOps(cx, bodies, ops.map((op, k) => withAllModifier(cx, op, bodies[k])));
  return makeQuery(cx, withClause, body, tail);
}

function makeQuery(cx: AdaptContext, withClause: With | undefined, body: QueryBody, tail: Tail): Query {
  let span = cx.cover(...(withClause?.ctes ?? []).map((c) => c.span), body.span, ...tail.orderBy.map((o) => o.span), tail.limit?.span, tail.offset?.span);
  if (withClause !== undefined) span = cx.leftTo(span, ['with'], ['recursive']);
  // LIMIT n / OFFSET n ROWS / FETCH … ONLY: widen over the trailing keywords.
  span = cx.rightWhile(span, (k) => cx.ts.isKw(k, 'row', 'rows', 'only') && k > 0);
  return { kind: 'query', with: withClause, body, orderBy: tail.orderBy, limit: tail.limit, offset: tail.offset, span };
}

function mergeTail(cx: AdaptContext, tail: Tail, orderby: unknown, limit: unknown): void {
  if (Array.isArray(orderby) && orderby.length > 0) {
    if (tail.orderBy.length > 0) throw cx.syntax('A query can have only one ORDER BY', undefined);
    tail.orderBy = adaptOrderBy(cx, orderby);
  }
  if (!isNode(limit)) return;
  const sep = (str(limit, 'seperator') ?? '').toLowerCase();
  const values = list(limit, 'value').map((v) => limitValue(cx, v));
  if (values.length === 0) return;
  if (sep === ',') throw cx.unsupported('LIMIT offset, count is not supported', values[0]?.span, 'Use LIMIT count OFFSET offset');
  const set = (key: 'limit' | 'offset', e: Expr | undefined): void => {
    if (e === undefined) return;
    if (tail[key] !== undefined) throw cx.syntax(`A query can have only one ${key === 'limit' ? 'LIMIT' : 'OFFSET'}`, e.span);
    tail[key] = e;
  };
  if (sep === 'offset') {
    if (values.length === 1) set('offset', values[0]);
    else {
      set('limit', values[0]);
      set('offset', values[1]);
    }
  } else set('limit', values[0]);
}

function limitValue(cx: AdaptContext, v: unknown): Expr {
  const lit = cx.limitLiteral(v);
  if (lit === undefined) throw cx.unknownNode('LIMIT/OFFSET value', v);
  return { kind: 'literal', literal: lit.literal, span: lit.span };
}

/** `op` with ALL added when the tokens after the left operand say `… ALL` (the rewrite drops it for the grammar). */
function withAllModifier(cx: AdaptContext, op: string, left: QueryBody | undefined): string {
  if (left === undefined || /\sall$/.test(op)) return op;
  let k = cx.ts.indexAt(left.span.end.offset);
  while (cx.ts.isOp(k, ')')) k++;
  return cx.ts.isKw(k, 'union', 'intersect', 'except') && cx.ts.isKw(k + 1, 'all') ? `${op} all` : op;
}

/** Operands b0 op1 b1 op2 b2 …: INTERSECT first, then UNION/EXCEPT, left-associative. */
function combineSetOps(cx: AdaptContext, bodies: readonly QueryBody[], ops: readonly string[]): QueryBody {
  const parsed = ops.map((op) => parseSetOp(cx, op));
  const terms: QueryBody[] = [];
  const termOps: { op: 'union' | 'except'; all: boolean }[] = [];
  let current = bodies[0];
  if (current === undefined) throw cx.bug('empty query chain');
  parsed.forEach((p, k) => {
    const right = bodies[k + 1];
    if (right === undefined || current === undefined) throw cx.bug('set operation without operand');
    if (p.op === 'intersect') {
      current = { kind: 'set_operation', op: 'intersect', all: p.all, left: current, right, span: cx.cover(current.span, right.span) };
    } else {
      terms.push(current);
      termOps.push({ op: p.op, all: p.all });
      current = right;
    }
  });
  terms.push(current);
  let acc = terms[0];
  if (acc === undefined) throw cx.bug('empty set operation');
  termOps.forEach((o, k) => {
    const right = terms[k + 1];
    if (right === undefined || acc === undefined) throw cx.bug('set operation without operand');
    acc = { kind: 'set_operation', op: o.op, all: o.all, left: acc, right, span: cx.cover(acc.span, right.span) };
  });
  return acc;
}

function parseSetOp(cx: AdaptContext, op: string): { op: 'union' | 'intersect' | 'except'; all: boolean } {
  const [kind, mod] = op.split(/\s+/);
  const all = mod === 'all';
  if (kind === 'union' || kind === 'intersect' || kind === 'except') return { op: kind, all };
  if (kind === 'minus') return { op: 'except', all };
  throw cx.unsupported(`Set operation ${op.toUpperCase()} is not supported`, undefined);
}

function adaptWith(cx: AdaptContext, w: unknown): With | undefined {
  if (!Array.isArray(w) || w.length === 0) return undefined;
  let recursive = false;
  const ctes: CommonTableExpression[] = (w as readonly unknown[]).map((c) => {
    if (!isNode(c)) throw cx.bug('WITH entry is not a node');
    if (c['recursive'] === true) recursive = true;
    const name = cx.requireIdent(field(c, 'name'), undefined, 'the name of a WITH query');
    const cols = field(c, 'columns');
    const columns = Array.isArray(cols) ? (cols as readonly unknown[]).map((col) => columnIdent(cx, col, name.span)) : undefined;
    const stmt = node(c, 'stmt');
    if (stmt === undefined) throw cx.bug('WITH entry without a query');
    const inner = isNode(stmt['ast']) ? stmt['ast'] : stmt;
    const query = adaptQueryNode(cx, inner);
    return { name, columns, query, span: cx.cover(name.span, cx.inParens(query.span)) };
  });
  return { recursive, ctes };
}

/** A name the grammar returned as a column_ref or a plain placeholder. */
function columnIdent(cx: AdaptContext, x: unknown, near: SourceSpan): Identifier {
  if (isNode(x) && x['type'] === 'column_ref') {
    const column = field(x, 'column');
    return cx.requireIdent(isNode(column) && isNode(column['expr']) ? column['expr'] : column, near);
  }
  return cx.requireIdent(x, near);
}

// ---- SELECT ------------------------------------------------------------------------------------------------

function adaptSelect(cx: AdaptContext, n: Node): Select | ValuesBody | Query {
  const into = node(n, 'into');
  if (into !== undefined && field(into, 'position') !== null && field(into, 'position') !== undefined) {
    throw cx.unsupported('SELECT INTO is not supported', undefined, 'Use CREATE TABLE … AS SELECT');
  }
  const fromNodes = field(n, 'from');
  const wrapped = unwrap(cx, fromNodes);
  if (wrapped !== undefined) return wrapped;
  const items = list(n, 'columns').map((c) => selectItem(cx, c));
  const from = Array.isArray(fromNodes) ? adaptFromList(cx, fromNodes as readonly unknown[]) : [];
  const whereNode = field(n, 'where');
  const where = whereNode === null || whereNode === undefined ? undefined : adaptScalar(cx, whereNode, 'WHERE');
  const groupBy = adaptGroupBy(cx, field(n, 'groupby'));
  const havingNode = field(n, 'having');
  const having = havingNode === null || havingNode === undefined ? undefined : adaptScalar(cx, havingNode, 'HAVING');
  const windows = adaptWindowClause(cx, field(n, 'window'));
  const distinctNode = node(n, 'distinct');
  const distinct = distinctNode !== undefined && (str(distinctNode, 'type') ?? '').toUpperCase() === 'DISTINCT';
  if (distinctNode !== undefined && (str(distinctNode, 'type') ?? '').toUpperCase() === 'DISTINCT ON') throw cx.unsupported('SELECT DISTINCT ON is not supported', undefined);
  const children = [
    ...items.map((i) => i.span), ...from.map((f) => f.span), where?.span, groupBy?.span, having?.span,
    ...windows.map((w) => w.spec.span),
  ];
  const span = cx.leftTo(cx.cover(...children), ['select'], ['distinct', 'all']);
  return { kind: 'select', distinct, items, from, where, groupBy, having, windows, span };
}

function selectItem(cx: AdaptContext, c: unknown): SelectItem {
  if (!isNode(c)) throw cx.bug('select item is not a node');
  // The grammar returns `x::a::b` items as the cast node itself, with `as` merged in.
  const t = str(c, 'type');
  const e = t !== undefined && t !== 'expr' ? c : field(c, 'expr');
  if (isNode(e) && e['type'] === 'column_ref' && e['column'] === '*') {
    const qualParts: Identifier[] = [];
    for (const key of ['db', 'schema', 'table']) {
      const v = field(e, key);
      if (v === null || v === undefined) continue;
      const q = cx.ident(v)?.qualifier;
      if (q !== undefined) qualParts.push(...q);
      else qualParts.push(cx.requireIdent(v, undefined));
    }
    if (qualParts.length === 0) return { kind: 'star', span: cx.claimStar() ?? cx.statementSpan() };
    const qspan = cx.cover(...qualParts.map((p) => p.span));
    const span = cx.rightWhile(qspan, (k) => (cx.ts.isOp(k, '.') && cx.ts.isOp(k + 1, '*')) || (cx.ts.isOp(k, '*') && cx.ts.isOp(k - 1, '.')));
    return { kind: 'star', qualifier: { parts: qualParts, span: qspan }, span };
  }
  const expr = adaptExpr(cx, e);
  const asNode = field(c, 'as');
  if (asNode === null || asNode === undefined) return { kind: 'expr', expr, span: expr.span };
  const alias = cx.requireIdent(asNode, expr.span, 'an alias');
  return { kind: 'expr', expr, alias, span: cx.cover(expr.span, alias.span) };
}

/**
 * `SELECT * FROM (…) AS <wrapper>` built by the rewrite around a standalone VALUES or a parenthesised set
 * operation used as a query term: the VALUES body, or the inner query.
 */
function unwrap(cx: AdaptContext, fromNodes: unknown): ValuesBody | Query | undefined {
  if (!Array.isArray(fromNodes) || fromNodes.length !== 1) return undefined;
  const item: unknown = (fromNodes as readonly unknown[])[0];
  if (!isNode(item)) return undefined;
  const id = cx.ident(field(item, 'as'));
  if (id?.wrapper === undefined) return undefined;
  const expr = node(item, 'expr');
  if (id.wrapper === 'values') {
    if (expr === undefined || expr['type'] !== 'values') throw cx.bug('VALUES wrapper without VALUES');
    return { kind: 'values', rows: adaptValuesRows(cx, expr), span: id.span };
  }
  if (expr === undefined || field(expr, 'ast') === undefined) throw cx.bug('query wrapper without a query');
  const query = adaptSubquery(cx, expr);
  return { ...query, span: id.span };
}

// ---- GROUP BY, ORDER BY, WINDOW -----------------------------------------------------------------------------

function adaptGroupBy(cx: AdaptContext, g: unknown): GroupBy | undefined {
  if (!isNode(g)) return undefined;
  const cols = list(g, 'columns');
  if (cols.length === 0) return undefined;
  const elements: GroupingElement[] = [];
  let distinct = false;
  for (const c of cols) {
    const meta = cx.metaNode(c);
    if (meta !== undefined && meta.kind === 'group_distinct') distinct = true;
    else elements.push(...groupingElements(cx, c));
  }
  const modifiers = list(g, 'modifiers');
  if (modifiers.some((m) => m !== null)) throw cx.unsupported('GROUP BY modifiers (WITH ROLLUP) are not supported', undefined, 'Use GROUP BY ROLLUP (…)');
  const span = cx.leftTo(cx.cover(...elements.map((e) => e.span)), ['group'], ['by', 'distinct', 'all']);
  return { distinct, elements, span };
}

function groupingElements(cx: AdaptContext, c: unknown): GroupingElement[] {
  if (isNode(c) && c['type'] === 'function') {
    const nameNode = node(c, 'name');
    const first = nameNode === undefined ? undefined : list(nameNode, 'name')[0];
    const raw = isNode(first) ? first['value'] : undefined;
    const loc = cx.locSpan(c);
    if (raw === '__shoal_gsets') {
      const sets = callArgs(c).map((s) => (isNode(s) ? callArgs(s) : []).map((e) => adaptExpr(cx, e)));
      return [{ kind: 'grouping_sets', sets, span: loc ?? cx.statementSpan() }];
    }
    const entry = cx.func(raw);
    if (entry !== undefined && !entry.name.quoted && (entry.name.value === 'rollup' || entry.name.value === 'cube')) {
      const fn = adaptCallExpr(cx, c);
      return [{ kind: entry.name.value, exprs: fn.args, span: fn.span }];
    }
    if (raw === '__shoal_row') {
      return callArgs(c).map((e) => {
        const expr = adaptExpr(cx, e);
        return { kind: 'expr', expr, span: expr.span };
      });
    }
  }
  const expr = adaptExpr(cx, c);
  return [{ kind: 'expr', expr, span: expr.span }];
}

export function adaptOrderBy(cx: AdaptContext, o: unknown): readonly OrderItem[] {
  if (!Array.isArray(o)) return [];
  return (o as readonly unknown[]).map((item) => {
    if (!isNode(item)) throw cx.bug('ORDER BY item is not a node');
    const expr = adaptExpr(cx, field(item, 'expr'));
    const dir = (str(item, 'type') ?? '').toUpperCase();
    const nulls = (str(item, 'nulls') ?? '').toUpperCase().replace(/\s+/g, ' ');
    const span = cx.rightWhile(expr.span, (k) => cx.ts.isKw(k, 'asc', 'desc', 'nulls', 'first', 'last'));
    const nullsFirst = nulls === 'NULLS FIRST' ? true : nulls === 'NULLS LAST' ? false : undefined;
    return { expr, descending: dir === 'DESC', nullsFirst, span };
  });
}

function adaptWindowClause(cx: AdaptContext, w: unknown): NamedWindow[] {
  if (!isNode(w)) return [];
  return list(w, 'expr').map((d) => {
    if (!isNode(d)) throw cx.bug('WINDOW entry is not a node');
    const name = cx.requireIdent(field(d, 'name'), undefined, 'a window name');
    const aws = node(d, 'as_window_specification');
    const spec = aws === undefined ? undefined : node(aws, 'window_specification');
    if (spec === undefined) throw cx.unknownNode('WINDOW definition', d, name.span);
    const ws = adaptWindowSpecNode(cx, spec, undefined);
    const span = cx.balance(cx.inParens(ws.span));
    return { name, spec: { ...ws, span: cx.cover(name.span, span) } };
  });
}

/** A grammar `window_specification`; `span` is the OVER clause when known. */
export function adaptWindowSpecNode(cx: AdaptContext, spec: Node, span: SourceSpan | undefined): WindowSpec {
  const partitionBy = list(spec, 'partitionby').map((p) => adaptExpr(cx, isNode(p) && p['type'] === 'expr' ? p['expr'] : p));
  const orderBy = adaptOrderBy(cx, field(spec, 'orderby'));
  const frame = adaptFrame(cx, field(spec, 'window_frame_clause'));
  const children = cx.cover(...partitionBy.map((e) => e.span), ...orderBy.map((o) => o.span), frame?.span);
  const own = partitionBy.length + orderBy.length > 0 || frame !== undefined ? cx.leftTo(children, ['partition', 'order'], ['by']) : undefined;
  return { partitionBy, orderBy, frame, span: span ?? own ?? cx.statementSpan() };
}

function adaptFrame(cx: AdaptContext, f: unknown): WindowFrame | undefined {
  if (f === null || f === undefined) return undefined;
  const right = isNode(f) ? node(f, 'right') : undefined;
  const first = right === undefined ? undefined : (exprListItems(right) ?? [])[0];
  const text = isNode(first) ? first['value'] : undefined;
  const entry = typeof text === 'string' ? cx.frame(text) : undefined;
  if (entry === undefined) throw cx.unknownNode('window frame', f);
  return parseFrame(cx, entry);
}
