import type { IncomingMessage } from 'node:http';

/**
 * The contract between the HTTP server and authentication (issue 5): the server asks before serving any request
 * other than GET /v1/info; a refusal becomes a 401 with `WWW-Authenticate: <challenge>` and a body naming the
 * cause without saying whether the user exists.
 */
export type AuthOutcome =
  | { readonly ok: true; readonly user: string }
  | { readonly ok: false; readonly challenge: string; readonly message: string };

export interface Authenticator {
  /** Short name for logs and /v1/info: "password", "bearer", "password+bearer". */
  readonly kind: string;
  authenticate(req: IncomingMessage): Promise<AuthOutcome>;
}
