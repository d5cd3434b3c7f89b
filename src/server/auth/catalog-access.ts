import { readFileSync } from 'node:fs';
import { ShoalError } from '../../common/index.js';
import type { CatalogAccess } from '../../engine/index.js';

/**
 * Which catalogs each server user may use (`shoal serve --catalog-access FILE`): a JSON object mapping a user name
 * to an array of catalog names, `"*"` giving the entry for users not listed, e.g.
 * `{ "alice": ["lake", "memory"], "*": ["memory"] }`. A user neither listed nor covered by `"*"` sees no catalog.
 * The user is the authenticated one (or X-Trino-User on a server without authentication, which proves nothing).
 */
export class CatalogAccessRules {
  private constructor(private readonly rules: ReadonlyMap<string, ReadonlySet<string>>) {}

  /** Validates the file's content; INVALID_COMMAND_LINE naming the file and the bad entry. */
  static parse(text: string, file: string): CatalogAccessRules {
    const bad = (message: string): ShoalError => new ShoalError('INVALID_COMMAND_LINE', `Invalid catalog access file ${file}: ${message}`, {
      location: file, hint: 'Write a JSON object such as { "alice": ["lake"], "*": ["memory"] }',
    });
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw bad(`not valid JSON (${(e as Error).message})`);
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad('expected a JSON object of user → catalogs');
    const rules = new Map<string, ReadonlySet<string>>();
    for (const [user, catalogs] of Object.entries(raw)) {
      if (!Array.isArray(catalogs) || !catalogs.every((c): c is string => typeof c === 'string' && c !== '')) {
        throw bad(`the entry for '${user}' must be an array of catalog names`);
      }
      rules.set(user, new Set(catalogs.map((c) => c.toLowerCase())));
    }
    return new CatalogAccessRules(rules);
  }

  static load(file: string): CatalogAccessRules {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ShoalError('FILE_NOT_FOUND', `Cannot read catalog access file ${file}`, { location: file, hint: 'Check the --catalog-access path', cause: e });
    }
    return CatalogAccessRules.parse(text, file);
  }

  /** The access of `user`. */
  forUser(user: string): CatalogAccess {
    return { user, catalogs: this.rules.get(user) ?? this.rules.get('*') ?? new Set() };
  }
}
