import { ShoalError } from '../../common/index.js';
import { parseJsonLossless } from './lossless-json.js';
import { remoteError } from './remote-error.js';
import { signatureOfName, type QueryResultsPage, type RemoteColumn, type RemoteRow, type RemoteStats } from './remote-types.js';

/** How to reach a Trino-protocol server and the session to start with. */
export interface ClientOptions {
  /** Base URL, e.g. http://127.0.0.1:8080. */
  readonly server: string;
  readonly user: string;
  /** Basic authentication (with `user`), or a bearer token; never both. */
  readonly password?: string | undefined;
  readonly accessToken?: string | undefined;
  readonly catalog?: string | undefined;
  readonly schema?: string | undefined;
  readonly timeZone?: string | undefined;
  readonly source?: string | undefined;
  readonly sessionProperties?: Readonly<Record<string, string>> | undefined;
}

/**
 * The client's session. Trino keeps no session on the server: the client sends it with every statement and
 * folds the Set-/Clear- reply headers back in, so USE and SET SESSION carry over to later statements.
 */
export class RemoteSession {
  catalog: string | undefined;
  schema: string | undefined;
  readonly properties = new Map<string, string>();

  constructor(o: ClientOptions) {
    this.catalog = o.catalog;
    this.schema = o.schema;
    for (const [k, v] of Object.entries(o.sessionProperties ?? {})) this.properties.set(k, v);
  }

  /** Applies X-Trino-Set-Catalog/-Set-Schema/-Set-Session/-Clear-Session of a reply. */
  fold(h: Headers): void {
    const catalog = h.get('x-trino-set-catalog');
    if (catalog !== null) this.catalog = catalog;
    const schema = h.get('x-trino-set-schema');
    if (schema !== null) this.schema = schema;
    // Several headers arrive joined by ", "; values are URL-encoded, so a comma always separates entries.
    for (const part of (h.get('x-trino-set-session') ?? '').split(',')) {
      const eq = part.indexOf('=');
      if (eq > 0) this.properties.set(part.slice(0, eq).trim(), decodeURIComponent(part.slice(eq + 1).trim()));
    }
    for (const name of (h.get('x-trino-clear-session') ?? '').split(',')) if (name.trim() !== '') this.properties.delete(name.trim());
  }
}

const RETRY_STATUS = new Set([502, 503, 504]);
/** How long to keep retrying 502/503/504 before giving up on a page. */
const RETRY_FOR_MS = 60_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function canceled(): ShoalError {
  return new ShoalError('USER_CANCELED', 'Query was canceled');
}

function unreachable(url: string, detail: string, cause?: unknown): ShoalError {
  return new ShoalError('IO_ERROR', `Cannot reach the server at ${new URL(url).origin}: ${detail}`, { cause });
}

/**
 * A client of Trino's REST protocol: POST /v1/statement, then GET nextUri until it is absent (retrying
 * 502/503/504 after 50–100 ms). One client runs one statement at a time; its session persists across them.
 */
export class TrinoProtocolClient {
  readonly session: RemoteSession;

  constructor(readonly options: ClientOptions) {
    this.session = new RemoteSession(options);
  }

  private headers(): Record<string, string> {
    const o = this.options;
    const h: Record<string, string> = { 'X-Trino-User': o.user, 'X-Trino-Source': o.source ?? 'shoal-cli', 'Content-Type': 'text/plain; charset=utf-8' };
    if (this.session.catalog !== undefined) h['X-Trino-Catalog'] = this.session.catalog;
    if (this.session.schema !== undefined) h['X-Trino-Schema'] = this.session.schema;
    if (o.timeZone !== undefined) h['X-Trino-Time-Zone'] = o.timeZone;
    if (this.session.properties.size > 0) {
      h['X-Trino-Session'] = [...this.session.properties].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join(',');
    }
    if (o.accessToken !== undefined) h['Authorization'] = `Bearer ${o.accessToken}`;
    else if (o.password !== undefined) h['Authorization'] = `Basic ${Buffer.from(`${o.user}:${o.password}`).toString('base64')}`;
    return h;
  }

  /** One HTTP exchange with retries on 502/503/504; the page's session headers are folded in. */
  async request(method: 'POST' | 'GET' | 'DELETE', url: string, body: string | undefined, signal: AbortSignal | undefined): Promise<QueryResultsPage | undefined> {
    const until = Date.now() + RETRY_FOR_MS;
    for (;;) {
      let res: Response;
      try {
        const init: RequestInit = { method, headers: method === 'POST' ? this.headers() : this.authHeaders() };
        if (body !== undefined) init.body = body;
        if (signal !== undefined) init.signal = signal;
        res = await fetch(url, init);
      } catch (e) {
        if (signal?.aborted === true) throw canceled();
        throw unreachable(url, e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e), e);
      }
      if (RETRY_STATUS.has(res.status) && Date.now() < until) {
        await res.body?.cancel();
        await sleep(50 + Math.random() * 50);
        continue;
      }
      const text = await res.text();
      if (method === 'DELETE') return undefined;
      if (res.status !== 200) {
        if (res.status === 401) throw new ShoalError('PERMISSION_DENIED', `Authentication failed (HTTP 401): ${text.trim() || 'the server wants credentials'}`);
        throw unreachable(url, `HTTP ${res.status}${text.trim() === '' ? '' : `: ${text.trim().slice(0, 300)}`}`);
      }
      this.session.fold(res.headers);
      try {
        return parseJsonLossless(text) as unknown as QueryResultsPage;
      } catch (e) {
        throw unreachable(url, 'the reply is not Trino protocol JSON', e);
      }
    }
  }

  private authHeaders(): Record<string, string> {
    const h = this.headers();
    const out: Record<string, string> = { 'X-Trino-User': h['X-Trino-User']! };
    if (h['Authorization'] !== undefined) out['Authorization'] = h['Authorization'];
    return out;
  }

  /**
   * Submits a statement and waits until its columns are known (or it ended). The result then streams the rest;
   * when `signal` fires the query is cancelled on the server (DELETE nextUri) and USER_CANCELED is thrown.
   */
  async execute(sql: string, signal?: AbortSignal): Promise<RemoteResult> {
    if (signal?.aborted === true) throw canceled();
    const first = await this.request('POST', new URL('/v1/statement', this.options.server).toString(), sql, signal);
    const result = new RemoteResult(this, sql, first!, signal);
    await result.start();
    return result;
  }
}

/** A running statement: columns once known, rows page by page, the latest stats; updateType when done. */
export class RemoteResult {
  private page: QueryResultsPage;
  private pending: RemoteRow[][] = [];
  columns: readonly RemoteColumn[] | undefined;
  stats: RemoteStats | undefined;
  updateType: string | undefined;
  updateCount: number | undefined;

  constructor(private readonly client: TrinoProtocolClient, private readonly sql: string, first: QueryResultsPage, private readonly signal: AbortSignal | undefined) {
    this.page = first;
    this.take(first);
  }

  get id(): string {
    return this.page.id;
  }

  get done(): boolean {
    return this.page.nextUri === undefined;
  }

  private take(p: QueryResultsPage): void {
    if (p.stats !== undefined) this.stats = p.stats;
    if (p.columns !== undefined && this.columns === undefined) {
      this.columns = p.columns.map((c) => ({ name: c.name, type: c.type, typeSignature: c.typeSignature ?? signatureOfName(c.type) }));
    }
    if (p.updateType !== undefined) this.updateType = p.updateType;
    if (p.updateCount !== undefined) this.updateCount = p.updateCount;
    if (p.error !== undefined) throw remoteError(p.error, this.sql);
    if (p.data !== undefined && p.data.length > 0) this.pending.push(p.data as RemoteRow[]);
  }

  /** Fetches the next page; on abort, cancels the query on the server first. */
  private async advance(): Promise<void> {
    const next = this.page.nextUri;
    if (next === undefined) return;
    if (this.signal?.aborted === true) await this.cancel();
    let p: QueryResultsPage | undefined;
    try {
      p = await this.client.request('GET', next, undefined, this.signal);
    } catch (e) {
      if (this.signal?.aborted === true) await this.cancel();
      throw e;
    }
    this.page = p!;
    this.take(this.page);
  }

  /** Waits for the columns (queued and planning pages carry none) or the end. */
  async start(): Promise<void> {
    while (this.columns === undefined && !this.done) await this.advance();
  }

  /** Cancels the query on the server (DELETE nextUri) and throws USER_CANCELED. */
  async cancel(): Promise<never> {
    const next = this.page.nextUri;
    if (next !== undefined) {
      this.page = { ...this.page, nextUri: undefined };
      await this.client.request('DELETE', next, undefined, undefined).catch(() => undefined);
    }
    throw canceled();
  }

  /** The rows, a page at a time (empty pages skipped), until the server has no nextUri. */
  async *pages(): AsyncGenerator<readonly RemoteRow[]> {
    for (;;) {
      const rows = this.pending.shift();
      if (rows !== undefined) {
        yield rows;
        continue;
      }
      if (this.done) return;
      await this.advance();
    }
  }
}
