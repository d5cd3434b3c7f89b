import { formatValue, toJsValue, typeName, type JsValue, type QueryResult, type Scalar, type Session, type SqlType } from '../../engine/index.js';
import { isNumericType } from '../render-value.js';
import { jsonValue } from '../result-writer.js';

/**
 * What the REPL needs from whatever runs its SQL: the local engine (LocalQueryRunner below) or a remote
 * Trino-protocol server (`shoal --server URL`). The REPL never touches Session or QueryResult directly, so a
 * remote runner plugs in by implementing this interface and calling `runReplWith(runner, io, format)` from
 * src/cli/repl.ts (main.ts calls `runRepl(session, …)`, which wraps the session in LocalQueryRunner).
 *
 * Contract for implementers:
 * - `run(sql, signal)` runs ONE statement (the REPL splits scripts at `;` itself). It resolves once the columns
 *   are known. Errors (at run time or while iterating `chunks`) are thrown; a ShoalError with a span in the
 *   coordinates of `sql` gets a `line L:C:` and caret from the REPL, anything else is printed as its message.
 *   Aborting `signal` must stop the query promptly; iteration then throws (any error) and the runner stays usable.
 * - `chunks` is iterated at most once; breaking out of it releases the query.
 * - `progress()` may be called at any time while the query runs (the REPL polls it a few times a second).
 * - The listing methods feed Tab completion; they may be slow or fail (the REPL caches and swallows errors).
 *   `sqlCatalogLister` implements them over `run` with SHOW statements, which any Trino-protocol server answers.
 */
export interface QueryRunner {
  /** The current catalog and schema (USE changes them), for the prompt and for completion. */
  readonly current: () => { catalog: string | undefined; schema: string | undefined };
  run(sql: string, signal: AbortSignal): Promise<RunningQuery>;
  catalogs(): Promise<string[]>;
  schemas(catalog: string): Promise<string[]>;
  tables(catalog: string, schema: string): Promise<string[]>;
  /** Column names of a table named as in SQL (`t`, `s.t` or `c.s.t`, resolved against the current catalog/schema). */
  columns(table: string): Promise<string[]>;
  functions(): Promise<string[]>;
}

export interface RunnerColumn {
  readonly name: string;
  /** Trino type name, e.g. `varchar`, `decimal(12,2)`. */
  readonly type: string;
  /** Right-align in tables. */
  readonly numeric: boolean;
}

/** A batch of rows; cells are rendered on demand so a runner keeps its own value representation. */
export interface RowChunk {
  readonly length: number;
  /** Display text (DESIGN §5), null for SQL NULL. */
  text(row: number, col: number): string | null;
  /** JSON text of the value. */
  json(row: number, col: number): string;
}

export interface ProgressSnapshot {
  readonly splitsDone: number;
  readonly splitsTotal: number;
  readonly rows: number;
  readonly bytes: number;
  readonly elapsedMs: number;
}

export interface RunningQuery {
  /** Empty for statements that return no rows (USE, SET SESSION, DDL). */
  readonly columns: readonly RunnerColumn[];
  readonly chunks: AsyncIterable<RowChunk>;
  progress(): ProgressSnapshot;
  /** "USE", "SET SESSION", "CREATE TABLE"… for statements that change state. */
  readonly updateType: string | undefined;
  readonly updateCount: number | undefined;
}

class ScalarChunk implements RowChunk {
  constructor(private readonly rows: readonly Scalar[][], private readonly types: readonly SqlType[]) {}
  get length(): number {
    return this.rows.length;
  }
  text(r: number, c: number): string | null {
    return formatValue(this.rows[r]![c]!, this.types[c]!);
  }
  json(r: number, c: number): string {
    return jsonValue(toJsValue(this.rows[r]![c]!, this.types[c]!) as JsValue);
  }
}

async function* scalarChunks(result: QueryResult): AsyncIterable<RowChunk> {
  const types = result.fields.map((f) => f.type);
  for await (const rows of result.rowChunks()) yield new ScalarChunk(rows, types);
}

/** The first column of every row of a statement's result (for SHOW listings). */
async function firstColumn(runner: Pick<QueryRunner, 'run'>, sql: string): Promise<string[]> {
  const q = await runner.run(sql, new AbortController().signal);
  const out: string[] = [];
  for await (const chunk of q.chunks) for (let r = 0; r < chunk.length; r++) out.push(chunk.text(r, 0) ?? '');
  return out;
}

const quoteIdent = (s: string): string => (/^[a-z_][a-z0-9_]*$/.test(s) ? s : `"${s.replace(/"/g, '""')}"`);

/** The completion listings over SHOW statements, for any runner that speaks Trino's SQL. */
export function sqlCatalogLister(runner: Pick<QueryRunner, 'run'>): Pick<QueryRunner, 'catalogs' | 'schemas' | 'tables' | 'columns' | 'functions'> {
  return {
    catalogs: () => firstColumn(runner, 'SHOW CATALOGS'),
    schemas: (c) => firstColumn(runner, `SHOW SCHEMAS FROM ${quoteIdent(c)}`),
    tables: (c, s) => firstColumn(runner, `SHOW TABLES FROM ${quoteIdent(c)}.${quoteIdent(s)}`),
    // The name comes from the user's statement as written (possibly quoted); it is passed through as SQL.
    columns: (t) => firstColumn(runner, `SHOW COLUMNS FROM ${t}`),
    functions: async () => [...new Set(await firstColumn(runner, 'SHOW FUNCTIONS'))],
  };
}

/** The REPL over the in-process engine. */
export class LocalQueryRunner implements QueryRunner {
  private readonly lister = sqlCatalogLister(this);
  constructor(private readonly session: Session) {}

  readonly current = (): { catalog: string | undefined; schema: string | undefined } => ({ catalog: this.session.catalog, schema: this.session.schema });

  async run(sql: string, signal: AbortSignal): Promise<RunningQuery> {
    const [parsed, ...rest] = this.session.parse(sql);
    if (parsed === undefined) return { columns: [], chunks: scalarChunksOf([]), progress: () => emptyProgress, updateType: undefined, updateCount: undefined };
    if (rest.length > 0) throw new Error('LocalQueryRunner.run takes one statement');
    const result = await this.session.run(parsed, { signal });
    return {
      columns: result.fields.map((f) => ({ name: f.name, type: typeName(f.type), numeric: isNumericType(f.type) })),
      chunks: scalarChunks(result),
      progress: () => {
        const s = result.stats();
        return { splitsDone: s.progress.splitsDone, splitsTotal: s.progress.splitsTotal, rows: s.progress.rowsRead, bytes: s.io.bytesRead, elapsedMs: s.elapsedMs };
      },
      updateType: result.updateType,
      updateCount: result.updateCount,
    };
  }

  catalogs(): Promise<string[]> { return this.lister.catalogs(); }
  schemas(c: string): Promise<string[]> { return this.lister.schemas(c); }
  tables(c: string, s: string): Promise<string[]> { return this.lister.tables(c, s); }
  columns(t: string): Promise<string[]> { return this.lister.columns(t); }
  functions(): Promise<string[]> { return this.lister.functions(); }
}

const emptyProgress: ProgressSnapshot = { splitsDone: 0, splitsTotal: 0, rows: 0, bytes: 0, elapsedMs: 0 };

async function* scalarChunksOf(chunks: readonly RowChunk[]): AsyncIterable<RowChunk> {
  yield* chunks;
}
