import type { IncomingMessage, ServerResponse } from 'node:http';
import { RecordBatchStreamWriter, type RecordBatch, type Schema } from 'apache-arrow';
import { ShoalError, toShoalError } from '../common/index.js';
import type { QueryResult, Session, SessionOptions } from '../engine/index.js';
import { batchColumn, decodeDictionary, isDictionary, makeBatch, type Column } from '../types/index.js';

/**
 * Arrow for programs (issue 5, item 6): `POST /v1/arrow/statement` with the SQL as body answers with the result
 * as an Arrow IPC stream (`application/vnd.apache.arrow.stream`): the schema message, then one record batch per
 * engine batch, then the end-of-stream marker. See docs/arrow-endpoint.md.
 *
 * Contract for errors: an error before the first byte is a JSON body with status 400 and Trino's error fields;
 * an error after the stream has started cannot change the status any more, so the connection is dropped without
 * the final chunk — HTTP clients report a terminated body, and the IPC stream lacks its end-of-stream marker.
 */

export const ARROW_STREAM_CONTENT_TYPE = 'application/vnd.apache.arrow.stream';
export const ARROW_STATEMENT_PATH = '/v1/arrow/statement';
/** Trino's default query.max-length. */
const MAX_QUERY_BYTES = 1_000_000;

export type ArrowStreamOutcome =
  | { readonly kind: 'complete'; readonly rows: number; readonly batches: number }
  /** Answered with a JSON error (nothing of the stream was sent). */
  | { readonly kind: 'rejected'; readonly error: ShoalError }
  /** The stream was cut: the query failed after the first byte. */
  | { readonly kind: 'failed'; readonly error: ShoalError; readonly rows: number }
  /** The client went away (or `signal` fired); the query was cancelled. */
  | { readonly kind: 'canceled'; readonly rows: number };

/**
 * A stream writer that hands over the bytes of each message instead of queueing them in apache-arrow's internal
 * reader-side queue, so that the caller decides when to write them (backpressure). Uses the writer's documented
 * protected `_write` hook; `_position` is kept as the base class does.
 */
class ChunkedStreamWriter extends RecordBatchStreamWriter {
  private chunks: Uint8Array[] = [];

  protected override _write(chunk: Parameters<RecordBatchStreamWriter['_write']>[0]): this {
    if (this._started && ArrayBuffer.isView(chunk) && chunk.byteLength > 0) {
      this.chunks.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      this._position += chunk.byteLength;
    }
    return this;
  }

  take(): Uint8Array[] {
    const out = this.chunks;
    this.chunks = [];
    return out;
  }
}

/**
 * Streams `result` to `res` as an Arrow IPC stream, one batch at a time, waiting for 'drain' whenever the socket
 * buffer is full, so a slow client slows the query instead of filling memory. When the client disconnects or
 * `signal` aborts, the query is cancelled. Resolves (never rejects) with what happened.
 */
export async function writeArrowStream(result: QueryResult, res: ServerResponse, signal?: AbortSignal): Promise<ArrowStreamOutcome> {
  let gone = false;
  const cancel = (): void => {
    gone = true;
    result.cancel(new ShoalError('USER_CANCELED', 'Query was canceled: the client closed the Arrow stream'));
  };
  const onClose = (): void => {
    if (!res.writableFinished) cancel();
  };
  res.on('close', onClose);
  signal?.addEventListener('abort', cancel, { once: true });
  const it = result[Symbol.asyncIterator]();
  let rows = 0;
  let batches = 0;
  let started = false;
  try {
    let next = await it.next();
    if (gone) return { kind: 'canceled', rows };
    res.writeHead(200, { 'content-type': ARROW_STREAM_CONTENT_TYPE, 'cache-control': 'no-store' });
    started = true;
    const writer = new ChunkedStreamWriter();
    // Writes the schema now, so an empty result is still a valid stream.
    writer.reset(undefined, result.schema);
    while (next.done !== true) {
      writer.write(plainBatch(next.value, result.schema));
      rows += next.value.numRows;
      batches++;
      if (!(await send(res, writer.take()))) return { kind: 'canceled', rows };
      next = await it.next();
      if (gone) return { kind: 'canceled', rows };
    }
    writer.close();
    const tail = writer.take();
    await new Promise<void>((resolve) => res.end(Buffer.concat(tail), resolve));
    return { kind: 'complete', rows, batches };
  } catch (e) {
    const error = toShoalError(e);
    if (gone) return { kind: 'canceled', rows };
    if (!started) {
      sendJsonError(res, error);
      return { kind: 'rejected', error };
    }
    // Mid-stream: no way to send a status now; cut the connection so the client cannot mistake it for the end.
    res.destroy();
    return { kind: 'failed', error, rows };
  } finally {
    res.off('close', onClose);
    signal?.removeEventListener('abort', cancel);
    await it.return?.(undefined);
  }
}

/** The batch with dictionary-encoded strings decoded, under the result's schema: one schema for the whole stream. */
function plainBatch(batch: RecordBatch, schema: Schema): RecordBatch {
  const cols: Column[] = [];
  let changed = batch.schema !== schema;
  for (let i = 0; i < batch.numCols; i++) {
    const col = batchColumn(batch, i);
    if (isDictionary(col)) {
      cols.push(decodeDictionary(col));
      changed = true;
    } else cols.push(col);
  }
  return changed ? makeBatch(schema, cols, batch.numRows) : batch;
}

/** Writes the chunks; false when the client went away while waiting for the socket to drain. */
async function send(res: ServerResponse, chunks: readonly Uint8Array[]): Promise<boolean> {
  if (chunks.length === 0) return true;
  if (res.destroyed) return false;
  const more = res.write(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
  if (more) return true;
  return new Promise<boolean>((resolve) => {
    const done = (ok: boolean): void => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = (): void => done(true);
    const onClose = (): void => done(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

/** Trino's error fields (QueryError), as the JSON body of a 4xx answer. */
export function sendJsonError(res: ServerResponse, error: ShoalError, status = 400): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = {
    error: {
      message: error.describe(),
      errorCode: error.errorCode,
      errorName: error.code,
      errorType: error.errorType,
      ...(error.span === undefined ? {} : { errorLocation: { lineNumber: error.span.start.line, columnNumber: error.span.start.column } }),
    },
  };
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

/**
 * What the Arrow endpoint reads from the request headers (X-Trino-* or X-Presto-*): deliberately minimal — User,
 * Catalog, Schema, Time-Zone and Session (`k=v,k2=v2`, values URL-encoded). The server's full header parsing
 * should replace this when the two are unified.
 */
export interface ArrowSessionRequest extends SessionOptions {
  readonly user: string | undefined;
}

export type OpenSession = (request: ArrowSessionRequest) => Session | Promise<Session>;

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[`x-trino-${name}`] ?? req.headers[`x-presto-${name}`];
  const s = Array.isArray(v) ? v.join(',') : v;
  return s === undefined || s.trim() === '' ? undefined : s.trim();
}

export function arrowSessionRequest(req: IncomingMessage): ArrowSessionRequest {
  const properties: Record<string, string> = {};
  for (const part of (header(req, 'session') ?? '').split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    properties[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return { user: header(req, 'user'), catalog: header(req, 'catalog'), schema: header(req, 'schema'), timeZone: header(req, 'time-zone'), properties };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    const b = c as Buffer;
    size += b.length;
    if (size > MAX_QUERY_BYTES) throw new ShoalError('QUERY_TEXT_TOO_LARGE', `Query text length (${size}+ bytes) exceeds the maximum length (${MAX_QUERY_BYTES})`);
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Serves `POST /v1/arrow/statement` (authentication is the caller's job, before this). The statement runs in a
 * fresh session from `openSession`; its session changes (USE, SET SESSION) are not kept.
 */
export async function handleArrowRequest(req: IncomingMessage, res: ServerResponse, openSession: OpenSession): Promise<ArrowStreamOutcome> {
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST');
    const error = new ShoalError('NOT_SUPPORTED', `${req.method ?? 'This method'} is not supported on ${ARROW_STATEMENT_PATH}; POST the SQL text`);
    sendJsonError(res, error, 405);
    return { kind: 'rejected', error };
  }
  const controller = new AbortController();
  const onClose = (): void => {
    if (!res.writableFinished) controller.abort(new ShoalError('USER_CANCELED', 'Query was canceled: the client went away'));
  };
  res.on('close', onClose);
  try {
    let result: QueryResult;
    try {
      const sql = await readBody(req);
      if (sql.trim() === '') throw new ShoalError('SYNTAX_ERROR', 'The request body is empty; send the SQL statement as the body');
      const session = await openSession(arrowSessionRequest(req));
      result = await session.query(sql, { signal: controller.signal });
    } catch (e) {
      const error = toShoalError(e);
      sendJsonError(res, error, error.code === 'QUERY_TEXT_TOO_LARGE' ? 413 : 400);
      return { kind: 'rejected', error };
    }
    return await writeArrowStream(result, res, controller.signal);
  } finally {
    res.off('close', onClose);
  }
}
