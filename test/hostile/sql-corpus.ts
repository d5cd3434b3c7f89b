/**
 * The hostile SQL corpus (issue 9, item 1): malformed, pathological and oversized statements, generated so that
 * sizes are parameters and not megabytes of fixture text. Each case states what a correct engine does with it:
 *  - `error`: a ShoalError with one of `codes`, a message, and (unless `spanless` says why) a span in the text;
 *  - `answer`: rows; `duck` is the same question for DuckDB (its rows must match), `rows` the expected rows when
 *    DuckDB cannot run it, `columns` the expected column count;
 *  - `either`: a clear error (as above) or an answer — for limits Shoal may legitimately refuse.
 * Statements in `setup` run first on the same session (views); `script` runs the text as a script.
 */
import type { ErrorCode } from '../../src/index.js';

export type Cell = string | number | boolean | null;

interface Base {
  readonly name: string;
  readonly sql: string;
  readonly setup?: readonly string[];
  /** Run as a script (parseScript + each statement) instead of one statement. */
  readonly script?: boolean;
}

export type HostileCase =
  | (Base & { readonly expect: 'error'; readonly codes: readonly ErrorCode[]; readonly spanless?: string })
  | (Base & { readonly expect: 'answer'; readonly duck?: string | true; readonly rows?: readonly (readonly Cell[])[]; readonly columns?: number })
  | (Base & { readonly expect: 'either'; readonly codes: readonly ErrorCode[]; readonly duck?: string | true; readonly rows?: readonly (readonly Cell[])[]; readonly columns?: number });

const NESTING: readonly ErrorCode[] = ['QUERY_REJECTED', 'STACK_OVERFLOW'];
const SYNTAX: readonly ErrorCode[] = ['SYNTAX_ERROR'];

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);
const repeat = (s: string, n: number): string => s.repeat(n);

/** `depth` levels of `open … close` around `core`. */
function nest(open: string, core: string, close: string, depth: number): string {
  return repeat(open, depth) + core + repeat(close, depth);
}

function deepNesting(): HostileCase[] {
  const out: HostileCase[] = [];
  // Depths under the limit answer; far over it are refused before the parser can exhaust the stack.
  for (const d of [50, 100]) {
    out.push({ name: `parentheses ${d}`, sql: `SELECT ${nest('(', '1', ')', d)} AS x`, expect: 'answer', rows: [[1]] });
    out.push({ name: `arithmetic parentheses ${d}`, sql: `SELECT ${nest('(1 + ', '1', ')', d)} AS x`, expect: 'answer', rows: [[d + 1]] });
    out.push({ name: `FROM subqueries ${d}`, sql: `SELECT * FROM ${nest('(SELECT * FROM ', '(VALUES 1) t(x)', ') s', d)}`, expect: 'either', codes: NESTING, rows: [[1]] });
    out.push({ name: `scalar subqueries ${d}`, sql: `SELECT ${nest('(SELECT ', '1', ')', d)} AS x`, expect: 'either', codes: NESTING, rows: [[1]] });
    out.push({ name: `nested function calls ${d}`, sql: `SELECT ${nest('abs(', '-1', ')', d)} AS x`, expect: 'either', codes: NESTING, rows: [[1]] });
    out.push({ name: `nested ARRAY ${d}`, sql: `SELECT cardinality(${nest('ARRAY[', '1', ']', d)}) AS x`, expect: 'either', codes: NESTING, rows: [[1]] });
    out.push({ name: `nested ROW ${d}`, sql: `SELECT ${nest('ROW(1, ', '1', ')', d)} IS NULL AS x`, expect: 'either', codes: NESTING, rows: [[false]] });
  }
  for (const d of [50, 150]) {
    out.push({ name: `CASE in CASE ${d}`, sql: `SELECT ${nest('CASE WHEN 1 = 1 THEN ', '1', ' ELSE 0 END', d)} AS x`, expect: 'either', codes: NESTING, rows: [[1]] });
    out.push({ name: `CASE in CASE WHEN ${d}`, sql: `SELECT ${nest('CASE WHEN ', 'true', ' THEN true ELSE false END', d)} AS x`, expect: 'either', codes: NESTING, rows: [[true]] });
    out.push({ name: `NOT chain ${d}`, sql: `SELECT ${repeat('NOT ', d)}true AS x`, expect: 'either', codes: NESTING, rows: [[d % 2 === 0]] });
    out.push({ name: `unary minus chain ${d}`, sql: `SELECT ${repeat('- ', d)}1 AS x`, expect: 'either', codes: NESTING, rows: [[d % 2 === 0 ? 1 : -1]] });
  }
  for (const d of [1_000, 100_000]) {
    out.push({ name: `parentheses ${d}`, sql: `SELECT ${nest('(', '1', ')', d)}`, expect: 'error', codes: NESTING });
    out.push({ name: `FROM subqueries ${d}`, sql: `SELECT * FROM ${nest('(SELECT * FROM ', 't', ') s', d)}`, expect: 'error', codes: NESTING });
    out.push({ name: `scalar subqueries ${d}`, sql: `SELECT ${nest('(SELECT ', '1', ')', d)}`, expect: 'error', codes: NESTING });
    out.push({ name: `nested function calls ${d}`, sql: `SELECT ${nest('abs(', '1', ')', d)}`, expect: 'error', codes: NESTING });
    out.push({ name: `nested ARRAY ${d}`, sql: `SELECT ${nest('ARRAY[', '1', ']', d)}`, expect: 'error', codes: NESTING });
    out.push({ name: `nested ROW ${d}`, sql: `SELECT ${nest('ROW(', '1', ')', d)}`, expect: 'error', codes: NESTING });
    out.push({ name: `CASE in CASE ${d}`, sql: `SELECT ${nest('CASE WHEN true THEN ', '1', ' END', d)}`, expect: 'error', codes: NESTING });
    out.push({ name: `NOT chain ${d}`, sql: `SELECT ${repeat('NOT ', d)}true`, expect: 'either', codes: NESTING, rows: [[true]] });
    out.push({ name: `unary minus chain ${d}`, sql: `SELECT ${repeat('- ', d)}1`, expect: 'either', codes: NESTING, rows: [[1]] });
    out.push({ name: `unbalanced open parentheses ${d}`, sql: `SELECT ${repeat('(', d)}1`, expect: 'error', codes: [...NESTING, 'SYNTAX_ERROR'] });
    out.push({ name: `unbalanced close parentheses ${d}`, sql: `SELECT 1${repeat(')', d)}`, expect: 'error', codes: SYNTAX });
  }
  for (const d of [20, 300]) {
    const ctes = range(d).map((i) => (i === 1 ? 'c1 AS (SELECT 1 AS x)' : `c${i} AS (SELECT x + 1 AS x FROM c${i - 1})`));
    out.push({ name: `CTE chain ${d}`, sql: `WITH ${ctes.join(', ')} SELECT x FROM c${d}`, expect: 'either', codes: NESTING, rows: [[d]] });
    const nested = nest('WITH c AS (', 'SELECT 1 AS x', ') SELECT x + 1 AS x FROM c', d);
    out.push({ name: `nested WITH ${d}`, sql: `SELECT x FROM (${nested}) t`, expect: 'either', codes: NESTING, rows: [[d + 1]] });
  }
  for (const d of [20, 200]) {
    const views = range(d).map((i) => `CREATE OR REPLACE VIEW memory.default.hv${d}_${i} AS SELECT ${i === 1 ? '1' : `x + 1`} AS x${i === 1 ? '' : ` FROM memory.default.hv${d}_${i - 1}`}`);
    out.push({ name: `view chain ${d}`, setup: views, sql: `SELECT x FROM memory.default.hv${d}_${d}`, expect: 'either', codes: ['QUERY_REJECTED'], rows: [[d]] });
  }
  return out;
}

function longLists(): HostileCase[] {
  const out: HostileCase[] = [];
  const n = 10_000;
  out.push({ name: `OR chain ${n}`, sql: `SELECT count(*) AS n FROM taxi_zone_lookup WHERE ${range(n).map((i) => `locationid = ${i}`).join(' OR ')}`, expect: 'answer', rows: [[265]] });
  out.push({ name: `AND chain ${n}`, sql: `SELECT count(*) AS n FROM taxi_zone_lookup WHERE ${range(n).map((i) => `locationid <> ${i + 1000}`).join(' AND ')}`, expect: 'answer', rows: [[265]] });
  out.push({ name: `mixed AND/OR ${n}`, sql: `SELECT count(*) AS n FROM taxi_zone_lookup WHERE ${range(n / 2).map((i) => `(locationid = ${i} AND borough <> 'x${i}')`).join(' OR ')}`, expect: 'answer', rows: [[265]] });
  out.push({ name: `IN list ${n}`, sql: `SELECT count(*) AS n, sum(locationid) AS s FROM taxi_zone_lookup WHERE locationid IN (${range(n).map((i) => i * 2).join(', ')})`, expect: 'answer', duck: true });
  out.push({ name: `NOT IN list ${n}`, sql: `SELECT count(*) AS n FROM taxi_zone_lookup WHERE locationid NOT IN (${range(n).map((i) => i * 3).join(', ')})`, expect: 'answer', duck: true });
  out.push({ name: `string IN list ${n}`, sql: `SELECT count(*) AS n FROM taxi_zone_lookup WHERE zone IN (${range(n).map((i) => `'z${i}'`).join(', ')}, 'JFK Airport')`, expect: 'answer', duck: true });
  out.push({ name: `+ chain ${n}`, sql: `SELECT ${range(n).map(() => '1').join(' + ')} AS x`, expect: 'either', codes: NESTING, rows: [[n]] });
  out.push({ name: `|| chain 5000`, sql: `SELECT length(${range(5000).map(() => "'a'").join(' || ')}) AS x`, expect: 'either', codes: NESTING, rows: [[5000]] });
  out.push({ name: `coalesce with ${n} args`, sql: `SELECT coalesce(${range(n).map(() => 'NULL').join(', ')}, 7) AS x`, expect: 'answer', duck: true });
  out.push({ name: `CASE with ${n / 2} WHENs`, sql: `SELECT CASE ${range(n / 2).map((i) => `WHEN locationid = ${i} THEN ${i}`).join(' ')} END AS x FROM taxi_zone_lookup ORDER BY locationid LIMIT 3`, expect: 'answer', duck: true });
  for (const u of [200, 2_000]) {
    out.push({ name: `UNION ALL chain ${u}`, sql: `SELECT count(*) AS n, sum(x) AS s FROM (${range(u).map((i) => `SELECT ${i} AS x`).join(' UNION ALL ')}) t`, expect: 'answer', duck: true });
    out.push({ name: `UNION chain ${u}`, sql: `SELECT count(*) AS n FROM (${range(u).map((i) => `SELECT ${i % 10} AS x`).join(' UNION ')}) t`, expect: 'answer', duck: true });
  }
  out.push({ name: 'VALUES with 10000 rows', sql: `SELECT count(*) AS n, sum(x) AS s FROM (VALUES ${range(n).map((i) => `(${i})`).join(', ')}) t(x)`, expect: 'answer', duck: true });
  out.push({ name: 'ARRAY of 10000 elements', sql: `SELECT cardinality(ARRAY[${range(n).join(', ')}]) AS x`, expect: 'answer', rows: [[n]] });
  return out;
}

function hugeLiterals(): HostileCase[] {
  const out: HostileCase[] = [];
  const mb10 = repeat('x', 10 * 1024 * 1024);
  out.push({ name: '10 MB string literal', sql: `SELECT length('${mb10}') AS n`, expect: 'either', codes: ['QUERY_TEXT_TOO_LARGE'], duck: true });
  out.push({ name: '10 MB quoted identifier', sql: `SELECT 1 AS "${mb10}"`, expect: 'either', columns: 1, codes: ['QUERY_TEXT_TOO_LARGE', 'SYNTAX_ERROR', 'QUERY_REJECTED', 'NOT_SUPPORTED'] });
  out.push({ name: '10 MB comment', sql: `SELECT 1 AS x /* ${mb10} */`, expect: 'either', codes: ['QUERY_TEXT_TOO_LARGE'], rows: [[1]] });
  const digits = '9' + repeat('0', 999);
  out.push({ name: '1000-digit integer', sql: `SELECT ${digits} AS x`, expect: 'error', codes: ['NUMERIC_VALUE_OUT_OF_RANGE', 'INVALID_LITERAL'] });
  out.push({ name: '1000-digit decimal', sql: `SELECT ${digits}.5 AS x`, expect: 'error', codes: ['NUMERIC_VALUE_OUT_OF_RANGE', 'INVALID_LITERAL'] });
  // More than 38 digits: a double (as DuckDB reads it), never a decimal(1000).
  out.push({ name: '1000 fraction digits', sql: `SELECT 0.${digits} AS x`, expect: 'either', codes: ['NUMERIC_VALUE_OUT_OF_RANGE', 'INVALID_LITERAL'], duck: true });
  out.push({ name: '60-digit decimal', sql: `SELECT ${repeat('12345', 12)}.5 AS x`, expect: 'either', codes: ['NUMERIC_VALUE_OUT_OF_RANGE', 'INVALID_LITERAL'], duck: true });
  out.push({ name: 'DECIMAL literal 1000 digits', sql: `SELECT DECIMAL '${digits}' AS x`, expect: 'error', codes: ['NUMERIC_VALUE_OUT_OF_RANGE', 'INVALID_LITERAL'] });
  out.push({ name: 'bigint overflow literal', sql: 'SELECT 9223372036854775808 AS x', expect: 'either', codes: ['NUMERIC_VALUE_OUT_OF_RANGE', 'INVALID_LITERAL'], rows: [['9223372036854775808']] });
  out.push({ name: 'bigint max', sql: 'SELECT 9223372036854775807 AS x', expect: 'answer', duck: true });
  out.push({ name: 'decimal(38) max', sql: `SELECT ${repeat('9', 38)} AS x`, expect: 'answer', rows: [[repeat('9', 38)]] });
  out.push({ name: 'decimal overflow by addition', sql: `SELECT ${repeat('9', 38)} + 1 AS x`, expect: 'error', codes: ['NUMERIC_VALUE_OUT_OF_RANGE'] });
  out.push({ name: 'decimal overflow by multiplication', sql: `SELECT CAST(${repeat('9', 20)} AS decimal(38,0)) * CAST(${repeat('9', 20)} AS decimal(38,0)) AS x`, expect: 'error', codes: ['NUMERIC_VALUE_OUT_OF_RANGE'] });
  out.push({ name: 'decimal(39)', sql: 'SELECT CAST(1 AS decimal(39, 0)) AS x', expect: 'error', codes: ['INVALID_LITERAL', 'NUMERIC_VALUE_OUT_OF_RANGE', 'TYPE_NOT_FOUND', 'NOT_SUPPORTED', 'INVALID_ARGUMENTS', 'INVALID_FUNCTION_ARGUMENT'] });
  out.push({ name: '1e400', sql: 'SELECT 1e400 AS x', expect: 'either', codes: ['NUMERIC_VALUE_OUT_OF_RANGE', 'INVALID_LITERAL'], rows: [['Infinity']] });
  out.push({ name: '1e-400', sql: 'SELECT 1e-400 AS x', expect: 'either', codes: ['NUMERIC_VALUE_OUT_OF_RANGE', 'INVALID_LITERAL'], rows: [[0]] });
  out.push({ name: 'exponent with 1000 digits', sql: `SELECT 1e${digits} AS x`, expect: 'either', codes: ['NUMERIC_VALUE_OUT_OF_RANGE', 'INVALID_LITERAL'], rows: [['Infinity']] });
  out.push({ name: 'CAST of 1000-digit string to bigint', sql: `SELECT CAST('${digits}' AS bigint) AS x`, expect: 'error', codes: ['INVALID_CAST_ARGUMENT', 'NUMERIC_VALUE_OUT_OF_RANGE'] });
  out.push({ name: 'CAST of 1000-digit string to double', sql: `SELECT CAST('${digits}' AS double) AS x`, expect: 'answer', rows: [['Infinity']] });
  out.push({ name: 'DATE literal out of range', sql: "SELECT DATE '99999999-01-01' AS x", expect: 'error', codes: ['INVALID_LITERAL'] });
  out.push({ name: 'INTERVAL with 1000 digits', sql: `SELECT INTERVAL '${digits}' DAY AS x`, expect: 'error', codes: ['INVALID_LITERAL', 'NUMERIC_VALUE_OUT_OF_RANGE'] });
  out.push({ name: 'varchar(2^40)', sql: 'SELECT CAST(1 AS varchar(1099511627776)) AS x', expect: 'either', codes: ['INVALID_LITERAL', 'NUMERIC_VALUE_OUT_OF_RANGE', 'TYPE_NOT_FOUND', 'NOT_SUPPORTED'], rows: [['1']] });
  out.push({ name: 'LIMIT 1000 digits', sql: `SELECT 1 AS x LIMIT ${digits}`, expect: 'either', codes: ['INVALID_LIMIT_CLAUSE', 'NUMERIC_VALUE_OUT_OF_RANGE', 'INVALID_LITERAL'], rows: [[1]] });
  out.push({ name: 'repeat to 1 GB', sql: "SELECT length(repeat('x', 1000000000)) AS x", expect: 'either', codes: ['INVALID_FUNCTION_ARGUMENT', 'EXCEEDED_MEMORY_LIMIT', 'NOT_SUPPORTED', 'FUNCTION_NOT_FOUND'], rows: [[1000000000]] });
  return out;
}

function unterminated(): HostileCase[] {
  const out: HostileCase[] = [];
  for (const [name, sql] of [
    ['string', "SELECT 'abc"],
    ['string with doubled quote at end', "SELECT 'abc''"],
    ['quoted identifier', 'SELECT 1 AS "abc'],
    ['block comment', 'SELECT 1 /* never closed'],
    ['nested-looking block comment', 'SELECT 1 /* a /* b */ c */'],
    ['string across 10000 lines', `SELECT '${repeat('line\n', 10_000)}`],
    ['string in second statement', "SELECT 1; SELECT 'x"],
    ['only an open quote', "'"],
    ['only a double quote', '"'],
    ['only /*', '/*'],
    ['unicode escape string', "SELECT U&'\\D800' AS x"],
    ['empty quoted identifier', 'SELECT 1 AS ""'],
  ] as const) {
    out.push({ name: `unterminated/odd ${name}`, sql, expect: 'error', codes: name === 'unicode escape string' ? ['SYNTAX_ERROR', 'INVALID_LITERAL', 'NOT_SUPPORTED'] : SYNTAX });
  }
  return out;
}

/** Strings that are not valid text: decoded from invalid UTF-8 (→ U+FFFD), lone surrogates, NULs, controls. */
function badText(): HostileCase[] {
  const out: HostileCase[] = [];
  const invalid = Buffer.from([0x53, 0x45, 0x4c, 0x45, 0x43, 0x54, 0x20, 0x27, 0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80, 0x27]).toString('utf8');
  out.push({ name: 'invalid UTF-8 in a string literal', sql: invalid, expect: 'answer', rows: [['\ufffd(\ufffd\ufffd\ufffd\ufffd\ufffd']] });
  const invalidWord = Buffer.concat([Buffer.from('SELECT 1 AS '), Buffer.from([0xff, 0xc0, 0xaf])]).toString('utf8');
  out.push({ name: 'invalid UTF-8 as an identifier', sql: invalidWord, expect: 'error', codes: SYNTAX });
  out.push({ name: 'lone high surrogate in a literal', sql: "SELECT length('a\ud800b') AS n", expect: 'answer', rows: [[3]] });
  out.push({ name: 'lone low surrogate in a literal', sql: "SELECT 'a\udc00b' = 'a\udc00b' AS n", expect: 'answer', rows: [[true]] });
  out.push({ name: 'lone surrogate as a token', sql: 'SELECT \ud800', expect: 'error', codes: SYNTAX });
  out.push({ name: 'lone surrogate in a quoted identifier', sql: 'SELECT 1 AS "\udfff"', expect: 'either', codes: SYNTAX, rows: [[1]] });
  out.push({ name: 'NUL in a string literal', sql: "SELECT length('a\u0000b') AS n", expect: 'answer', rows: [[3]] });
  out.push({ name: 'NUL between tokens', sql: 'SELECT 1\u0000', expect: 'error', codes: SYNTAX });
  out.push({ name: 'NUL only', sql: '\u0000', expect: 'error', codes: SYNTAX });
  out.push({ name: 'NUL in an identifier', sql: 'SELECT 1 AS "a\u0000b"', expect: 'either', codes: SYNTAX, rows: [[1]] });
  out.push({ name: 'control characters', sql: 'SELECT\u0001 1', expect: 'error', codes: SYNTAX });
  out.push({ name: 'bidi override in a literal', sql: "SELECT length('\u202eabc') AS n", expect: 'answer', rows: [[4]] });
  out.push({ name: 'BOM before the statement', sql: '\ufeffSELECT 1 AS x', expect: 'answer', rows: [[1]] });
  out.push({ name: 'zero-width space between tokens', sql: 'SELECT\u200b1', expect: 'error', codes: SYNTAX });
  out.push({ name: 'CRLF and CR line ends', sql: 'SELECT\r\n1\rAS x', expect: 'answer', rows: [[1]] });
  out.push({ name: 'error position after CRLF lines', sql: 'SELECT\r\n1,\r\n\r\n  FROM', expect: 'error', codes: SYNTAX });
  return out;
}

function manyColumns(): HostileCase[] {
  const out: HostileCase[] = [];
  out.push({ name: 'SELECT 5000 columns', sql: `SELECT ${range(5000).map((i) => `${i} AS c${i}`).join(', ')}`, expect: 'answer', columns: 5000 });
  out.push({ name: 'SELECT * over a 3000-column VALUES', sql: `SELECT * FROM (VALUES (${range(3000).join(', ')}), (${range(3000).map((i) => -i).join(', ')})) t`, expect: 'answer', columns: 3000 });
  out.push({ name: 'VALUES with 3000 column aliases', sql: `SELECT c3000 FROM (VALUES (${range(3000).join(', ')})) t(${range(3000).map((i) => `c${i}`).join(', ')})`, expect: 'answer', rows: [[3000]] });
  out.push({ name: '5000 duplicate column names', sql: `SELECT ${range(5000).map((i) => `${i} AS c`).join(', ')}`, expect: 'answer', columns: 5000 });
  out.push({ name: 'GROUP BY 500 columns', sql: `SELECT count(*) AS n FROM (SELECT ${range(500).map((i) => `${i} AS c${i}`).join(', ')}) t GROUP BY ${range(500).map((i) => `c${i}`).join(', ')}`, expect: 'answer', rows: [[1]] });
  out.push({ name: 'ORDER BY 2000 keys', sql: `SELECT locationid FROM taxi_zone_lookup ORDER BY ${range(2000).map(() => 'locationid').join(', ')} LIMIT 2`, expect: 'answer', rows: [[1], [2]] });
  out.push({ name: '300-way CROSS JOIN of one-row tables', sql: `SELECT count(*) AS n FROM ${range(300).map((i) => `(VALUES 1) t${i}(x${i})`).join(', ')}`, expect: 'either', codes: NESTING, rows: [[1]] });
  out.push({ name: '300-way JOIN chain', sql: `SELECT count(*) AS n FROM (VALUES 1) t0(x) ${range(300).map((i) => `JOIN (VALUES 1) t${i}(x) ON t${i}.x = t${i - 1}.x`).join(' ')}`, expect: 'either', codes: NESTING, rows: [[1]] });
  return out;
}

function identifiers(): HostileCase[] {
  const out: HostileCase[] = [];
  const long = repeat('a', 100_000);
  out.push({ name: '100k-character identifier', sql: `SELECT 1 AS ${long}`, expect: 'either', codes: ['SYNTAX_ERROR', 'QUERY_REJECTED', 'NOT_SUPPORTED'], columns: 1 });
  out.push({ name: '100k-character unknown column', sql: `SELECT ${long} FROM taxi_zone_lookup`, expect: 'error', codes: ['COLUMN_NOT_FOUND'] });
  out.push({ name: '100k-character unknown table', sql: `SELECT * FROM ${long}`, expect: 'error', codes: ['TABLE_NOT_FOUND'] });
  out.push({ name: '100k-character unknown function', sql: `SELECT ${long}(1)`, expect: 'error', codes: ['FUNCTION_NOT_FOUND'] });
  out.push({ name: '100k-character quoted identifier', sql: `SELECT 1 AS "${repeat('"" ', 30_000)}"`, expect: 'either', codes: ['SYNTAX_ERROR', 'QUERY_REJECTED', 'NOT_SUPPORTED'], columns: 1 });
  out.push({ name: 'keywords as quoted identifiers', sql: 'SELECT "select"."from" AS "where" FROM (VALUES 1) AS "select"("from")', expect: 'answer', rows: [[1]] });
  out.push({ name: 'non-reserved keywords as identifiers', sql: 'SELECT date, year, data, format FROM (VALUES (1, 2, 3, 4)) t(date, year, data, format)', expect: 'either', codes: SYNTAX, rows: [[1, 2, 3, 4]] });
  // Trino refuses a reserved word as a bare alias; accepting it is lenient, not a wrong answer.
  out.push({ name: 'reserved keyword as a bare identifier', sql: 'SELECT 1 AS select', expect: 'either', codes: SYNTAX, rows: [[1]] });
  out.push({ name: 'reserved keyword as a bare table', sql: 'SELECT * FROM from', expect: 'error', codes: SYNTAX });
  out.push({ name: 'Unicode identifiers', sql: 'SELECT größe, 名前 FROM (VALUES (1, 2)) t(größe, 名前)', expect: 'answer', rows: [[1, 2]] });
  out.push({ name: 'emoji quoted identifier', sql: 'SELECT "🦈🌊" FROM (VALUES 1) t("🦈🌊")', expect: 'answer', rows: [[1]] });
  out.push({ name: 'emoji bare identifier', sql: 'SELECT 1 AS 🦈', expect: 'error', codes: SYNTAX });
  out.push({ name: 'emoji in a string', sql: "SELECT length('🦈') AS n, '🦈' AS s", expect: 'answer', rows: [[1, '🦈']] });
  out.push({ name: 'combining characters in an identifier', sql: 'SELECT "e\u0301" FROM (VALUES 1) t("e\u0301")', expect: 'answer', rows: [[1]] });
  return out;
}

function emptyAndScripts(): HostileCase[] {
  const out: HostileCase[] = [];
  out.push({ name: 'empty statement', sql: '', expect: 'error', codes: SYNTAX });
  out.push({ name: 'whitespace only', sql: ' \n\t\r ', expect: 'error', codes: SYNTAX });
  out.push({ name: 'semicolons only', sql: ';;;;', expect: 'error', codes: SYNTAX });
  out.push({ name: 'line comment only', sql: '-- nothing here', expect: 'error', codes: SYNTAX });
  out.push({ name: 'block comment only', sql: '/* nothing */', expect: 'error', codes: SYNTAX });
  out.push({ name: '10000 comments only', sql: repeat('/* c */ -- d\n', 10_000), expect: 'error', codes: SYNTAX });
  out.push({ name: 'two statements to a single-statement call', sql: 'SELECT 1; SELECT 2', expect: 'error', codes: SYNTAX });
  out.push({ name: 'script of 1000 statements', sql: range(1000).map((i) => `SELECT ${i} AS x;`).join('\n'), script: true, expect: 'answer', rows: [[1000]] });
  out.push({ name: 'script of 100000 empty statements', sql: repeat(';', 100_000) + 'SELECT 1 AS x', script: true, expect: 'answer', rows: [[1]] });
  out.push({ name: 'script with an error in statement 3000', sql: range(5000).map((i) => (i === 3000 ? 'SELEC 1;' : `SELECT ${i};`)).join('\n'), script: true, expect: 'error', codes: SYNTAX });
  out.push({ name: 'script with 10000 unterminated-looking problems', sql: repeat('SELECT 1 ! ;', 10_000), script: true, expect: 'error', codes: SYNTAX });
  return out;
}

function malformed(): HostileCase[] {
  const out: HostileCase[] = [];
  for (const [name, sql, codes] of [
    ['garbage', '%%%%', SYNTAX],
    ['keyword soup', 'SELECT FROM WHERE GROUP BY ORDER BY', SYNTAX],
    ['trailing comma', 'SELECT 1,', SYNTAX],
    ['dangling operator', 'SELECT 1 +', SYNTAX],
    ['empty IN list', 'SELECT 1 IN ()', SYNTAX],
    ['empty function args to abs', 'SELECT abs()', ['FUNCTION_NOT_FOUND', 'INVALID_ARGUMENTS', 'SYNTAX_ERROR']],
    ['empty ARRAY index', 'SELECT ARRAY[1][]', SYNTAX],
    ['CASE without WHEN', 'SELECT CASE END', SYNTAX],
    ['bad CAST type', 'SELECT CAST(1 AS nosuchtype)', ['TYPE_NOT_FOUND', 'SYNTAX_ERROR']],
    ['deep CAST type', `SELECT CAST(NULL AS ${nest('array(', 'integer', ')', 1000)})`, ['QUERY_REJECTED', 'STACK_OVERFLOW', 'TYPE_NOT_FOUND', 'NOT_SUPPORTED', 'SYNTAX_ERROR']],
    ['deep ROW type', `SELECT CAST(NULL AS ${nest('row(a ', 'integer', ')', 1000)})`, ['QUERY_REJECTED', 'STACK_OVERFLOW', 'TYPE_NOT_FOUND', 'NOT_SUPPORTED', 'SYNTAX_ERROR']],
    ['integer division by zero', 'SELECT 1 / 0', ['DIVISION_BY_ZERO']],
    ['LIMIT negative', 'SELECT 1 LIMIT -1', ['INVALID_LIMIT_CLAUSE', 'SYNTAX_ERROR']],
    ['window in WHERE', 'SELECT 1 FROM taxi_zone_lookup WHERE row_number() OVER () = 1', ['NOT_SUPPORTED', 'EXPRESSION_NOT_SCALAR', 'SYNTAX_ERROR']],
    ['nested aggregate', 'SELECT sum(sum(locationid)) FROM taxi_zone_lookup', ['NESTED_AGGREGATION']],
    ['long unknown keyword', `${repeat('X', 1000)} 1`, SYNTAX],
    ['operators only', repeat('+-*/', 10_000), SYNTAX],
    ['10000 commas', `SELECT ${repeat(',', 10_000)}`, SYNTAX],
    ['10000 dots', `SELECT a${repeat('.', 10_000)}b`, SYNTAX],
    ['qualified name of 1000 parts', `SELECT ${range(1000).map((i) => `p${i}`).join('.')}`, ['COLUMN_NOT_FOUND', 'SYNTAX_ERROR', 'NOT_SUPPORTED']],
    ['table name of 1000 parts', `SELECT * FROM ${range(1000).map((i) => `p${i}`).join('.')}`, ['TABLE_NOT_FOUND', 'SYNTAX_ERROR', 'NOT_SUPPORTED', 'CATALOG_NOT_FOUND']],
    ['backslash', 'SELECT \\', SYNTAX],
    ['backtick identifier', 'SELECT `a`', SYNTAX],
    ['dollar parameter', 'SELECT $1', SYNTAX],
    ['question mark', 'SELECT ?', ['SYNTAX_ERROR', 'NOT_SUPPORTED', 'INVALID_PARAMETER_USAGE']],
  ] as const) {
    out.push({ name: `malformed ${name}`, sql, expect: 'error', codes });
  }
  return out;
}

export function hostileSqlCorpus(): HostileCase[] {
  return [...deepNesting(), ...longLists(), ...hugeLiterals(), ...unterminated(), ...badText(), ...manyColumns(), ...identifiers(), ...emptyAndScripts(), ...malformed()];
}
