import { ShoalError } from '../common/index.js';
import type { QueryResult, Session, Shoal } from '../engine/index.js';
import type { SqlType } from '../types/index.js';
import { encodeRows } from './encode-values.js';
import type { ProtocolColumn, QueryError, QueryResultsHead, QueryState } from './protocol-types.js';
import type { CatalogAccessRules } from './auth/index.js';
import { toQueryError } from './query-error.js';
import { sessionChanges, sessionReplyHeaders, type ClientSession, type SessionChanges } from './session-headers.js';
import { statementStats } from './statement-stats.js';
import { protocolColumn } from './type-signature.js';

/** Server-wide settings that shape each query. */
export interface QuerySettings {
  /** Session properties applied before the client's own X-Trino-Session ones (e.g. query_max_execution_time). */
  readonly defaultProperties: Readonly<Record<string, string>>;
  readonly defaultCatalog: string | undefined;
  readonly defaultSchema: string | undefined;
  /** The most memory a query may hold (query_max_memory's cap and starting value); 0 = the engine's. */
  readonly maxQueryMemoryBytes: number;
  /** Encoded rows buffered ahead of the client before the query pauses. */
  readonly maxBufferedBytes: number;
  /** Which catalogs each user may use (--catalog-access); undefined: all catalogs for everyone. */
  readonly catalogAccess?: CatalogAccessRules | undefined;
}

/** One reply body plus the headers that go with it. */
export interface PageReply {
  readonly body: string;
  readonly headers: Readonly<Record<string, string | string[]>>;
}

/** GET /v1/query/{id}: the parts of Trino's QueryInfo that clients read. */
export interface QueryInfo {
  readonly queryId: string;
  readonly state: QueryState;
  readonly query: string;
  readonly session: {
    readonly user: string; readonly source?: string | undefined; readonly clientInfo?: string | undefined;
    readonly catalog?: string | undefined; readonly schema?: string | undefined;
  };
  readonly self: string;
  readonly failureInfo?: QueryError['failureInfo'] | undefined;
  readonly errorCode?: { readonly code: number; readonly name: string; readonly type: string } | undefined;
  readonly queryStats: { readonly elapsedTime: string; readonly queuedTime: string; readonly peakUserMemoryReservation: string };
}


/**
 * One statement's life on the server: QUEUED until the manager starts it, RUNNING while its rows are encoded
 * into a bounded buffer, FINISHED or FAILED. Clients page through it by token: token 0 is the POST reply, each
 * later token is built when first asked for and kept until the next one is asked for, so a retried GET returns
 * the same page.
 */
export class ServerQuery {
  state: QueryState = 'QUEUED';
  /** Date.now() of the client's last request about this query (for abandoned-query detection). */
  lastSeen = Date.now();
  readonly createdAt = performance.now();
  private startedAt: number | undefined;
  private endedAt: number | undefined;
  private readonly controller = new AbortController();
  private result: QueryResult | undefined;
  private columns: ProtocolColumn[] | undefined;
  private types: SqlType[] = [];
  private updateType: string | undefined;
  private updateCount: number | undefined;
  private changes: SessionChanges | undefined;
  private failure: QueryError | undefined;
  private rows: string[] = [];
  private rowsHead = 0;
  private bufferedBytes = 0;
  private producing = false;
  private wakeConsumer: (() => void) | undefined;
  private wakeProducer: (() => void) | undefined;
  private servedToken = 0;
  private lastPage: Promise<PageReply> | undefined;

  constructor(
    readonly id: string,
    readonly slug: string,
    readonly sql: string,
    readonly client: ClientSession,
    readonly user: string,
    private readonly shoal: Shoal,
    private readonly settings: QuerySettings,
  ) {}

  get done(): boolean {
    return this.state === 'FINISHED' || this.state === 'FAILED';
  }

  /** Finished, and the client has been handed every row. */
  get drained(): boolean {
    return this.done && this.rowsHead >= this.rows.length;
  }

  /**
   * Stops the query, or, when it has finished but the client never fetched the rest, drops the unread rows
   * (later pages then report `error`).
   */
  abandon(error: ShoalError): void {
    if (!this.done) return this.cancel(error);
    if (this.drained) return;
    this.rows = [];
    this.rowsHead = 0;
    this.bufferedBytes = 0;
    this.failure = toQueryError(error);
    this.state = 'FAILED';
  }

  /** Runs the statement to the end (or failure or cancellation); resolves when the engine has let go of it. */
  async run(): Promise<void> {
    if (this.done) return;
    this.state = 'RUNNING';
    this.startedAt = performance.now();
    this.producing = true;
    try {
      const session = this.openSession();
      const before = snapshot(session);
      const result = await session.query(this.sql, { signal: this.controller.signal });
      this.result = result;
      this.types = result.fields.map((f) => f.type);
      this.columns = result.fields.map((f) => protocolColumn(f.name, f.type));
      this.updateType = result.updateType;
      this.updateCount = result.updateCount;
      this.changes = sessionChanges(before, snapshot(session));
      for await (const batch of result) {
        if (batch.numRows > 0) {
          for (const row of encodeRows(batch, this.types)) {
            this.rows.push(row);
            this.bufferedBytes += row.length + 1;
          }
          this.wake();
        }
        while (this.bufferedBytes > this.settings.maxBufferedBytes && !this.controller.signal.aborted) {
          await new Promise<void>((resolve) => { this.wakeProducer = resolve; });
        }
        if (this.controller.signal.aborted) throw this.abortReason();
      }
      if (this.controller.signal.aborted) throw this.abortReason();
      this.state = 'FINISHED';
    } catch (e) {
      this.fail(this.controller.signal.aborted ? this.abortReason() : e);
    } finally {
      this.producing = false;
      this.endedAt = performance.now();
      this.wake();
    }
  }

  /** Stops the query with `error` as its failure (USER_CANCELED by default). Safe to call at any time. */
  cancel(error: ShoalError = new ShoalError('USER_CANCELED', 'Query was canceled')): void {
    if (this.done) return;
    if (!this.controller.signal.aborted) this.controller.abort(error);
    this.result?.cancel(error);
    if (this.state === 'QUEUED') this.fail(error);
    this.wakeProducer?.();
  }

  /** Fails a query that never ran (queue full, server shutting down). */
  reject(error: ShoalError): void {
    this.fail(error);
  }

  /** The POST reply: no rows (trino-client never reads rows from it) and always a nextUri. */
  firstPage(base: string): PageReply {
    this.lastSeen = Date.now();
    return { body: JSON.stringify(this.head(base, 1, false)), headers: {} };
  }

  /**
   * Page `token`: the last page again when it is asked for again, the next one when the client moves on;
   * undefined for any other token (the caller answers 410 Gone).
   */
  page(token: number, base: string, maxBytes: number, maxWaitMs: number): Promise<PageReply> | undefined {
    this.lastSeen = Date.now();
    if (token === this.servedToken && this.lastPage !== undefined) return this.lastPage;
    if (token !== this.servedToken + 1) return undefined;
    const previous = this.lastPage;
    this.servedToken = token;
    this.lastPage = (async () => {
      await previous;
      return this.buildPage(token, base, maxBytes, maxWaitMs);
    })();
    return this.lastPage;
  }

  info(base: string): QueryInfo {
    const ms = (n: number): string => `${Math.round(n)}ms`;
    const now = this.endedAt ?? performance.now();
    return {
      queryId: this.id,
      state: this.state,
      query: this.sql,
      session: { user: this.user, source: this.client.source, clientInfo: this.client.clientInfo, catalog: this.client.catalog, schema: this.client.schema },
      self: `${base}/v1/query/${this.id}`,
      failureInfo: this.failure?.failureInfo,
      errorCode: this.failure === undefined ? undefined : { code: this.failure.errorCode, name: this.failure.errorName, type: this.failure.errorType },
      queryStats: {
        elapsedTime: ms(now - this.createdAt),
        queuedTime: ms((this.startedAt ?? now) - this.createdAt),
        peakUserMemoryReservation: `${this.result?.progress.peakMemoryBytes ?? 0}B`,
      },
    };
  }

  private openSession(): Session {
    return this.shoal.session({
      catalog: this.client.catalog ?? this.settings.defaultCatalog,
      schema: this.client.schema ?? this.settings.defaultSchema,
      timeZone: this.client.timeZone,
      properties: { ...this.settings.defaultProperties, ...this.client.properties },
      access: this.settings.catalogAccess?.forUser(this.user),
      maxQueryMemory: this.settings.maxQueryMemoryBytes > 0 ? `${this.settings.maxQueryMemoryBytes}B` : undefined,
    });
  }

  private abortReason(): ShoalError {
    const r: unknown = this.controller.signal.reason;
    return r instanceof ShoalError ? r : new ShoalError('USER_CANCELED', 'Query was canceled');
  }

  private fail(e: unknown): void {
    if (this.done) return;
    this.failure = toQueryError(e);
    this.state = 'FAILED';
    this.rows = [];
    this.rowsHead = 0;
    this.bufferedBytes = 0;
    this.endedAt ??= performance.now();
    this.wake();
  }

  private wake(): void {
    const w = this.wakeConsumer;
    this.wakeConsumer = undefined;
    w?.();
  }

  private async buildPage(token: number, base: string, maxBytes: number, maxWaitMs: number): Promise<PageReply> {
    if (!this.done && this.rowsHead >= this.rows.length) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, maxWaitMs);
        this.wakeConsumer = () => { clearTimeout(timer); resolve(); };
      });
    }
    const taken: string[] = [];
    let bytes = 0;
    while (this.rowsHead < this.rows.length && (taken.length === 0 || bytes + this.rows[this.rowsHead]!.length < maxBytes)) {
      const row = this.rows[this.rowsHead++]!;
      taken.push(row);
      bytes += row.length + 1;
    }
    this.bufferedBytes -= bytes;
    if (this.rowsHead > 4096 && this.rowsHead * 2 > this.rows.length) {
      this.rows = this.rows.slice(this.rowsHead);
      this.rowsHead = 0;
    }
    if (this.producing && this.bufferedBytes <= this.settings.maxBufferedBytes) {
      const w = this.wakeProducer;
      this.wakeProducer = undefined;
      w?.();
    }
    const last = this.done && this.rowsHead >= this.rows.length && taken.length === 0;
    const head = this.head(base, token + 1, last);
    let body = JSON.stringify(head);
    if (taken.length > 0) body = `${body.slice(0, -1)},"data":[${taken.join(',')}]}`;
    // The Set-/Clear- headers ride on every page after the statement took effect; clients fold them in like cookies.
    const headers = this.changes === undefined ? {} : sessionReplyHeaders(this.client.prefix, this.changes);
    return { body, headers };
  }

  private head(base: string, nextToken: number, last: boolean): QueryResultsHead {
    const now = this.endedAt ?? performance.now();
    const progress = this.result?.stats();
    const failed = this.state === 'FAILED';
    return {
      id: this.id,
      infoUri: `${base}/v1/query/${this.id}`,
      nextUri: last ? undefined : `${base}/v1/statement/executing/${this.id}/${this.slug}/${nextToken}`,
      columns: failed ? undefined : this.columns,
      stats: statementStats({
        state: this.state,
        splitsTotal: progress?.progress.splitsTotal ?? 0,
        splitsDone: progress?.progress.splitsDone ?? 0,
        rowsRead: progress?.progress.rowsRead ?? 0,
        bytesRead: progress?.io.bytesRead ?? 0,
        peakMemoryBytes: progress?.progress.peakMemoryBytes ?? 0,
        spilledBytes: progress?.progress.spilledBytes ?? 0,
        queuedMs: (this.startedAt ?? now) - this.createdAt,
        elapsedMs: now - this.createdAt,
        runningMs: this.startedAt === undefined ? 0 : now - this.startedAt,
      }),
      error: last ? this.failure : undefined,
      warnings: [],
      updateType: failed ? undefined : this.updateType,
      updateCount: failed ? undefined : this.updateCount,
    };
  }
}

function snapshot(s: Session): { catalog: string | undefined; schema: string | undefined; properties: ReadonlyMap<string, string> } {
  return { catalog: s.catalog, schema: s.schema, properties: new Map(s.properties) };
}
