/** Error answers and injected faults of the GCS test server (gcs-server.ts). */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** An error answer of the GCS test server: a status and the JSON API's `{"error":{…}}` body (see gcs-server.ts). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly reason: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFoundBucket = (): HttpError => new HttpError(404, 'The specified bucket does not exist.', 'notFound');
export const notFoundObject = (bucket: string, name: string): HttpError => new HttpError(404, `No such object: ${bucket}/${name}`, 'notFound');
export const preconditionFailed = (): HttpError => new HttpError(412, 'At least one of the pre-conditions you specified did not hold.', 'conditionNotMet');

/** What injected status faults answer (message, reason). */
export const FAULT_ERRORS: Record<503 | 429 | 500, [string, string]> = {
  503: ['We encountered an internal error. Please try again.', 'backendError'],
  429: ['The rate of change requests to the object exceeds the rate limit. Please reduce the rate of create, update, and delete requests.', 'rateLimitExceeded'],
  500: ['Internal Error', 'internalError'],
};

/** The response is written nowhere: once the request was handled, its connection is destroyed instead. */
export function loseResponse(req: IncomingMessage, res: ServerResponse): void {
  const drop = (): ServerResponse => {
    req.socket.destroy();
    return res;
  };
  res.writeHead = (() => res) as typeof res.writeHead;
  res.write = (() => true) as typeof res.write;
  res.end = drop as typeof res.end;
}
