import type { ProgressSnapshot, QueryRunner, RowChunk, RunningQuery } from '../repl/query-runner.js';
import { sqlCatalogLister } from '../repl/query-runner.js';
import { formatRemoteValue, isNumericSignature, remoteJson } from './remote-values.js';
import type { JsonValue } from './lossless-json.js';
import type { RemoteColumn } from './remote-types.js';
import type { TrinoProtocolClient } from './trino-protocol-client.js';

/**
 * The REPL's QueryRunner over a Trino-protocol server (`shoal --server URL`): each statement goes through the
 * client (which folds the server's Set-Catalog/-Schema/-Session headers, so USE and SET SESSION carry over),
 * rows arrive as pages of JSON values rendered on demand, progress comes from the server's stats, and Tab
 * completion lists names with SHOW statements like the local runner. Firing the signal sends DELETE on the
 * query's nextUri (the client's cancel) and makes iteration reject with USER_CANCELED.
 */
class JsonPageChunk implements RowChunk {
  constructor(private readonly rows: readonly (readonly JsonValue[])[], private readonly cols: readonly RemoteColumn[]) {}
  get length(): number {
    return this.rows.length;
  }
  text(r: number, c: number): string | null {
    return formatRemoteValue(this.rows[r]![c] ?? null, this.cols[c]!.typeSignature);
  }
  json(r: number, c: number): string {
    return remoteJson(this.rows[r]![c] ?? null, this.cols[c]!.typeSignature);
  }
}

export class RemoteRunner implements QueryRunner {
  private readonly lister = sqlCatalogLister(this);
  constructor(readonly client: TrinoProtocolClient) {}

  /** What the REPL prints on start. */
  get description(): string {
    return this.client.options.server;
  }

  readonly current = (): { catalog: string | undefined; schema: string | undefined } => ({ catalog: this.client.session.catalog, schema: this.client.session.schema });

  async run(sql: string, signal: AbortSignal): Promise<RunningQuery> {
    const result = await this.client.execute(sql, signal);
    const cols = result.columns ?? [];
    const started = performance.now();
    return {
      columns: cols.map((c) => ({ name: c.name, type: c.type, numeric: isNumericSignature(c.typeSignature) })),
      chunks: (async function* (): AsyncIterable<RowChunk> {
        for await (const page of result.pages()) if (page.length > 0) yield new JsonPageChunk(page, cols);
      })(),
      progress: (): ProgressSnapshot => {
        const s = result.stats;
        return {
          splitsDone: s?.completedSplits ?? 0, splitsTotal: s?.totalSplits ?? 0, rows: s?.processedRows ?? 0,
          bytes: s?.processedBytes ?? 0, elapsedMs: s?.elapsedTimeMillis ?? performance.now() - started,
        };
      },
      get updateType() {
        return result.updateType;
      },
      get updateCount() {
        return result.updateCount;
      },
    };
  }

  catalogs(): Promise<string[]> {
    return this.lister.catalogs();
  }

  schemas(catalog: string): Promise<string[]> {
    return this.lister.schemas(catalog);
  }

  tables(catalog: string, schema: string): Promise<string[]> {
    return this.lister.tables(catalog, schema);
  }

  columns(table: string): Promise<string[]> {
    return this.lister.columns(table);
  }

  functions(): Promise<string[]> {
    return this.lister.functions();
  }
}
