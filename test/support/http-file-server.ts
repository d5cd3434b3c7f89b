/**
 * A static file server on 127.0.0.1 (port 0) for the http(s) file system's tests: GET and HEAD of the files under
 * a folder, with Range (206 and Content-Range, 416 past the end), ETag and Last-Modified. Switches make it behave
 * like lesser servers: no Range support (always 200), no HEAD (405), no ETag.
 */
import { createReadStream, statSync } from 'node:fs';
import http from 'node:http';
import type { Socket } from 'node:net';
import path from 'node:path';

export interface HttpFileServerBehaviour {
  ranges: boolean;
  head: boolean;
  etag: boolean;
}

export class HttpFileServer {
  readonly behaviour: HttpFileServerBehaviour = { ranges: true, head: true, etag: true };
  /** Method and Range of every request since the last `clearLog`. */
  readonly log: { method: string; path: string; range: string | undefined; status: number }[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: http.Server,
    private readonly root: string,
    readonly url: string,
  ) {}

  static async start(root: string): Promise<HttpFileServer> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const s = new HttpFileServer(server, root, `http://127.0.0.1:${port}`);
    server.on('connection', (c) => {
      s.sockets.add(c);
      c.on('close', () => s.sockets.delete(c));
    });
    server.on('request', (req, res) => s.handle(req, res));
    return s;
  }

  clearLog(): void {
    this.log.length = 0;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const file = path.join(this.root, decodeURIComponent(url.pathname));
    const entry = { method: req.method ?? '', path: url.pathname, range: req.headers.range, status: 200 };
    this.log.push(entry);
    const send = (status: number, headers: Record<string, string | number> = {}): void => {
      entry.status = status;
      res.writeHead(status, headers);
    };
    if (req.method === 'HEAD' && !this.behaviour.head) {
      send(405);
      res.end();
      return;
    }
    let size: number;
    let mtime: Date;
    try {
      const st = statSync(file);
      if (!st.isFile()) throw new Error('not a file');
      size = st.size;
      mtime = st.mtime;
    } catch {
      send(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    const headers: Record<string, string | number> = { 'last-modified': mtime.toUTCString(), 'content-type': 'application/octet-stream' };
    if (this.behaviour.etag) headers['etag'] = `"${size.toString(16)}-${mtime.getTime().toString(16)}"`;
    if (this.behaviour.ranges) headers['accept-ranges'] = 'bytes';
    const range = /^bytes=(\d+)-(\d+)?$/.exec(req.headers.range ?? '');
    if (this.behaviour.ranges && range !== null) {
      const start = Number(range[1]);
      const end = Math.min(range[2] === undefined ? size - 1 : Number(range[2]), size - 1);
      if (start >= size || end < start) {
        send(416, { 'content-range': `bytes */${size}` });
        res.end();
        return;
      }
      send(206, { ...headers, 'content-range': `bytes ${start}-${end}/${size}`, 'content-length': end - start + 1 });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file, { start, end }).pipe(res);
      return;
    }
    send(200, { ...headers, 'content-length': size });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
