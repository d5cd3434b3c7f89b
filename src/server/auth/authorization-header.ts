import type { IncomingMessage } from 'node:http';

/** The credentials an `Authorization` header carries (RFC 7617 Basic, RFC 6750 Bearer); schemes are case-insensitive. */
export type Credentials =
  | { readonly kind: 'none' }
  | { readonly kind: 'basic'; readonly user: string; readonly password: string }
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'malformed' };

export function credentialsOf(req: IncomingMessage): Credentials {
  const header = req.headers.authorization;
  if (header === undefined || header.trim() === '') return { kind: 'none' };
  const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(header);
  if (m === null) return { kind: 'malformed' };
  const scheme = m[1]!.toLowerCase();
  const value = m[2]!;
  if (scheme === 'bearer') return { kind: 'bearer', token: value };
  if (scheme !== 'basic' || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return { kind: 'malformed' };
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  // The user name cannot contain a colon (RFC 7617); the password may.
  const colon = decoded.indexOf(':');
  if (colon <= 0) return { kind: 'malformed' };
  return { kind: 'basic', user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
