/**
 * CREATE TABLE (with columns, or AS query), CREATE [OR REPLACE] VIEW, DROP TABLE|VIEW, INSERT INTO: parsed by
 * hand; embedded queries and property values go to the query/expression pipeline with their own offsets.
 */
import { ShoalError, type SourceSpan } from '../common/index.js';
import type { ColumnDefinition, Identifier, Property, Statement } from './ast.js';
import type { Cursor } from './cursor.js';
import { parseExprTokens, parseQueryTokens } from './pipeline.js';
import { typeText } from './rewrite-literals.js';
import { coverSpans } from './source.js';

export function parseCreate(c: Cursor, span: SourceSpan): Statement {
  const ts = c.ts;
  c.i++;
  const orReplace = c.accept('or', 'replace');
  if (c.accept('view')) return parseCreateView(c, span, orReplace);
  if (orReplace) throw c.error('Expected VIEW after CREATE OR REPLACE');
  if (c.kw() === 'external') {
    throw new ShoalError('NOT_SUPPORTED', 'CREATE EXTERNAL TABLE is not supported', {
      span: ts.spanOf(c.i, c.i),
      hint: "Use CREATE TABLE name (columns) WITH (format = 'PARQUET', external_location = '…')",
    });
  }
  if (c.accept('schema')) {
    const ifNotExists = c.accept('if', 'not', 'exists');
    const name = c.qualifiedName('a schema name', 2);
    if (c.accept('with') || c.accept('authorization')) throw new ShoalError('NOT_SUPPORTED', 'CREATE SCHEMA takes no properties or AUTHORIZATION here', { span: ts.spanOf(c.i - 1, c.i) });
    c.expectEnd();
    return { kind: 'create_schema', name, ifNotExists, span };
  }
  if (!c.accept('table')) {
    if (!c.atEnd() && ['database', 'catalog', 'function', 'materialized', 'role', 'index'].includes(c.kw())) {
      throw new ShoalError('NOT_SUPPORTED', `CREATE ${c.kw().toUpperCase()} is not supported`, { span: ts.spanOf(c.i - 1, c.i) });
    }
    throw c.error('Expected CREATE TABLE, CREATE [OR REPLACE] VIEW or CREATE SCHEMA');
  }
  const ifNotExists = c.accept('if', 'not', 'exists');
  const name = c.qualifiedName('a table name', 3);
  let columnNames: Identifier[] | undefined;
  let columns: ColumnDefinition[] = [];
  if (c.isOp('(')) {
    const close = c.matchHere();
    if (isCtasColumnList(c, close)) {
      columnNames = [];
      c.i++;
      while (c.i < close) {
        columnNames.push(c.name('a column name'));
        if (c.i < close) c.expectOp(',');
      }
      c.i = close + 1;
    } else {
      columns = parseColumnDefinitions(c, close);
    }
  }
  let comment: string | undefined;
  if (columnNames === undefined && c.accept('comment')) comment = c.string('a comment string');
  const properties = c.accept('with') ? parseProperties(c) : [];
  if (c.accept('as')) {
    if (columns.length > 0) throw c.errorAt(c.i - 1, 'CREATE TABLE AS takes column names only, not column definitions');
    let end = c.to;
    let withData = true;
    if (ts.isKw(end - 2, 'with') && ts.isKw(end - 1, 'data')) end -= 2;
    else if (ts.isKw(end - 3, 'with') && ts.isKw(end - 2, 'no') && ts.isKw(end - 1, 'data')) {
      end -= 3;
      withData = false;
    }
    if (c.i >= end) throw c.error('Expected a query after AS');
    const query = parseQueryTokens(ts, c.i, end);
    return { kind: 'create_table_as', name, ifNotExists, columns: columnNames, properties, query, withData, span };
  }
  if (columnNames !== undefined) throw c.error('Expected AS query after the column names');
  c.expectEnd(columns.length === 0 ? 'Expected (column type, …) or AS query' : undefined);
  if (columns.length === 0) throw c.errorAt(c.to, 'Expected (column type, …) or AS query');
  return { kind: 'create_table', name, ifNotExists, columns, properties, comment, span };
}

/** `(a, b)` followed by WITH/AS: the column names of CREATE TABLE … AS. */
function isCtasColumnList(c: Cursor, close: number): boolean {
  const ts = c.ts;
  for (let k = c.i + 1; k < close; k += 2) {
    if (!ts.isName(k)) return false;
    if (k + 1 < close && !ts.isOp(k + 1, ',')) return false;
  }
  return ts.isKw(close + 1, 'as', 'with');
}

function parseColumnDefinitions(c: Cursor, close: number): ColumnDefinition[] {
  const ts = c.ts;
  const defs: ColumnDefinition[] = [];
  c.i++;
  if (c.i >= close) throw c.error('Expected a column definition');
  for (const [a, b] of ts.splitTop(c.i, close)) {
    c.i = a;
    if (a >= b) throw c.error('Expected a column definition');
    const name = c.name('a column name');
    const typeEnd = ts.findTop(c.i, b, (k) => ts.isKw(k, 'not', 'null', 'comment') || (ts.isKw(k, 'with') && ts.isOp(k + 1, '(')));
    if (typeEnd <= c.i) throw c.error('Expected a column type');
    const type = typeText(ts, c.i, typeEnd);
    c.i = typeEnd;
    let notNull = false;
    let comment: string | undefined;
    while (c.i < b) {
      if (c.accept('not', 'null')) notNull = true;
      else if (c.accept('null')) notNull = false;
      else if (c.accept('comment')) comment = c.string('a comment string');
      else if (c.kw() === 'with') throw new ShoalError('NOT_SUPPORTED', 'Column properties are not supported', { span: ts.spanOf(c.i, b - 1) });
      else throw c.error();
    }
    defs.push({ name, type, notNull, comment, span: ts.spanOf(a, b - 1) });
  }
  c.i = close + 1;
  return defs;
}

/** `(name = expr, …)` after WITH. */
export function parseProperties(c: Cursor): Property[] {
  const ts = c.ts;
  if (!c.isOp('(')) throw c.error('Expected WITH (property = value, …)');
  const close = c.matchHere();
  const props: Property[] = [];
  for (const [a, b] of ts.splitTop(c.i + 1, close)) {
    c.i = a;
    if (a >= b) throw c.error('Expected property = value');
    const name = c.name('a property name');
    c.expectOp('=', 'Expected property = value');
    if (c.i >= b) throw c.error('Expected a property value');
    const value = parseExprTokens(ts, c.i, b);
    props.push({ name, value, span: coverSpans([name.span, value.span]) ?? name.span });
  }
  c.i = close + 1;
  return props;
}

function parseCreateView(c: Cursor, span: SourceSpan, orReplace: boolean): Statement {
  const ts = c.ts;
  const name = c.qualifiedName('a view name', 3);
  if (c.kw() === 'comment' || c.kw() === 'security') {
    throw new ShoalError('NOT_SUPPORTED', `CREATE VIEW … ${c.kw().toUpperCase()} is not supported`, { span: ts.spanOf(c.i, c.i) });
  }
  c.expect('as', 'Expected CREATE VIEW name AS query');
  if (c.atEnd()) throw c.error('Expected a query after AS');
  const query = parseQueryTokens(ts, c.i, c.to);
  const queryText = ts.src.slice(ts.start(c.i), ts.end(c.to - 1));
  return { kind: 'create_view', name, orReplace, query, queryText, span };
}

export function parseDrop(c: Cursor, span: SourceSpan): Statement {
  c.i++;
  if (c.accept('schema')) {
    const ifExists = c.accept('if', 'exists');
    const name = c.qualifiedName('a schema name', 2);
    if (c.accept('cascade')) {
      throw new ShoalError('NOT_SUPPORTED', 'DROP SCHEMA … CASCADE is not supported', { span: c.ts.spanOf(c.i - 1, c.i), hint: 'Drop the tables and views first, then the schema' });
    }
    c.accept('restrict');
    c.expectEnd();
    return { kind: 'drop_schema', name, ifExists, span };
  }
  const object = c.accept('table') ? 'table' : c.accept('view') ? 'view' : undefined;
  if (object === undefined) {
    if (!c.atEnd() && ['database', 'catalog', 'function', 'materialized', 'role'].includes(c.kw())) {
      throw new ShoalError('NOT_SUPPORTED', `DROP ${c.kw().toUpperCase()} is not supported`, { span: c.ts.spanOf(c.i - 1, c.i) });
    }
    throw c.error('Expected DROP TABLE, DROP VIEW or DROP SCHEMA');
  }
  const ifExists = c.accept('if', 'exists');
  const name = c.qualifiedName(`a ${object} name`, 3);
  c.expectEnd();
  return { kind: 'drop', object, name, ifExists, span };
}

export function parseInsert(c: Cursor, span: SourceSpan): Statement {
  const ts = c.ts;
  c.i++;
  if (c.kw() === 'overwrite') throw new ShoalError('NOT_SUPPORTED', 'INSERT OVERWRITE is not supported', { span: ts.spanOf(c.i - 1, c.i) });
  c.expect('into', 'Expected INSERT INTO table');
  const table = c.qualifiedName('a table name', 3);
  let columns: Identifier[] | undefined;
  if (c.isOp('(') && !ts.isKw(c.i + 1, 'select', 'with', 'values') && !ts.isOp(c.i + 1, '(')) {
    const close = c.matchHere();
    columns = [];
    c.i++;
    while (c.i < close) {
      columns.push(c.name('a column name'));
      if (c.i < close) c.expectOp(',');
    }
    c.i = close + 1;
  }
  if (c.atEnd()) throw c.error('Expected a query or VALUES');
  if (!ts.isKw(c.i, 'select', 'with', 'values') && !ts.isOp(c.i, '(')) throw c.error('Expected a query or VALUES');
  const query = parseQueryTokens(ts, c.i, c.to);
  return { kind: 'insert', table, columns, query, span };
}

/** `UNLOAD (query) TO 'location' [WITH (property = value, …)]` (Athena). */
export function parseUnload(c: Cursor, span: SourceSpan): Statement {
  const ts = c.ts;
  c.i++;
  if (!c.isOp('(')) throw c.error("Expected UNLOAD (query) TO 'location'");
  const close = c.matchHere();
  if (close <= c.i + 1) throw c.error('Expected a query inside the parentheses');
  const query = parseQueryTokens(ts, c.i + 1, close);
  c.i = close + 1;
  c.expect('to', "Expected TO 'location' after the query");
  const at = c.i;
  const location = c.string("a location string such as 'results/run-1/' or 's3://bucket/prefix/'");
  const locationSpan = ts.spanOf(at, at);
  const properties = c.accept('with') ? parseProperties(c) : [];
  c.expectEnd();
  return { kind: 'unload', query, location, locationSpan, properties, span };
}
