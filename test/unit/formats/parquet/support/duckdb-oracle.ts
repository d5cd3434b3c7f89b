/**
 * DuckDB as the oracle for Parquet tests: it writes the fixtures and reads the same files back, so every value
 * and statistic Shoal decodes can be compared with what DuckDB sees. Values are compared as "keys": strings for
 * exact types (integers, decimals in plain notation, days, epoch µs/ns, text), numbers for floats, null for NULL.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { formatDecimal, type Scalar, type SqlType } from '../../../../../src/types/index.js';

export type Key = string | number | null;

export interface Oracle {
  readonly conn: DuckDBConnection;
  run(sql: string): Promise<void>;
  rows(sql: string): Promise<unknown[][]>;
  close(): void;
}

export async function openOracle(): Promise<Oracle> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  return {
    conn,
    run: async (sql) => {
      await conn.run(sql);
    },
    rows: async (sql) => (await conn.runAndReadAll(sql)).getRowsJS() as unknown[][],
    close: () => {
      conn.closeSync();
      db.closeSync();
    },
  };
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** DuckDB's type name of each column of a Parquet file, by column name. */
export async function duckTypes(o: Oracle, path: string): Promise<Map<string, string>> {
  const rows = await o.rows(`DESCRIBE SELECT * FROM read_parquet(${quoteString(path)})`);
  return new Map(rows.map((r) => [String(r[0]), String(r[1])]));
}

/** A SQL expression over `expr` (a value of DuckDB type `duck`) giving the key of a value of Shoal type `t`. */
export function oracleExpr(expr: string, t: SqlType, duck: string): string {
  switch (t.kind) {
    case 'real':
    case 'double':
      return `CAST(${expr} AS DOUBLE)`;
    case 'timestamp':
      return duck === 'TIMESTAMP_NS' ? `CAST(epoch_ns(${expr}) AS VARCHAR)` : `CAST(epoch_us(${expr}) AS VARCHAR)`;
    case 'date':
      return `CAST(${expr} - DATE '1970-01-01' AS VARCHAR)`;
    case 'varchar':
      return duck === 'BLOB' ? `decode(${expr})` : `CAST(${expr} AS VARCHAR)`;
    case 'unknown':
      return 'NULL';
    default:
      return `CAST(${expr} AS VARCHAR)`;
  }
}

/** The key of a Shoal scalar of type `t`, comparable with oracleExpr's for DuckDB type `duck`. */
export function scalarKey(v: Scalar, t: SqlType, duck: string): Key {
  if (v === null) return null;
  switch (t.kind) {
    case 'real':
    case 'double':
      return v as number;
    case 'timestamp': {
      let x = v as bigint;
      // DuckDB reads INT96 and ns data it cannot keep as µs: compare at its precision (floored).
      if (t.precision > 6 && duck !== 'TIMESTAMP_NS') x = x / 1000n - (x % 1000n < 0n ? 1n : 0n);
      return String(x);
    }
    case 'decimal':
      return formatDecimal(v as bigint, t.scale);
    default:
      return String(v);
  }
}

export function keyOf(v: unknown): Key {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string') return v;
  return String(v);
}

export function sameKey(a: Key, b: Key): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || (Number.isNaN(a) && Number.isNaN(b));
  return a === b;
}

/** Every column's keys in file order (of the rows `where` keeps, when given), as DuckDB reads them. */
export async function oracleColumns(o: Oracle, path: string, fields: readonly { name: string; type: SqlType }[], where = 'true'): Promise<Map<string, Key[]>> {
  const types = await duckTypes(o, path);
  const exprs = fields.map((f) => oracleExpr(quoteIdent(f.name), f.type, types.get(f.name) ?? '?'));
  const rows = await o.rows(`SELECT ${exprs.join(', ')} FROM read_parquet(${quoteString(path)}, file_row_number = true) WHERE ${where} ORDER BY file_row_number`);
  const out = new Map<string, Key[]>();
  fields.forEach((f, i) => out.set(f.name, rows.map((r) => keyOf(r[i]))));
  return out;
}

export interface OracleStats {
  readonly nullCount: number | null;
  readonly min: Key;
  readonly max: Key;
  /** DuckDB's text of the bounds (to explain a bound Shoal leaves out). */
  readonly minText: string | null;
  readonly maxText: string | null;
}

function floatKey(v: unknown): Key {
  if (v === null || v === undefined) return null;
  const t = String(v).toLowerCase();
  return t === 'inf' || t === 'infinity' ? Infinity : t === '-inf' || t === '-infinity' ? -Infinity : t === 'nan' ? Number.NaN : Number(t);
}

/** DuckDB's parquet_metadata() statistics of top-level columns, per row group, as keys (one query per file). */
export async function oracleStatistics(
  o: Oracle, path: string, fields: readonly { name: string; type: SqlType }[], types: ReadonlyMap<string, string>,
): Promise<Map<string, OracleStats[]>> {
  const branches = fields.map((f) => {
    const duck = types.get(f.name) ?? '?';
    const cast = (col: string): string => (f.type.kind === 'varchar' && duck !== 'BLOB' ? col : `TRY_CAST(${col} AS ${duck})`);
    const key = (col: string): string => `CAST(${oracleExpr(cast(col), f.type, duck)} AS VARCHAR)`;
    return `SELECT ${quoteString(f.name)} AS col, row_group_id, stats_null_count, ${key('stats_min_value')}, ${key('stats_max_value')}, stats_min_value, stats_max_value
      FROM pm WHERE path_in_schema = ${quoteString(f.name)}`;
  });
  const rows = await o.rows(`WITH pm AS MATERIALIZED (SELECT * FROM parquet_metadata(${quoteString(path)}))
    SELECT * FROM (${branches.join(' UNION ALL ')}) ORDER BY col, row_group_id`);
  const out = new Map<string, OracleStats[]>(fields.map((f) => [f.name, []]));
  const floats = new Set(fields.filter((f) => f.type.kind === 'real' || f.type.kind === 'double').map((f) => f.name));
  for (const r of rows) {
    const name = String(r[0]);
    const key = floats.has(name) ? floatKey : keyOf;
    out.get(name)!.push({
      nullCount: r[2] === null ? null : Number(r[2]),
      min: key(r[3]),
      max: key(r[4]),
      minText: r[5] === null ? null : String(r[5]),
      maxText: r[6] === null ? null : String(r[6]),
    });
  }
  return out;
}
