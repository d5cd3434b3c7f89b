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
