/**
 * The 22 TPC-H queries (test/tpch/queries/qNN.sql, Trino dialect, validation parameters) and what the
 * differential test and the benchmark need to know about each: whether its ORDER BY is total (rows then compare
 * in order; otherwise as multisets) and DuckDB's spelling where it must differ from Trino's.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface TpchQuery {
  /** 1..22 */
  readonly number: number;
  /** "q01".."q22" */
  readonly name: string;
  /** Trino's text, as in the .sql file, without the trailing semicolon. */
  readonly sql: string;
  /** DuckDB's text where it must differ (see DUCKDB_SPELLING for why), else the same as `sql`. */
  readonly duckSql: string;
  /** The ORDER BY determines the order of every row (or there is at most one row). */
  readonly totalOrder: boolean;
}

/** Queries whose ORDER BY leaves ties possible (revenue-like keys only); their rows compare as multisets. */
const PARTIAL_ORDER = new Set([3, 5, 10, 11, 18]);

/**
 * DuckDB rewrites, each for a Trino semantic DuckDB spells differently. Trino's avg(decimal(p,s)) is
 * decimal(p,s) (rounded half up) and decimal / decimal is a decimal with the larger scale, while DuckDB returns
 * DOUBLE for both; the rewrites round DuckDB's doubles to the scale Trino gives.
 */
const DUCKDB_SPELLING: Readonly<Record<number, (sql: string) => string>> = {
  1: (sql) => replaceAll(sql, /avg\((\w+)\)/g, 'CAST(avg($1) AS DECIMAL(15, 2))', 3),
  8: (sql) => replaceOnce(replaceOnce(sql, 'sum(CASE', 'CAST(sum(CASE'), 'sum(volume) AS mkt_share', 'sum(volume) AS DECIMAL(38, 4)) AS mkt_share'),
  14: (sql) => replaceOnce(replaceOnce(sql, '100.00 * sum(CASE', 'CAST(100.00 * sum(CASE'), ') AS promo_revenue', ') AS DECIMAL(38, 6)) AS promo_revenue'),
  17: (sql) => replaceOnce(replaceOnce(sql, 'sum(l_extendedprice) / 7.0', 'CAST(sum(l_extendedprice) / 7.0 AS DECIMAL(38, 2))'), '0.2 * avg(l_quantity)', '0.2 * CAST(avg(l_quantity) AS DECIMAL(15, 2))'),
  22: (sql) => replaceOnce(sql, 'avg(c_acctbal)', 'CAST(avg(c_acctbal) AS DECIMAL(15, 2))'),
};

/** Replaces exactly one occurrence, so a query edit that breaks a rewrite fails loudly instead of silently. */
function replaceOnce(sql: string, from: string, to: string): string {
  const at = sql.indexOf(from);
  if (at < 0 || sql.indexOf(from, at + 1) >= 0) throw new Error(`DuckDB rewrite: '${from}' must occur exactly once`);
  return sql.slice(0, at) + to + sql.slice(at + from.length);
}

function replaceAll(sql: string, pattern: RegExp, to: string, expected: number): string {
  const n = sql.match(pattern)?.length ?? 0;
  if (n !== expected) throw new Error(`DuckDB rewrite: ${String(pattern)} matches ${n} times, expected ${expected}`);
  return sql.replace(pattern, to);
}

const QUERY_DIR = path.join(import.meta.dirname, 'queries');

function load(n: number): TpchQuery {
  const name = `q${String(n).padStart(2, '0')}`;
  const sql = readFileSync(path.join(QUERY_DIR, `${name}.sql`), 'utf8').trim().replace(/;$/, '');
  const rewrite = DUCKDB_SPELLING[n];
  return { number: n, name, sql, duckSql: rewrite === undefined ? sql : rewrite(sql), totalOrder: !PARTIAL_ORDER.has(n) };
}

export const TPCH_QUERIES: readonly TpchQuery[] = Array.from({ length: 22 }, (_, i) => load(i + 1));

/**
 * The same query with other values of its substitution parameters (`from` → `to` in both spellings): at SF 0.01
 * some validation parameters select nothing (Q18's quantity 300, Q20's and Q8's nations with few suppliers), so
 * the differential test also runs these variants, which do return rows.
 */
export function withParameters(q: TpchQuery, label: string, from: string, to: string): TpchQuery {
  return { ...q, name: `${q.name}_${label}`, sql: replaceOnce(q.sql, from, to), duckSql: replaceOnce(q.duckSql, from, to) };
}
