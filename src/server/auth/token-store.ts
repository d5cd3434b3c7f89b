import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ShoalError } from '../../common/index.js';
import { CredentialFile, parseColonLines } from './credential-file.js';

/**
 * A bearer-tokens file: one `user:<sha256 of the token, 64 hex digits>` per line; `#` comments and blank lines
 * allowed; a user may have several tokens (several lines). Only digests are stored, so the file does not give
 * the tokens away. Tokens are opaque strings (generateToken makes 32 random bytes, base64url); no JWT.
 */
export interface TokenEntry {
  readonly user: string;
  readonly digest: Buffer;
}

export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** A fresh random token and its tokens-file line. */
export function generateToken(user: string): { readonly token: string; readonly line: string } {
  if (user === '' || user.includes(':')) throw new ShoalError('INVALID_COMMAND_LINE', 'a user name must be non-empty and without a colon');
  const token = randomBytes(32).toString('base64url');
  return { token, line: `${user}:${tokenDigest(token).toString('hex')}` };
}

export function parseTokensFile(text: string, path: string): readonly TokenEntry[] {
  const seen = new Set<string>();
  return parseColonLines(text, path, 'sha256hex').map(({ name, value, line }) => {
    if (!/^[0-9a-fA-F]{64}$/.test(value)) {
      throw new ShoalError('INVALID_COMMAND_LINE', `${path}:${line}: expected user:<sha256 of the token as 64 hex digits>`, { location: path });
    }
    const hex = value.toLowerCase();
    if (seen.has(hex)) throw new ShoalError('INVALID_COMMAND_LINE', `${path}:${line}: the same token digest appears twice`, { location: path });
    seen.add(hex);
    return { user: name, digest: Buffer.from(hex, 'hex') };
  });
}

export class TokenStore {
  private readonly file: CredentialFile<readonly TokenEntry[]>;

  constructor(path: string) {
    this.file = new CredentialFile(path, parseTokensFile);
  }

  /** The token's user, or undefined. Compares against every entry in constant time, without stopping at a match. */
  async userOf(token: string): Promise<string | undefined> {
    const entries = await this.file.current();
    const digest = tokenDigest(token);
    let user: string | undefined;
    for (const e of entries) {
      if (timingSafeEqual(digest, e.digest) && user === undefined) user = e.user;
    }
    return user;
  }
}
