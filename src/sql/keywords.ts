/**
 * Word classes used by the rewrite. The rule the rewrite follows: a bare word reaches node-sql-parser as itself
 * only if it is a keyword the grammar needs *in that position*; every other word (names, and non-reserved
 * keywords used as names, like `year`, `month`, `zone`, `date`, `first`) becomes a placeholder.
 */

/** Words that are always keywords (Trino's reserved words plus a few clause words); never names unless quoted. */
export const RESERVED = new Set([
  'all', 'alter', 'and', 'any', 'as', 'between', 'by', 'case', 'cast', 'constraint', 'create', 'cross', 'cube',
  'current_catalog', 'current_date', 'current_path', 'current_role', 'current_schema', 'current_time',
  'current_timestamp', 'current_user', 'deallocate', 'delete', 'describe', 'distinct', 'drop', 'else', 'end',
  'escape', 'except', 'execute', 'exists', 'extract', 'false', 'for', 'from', 'full', 'group', 'grouping', 'having',
  'ilike', 'in', 'inner', 'insert', 'intersect', 'into', 'is', 'join', 'lateral', 'left', 'like', 'localtime',
  'localtimestamp', 'natural', 'normalize', 'not', 'null', 'on', 'or', 'order', 'outer', 'prepare', 'recursive',
  'right', 'rollup', 'select', 'skip', 'some', 'table', 'then', 'true', 'uescape', 'union', 'unnest', 'using',
  'values', 'when', 'where', 'with', 'try_cast',
]);

/** Reserved words that are nevertheless function names when directly followed by `(`. */
export const CALLABLE_RESERVED = new Set([
  'cast', 'try_cast', 'extract', 'cube', 'rollup', 'grouping', 'left', 'right', 'unnest', 'normalize',
]);

/** Niladic special values written without parentheses; they become zero-argument function calls. */
export const NILADIC = new Set([
  'current_date', 'current_time', 'current_timestamp', 'localtime', 'localtimestamp', 'current_user',
  'current_catalog', 'current_schema', 'current_path', 'current_role',
]);

/** `TYPE 'text'` forms that are typed literals (Trino accepts any type name there; these are the useful ones). */
export const TYPED_LITERAL_TYPES = new Set([
  'date', 'time', 'timestamp', 'decimal', 'numeric', 'real', 'double', 'bigint', 'integer', 'int', 'smallint',
  'tinyint', 'varchar', 'char', 'boolean', 'json', 'uuid', 'ipaddress', 'varbinary', 'timestamptz',
]);

/** Interval units, singular, as stored in the AST. */
const INTERVAL_UNITS = new Map<string, string>([
  ['year', 'year'], ['years', 'year'], ['quarter', 'quarter'], ['quarters', 'quarter'], ['month', 'month'],
  ['months', 'month'], ['week', 'week'], ['weeks', 'week'], ['day', 'day'], ['days', 'day'], ['hour', 'hour'],
  ['hours', 'hour'], ['minute', 'minute'], ['minutes', 'minute'], ['second', 'second'], ['seconds', 'second'],
  ['millisecond', 'millisecond'], ['milliseconds', 'millisecond'], ['microsecond', 'microsecond'],
  ['microseconds', 'microsecond'],
]);

export function intervalUnit(word: string): string | undefined {
  return INTERVAL_UNITS.get(word);
}

/** Words that end a FROM item (and so can never be its alias) or end the FROM clause. */
export const FROM_ITEM_END = new Set([
  'where', 'group', 'having', 'order', 'limit', 'offset', 'fetch', 'window', 'union', 'intersect', 'except',
  'join', 'inner', 'left', 'right', 'full', 'cross', 'natural', 'on', 'using', 'with', 'as', 'outer', 'lateral',
]);

/** Words that end a FROM clause at its own nesting level. */
export const FROM_CLAUSE_END = new Set([
  'where', 'group', 'having', 'order', 'limit', 'offset', 'fetch', 'window', 'union', 'intersect', 'except',
]);
