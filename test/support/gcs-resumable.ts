/**
 * Resumable upload sessions of the GCS test server (gcs-server.ts), as the Cloud Storage JSON API documents them
 * ("Perform resumable uploads"):
 *
 *  - `POST /upload/storage/v1/b/B/o?uploadType=resumable&name=N` starts a session: 200 with the session URI in
 *    `Location` (…&upload_id=ID). Preconditions given there (`ifGenerationMatch=0`, …) are not evaluated then but
 *    when the upload completes and the object is created, as the service does.
 *  - `PUT <session URI>` with `Content-Range: bytes FIRST-LAST/TOTAL` (TOTAL `*` while unknown) uploads a chunk;
 *    `bytes FIRST-*\/TOTAL` (as the client library streams) says the body is the rest of the object.
 *    Until the upload is complete the answer is `308 Resume Incomplete` with `Range: bytes=0-N`, the bytes the
 *    session persisted, or no Range header while it holds none. A chunk that does not end the upload is persisted
 *    up to its last 256 KiB boundary (the chunk granularity); bytes already persisted are ignored when a chunk is
 *    sent again, so an interrupted chunk can be resent whole. A chunk starting past the persisted bytes is refused
 *    (400). The chunk that brings the upload to TOTAL bytes completes it: 200 with the object resource, or 412
 *    when a precondition fails.
 *  - `PUT <session URI>` with an empty body and `Content-Range: bytes *\/TOTAL` (or `*\/*`) asks for the status:
 *    308 as above, or 200 with the object resource once complete; with TOTAL equal to the bytes persisted it
 *    completes the upload. A status query never completes an upload whose total is unknown.
 *  - `DELETE <session URI>` cancels the session: 499. Later requests to it answer 410; unknown sessions 404.
 */
import { randomBytes } from 'node:crypto';
import { HttpError } from './gcs-http-error.js';

/** Cloud Storage's chunk granularity. */
export const CHUNK_GRANULARITY = 256 * 1024;

export interface UploadTarget {
  readonly bucket: string;
  readonly name: string;
  readonly contentType: string;
  /** The initiating request's query: its preconditions apply when the object is created. */
  readonly query: Readonly<Record<string, string>>;
}

/** What a PUT to a session answers: 308 with the bytes persisted, or 200 with the finished object. */
export type SessionAnswer<T> = { readonly status: 308; readonly persisted: number } | { readonly status: 200; readonly object: T };

interface Session<T> {
  readonly target: UploadTarget;
  readonly chunks: Buffer[];
  persisted: number;
  state: 'active' | 'canceled' | 'complete' | 'failed';
  object?: T;
  error?: HttpError;
}

const RANGE = /^bytes (?:(\d+)-(\d+|\*)|\*)\/(\d+|\*)$/;

export class ResumableSessions<T> {
  private readonly sessions = new Map<string, Session<T>>();

  /** `finalize` creates the object (checking the target's preconditions: it throws HttpError 412 when one fails). */
  constructor(private readonly finalize: (target: UploadTarget, data: Buffer) => T) {}

  start(target: UploadTarget): string {
    const id = randomBytes(16).toString('base64url');
    this.sessions.set(id, { target, chunks: [], persisted: 0, state: 'active' });
    return id;
  }

  /** Sessions neither complete, failed nor canceled (what a client left behind). */
  get open(): number {
    return [...this.sessions.values()].filter((s) => s.state === 'active').length;
  }

  cancel(id: string): void {
    const s = this.session(id);
    s.state = 'canceled';
    s.chunks.length = 0;
  }

  put(id: string, contentRange: string | undefined, body: Buffer): SessionAnswer<T> {
    const s = this.session(id);
    if (s.state === 'complete') return { status: 200, object: s.object! };
    if (s.state === 'failed') throw s.error!;
    // Without Content-Range the body is the whole object, in one request.
    if (contentRange === undefined && body.length === 0) return this.complete(s, 0);
    const m = RANGE.exec((contentRange ?? `bytes 0-${body.length - 1}/${body.length}`).trim());
    if (m === null) throw new HttpError(400, `Invalid Content-Range header: ${contentRange ?? ''}`, 'invalid');
    const total = m[3] === '*' ? undefined : Number(m[3]);
    if (m[1] === undefined) {
      if (body.length > 0) throw new HttpError(400, 'A status request (Content-Range: bytes */…) must have an empty body.', 'invalid');
      if (total !== undefined && total < s.persisted) throw new HttpError(400, `The upload holds ${s.persisted} bytes, more than the total of ${total}.`, 'invalid');
      return total === s.persisted ? this.complete(s, total) : { status: 308, persisted: s.persisted };
    }
    const first = Number(m[1]);
    // `bytes FIRST-*/…`: the request's body is the rest of the object (what the client library streams).
    const streamed = m[2] === '*';
    const last = streamed ? first + body.length - 1 : Number(m[2]);
    if (streamed && total === undefined) return this.put(id, `bytes ${first}-${last}/${first + body.length}`, body);
    if ((last < first && !streamed) || body.length !== last - first + 1) {
      throw new HttpError(400, `Content-Range bytes ${first}-${last} does not match the ${body.length} bytes of the request body.`, 'invalid');
    }
    if (total !== undefined && last + 1 > total) throw new HttpError(400, `Content-Range ends at byte ${last}, past the total of ${total} bytes.`, 'invalid');
    if (first > s.persisted) throw new HttpError(400, `The chunk starts at byte ${first}, but the upload holds ${s.persisted} bytes: resume from there.`, 'invalid');
    const final = total !== undefined && last + 1 === total;
    const end = final ? last + 1 : Math.floor((last + 1) / CHUNK_GRANULARITY) * CHUNK_GRANULARITY;
    if (end > s.persisted) {
      s.chunks.push(Buffer.from(body.subarray(s.persisted - first, end - first)));
      s.persisted = end;
    }
    return final ? this.complete(s, total) : { status: 308, persisted: s.persisted };
  }

  private complete(s: Session<T>, total: number): SessionAnswer<T> {
    try {
      s.object = this.finalize(s.target, Buffer.concat(s.chunks, total));
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      s.state = 'failed';
      s.error = e;
      s.chunks.length = 0;
      throw e;
    }
    s.state = 'complete';
    s.chunks.length = 0;
    return { status: 200, object: s.object };
  }

  private session(id: string): Session<T> {
    const s = this.sessions.get(id);
    if (s === undefined) throw new HttpError(404, `No such upload session: ${id}`, 'notFound');
    if (s.state === 'canceled') throw new HttpError(410, 'The upload session was canceled.', 'gone');
    return s;
  }
}
