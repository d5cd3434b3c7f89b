import { pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import bcrypt from 'bcryptjs';
import { ShoalError } from '../../common/index.js';

/**
 * Password hashes in the formats of Trino's file password authenticator (`file.password-file`), so that a Trino
 * password file works unchanged:
 *   - bcrypt: `$2y$10$…` (also `$2a$`/`$2b$`), cost at least 8 — what `htpasswd -B -C 10` writes;
 *   - PBKDF2: `<iterations>:<salt hex>:<hash hex>`, PBKDF2WithHmacSHA256, at least 1000 iterations, the derived key
 *     as long as the stored hash.
 * Verification is asynchronous (PBKDF2 runs on libuv's thread pool; bcryptjs yields between rounds) so a login
 * never blocks the event loop.
 */
export type PasswordHash =
  | { readonly scheme: 'bcrypt'; readonly cost: number; readonly text: string }
  | { readonly scheme: 'pbkdf2'; readonly iterations: number; readonly salt: Buffer; readonly hash: Buffer };

export const BCRYPT_MIN_COST = 8;
export const PBKDF2_MIN_ITERATIONS = 1000;
/** ~21 ms per check on the development machine (measured); successful logins are cached by the authenticator. */
export const PBKDF2_DEFAULT_ITERATIONS = 100_000;
export const BCRYPT_DEFAULT_COST = 10;

const pbkdf2Async = promisify(pbkdf2);
const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const BCRYPT = /^\$2[aby]\$(\d{2})\$[./A-Za-z0-9]{53}$/;

/** Parses the hash part of a password-file line; the error message says what is wrong (the caller adds the line). */
export function parsePasswordHash(text: string): PasswordHash {
  const b = BCRYPT.exec(text);
  if (b !== null) {
    const cost = Number(b[1]);
    if (cost < BCRYPT_MIN_COST) throw new ShoalError('INVALID_COMMAND_LINE', `bcrypt cost ${cost} is below the minimum of ${BCRYPT_MIN_COST}`);
    return { scheme: 'bcrypt', cost, text };
  }
  if (text.startsWith('$')) throw new ShoalError('INVALID_COMMAND_LINE', 'unsupported hash: only bcrypt ($2y$, $2a$, $2b$) and PBKDF2 (iterations:salt:hash) are accepted');
  const parts = text.split(':');
  if (parts.length !== 3 || !/^\d+$/.test(parts[0]!) || !HEX.test(parts[1]!) || !HEX.test(parts[2]!)) {
    throw new ShoalError('INVALID_COMMAND_LINE', 'the password is not a bcrypt hash or a PBKDF2 hash of the form iterations:saltHex:hashHex');
  }
  const iterations = Number(parts[0]);
  if (iterations < PBKDF2_MIN_ITERATIONS) throw new ShoalError('INVALID_COMMAND_LINE', `PBKDF2 iteration count ${iterations} is below the minimum of ${PBKDF2_MIN_ITERATIONS}`);
  return { scheme: 'pbkdf2', iterations, salt: Buffer.from(parts[1]!, 'hex'), hash: Buffer.from(parts[2]!, 'hex') };
}

/** Whether `password` matches; constant-time in the comparison, and always pays the full hash cost. */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  switch (stored.scheme) {
    case 'bcrypt':
      return bcrypt.compare(password, stored.text);
    case 'pbkdf2': {
      const derived = await pbkdf2Async(password, stored.salt, stored.iterations, stored.hash.length, 'sha256');
      return timingSafeEqual(derived, stored.hash);
    }
  }
}

/**
 * A hash with the same scheme and cost as `like` but matching no password a user could send (random salt and
 * digest): checked for unknown users so that they take as long as a wrong password.
 */
export function dummyHashLike(like: PasswordHash | undefined): PasswordHash {
  if (like === undefined || like.scheme === 'pbkdf2') {
    return { scheme: 'pbkdf2', iterations: like?.iterations ?? PBKDF2_DEFAULT_ITERATIONS, salt: randomBytes(16), hash: randomBytes(like?.hash.length ?? 32) };
  }
  const salt = bcrypt.genSaltSync(like.cost);
  // A bcrypt string of the right cost whose digest part is random: compare() hashes fully, then never matches.
  const digest = randomBytes(40).toString('base64').replace(/[+=]/g, '.').slice(0, 31);
  return { scheme: 'bcrypt', cost: like.cost, text: `${salt}${digest}` };
}

export type HashOptions =
  | { readonly scheme?: 'pbkdf2'; readonly iterations?: number }
  | { readonly scheme: 'bcrypt'; readonly cost?: number };

/** The hash text for a password-file line (`user:<this>`), PBKDF2 by default. */
export async function hashPassword(password: string, options: HashOptions = {}): Promise<string> {
  if (options.scheme === 'bcrypt') {
    const cost = options.cost ?? BCRYPT_DEFAULT_COST;
    if (cost < BCRYPT_MIN_COST || cost > 31) throw new ShoalError('INVALID_COMMAND_LINE', `bcrypt cost must be between ${BCRYPT_MIN_COST} and 31`);
    // Trino's documentation shows $2y$ (htpasswd); the algorithm is the same as $2b$.
    return (await bcrypt.hash(password, cost)).replace(/^\$2[ab]\$/, '$2y$');
  }
  const iterations = options.iterations ?? PBKDF2_DEFAULT_ITERATIONS;
  if (!Number.isInteger(iterations) || iterations < PBKDF2_MIN_ITERATIONS) {
    throw new ShoalError('INVALID_COMMAND_LINE', `PBKDF2 needs an integer iteration count of at least ${PBKDF2_MIN_ITERATIONS}`);
  }
  const salt = randomBytes(16);
  const hash = await pbkdf2Async(password, salt, iterations, 32, 'sha256');
  return `${iterations}:${salt.toString('hex')}:${hash.toString('hex')}`;
}
