import { formatRemoteValue, isNumericSignature } from './remote-values.js';
import type { RemoteStats } from './remote-types.js';
import type { TrinoProtocolClient } from './trino-protocol-client.js';

/**
 * A "query runner" over a Trino-protocol server, for the REPL (the lead aligns it with the REPL's own runner
 * interface; the local runner would wrap Session the same way). Contract:
 *
 * - `run(sql, signal)` sends ONE statement and resolves once its columns are known (or it finished): columns
 *   carry the name, Trino's type name and whether values right-align. `rows()` yields pages of text-ready
 *   cells (null = SQL NULL; nested values already `[1, 2]` / `{k=v}` / `{x=1, y=abc}`). Firing `signal`
 *   cancels the query on the server and makes `run` or `rows()` reject with a ShoalError USER_CANCELED.
 *   Errors are RemoteQueryError (a ShoalError with a span in the statement's own coordinates: shift it with
 *   `inScript(start)` when the statement came from a longer buffer).
 * - `progress()` is the latest server snapshot (undefined before the first page): for the progress line.
 * - `updateType` / `updateCount` are known after `rows()` is drained (USE, SET SESSION, CREATE TABLE…).
 * - `catalogs()`, `schemas(c)`, `tables(c, s)`, `columns(c, s, t)` list names for Tab completion through SHOW
 *   queries; `currentCatalog` / `currentSchema` follow USE (the client folds the server's Set- headers).
 */
export interface RunnerColumn {
  readonly name: string;
  readonly typeName: string;
  readonly numeric: boolean;
}

export interface RunnerProgress {
  readonly state: string;
  readonly completedSplits: number;
  readonly totalSplits: number;
  readonly processedRows: number;
  readonly processedBytes: number;
  readonly elapsedMs: number;
}

export interface RunningStatement {
  readonly columns: readonly RunnerColumn[];
  rows(): AsyncIterable<readonly (readonly (string | null)[])[]>;
  progress(): RunnerProgress | undefined;
  readonly updateType: string | undefined;
  readonly updateCount: number | undefined;
}

function progressOf(s: RemoteStats | undefined): RunnerProgress | undefined {
  if (s === undefined) return undefined;
  return {
    state: s.state, completedSplits: s.completedSplits, totalSplits: s.totalSplits,
    processedRows: s.processedRows, processedBytes: s.processedBytes, elapsedMs: s.elapsedTimeMillis,
  };
}

function quoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export class RemoteRunner {
  constructor(readonly client: TrinoProtocolClient) {}

  /** What the REPL prints on start ("Connected to …"). */
  get description(): string {
    return this.client.options.server;
  }

  get currentCatalog(): string | undefined {
    return this.client.session.catalog;
  }

  get currentSchema(): string | undefined {
    return this.client.session.schema;
  }

  async run(sql: string, signal?: AbortSignal): Promise<RunningStatement> {
    const result = await this.client.execute(sql, signal);
    const cols = result.columns ?? [];
    return {
      columns: cols.map((c) => ({ name: c.name, typeName: c.type, numeric: isNumericSignature(c.typeSignature) })),
      rows: async function* () {
        for await (const page of result.pages()) yield page.map((row) => cols.map((c, i) => formatRemoteValue(row[i] ?? null, c.typeSignature)));
      },
      progress: () => progressOf(result.stats),
      get updateType() {
        return result.updateType;
      },
      get updateCount() {
        return result.updateCount;
      },
    };
  }

  /** The first column of every row of a SHOW query. */
  private async firstColumn(sql: string, signal?: AbortSignal): Promise<string[]> {
    const st = await this.run(sql, signal);
    const out: string[] = [];
    for await (const page of st.rows()) for (const row of page) if (row[0] !== null && row[0] !== undefined) out.push(row[0]);
    return out;
  }

  catalogs(signal?: AbortSignal): Promise<string[]> {
    return this.firstColumn('SHOW CATALOGS', signal);
  }

  schemas(catalog: string, signal?: AbortSignal): Promise<string[]> {
    return this.firstColumn(`SHOW SCHEMAS FROM ${quoted(catalog)}`, signal);
  }

  tables(catalog: string, schema: string, signal?: AbortSignal): Promise<string[]> {
    return this.firstColumn(`SHOW TABLES FROM ${quoted(catalog)}.${quoted(schema)}`, signal);
  }

  columns(catalog: string, schema: string, table: string, signal?: AbortSignal): Promise<string[]> {
    return this.firstColumn(`SHOW COLUMNS FROM ${quoted(catalog)}.${quoted(schema)}.${quoted(table)}`, signal);
  }
}
