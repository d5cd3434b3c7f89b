/**
 * The sqllogictest dialect of DESIGN.md §8:
 *
 *   statement ok | statement error <substring or /regex/>
 *   <sql, one or more lines>
 *   [----
 *   <expected formatted error: `line L:C: message`, the source line, the caret>]
 *
 *   query <types> [nosort|rowsort]
 *   <sql>
 *   ----
 *   <rows, tab-separated, NULL for null, (empty) for an empty string>
 *
 * Records are separated by blank lines; lines starting with # are comments. <types> has one letter per column
 * (I integer, R floating/decimal compared with a tolerance, T text, B boolean, D date/time).
 */
export type SltRecord =
  | { readonly kind: 'statement_ok'; readonly sql: string; readonly line: number }
  | { readonly kind: 'statement_error'; readonly sql: string; readonly line: number; readonly pattern: string; readonly expectedText?: string | undefined }
  | {
      readonly kind: 'query';
      readonly sql: string;
      readonly line: number;
      readonly types: string;
      readonly sort: 'nosort' | 'rowsort';
      readonly expected: readonly string[];
      /** Line index (0-based) where the expected block starts and ends, for --complete rewriting. */
      readonly expectedRange: readonly [number, number];
    };

export function parseSlt(text: string, file: string): SltRecord[] {
  const lines = text.split('\n');
  const records: SltRecord[] = [];
  let i = 0;
  const fail = (msg: string): never => {
    throw new Error(`${file}:${i + 1}: ${msg}`);
  };
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '' || line.startsWith('#')) {
      i++;
      continue;
    }
    const head = line.trim();
    const start = i;
    i++;
    const sqlLines: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '' && lines[i] !== '----') sqlLines.push(lines[i++]!);
    const sql = sqlLines.join('\n');
    if (sql === '') fail(`record '${head}' has no SQL`);
    const block: string[] = [];
    let blockStart = i;
    if (lines[i] === '----') {
      i++;
      blockStart = i;
      while (i < lines.length && lines[i]!.trim() !== '') block.push(lines[i++]!);
    }
    if (head === 'statement ok') records.push({ kind: 'statement_ok', sql, line: start + 1 });
    else if (head.startsWith('statement error')) {
      const pattern = head.slice('statement error'.length).trim();
      records.push({ kind: 'statement_error', sql, line: start + 1, pattern, expectedText: block.length > 0 ? block.join('\n') : undefined });
    } else if (head.startsWith('query ')) {
      const [, types = '', sort = 'nosort'] = head.split(/\s+/);
      if (sort !== 'nosort' && sort !== 'rowsort') fail(`unknown sort mode '${sort}'`);
      records.push({ kind: 'query', sql, line: start + 1, types, sort: sort as 'nosort' | 'rowsort', expected: block, expectedRange: [blockStart, i] });
    } else fail(`unknown record '${head}'`);
  }
  return records;
}

/** Whether an error message matches a record's pattern (substring, or /regex/). */
export function errorMatches(pattern: string, message: string): boolean {
  if (pattern === '') return true;
  const m = /^\/(.*)\/([a-z]*)$/.exec(pattern);
  if (m !== null) return new RegExp(m[1]!, m[2]).test(message);
  return message.includes(pattern);
}

/** Compares a row's cells, numerically with relative tolerance 1e-9 for R columns. */
export function rowsEqual(actual: string, expected: string, types: string): boolean {
  if (actual === expected) return true;
  const a = actual.split('\t'), e = expected.split('\t');
  if (a.length !== e.length) return false;
  return a.every((x, k) => {
    if (x === e[k]) return true;
    if (types[k] !== 'R') return false;
    const nx = Number(x), ne = Number(e[k]);
    if (Number.isNaN(nx) || Number.isNaN(ne)) return false;
    return Math.abs(nx - ne) <= 1e-9 * Math.max(1, Math.abs(ne));
  });
}
