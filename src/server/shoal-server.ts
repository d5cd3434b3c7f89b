import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { ShoalError, parseDataSize, toShoalError } from '../common/index.js';
import { parseDuration, type Shoal } from '../engine/index.js';
import type { Authenticator } from './auth/authenticator.js';
import { ARROW_STATEMENT_PATH, handleArrowRequest } from './arrow-endpoint.js';
import { bindSafety, type CatalogAccessRules } from './auth/index.js';
import { firstHeader, readBody, sendJson, sendText } from './http-util.js';
import { QueryManager } from './query-manager.js';
import { clientSessionOf } from './session-headers.js';
import type { ServerQuery } from './server-query.js';

export interface ServerOptions {
  readonly shoal: Shoal;
  /** Default 127.0.0.1. A non-loopback host needs an authenticator or allowInsecure. */
  readonly host?: string | undefined;
  /** Default 8080; 0 picks a free port (see ShoalServer.port). */
  readonly port?: number | undefined;
  readonly authenticator?: Authenticator | undefined;
  /** Serve without authentication on a non-loopback address (--allow-insecure). */
  readonly allowInsecure?: boolean | undefined;
  /** PEM certificate and key: serve HTTPS. */
  readonly tls?: { readonly cert: string; readonly key: string } | undefined;
  readonly maxRunning?: number | undefined;
  readonly maxQueued?: number | undefined;
  /** Cancel a query whose client has not polled for this long (default 5 minutes). */
  readonly abandonedAfterMs?: number | undefined;
  /** Catalog and schema for clients that send none. */
  readonly catalog?: string | undefined;
  readonly schema?: string | undefined;
  /** Server-wide session property defaults, e.g. { query_max_execution_time: '10m' }; clients may override. */
  readonly sessionProperties?: Readonly<Record<string, string>> | undefined;
  /** Per-query memory limit in bytes for hash tables, sorts and windows (0 or absent: none). */
  readonly maxQueryMemoryBytes?: number | undefined;
  /** Which catalogs each user may use (shoal serve --catalog-access FILE); absent: all catalogs for everyone. */
  readonly catalogAccess?: CatalogAccessRules | undefined;
  readonly environment?: string | undefined;
  readonly version?: string | undefined;
}

const DEFAULT_PAGE_BYTES = 1024 * 1024;
const MAX_PAGE_BYTES = 128 * 1024 * 1024;
const DEFAULT_WAIT_MS = 1000;
const MAX_WAIT_MS = 10_000;
const MAX_QUERY_TEXT = 1_000_000;
const STATEMENT_PATH = /^\/v1\/statement\/(?:queued|executing)\/([^/]+)\/([^/]+)\/(\d+)$/;
const QUERY_PATH = /^\/v1\/query\/([^/]+)$/;

/**
 * `shoal serve`: Trino's client REST protocol over HTTP(S), so the Trino CLI, JDBC driver and npm clients work
 * unchanged. Each POST runs in a fresh engine session built from the request's headers (the client carries
 * session state and folds the Set-/Clear- reply headers into its next requests).
 */
export class ShoalServer {
  private readonly manager: QueryManager;
  private readonly startedAt = Date.now();
  private readonly sockets = new Set<import('node:net').Socket>();

  private constructor(private readonly server: http.Server | https.Server, private readonly o: ServerOptions) {
    this.manager = new QueryManager(o.shoal, {
      maxRunning: o.maxRunning ?? 16,
      maxQueued: o.maxQueued ?? 1000,
      abandonedAfterMs: o.abandonedAfterMs ?? 5 * 60_000,
      retainMs: 15 * 60_000,
    }, {
      defaultProperties: o.sessionProperties ?? {},
      defaultCatalog: o.catalog,
      defaultSchema: o.schema,
      maxQueryMemoryBytes: o.maxQueryMemoryBytes ?? 0,
      maxBufferedBytes: 4 * DEFAULT_PAGE_BYTES,
      catalogAccess: o.catalogAccess,
    });
  }

  /** Validates the options, binds and listens. Refuses an unauthenticated non-loopback bind unless allowed. */
  static async start(o: ServerOptions): Promise<ShoalServer> {
    const host = o.host ?? '127.0.0.1';
    const unsafe = bindSafety(host, o.authenticator, o.allowInsecure === true);
    if (unsafe !== undefined) throw unsafe;
    const server = o.tls === undefined ? http.createServer() : https.createServer({ cert: o.tls.cert, key: o.tls.key });
    const s = new ShoalServer(server, o);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      s.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) sendText(res, 500, toShoalError(e).message);
        else res.destroy();
      });
    });
    server.on('connection', (sock) => {
      s.sockets.add(sock);
      sock.on('close', () => s.sockets.delete(sock));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => reject(new ShoalError('IO_ERROR', `Cannot listen on ${host}:${o.port ?? 8080}: ${e.code ?? e.message}`, { cause: e })));
      server.listen(o.port ?? 8080, host, () => resolve());
    });
    return s;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    const host = this.o.host ?? '127.0.0.1';
    return `${this.o.tls === undefined ? 'http' : 'https'}://${host.includes(':') ? `[${host}]` : host}:${this.port}`;
  }

  /** Queries executing in the engine right now. */
  get runningQueries(): number {
    return this.manager.runningCount;
  }

  get queuedQueries(): number {
    return this.manager.queuedCount;
  }

  /** Client connections open right now (keep-alive included). */
  get openConnections(): number {
    return this.sockets.size;
  }

  /** Cancels every query, stops listening and closes connections. */
  async close(): Promise<void> {
    await this.manager.shutdown();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const sock of this.sockets) sock.destroy();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (method === 'GET' && path === '/v1/info') return this.info(res);
    let user: string | undefined;
    if (this.o.authenticator !== undefined) {
      const outcome = await this.o.authenticator.authenticate(req);
      if (!outcome.ok) {
        req.resume();
        return sendText(res, 401, outcome.message, { 'WWW-Authenticate': outcome.challenge });
      }
      user = outcome.user;
      const asked = firstHeader(req, 'X-Trino-User') ?? firstHeader(req, 'X-Presto-User');
      if (asked !== undefined && asked !== user) {
        req.resume();
        return sendText(res, 403, `User ${user} cannot impersonate user ${asked}`);
      }
    }
    const base = `${this.o.tls === undefined ? 'http' : 'https'}://${req.headers.host ?? `127.0.0.1:${this.port}`}`;
    if (path === '/v1/statement') {
      if (method !== 'POST') return sendText(res, 405, 'Use POST /v1/statement with the SQL text as the body', { Allow: 'POST' });
      return this.post(req, res, base, user);
    }
    let m = STATEMENT_PATH.exec(path);
    if (m !== null) {
      const q = this.lookup(res, m[1]!, m[2]!);
      if (q === undefined) return;
      if (method === 'DELETE') {
        this.manager.cancel(q);
        res.writeHead(204).end();
        return;
      }
      if (method !== 'GET') return sendText(res, 405, 'Use GET to page and DELETE to cancel', { Allow: 'GET, DELETE' });
      const maxBytes = Math.min(MAX_PAGE_BYTES, parseDataSize(firstHeader(req, 'X-Trino-Max-Size') ?? firstHeader(req, 'X-Presto-Max-Size')) ?? DEFAULT_PAGE_BYTES);
      const maxWait = Math.min(MAX_WAIT_MS, parseDuration(firstHeader(req, 'X-Trino-Max-Wait') ?? firstHeader(req, 'X-Presto-Max-Wait') ?? '') ?? DEFAULT_WAIT_MS);
      const page = q.page(Number(m[3]), base, maxBytes, maxWait);
      if (page === undefined) return sendText(res, 410, `Page ${m[3]} of query ${q.id} is gone: only the last page served and the next one can be fetched`);
      const p = await page;
      return sendJson(res, 200, p.body, p.headers);
    }
    m = QUERY_PATH.exec(path);
    if (m !== null) {
      const q = this.manager.get(m[1]!);
      if (q === undefined) return sendText(res, 404, `Query ${m[1]} does not exist (or finished long ago)`);
      q.lastSeen = Date.now();
      if (method === 'DELETE') {
        this.manager.cancel(q);
        res.writeHead(204).end();
        return;
      }
      return sendJson(res, 200, JSON.stringify(q.info(base)));
    }
    if (method === 'GET' && path === '/v1/node') return sendJson(res, 200, '[]');
    if (path === ARROW_STATEMENT_PATH) {
      // Arrow IPC for programs that want columns (docs in the README): same session headers, one response.
      await handleArrowRequest(req, res, (r) => this.o.shoal.session({
        catalog: r.catalog ?? this.o.catalog, schema: r.schema ?? this.o.schema, timeZone: r.timeZone,
        properties: { ...this.o.sessionProperties, ...r.properties },
        access: this.o.catalogAccess?.forUser(user ?? firstHeader(req, 'X-Trino-User') ?? firstHeader(req, 'X-Presto-User') ?? 'anonymous'),
      }));
      return;
    }
    return sendText(res, 404, `No such resource: ${method} ${path}`);
  }

  private info(res: ServerResponse): void {
    const up = (Date.now() - this.startedAt) / 1000;
    sendJson(res, 200, JSON.stringify({
      nodeVersion: { version: this.o.version ?? 'shoal' },
      environment: this.o.environment ?? 'shoal',
      coordinator: true,
      starting: false,
      uptime: up < 60 ? `${up.toFixed(2)}s` : `${(up / 60).toFixed(2)}m`,
    }));
  }

  private async post(req: IncomingMessage, res: ServerResponse, base: string, authUser: string | undefined): Promise<void> {
    const sql = await readBody(req, MAX_QUERY_TEXT * 4);
    if (sql !== undefined && sql.trim() === '') return sendText(res, 400, 'SQL statement is empty');
    let client;
    let refusal: ShoalError | undefined;
    try {
      client = clientSessionOf(req.headers);
    } catch (e) {
      client = { ...clientSessionOf({}), prefix: 'X-Trino-' as const };
      refusal = toShoalError(e);
    }
    if (sql === undefined || sql.length > MAX_QUERY_TEXT) {
      refusal = new ShoalError('QUERY_TEXT_TOO_LARGE', `Query text length exceeds the maximum length of ${MAX_QUERY_TEXT} characters`);
    }
    const user = authUser ?? client.user ?? 'anonymous';
    const q = this.manager.submit(sql ?? '', client, user, refusal);
    const first = q.firstPage(base);
    sendJson(res, 200, first.body, first.headers);
  }

  /** The query a paging URI names, or a 404 when the id is unknown or the slug does not match. */
  private lookup(res: ServerResponse, id: string, slug: string): ServerQuery | undefined {
    const q = this.manager.get(id);
    if (q === undefined || q.slug !== slug) {
      sendText(res, 404, `Query ${id} does not exist (or finished long ago)`);
      return undefined;
    }
    return q;
  }
}
