/**
 * Test helpers: a compact, fully parenthesised printer for Shoal's AST (so tests can assert structure in one
 * line) and a checker that every node's span is well formed and names/literals point at their own text.
 */
import type {
  Expr, FrameBound, FromItem, FunctionArgument, GroupingElement, Identifier, Literal, OrderItem, QualifiedName, Query,
  QueryBody, SelectItem, Statement, TableAlias, WindowSpec,
} from '../../../src/sql/index.js';
import type { SourceSpan } from '../../../src/common/index.js';

const id = (i: Identifier): string => (i.quoted ? `"${i.value}"` : i.value);
const qn = (q: QualifiedName): string => q.parts.map(id).join('.');
const list = <T>(xs: readonly T[], f: (x: T) => string): string => xs.map(f).join(', ');

export function lit(l: Literal): string {
  switch (l.type) {
    case 'null':
      return 'NULL';
    case 'boolean':
      return String(l.value);
    case 'integer':
    case 'decimal':
    case 'double':
      return `${l.type}:${l.text}`;
    case 'string':
      return `'${l.value}'`;
    case 'typed':
      return `${l.typeName}'${l.value}'`;
    case 'interval':
      return `interval${l.negative ? '-' : ''}'${l.value}'${l.from ?? ''}${l.to === undefined ? '' : `..${l.to}`}`;
  }
}

export function expr(e: Expr): string {
  switch (e.kind) {
    case 'column':
      return qn(e.name);
    case 'literal':
      return lit(e.literal);
    case 'unary':
      return `(${e.op} ${expr(e.operand)})`;
    case 'binary':
      return `(${expr(e.left)} ${e.op} ${expr(e.right)})`;
    case 'is_null':
      return `(${expr(e.operand)} is ${e.negated ? 'not ' : ''}null)`;
    case 'between':
      return `(${expr(e.operand)} ${e.negated ? 'not ' : ''}between ${expr(e.low)} and ${expr(e.high)})`;
    case 'in_list':
      return `(${expr(e.operand)} ${e.negated ? 'not ' : ''}in [${list(e.list, expr)}])`;
    case 'in_subquery':
      return `(${expr(e.operand)} ${e.negated ? 'not ' : ''}in {${query(e.query)}})`;
    case 'exists':
      return `(${e.negated ? 'not ' : ''}exists {${query(e.query)}})`;
    case 'scalar_subquery':
      return `{${query(e.query)}}`;
    case 'like':
      return `(${expr(e.operand)} ${e.negated ? 'not ' : ''}${e.caseInsensitive ? 'ilike' : 'like'} ${expr(e.pattern)}${e.escape === undefined ? '' : ` escape ${expr(e.escape)}`})`;
    case 'case':
      return `case(${e.operand === undefined ? '' : `${expr(e.operand)}; `}${list(e.whens, (w) => `${expr(w.when)} => ${expr(w.then)}`)}${e.else === undefined ? '' : `; else ${expr(e.else)}`})`;
    case 'cast':
      return `${e.try ? 'try_cast' : 'cast'}(${expr(e.operand)} as ${e.targetType})`;
    case 'function': {
      const args = e.star ? '*' : `${e.distinct ? 'distinct ' : ''}${list(e.args, expr)}`;
      let s = `${qn(e.name)}(${args}${e.orderBy === undefined ? '' : ` order by ${list(e.orderBy, order)}`})`;
      if (e.nullTreatment !== undefined) s += ` ${e.nullTreatment} nulls`;
      if (e.filter !== undefined) s += ` filter(${expr(e.filter)})`;
      if (e.over !== undefined) s += ` over(${windowSpec(e.over)})`;
      return s;
    }
    case 'extract':
      return `extract(${e.field} from ${expr(e.operand)})`;
    case 'array':
      return `array[${list(e.elements, expr)}]`;
    case 'row':
      return `row(${list(e.fields, expr)})`;
    case 'subscript':
      return `${expr(e.base)}[${expr(e.index)}]`;
    case 'dereference':
      return `${expr(e.base)}.${id(e.field)}`;
    case 'lambda':
      return `(${list(e.params, id)}) -> ${expr(e.body)}`;
    case 'at_time_zone':
      return `(${expr(e.operand)} at time zone ${expr(e.zone)})`;
  }
}

function order(o: OrderItem): string {
  return `${expr(o.expr)}${o.descending ? ' desc' : ''}${o.nullsFirst === undefined ? '' : o.nullsFirst ? ' nulls first' : ' nulls last'}`;
}

function bound(b: FrameBound): string {
  switch (b.kind) {
    case 'preceding':
    case 'following':
      return `${expr(b.offset)} ${b.kind}`;
    default:
      return b.kind;
  }
}

function windowSpec(w: WindowSpec): string {
  const parts: string[] = [];
  if (w.baseWindow !== undefined) parts.push(id(w.baseWindow));
  if (w.partitionBy.length > 0) parts.push(`partition by ${list(w.partitionBy, expr)}`);
  if (w.orderBy.length > 0) parts.push(`order by ${list(w.orderBy, order)}`);
  if (w.frame !== undefined) parts.push(`${w.frame.unit} ${bound(w.frame.start)}${w.frame.end === undefined ? '' : ` .. ${bound(w.frame.end)}`}`);
  return parts.join(' ');
}

function alias(a: TableAlias | undefined): string {
  if (a === undefined) return '';
  return ` as ${id(a.name)}${a.columns === undefined ? '' : `(${list(a.columns, id)})`}`;
}

function arg(a: FunctionArgument): string {
  return a.name === undefined ? expr(a.value) : `${id(a.name)} => ${expr(a.value)}`;
}

export function from(f: FromItem): string {
  switch (f.kind) {
    case 'table':
      return `${qn(f.name)}${alias(f.alias)}`;
    case 'path':
      return `path'${f.path}'${alias(f.alias)}`;
    case 'table_function':
      return `${qn(f.name)}(${list(f.args, arg)})${alias(f.alias)}`;
    case 'subquery':
      return `${f.lateral ? 'lateral ' : ''}{${query(f.query)}}${alias(f.alias)}`;
    case 'values':
      return `values(${list(f.values.rows, (r) => `(${list(r, expr)})`)})${alias(f.alias)}`;
    case 'unnest':
      return `unnest(${list(f.exprs, expr)})${f.withOrdinality ? ' with ordinality' : ''}${alias(f.alias)}`;
    case 'join': {
      const cond = f.on !== undefined ? ` on ${expr(f.on)}` : f.using !== undefined ? ` using(${list(f.using, id)})` : '';
      return `[${from(f.left)} ${f.natural ? 'natural ' : ''}${f.joinType} join ${from(f.right)}${cond}]`;
    }
  }
}

function grouping(g: GroupingElement): string {
  switch (g.kind) {
    case 'expr':
      return expr(g.expr);
    case 'rollup':
    case 'cube':
      return `${g.kind}(${list(g.exprs, expr)})`;
    case 'grouping_sets':
      return `sets(${list(g.sets, (s) => `(${list(s, expr)})`)})`;
  }
}

function item(s: SelectItem): string {
  if (s.kind === 'star') return s.qualifier === undefined ? '*' : `${qn(s.qualifier)}.*`;
  return `${expr(s.expr)}${s.alias === undefined ? '' : ` as ${id(s.alias)}`}`;
}

function body(b: QueryBody): string {
  switch (b.kind) {
    case 'select': {
      let s = `select ${b.distinct ? 'distinct ' : ''}${list(b.items, item)}`;
      if (b.from.length > 0) s += ` from ${list(b.from, from)}`;
      if (b.where !== undefined) s += ` where ${expr(b.where)}`;
      if (b.groupBy !== undefined) s += ` group by ${list(b.groupBy.elements, grouping)}`;
      if (b.having !== undefined) s += ` having ${expr(b.having)}`;
      if (b.windows.length > 0) s += ` window ${list(b.windows, (w) => `${id(w.name)} as (${windowSpec(w.spec)})`)}`;
      return s;
    }
    case 'set_operation':
      return `(${body(b.left)} ${b.op}${b.all ? ' all' : ''} ${body(b.right)})`;
    case 'values':
      return `values ${list(b.rows, (r) => `(${list(r, expr)})`)}`;
    case 'query':
      return `(${query(b)})`;
  }
}

export function query(q: Query): string {
  let s = '';
  if (q.with !== undefined) {
    s += `with ${q.with.recursive ? 'recursive ' : ''}${list(q.with.ctes, (c) => `${id(c.name)}${c.columns === undefined ? '' : `(${list(c.columns, id)})`} as (${query(c.query)})`)} `;
  }
  s += body(q.body);
  if (q.orderBy.length > 0) s += ` order by ${list(q.orderBy, order)}`;
  if (q.limit !== undefined) s += ` limit ${expr(q.limit)}`;
  if (q.offset !== undefined) s += ` offset ${expr(q.offset)}`;
  return s;
}

export function statement(st: Statement): string {
  switch (st.kind) {
    case 'query':
      return query(st.query);
    case 'explain':
      return `explain${st.analyze ? ' analyze' : ''}${st.options.length > 0 ? ` (${list(st.options, (o) => `${o.name} ${o.value}`)})` : ''} ${statement(st.statement)}`;
    case 'show_catalogs':
      return `show catalogs${st.like === undefined ? '' : ` like '${st.like}'`}`;
    case 'show_schemas':
      return `show schemas${st.catalog === undefined ? '' : ` from ${id(st.catalog)}`}${st.like === undefined ? '' : ` like '${st.like}'`}`;
    case 'show_tables':
      return `show tables${st.schema === undefined ? '' : ` from ${qn(st.schema)}`}${st.like === undefined ? '' : ` like '${st.like}'`}`;
    case 'show_columns':
      return `show columns from ${qn(st.table)}`;
    case 'show_functions':
      return `show functions${st.like === undefined ? '' : ` like '${st.like}'`}`;
    case 'show_session':
      return `show session${st.like === undefined ? '' : ` like '${st.like}'`}`;
    case 'show_create_table':
      return `show create table ${qn(st.table)}`;
    case 'use':
      return `use ${st.catalog === undefined ? '' : `${id(st.catalog)}.`}${id(st.schema)}`;
    case 'set_session':
      return `set session ${qn(st.name)} = ${expr(st.value)}`;
    case 'set_time_zone':
      return `set time zone ${st.zone === undefined ? 'local' : expr(st.zone)}`;
    case 'reset_session':
      return `reset session ${qn(st.name)}`;
    case 'create_table':
      return `create table ${st.ifNotExists ? 'if not exists ' : ''}${qn(st.name)} (${list(st.columns, (c) => `${id(c.name)} ${c.type}${c.notNull ? ' not null' : ''}${c.comment === undefined ? '' : ` comment '${c.comment}'`}`)})${st.comment === undefined ? '' : ` comment '${st.comment}'`}${props(st.properties)}`;
    case 'create_table_as':
      return `create table ${st.ifNotExists ? 'if not exists ' : ''}${qn(st.name)}${st.columns === undefined ? '' : `(${list(st.columns, id)})`}${props(st.properties)} as ${query(st.query)}${st.withData ? '' : ' with no data'}`;
    case 'create_view':
      return `create ${st.orReplace ? 'or replace ' : ''}view ${qn(st.name)} as ${query(st.query)}`;
    case 'create_schema':
      return `create schema ${st.ifNotExists ? 'if not exists ' : ''}${qn(st.name)}`;
    case 'drop_schema':
      return `drop schema ${st.ifExists ? 'if exists ' : ''}${qn(st.name)}`;
    case 'drop':
      return `drop ${st.object} ${st.ifExists ? 'if exists ' : ''}${qn(st.name)}`;
    case 'insert':
      return `insert into ${qn(st.table)}${st.columns === undefined ? '' : `(${list(st.columns, id)})`} ${query(st.query)}`;
    case 'unload':
      return `unload (${query(st.query)}) to '${st.location}'${props(st.properties)}`;
  }
}

function props(p: readonly { name: Identifier; value: Expr }[]): string {
  return p.length === 0 ? '' : ` with (${list(p, (x) => `${id(x.name)} = ${expr(x.value)}`)})`;
}

/**
 * Checks every `span` in the tree: positions consistent with `sql`, inside `outer`, start ≤ end, and every
 * Identifier's span covering exactly its text (quoted or not). Returns the problems found.
 */
export function checkSpans(sql: string, root: unknown, outer: SourceSpan): string[] {
  const problems: string[] = [];
  const lines = sql.split('\n');
  const posOk = (p: { offset: number; line: number; column: number }): boolean => {
    let off = 0;
    for (let l = 0; l < p.line - 1; l++) off += (lines[l]?.length ?? 0) + 1;
    return off + p.column - 1 === p.offset;
  };
  const visit = (n: unknown, path: string): void => {
    if (Array.isArray(n)) {
      n.forEach((x, k) => visit(x, `${path}[${k}]`));
      return;
    }
    if (typeof n !== 'object' || n === null) return;
    const o = n as Record<string, unknown>;
    const span = o['span'] as SourceSpan | undefined;
    if (span !== undefined) {
      if (!posOk(span.start) || !posOk(span.end)) problems.push(`${path}: inconsistent line/column`);
      if (span.start.offset > span.end.offset) problems.push(`${path}: start after end`);
      if (span.start.offset < outer.start.offset || span.end.offset > outer.end.offset) problems.push(`${path}: outside the statement`);
      if (typeof o['value'] === 'string' && typeof o['quoted'] === 'boolean') {
        const text = sql.slice(span.start.offset, span.end.offset);
        const expected = o['quoted'] ? `"${(o['value'] as string).replace(/"/g, '""')}"` : (o['value'] as string);
        const ok = o['quoted'] ? text === expected : text.toLowerCase() === expected;
        // Trim-derived names (ltrim/rtrim) and VALUES wrappers name a keyword, not the text.
        if (!ok && !['ltrim', 'rtrim', 'trim'].includes(o['value'] as string)) problems.push(`${path}: identifier ${expected} spans '${text}'`);
      }
    } else if ('kind' in o) {
      // every node with a kind has a span (frame bounds and With are plain data)
      if (!['unbounded_preceding', 'unbounded_following', 'current_row', 'preceding', 'following'].includes(o['kind'] as string)) {
        problems.push(`${path}: node ${String(o['kind'])} has no span`);
      }
    }
    for (const [k, v] of Object.entries(o)) if (k !== 'span') visit(v, `${path}.${k}`);
  };
  visit(root, '');
  return problems;
}
