import type { QueryRunner } from './query-runner.js';

/** Words offered at any position (Trino statements and clauses; lower-case matches are offered lower-case). */
const KEYWORDS = [
  'SELECT', 'FROM', 'WHERE', 'GROUP BY', 'ORDER BY', 'HAVING', 'LIMIT', 'OFFSET', 'JOIN', 'LEFT', 'RIGHT', 'FULL',
  'INNER', 'OUTER', 'CROSS', 'ON', 'USING', 'AS', 'AND', 'OR', 'NOT', 'NULL', 'IS', 'IN', 'LIKE', 'BETWEEN', 'CASE',
  'WHEN', 'THEN', 'ELSE', 'END', 'DISTINCT', 'UNION', 'INTERSECT', 'EXCEPT', 'ALL', 'WITH', 'VALUES', 'CAST',
  'TRY_CAST', 'EXISTS', 'ASC', 'DESC', 'NULLS', 'FIRST', 'LAST', 'OVER', 'PARTITION BY', 'ROWS', 'RANGE',
  'INTERVAL', 'DATE', 'TIMESTAMP', 'TRUE', 'FALSE', 'SHOW', 'TABLES', 'SCHEMAS', 'CATALOGS', 'COLUMNS',
  'FUNCTIONS', 'SESSION', 'DESCRIBE', 'EXPLAIN', 'ANALYZE', 'USE', 'SET', 'RESET', 'CREATE', 'TABLE', 'DROP',
  'INSERT', 'INTO', 'UNNEST', 'FETCH',
];

/** Words that may follow a table name without being its alias. */
const CLAUSE_WORDS = new Set(['where', 'join', 'on', 'using', 'group', 'order', 'limit', 'having', 'left', 'right', 'full', 'inner', 'cross', 'natural', 'union', 'except', 'intersect', 'offset', 'fetch', 'window', 'tablesample']);

type Lists = Pick<QueryRunner, 'catalogs' | 'schemas' | 'tables' | 'columns' | 'functions' | 'current'>;

/**
 * Tab completion from the live catalog. Listings are cached until `invalidate` (called after each statement,
 * since USE or DDL may change them); a listing that fails offers nothing.
 */
export class Completer {
  private cache = new Map<string, Promise<string[]>>();
  constructor(private readonly lists: Lists) {}

  invalidate(): void {
    this.cache.clear();
  }

  private cached(key: string, f: () => Promise<string[]>): Promise<string[]> {
    let p = this.cache.get(key);
    if (p === undefined) {
      p = f().catch(() => []);
      this.cache.set(key, p);
    }
    return p;
  }

  /** Tables named after FROM / JOIN in the statement so far, as written (`t`, `s.t`, `c.s.t`). */
  static tablesIn(sql: string): string[] {
    return [...new Set(Completer.tableRefs(sql).map((r) => r.table))];
  }

  /** Each table after FROM / JOIN with the name that qualifies its columns: its alias, else its last part. */
  static tableRefs(sql: string): { table: string; qualifier: string }[] {
    const out: { table: string; qualifier: string }[] = [];
    const re = /\b(?:from|join)\s+((?:"[^"]*"|[A-Za-z_][\w$]*)(?:\s*\.\s*(?:"[^"]*"|[A-Za-z_][\w$]*)){0,2})(?:\s+(?:as\s+)?([A-Za-z_][\w$]*))?/gi;
    for (const m of sql.matchAll(re)) {
      const table = m[1]!.replace(/\s+/g, '');
      const alias = m[2]?.toLowerCase();
      const qualifier = alias !== undefined && !CLAUSE_WORDS.has(alias) ? alias : table.split('.').pop()!.replace(/"/g, '').toLowerCase();
      out.push({ table, qualifier });
    }
    return out;
  }

  /**
   * Candidates for the word before the cursor. `before` is the statement so far including the current line up to
   * the cursor. Returns the candidates and the word they replace (readline's completer contract).
   */
  async complete(before: string): Promise<[string[], string]> {
    const m = /[A-Za-z_0-9$."]*$/.exec(before);
    const word = m === null ? '' : m[0];
    const parts = word.split('.');
    const last = parts[parts.length - 1]!;
    const qualifiers = parts.slice(0, -1).map((p) => p.replace(/^"|"$/g, '').toLowerCase());
    const { catalog, schema } = this.lists.current();
    const names: string[] = [];
    if (qualifiers.length === 0) {
      const cats = await this.cached('catalogs', () => this.lists.catalogs());
      names.push(...cats);
      if (catalog !== undefined) names.push(...(await this.cached(`schemas:${catalog}`, () => this.lists.schemas(catalog))));
      if (catalog !== undefined && schema !== undefined) names.push(...(await this.cached(`tables:${catalog}.${schema}`, () => this.lists.tables(catalog, schema))));
      for (const t of Completer.tablesIn(before)) names.push(...(await this.cached(`columns:${t}`, () => this.lists.columns(t))));
      names.push(...(await this.cached('functions', () => this.lists.functions())));
    } else {
      const cats = await this.cached('catalogs', () => this.lists.catalogs());
      if (qualifiers.length === 1) {
        const q = qualifiers[0]!;
        // `catalog.` → schemas; `schema.` → tables; `table.` → its columns.
        if (cats.includes(q)) names.push(...(await this.cached(`schemas:${q}`, () => this.lists.schemas(q))));
        if (catalog !== undefined) {
          const schemas = await this.cached(`schemas:${catalog}`, () => this.lists.schemas(catalog));
          if (schemas.includes(q)) names.push(...(await this.cached(`tables:${catalog}.${q}`, () => this.lists.tables(catalog, q))));
        }
        const tables = Completer.tableRefs(before).filter((r) => r.qualifier === q).map((r) => r.table);
        for (const t of tables) names.push(...(await this.cached(`columns:${t}`, () => this.lists.columns(t))));
      } else if (qualifiers.length === 2) {
        const [c, s] = qualifiers as [string, string];
        if (cats.includes(c)) names.push(...(await this.cached(`tables:${c}.${s}`, () => this.lists.tables(c, s))));
      }
    }
    const prefix = parts.slice(0, -1).join('.') + (parts.length > 1 ? '.' : '');
    const lower = last.toLowerCase();
    const hits = new Set<string>();
    for (const n of names) if (n.toLowerCase().startsWith(lower)) hits.add(prefix + n);
    if (qualifiers.length === 0) {
      const upper = last === last.toUpperCase() && last !== '';
      for (const k of KEYWORDS) if (k.toLowerCase().startsWith(lower)) hits.add(upper ? k : k.toLowerCase());
    }
    return [[...hits].sort(), word];
  }
}
