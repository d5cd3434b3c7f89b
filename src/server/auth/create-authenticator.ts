import type { IncomingMessage } from 'node:http';
import { assertNever, isShoalError } from '../../common/index.js';
import type { AuthOutcome, Authenticator } from './authenticator.js';
import { credentialsOf } from './authorization-header.js';
import { PasswordStore } from './password-store.js';
import { TokenStore } from './token-store.js';

export interface AuthenticatorOptions {
  /** Trino-format password file (user:bcrypt-or-PBKDF2 hash); enables `Authorization: Basic`. */
  readonly passwordFile?: string | undefined;
  /** Tokens file (user:sha256 hex of the token); enables `Authorization: Bearer`. */
  readonly tokensFile?: string | undefined;
  /** Told when a credentials file fails to reload (logins are refused until it is fixed). */
  readonly onFileError?: ((message: string) => void) | undefined;
}

const REALM = 'Shoal';

/**
 * The authenticator for the given files, or undefined when neither is given (no authentication). Loads the files
 * now and throws a ShoalError naming the file and line when one is missing or malformed.
 */
export function createAuthenticator(o: AuthenticatorOptions): Authenticator | undefined {
  const passwords = o.passwordFile === undefined ? undefined : new PasswordStore(o.passwordFile);
  const tokens = o.tokensFile === undefined ? undefined : new TokenStore(o.tokensFile);
  if (passwords === undefined && tokens === undefined) return undefined;
  const kind = passwords !== undefined && tokens !== undefined ? 'password+bearer' : passwords !== undefined ? 'password' : 'bearer';
  const challenge = [passwords === undefined ? undefined : `Basic realm="${REALM}"`, tokens === undefined ? undefined : `Bearer realm="${REALM}"`]
    .filter((c) => c !== undefined)
    .join(', ');
  const refuse = (message: string): AuthOutcome => ({ ok: false, challenge, message });
  const unavailable = (e: unknown): AuthOutcome => {
    o.onFileError?.(isShoalError(e) ? e.message : String(e));
    return refuse('Access Denied: the server cannot check credentials now (its credentials file is unreadable or invalid)');
  };

  return {
    kind,
    async authenticate(req: IncomingMessage): Promise<AuthOutcome> {
      const c = credentialsOf(req);
      switch (c.kind) {
        case 'none': return refuse('Unauthorized: this server requires authentication');
        case 'malformed': return refuse('Unauthorized: malformed Authorization header');
        case 'basic': {
          if (passwords === undefined) return refuse('Unauthorized: password authentication is not enabled on this server; use a bearer token');
          try {
            return (await passwords.verify(c.user, c.password)) ? { ok: true, user: c.user } : refuse('Access Denied: Invalid credentials');
          } catch (e) {
            return unavailable(e);
          }
        }
        case 'bearer': {
          if (tokens === undefined) return refuse('Unauthorized: bearer tokens are not enabled on this server; use a user name and password');
          try {
            const user = await tokens.userOf(c.token);
            return user === undefined ? refuse('Access Denied: Invalid credentials') : { ok: true, user };
          } catch (e) {
            return unavailable(e);
          }
        }
        default: return assertNever(c, 'credentials');
      }
    },
  };
}
