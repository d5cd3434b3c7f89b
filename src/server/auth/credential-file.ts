import { readFileSync, statSync, type Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { ShoalError, toShoalError } from '../../common/index.js';

/**
 * A credentials file (passwords or token digests) that is re-read when it changes: every lookup stats the file
 * (tens of microseconds) and re-parses it when its size, mtime or inode differ, so an edit or an atomic
 * replace takes effect on the next request without a restart.
 *
 * The first load is synchronous and throws, so a bad file stops the server at start. A later reload that fails
 * (file removed, a malformed line) makes `current()` throw: the authenticator then refuses every login until the
 * file is fixed — failing closed, because keeping the old contents would keep a user the edit meant to remove.
 */
export class CredentialFile<T> {
  private value: T;
  private signature: string;
  private pending: Promise<T> | undefined;
  private failure: ShoalError | undefined;

  constructor(readonly path: string, private readonly parse: (text: string, path: string) => T) {
    let st: Stats;
    let text: string;
    try {
      st = statSync(path);
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw fileError(path, e);
    }
    this.value = parse(text, path);
    this.signature = signatureOf(st);
  }

  /** The parsed contents as of now; throws a ShoalError when the file has become unreadable or invalid. */
  async current(): Promise<T> {
    if (this.pending !== undefined) return this.pending;
    this.pending = this.refresh().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async refresh(): Promise<T> {
    let st: Stats;
    try {
      st = await stat(this.path);
    } catch (e) {
      this.failure = fileError(this.path, e);
      this.signature = '';
      throw this.failure;
    }
    const sig = signatureOf(st);
    if (sig === this.signature) {
      if (this.failure !== undefined) throw this.failure;
      return this.value;
    }
    try {
      const text = await readFile(this.path, 'utf8');
      this.value = this.parse(text, this.path);
      this.failure = undefined;
    } catch (e) {
      this.failure = e instanceof ShoalError ? e : fileError(this.path, e);
    }
    this.signature = sig;
    if (this.failure !== undefined) throw this.failure;
    return this.value;
  }
}

function signatureOf(st: Stats): string {
  return `${st.ino}:${st.size}:${st.mtimeMs}`;
}

function fileError(path: string, e: unknown): ShoalError {
  const code = e instanceof Error && 'code' in e ? String((e as NodeJS.ErrnoException).code) : '';
  if (code === 'ENOENT') return new ShoalError('FILE_NOT_FOUND', `File not found: ${path}`, { location: path, cause: e });
  if (code === 'EACCES' || code === 'EISDIR') return new ShoalError('CANNOT_OPEN_FILE', `Cannot read ${path} (${code})`, { location: path, cause: e });
  return toShoalError(e);
}

/**
 * The meaningful lines of a `name:value` file: blank lines and lines starting with `#` are skipped; the name is
 * everything before the first colon. Errors name the file and the line.
 */
export function parseColonLines(text: string, path: string, what: string): { readonly name: string; readonly value: string; readonly line: number }[] {
  const out: { name: string; value: string; line: number }[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const colon = raw.indexOf(':');
    if (colon <= 0 || colon === raw.length - 1) {
      throw new ShoalError('INVALID_COMMAND_LINE', `${path}:${i + 1}: expected user:${what}`, { location: path });
    }
    out.push({ name: raw.slice(0, colon), value: raw.slice(colon + 1), line: i + 1 });
  }
  return out;
}
