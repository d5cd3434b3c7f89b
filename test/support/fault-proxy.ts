/**
 * A loopback HTTP proxy in front of a real server (s3rver) that injects faults into chosen requests: error
 * statuses (500, 503 SlowDown), connections reset before a response, responses cut off halfway, responses
 * that stall (no headers, or headers and half a body) until the client gives up, and requests carried out whose
 * response is lost. Rules match requests by method
 * and path and apply a number of times; everything else is forwarded unchanged, Host header included, so signed
 * requests stay valid.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export type Fault =
  | { readonly kind: 'status'; readonly status: number; readonly body?: string; readonly contentType?: string }
  /** The connection is destroyed before any response. */
  | { readonly kind: 'reset' }
  /** The response headers and half the body arrive, then the connection is destroyed. */
  | { readonly kind: 'cut-body' }
  /** No response at all until the client gives up. */
  | { readonly kind: 'stall' }
  /** Headers and half the body arrive, then nothing more until the client gives up. */
  | { readonly kind: 'stall-body' }
  /** The request reaches the server and is carried out, but the connection is destroyed instead of answering. */
  | { readonly kind: 'drop-response' };

export interface FaultRule {
  readonly method?: string | undefined;
  /** Tested against the request's path and query. */
  readonly path?: RegExp | undefined;
  /** How many matching requests get the fault (default: all). */
  readonly times?: number | undefined;
  readonly fault: Fault;
}

export interface ProxiedRequest {
  readonly method: string;
  readonly url: string;
  readonly range: string | undefined;
  readonly fault: Fault['kind'] | undefined;
  /** Response body bytes sent to the client. */
  bodyBytes: number;
}

/** S3's throttling answer. */
export const SLOW_DOWN: Fault = {
  kind: 'status',
  status: 503,
  contentType: 'application/xml',
  body: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>',
};

export const INTERNAL_ERROR: Fault = {
  kind: 'status',
  status: 500,
  contentType: 'application/xml',
  body: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message></Error>',
};

interface ActiveRule {
  readonly rule: FaultRule;
  left: number;
}

export class FaultProxy {
  private rules: ActiveRule[] = [];
  private readonly sockets = new Set<Socket>();
  readonly requests: ProxiedRequest[] = [];

  private constructor(
    private readonly server: http.Server,
    private readonly target: URL,
    readonly url: string,
  ) {}

  static async start(target: string): Promise<FaultProxy> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const proxy = new FaultProxy(server, new URL(target), `http://127.0.0.1:${port}`);
    server.on('connection', (s) => {
      proxy.sockets.add(s);
      s.on('close', () => proxy.sockets.delete(s));
    });
    server.on('request', (req, res) => void proxy.handle(req, res));
    return proxy;
  }

  addRule(rule: FaultRule): void {
    this.rules.push({ rule, left: rule.times ?? Number.POSITIVE_INFINITY });
  }

  /** Drops all rules and the request log. */
  reset(): void {
    this.rules = [];
    this.requests.length = 0;
  }

  /** Response body bytes sent to clients since the last reset. */
  get bodyBytes(): number {
    return this.requests.reduce((n, r) => n + r.bodyBytes, 0);
  }

  /** Number of requests that got a fault. */
  get faultsInjected(): number {
    return this.requests.filter((r) => r.fault !== undefined).length;
  }

  private takeFault(req: IncomingMessage): Fault | undefined {
    for (const r of this.rules) {
      if (r.left <= 0) continue;
      if (r.rule.method !== undefined && r.rule.method !== req.method) continue;
      if (r.rule.path !== undefined && !r.rule.path.test(req.url ?? '')) continue;
      r.left -= 1;
      return r.rule.fault;
    }
    return undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const fault = this.takeFault(req);
    const logged: ProxiedRequest = { method: req.method ?? '', url: req.url ?? '', range: req.headers.range, fault: fault?.kind, bodyBytes: 0 };
    this.requests.push(logged);
    const body = await readAll(req);
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, { 'content-type': fault.contentType ?? 'text/plain', 'content-length': Buffer.byteLength(fault.body ?? '') });
      res.end(fault.body ?? '');
      return;
    }
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'stall') return;
    let upstream: { status: number; headers: http.IncomingHttpHeaders; body: Buffer };
    try {
      upstream = await this.forward(req, body);
    } catch {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'drop-response') {
      req.socket.destroy();
      return;
    }
    res.writeHead(upstream.status, upstream.headers);
    if (fault?.kind === 'cut-body' || fault?.kind === 'stall-body') {
      const half = upstream.body.subarray(0, Math.floor(upstream.body.length / 2));
      logged.bodyBytes = half.length;
      res.write(half, () => {
        if (fault.kind === 'cut-body') req.socket.destroy();
      });
      return;
    }
    logged.bodyBytes = upstream.body.length;
    res.end(upstream.body);
  }

  private forward(req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const up = http.request(
        { host: this.target.hostname, port: this.target.port, method: req.method, path: req.url, headers: req.headers, agent: false },
        (r) => {
          readAll(r).then((b) => resolve({ status: r.statusCode ?? 502, headers: r.headers, body: b }), reject);
        },
      );
      up.on('error', reject);
      up.end(body);
    });
  }

  /** Stops listening and destroys every connection (stalled ones included). */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c);
  return Buffer.concat(parts);
}
