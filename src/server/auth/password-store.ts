import { createHmac, randomBytes } from 'node:crypto';
import { ShoalError } from '../../common/index.js';
import { CredentialFile, parseColonLines } from './credential-file.js';
import { dummyHashLike, parsePasswordHash, verifyPassword, type PasswordHash } from './password-hash.js';

/**
 * A password file in Trino's format (file.password-file): one `user:hash` per line, the hash bcrypt or PBKDF2
 * (see password-hash.ts); `#` comments and blank lines allowed; user names are case-sensitive.
 */
export interface PasswordTable {
  readonly users: ReadonlyMap<string, PasswordHash>;
  /** Checked for unknown users so that they cost as much as a wrong password (same scheme and cost as the file's first entry). */
  readonly dummy: PasswordHash;
}

export function parsePasswordFile(text: string, path: string): PasswordTable {
  const users = new Map<string, PasswordHash>();
  let first: PasswordHash | undefined;
  for (const { name, value, line } of parseColonLines(text, path, 'hash')) {
    if (users.has(name)) throw new ShoalError('INVALID_COMMAND_LINE', `${path}:${line}: user ${name} appears twice`, { location: path });
    let hash: PasswordHash;
    try {
      hash = parsePasswordHash(value);
    } catch (e) {
      const why = e instanceof ShoalError ? e.message : String(e);
      throw new ShoalError('INVALID_COMMAND_LINE', `${path}:${line}: ${why}`, { location: path, hint: 'Make a line with: npx tsx scripts/hash-password.ts <user>' });
    }
    first ??= hash;
    users.set(name, hash);
  }
  return { users, dummy: dummyHashLike(first) };
}

/** Successful logins remembered so that paging a result does not pay the hash cost on every request (as Trino's auth cache). */
const CACHE_LIMIT = 1000;

export class PasswordStore {
  private readonly file: CredentialFile<PasswordTable>;
  private readonly cacheKey = randomBytes(32);
  private readonly cache = new Map<string, PasswordTable>();
  /** How many password hashes were computed (known and unknown users alike); for tests of the timing rule. */
  hashChecks = 0;

  constructor(path: string) {
    this.file = new CredentialFile(path, parsePasswordFile);
  }

  get path(): string {
    return this.file.path;
  }

  /**
   * Whether user and password match the file as it is now. An unknown user costs one hash computation, exactly
   * like a wrong password. Throws a ShoalError when the file has become unreadable or invalid.
   */
  async verify(user: string, password: string): Promise<boolean> {
    const table = await this.file.current();
    const key = createHmac('sha256', this.cacheKey).update(user).update('\0').update(password).digest('hex');
    if (this.cache.get(key) === table) return true;
    const stored = table.users.get(user);
    this.hashChecks++;
    const ok = await verifyPassword(password, stored ?? table.dummy);
    if (!ok || stored === undefined) return false;
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(key, table);
    return true;
  }
}
