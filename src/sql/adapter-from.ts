/**
 * node-sql-parser FROM lists → Shoal's FromItems. The grammar returns a flat list; joins are nested left-deep,
 * and the rewrite's join markers (rewrite-clauses.ts) say where a comma started a new FROM item and which
 * joins were CROSS or NATURAL. A string placeholder as a table is a path (`FROM 'data/*.parquet'`); a quoted
 * identifier stays a table name (`FROM "s3://x"` is a table called s3://x).
 */
import type { SourceSpan } from '../common/index.js';
import type { Expr, FromItem, FunctionArgument, Identifier, JoinType, TableAlias } from './ast.js';
import { placeholderText, type AdaptContext } from './adapter-context.js';
import { adaptExpr, adaptScalar, callArgs } from './adapter-expr.js';
import { adaptSubquery } from './adapter-query.js';
import { field, isNode, list, node, str, type Node } from './node.js';

export function adaptFromList(cx: AdaptContext, items: readonly unknown[]): FromItem[] {
  const result: FromItem[] = [];
  let current: FromItem | undefined;
  for (const raw of items) {
    if (!isNode(raw)) throw cx.bug('FROM item is not a node');
    const it = fromItem(cx, raw);
    const join = str(raw, 'join');
    if (join === undefined || current === undefined) {
      if (current !== undefined) result.push(current);
      current = it;
      continue;
    }
    const meta = cx.metaNode(field(raw, 'on'));
    if (meta !== undefined && meta.kind === 'join') {
      if (meta.join === 'comma') {
        result.push(current);
        current = it;
      } else if (meta.join === 'cross') {
        current = { kind: 'join', joinType: 'cross', natural: false, left: current, right: it, span: cx.cover(current.span, it.span) };
      } else {
        current = { kind: 'join', joinType: joinType(cx, join, meta.span), natural: true, left: current, right: it, span: cx.cover(current.span, it.span) };
      }
      continue;
    }
    const type = joinType(cx, join, it.span);
    const onNode = field(raw, 'on');
    const on = onNode === null || onNode === undefined ? undefined : adaptScalar(cx, onNode, 'ON');
    const usingRaw = field(raw, 'using');
    const using = Array.isArray(usingRaw) ? (usingRaw as readonly unknown[]).map((u) => cx.requireIdent(u, it.span, 'a column name')) : undefined;
    if (on === undefined && using === undefined) {
      throw cx.syntax('JOIN requires an ON or USING clause', it.span, 'Use CROSS JOIN for a join without a condition');
    }
    const span = cx.cover(current.span, it.span, on?.span, ...(using ?? []).map((u) => u.span));
    current = { kind: 'join', joinType: type, natural: false, left: current, right: it, on, using, span: cx.balance(span) };
  }
  if (current !== undefined) result.push(current);
  return result;
}

function joinType(cx: AdaptContext, join: string, near: SourceSpan): JoinType {
  const j = join.toUpperCase().replace(/\s+/g, ' ');
  if (j === 'JOIN' || j === 'INNER JOIN') return 'inner';
  if (j.startsWith('LEFT')) return 'left';
  if (j.startsWith('RIGHT')) return 'right';
  if (j.startsWith('FULL')) return 'full';
  if (j === 'CROSS JOIN') return 'cross';
  throw cx.unsupported(`${j} is not supported`, near);
}

function fromItem(cx: AdaptContext, x: Node): FromItem {
  const alias = tableAlias(cx, field(x, 'as'));
  const aliasSpan = alias === undefined ? undefined : cx.cover(alias.name.span, ...(alias.columns ?? []).map((c) => c.span));
  const withAlias = (span: SourceSpan): SourceSpan => (aliasSpan === undefined ? span : cx.balance(cx.cover(span, aliasSpan)));
  const expr = node(x, 'expr');
  if (expr === undefined) {
    const tableName = field(x, 'table');
    const lit = cx.literal(placeholderText(tableName));
    if (lit !== undefined) {
      if (lit.literal.type !== 'string') throw cx.syntax('Expected a table name or a quoted path', lit.span);
      return { kind: 'path', path: lit.literal.value, alias, span: withAlias(lit.span) };
    }
    const parts: Identifier[] = [];
    for (const key of ['db', 'schema', 'table']) {
      const v = field(x, key);
      if (v !== null && v !== undefined) parts.push(cx.requireIdent(v, aliasSpan, 'a table name'));
    }
    const span = cx.cover(...parts.map((p) => p.span));
    return { kind: 'table', name: { parts, span }, alias, span: withAlias(span) };
  }
  if (field(expr, 'ast') !== undefined && field(expr, 'type') === undefined) {
    const query = adaptSubquery(cx, expr);
    const lateral = (str(x, 'prefix') ?? '').toUpperCase() === 'LATERAL';
    let span = cx.inParens(query.span);
    if (lateral) span = cx.leftTo(span, ['lateral']);
    return { kind: 'subquery', query, lateral, alias, span: withAlias(span) };
  }
  switch (str(expr, 'type')) {
    case 'values': {
      const rows = adaptValuesRows(cx, expr);
      const inner = cx.leftTo(cx.cover(...rows.flat().map((e) => e.span)), ['values']);
      const values = { kind: 'values' as const, rows, span: inner };
      return { kind: 'values', values, alias, span: withAlias(cx.inParens(inner)) };
    }
    case 'function':
      return tableFunction(cx, expr, alias, withAlias);
    case 'tables': {
      const inner = adaptFromList(cx, list(expr, 'expr'));
      const only = inner[0];
      if (inner.length !== 1 || only === undefined) throw cx.unknownNode('parenthesized FROM list', x);
      if (alias !== undefined) throw cx.unsupported('An alias on a parenthesized join is not supported', aliasSpan);
      return { ...only, span: cx.inParens(only.span) };
    }
    default:
      throw cx.unknownNode('FROM item', x);
  }
}

function tableFunction(cx: AdaptContext, expr: Node, alias: TableAlias | undefined, withAlias: (s: SourceSpan) => SourceSpan): FromItem {
  const nameNode = node(expr, 'name');
  const nameParts = nameNode === undefined ? [] : list(nameNode, 'name');
  const entry = cx.func(placeholderText(nameParts[0]));
  if (entry === undefined || nameParts.length !== 1 || nameNode === undefined) throw cx.unknownNode('table function', expr);
  const parts: Identifier[] = [];
  const schema = field(nameNode, 'schema');
  if (schema !== null && schema !== undefined) parts.push(cx.requireIdent(schema, entry.span));
  parts.push(entry.name);
  const span = cx.cover(parts[0]?.span, entry.span);
  const rawArgs = callArgs(expr);
  if (parts.length === 1 && !entry.name.quoted && entry.name.value === 'unnest') {
    const exprs = rawArgs.map((a) => adaptExpr(cx, a));
    const s = entry.withOrdinality ? cx.rightWhile(span, (k) => cx.ts.isKw(k, 'with', 'ordinality')) : span;
    return { kind: 'unnest', exprs, withOrdinality: entry.withOrdinality, alias, span: withAlias(s) };
  }
  if (entry.withOrdinality) throw cx.unsupported('WITH ORDINALITY is only supported on UNNEST', span);
  const args = rawArgs.map((a) => functionArgument(cx, a));
  return { kind: 'table_function', name: { parts, span: cx.cover(...parts.map((p) => p.span)) }, args, alias, span: withAlias(span) };
}

function functionArgument(cx: AdaptContext, a: unknown): FunctionArgument {
  if (isNode(a) && a['type'] === 'function') {
    const nameNode = node(a, 'name');
    const first = nameNode === undefined ? undefined : list(nameNode, 'name')[0];
    if (placeholderText(first) === '__shoal_named') {
      const [n, v] = callArgs(a);
      const col = isNode(n) ? field(n, 'column') : undefined;
      const name = cx.requireIdent(isNode(col) && isNode(col['expr']) ? col['expr'] : col, cx.locSpan(a), 'an argument name');
      const value = adaptExpr(cx, v);
      return { name, value, span: cx.cover(name.span, value.span) };
    }
  }
  const value = adaptExpr(cx, a);
  return { value, span: value.span };
}

/** `__iN__` or `__iN__(__iA__, __iB__)` (the grammar flattens alias column lists into one string). */
function tableAlias(cx: AdaptContext, v: unknown): TableAlias | undefined {
  if (v === null || v === undefined) return undefined;
  const text = placeholderText(v);
  const m = text === undefined ? null : /^\s*(__i\d+__)\s*(?:\((.*)\))?\s*$/s.exec(text);
  if (m === null) throw cx.syntax('Expected an alias', undefined);
  const name = cx.requireIdent(m[1], undefined, 'an alias');
  const cols = m[2];
  const columns = cols === undefined ? undefined : cols.split(',').map((c) => cx.requireIdent(c.trim(), name.span, 'a column alias'));
  return { name, columns };
}

export function adaptValuesRows(cx: AdaptContext, values: Node): (readonly Expr[])[] {
  return list(values, 'values').map((row) => {
    if (isNode(row) && row['type'] === 'expr_list') return list(row, 'value').map((e) => adaptExpr(cx, e));
    return [adaptExpr(cx, row)];
  });
}
