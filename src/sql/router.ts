/**
 * The statement router: decides what a statement is from its first words. Queries go to the query pipeline
 * (rewrite + node-sql-parser); catalog, session and DDL/DML statements, which the grammar parses wrongly or not
 * at all, are parsed here by hand, and only their embedded queries and expressions go to the pipeline.
 */
import { ShoalError } from '../common/index.js';
import type { Statement } from './ast.js';
import { Cursor } from './cursor.js';
import { parseExprTokens, parseQueryTokens } from './pipeline.js';
import { parseCreate, parseDrop, parseInsert, parseUnload } from './router-ddl.js';
import type { Tokens } from './tokens.js';

const STATEMENT_HINT = 'A statement starts with SELECT, WITH, VALUES, SHOW, DESCRIBE, EXPLAIN, CREATE, DROP, INSERT, UNLOAD, USE, SET SESSION, SET TIME ZONE or RESET SESSION';

const UNSUPPORTED = new Set([
  'update', 'delete', 'merge', 'alter', 'grant', 'revoke', 'deny', 'call', 'prepare', 'execute', 'deallocate',
  'start', 'commit', 'rollback', 'truncate', 'analyze', 'msck', 'comment', 'refresh', 'vacuum', 'copy', 'load',
]);

/** Parses the statement in tokens [from, to) (no terminating `;`). */
export function routeStatement(ts: Tokens, from: number, to: number): Statement {
  const c = new Cursor(ts, from, to);
  const span = ts.spanOf(from, to - 1);
  const first = c.kw();
  if (first === 'select' || first === 'with' || first === 'values' || (first === 'table' && ts.isName(from + 1)) || ts.isOp(from, '(')) {
    return { kind: 'query', query: parseQueryTokens(ts, from, to), span };
  }
  switch (first) {
    case 'show':
      return parseShow(c);
    case 'describe':
    case 'desc': {
      c.i++;
      const table = c.qualifiedName('a table name');
      c.expectEnd();
      return { kind: 'show_columns', table, span };
    }
    case 'use': {
      c.i++;
      const name = c.qualifiedName('a schema name', 2);
      c.expectEnd();
      const [a, b] = name.parts;
      if (a === undefined) throw c.error('Expected a schema name');
      return b === undefined ? { kind: 'use', schema: a, span } : { kind: 'use', catalog: a, schema: b, span };
    }
    case 'set': {
      c.i++;
      if (c.accept('time', 'zone')) {
        if (c.accept('local')) {
          c.expectEnd();
          return { kind: 'set_time_zone', span };
        }
        if (c.atEnd()) throw c.error("Expected SET TIME ZONE 'zone' or SET TIME ZONE LOCAL");
        return { kind: 'set_time_zone', zone: parseExprTokens(ts, c.i, to), span };
      }
      if (!c.accept('session')) throw c.error('Use SET SESSION name = value or SET TIME ZONE zone');
      const name = c.qualifiedName('a session property name', 2);
      c.expectOp('=', 'Expected SET SESSION name = value');
      if (c.atEnd()) throw c.error('Expected a value');
      const value = parseExprTokens(ts, c.i, to);
      return { kind: 'set_session', name, value, span };
    }
    case 'reset': {
      c.i++;
      c.expect('session', 'Use RESET SESSION name');
      const name = c.qualifiedName('a session property name', 2);
      c.expectEnd();
      return { kind: 'reset_session', name, span };
    }
    case 'explain':
      return parseExplain(c, span);
    case 'create':
      return parseCreate(c, span);
    case 'drop':
      return parseDrop(c, span);
    case 'insert':
      return parseInsert(c, span);
    case 'unload':
      return parseUnload(c, span);
    default:
      break;
  }
  if (UNSUPPORTED.has(first)) {
    throw new ShoalError('NOT_SUPPORTED', `${first.toUpperCase()} statements are not supported`, { span: ts.spanOf(from, from) });
  }
  throw c.error(STATEMENT_HINT);
}

function parseShow(c: Cursor): Statement {
  const ts = c.ts;
  const span = ts.spanOf(c.i, c.to - 1);
  c.i++;
  const like = (): string | undefined => {
    if (!c.accept('like')) return undefined;
    const p = c.string('a pattern string');
    if (c.kw() === 'escape') throw new ShoalError('NOT_SUPPORTED', 'LIKE … ESCAPE is not supported in SHOW statements', { span: ts.spanOf(c.i, c.i) });
    return p;
  };
  if (c.accept('catalogs')) {
    const p = like();
    c.expectEnd();
    return { kind: 'show_catalogs', like: p, span };
  }
  if (c.accept('schemas')) {
    const catalog = c.accept('from') || c.accept('in') ? c.name('a catalog name') : undefined;
    const p = like();
    c.expectEnd();
    return { kind: 'show_schemas', catalog, like: p, span };
  }
  if (c.accept('tables')) {
    const schema = c.accept('from') || c.accept('in') ? c.qualifiedName('a schema name', 2) : undefined;
    const p = like();
    c.expectEnd();
    return { kind: 'show_tables', schema, like: p, span };
  }
  if (c.accept('columns')) {
    if (!c.accept('from') && !c.accept('in')) throw c.error('Expected SHOW COLUMNS FROM table');
    const table = c.qualifiedName('a table name');
    c.expectEnd();
    return { kind: 'show_columns', table, span };
  }
  if (c.accept('functions')) {
    const p = like();
    c.expectEnd();
    return { kind: 'show_functions', like: p, span };
  }
  if (c.accept('session')) {
    const p = like();
    c.expectEnd();
    return { kind: 'show_session', like: p, span };
  }
  if (c.accept('create', 'table')) {
    const table = c.qualifiedName('a table name');
    c.expectEnd();
    return { kind: 'show_create_table', table, span };
  }
  if (!c.atEnd() && ['partitions', 'stats', 'grants', 'roles', 'create', 'views', 'branches'].includes(c.kw())) {
    throw new ShoalError('NOT_SUPPORTED', `SHOW ${c.kw().toUpperCase()} is not supported`, { span: ts.spanOf(c.i - 1, c.i) });
  }
  throw c.error('Expected SHOW CATALOGS, SCHEMAS, TABLES, COLUMNS, FUNCTIONS, SESSION or CREATE TABLE');
}

function parseExplain(c: Cursor, span: Statement['span']): Statement {
  c.i++;
  const analyze = c.accept('analyze');
  c.accept('verbose');
  const options: { name: string; value: string }[] = [];
  if (c.isOp('(') && !isStatementStart(c, c.i + 1)) {
    const close = c.matchHere();
    c.i++;
    while (c.i < close) {
      const name = c.name('an EXPLAIN option');
      const t = c.ts.tok(c.i);
      if (c.i >= close || t === undefined || (t.kind !== 'word' && t.kind !== 'qident')) throw c.error('Expected EXPLAIN (TYPE LOGICAL | DISTRIBUTED | IO, FORMAT TEXT | JSON)');
      options.push({ name: name.value, value: t.value.toLowerCase() });
      c.i++;
      if (c.i < close) c.expectOp(',');
    }
    c.i = close + 1;
  }
  if (c.atEnd()) throw c.error('Expected a statement after EXPLAIN');
  const statement = routeStatement(c.ts, c.i, c.to);
  if (statement.kind === 'explain') throw new ShoalError('SYNTAX_ERROR', 'EXPLAIN cannot be nested', { span: statement.span });
  return { kind: 'explain', analyze, options, statement, span };
}

function isStatementStart(c: Cursor, k: number): boolean {
  return c.ts.isKw(k, 'select', 'with', 'values') || c.ts.isOp(k, '(');
}
