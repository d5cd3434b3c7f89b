import { REPL_MODES, type ReplMode } from './result-printer.js';

export const META_HELP = `Meta commands:
  \\?               this help
  \\q               quit (also Ctrl-D, or Ctrl-C twice on an empty prompt)
  \\d               list tables of the current schema (\\dt is the same)
  \\d NAME          describe a table
  \\mode MODE       output mode: ${REPL_MODES.join(', ')}
  \\x               toggle vertical output
  \\timing          toggle the elapsed time after each result
  \\set maxrows N   rows printed in table and vertical modes (default 40)
  \\i FILE          run the statements of a file
  \\o [FILE]        send results to a file; \\o alone sends them back to the terminal
Statements end with ';' and may span lines. Tab completes keywords, names and functions.
USE catalog.schema and SET SESSION name = value work as statements; Ctrl-C cancels a running query.`;

/** A parsed meta command; `sql` ones are run as statements. */
export type MetaCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'quit' }
  | { readonly kind: 'sql'; readonly sql: string }
  | { readonly kind: 'mode'; readonly mode: ReplMode }
  | { readonly kind: 'toggle_vertical' }
  | { readonly kind: 'toggle_timing' }
  | { readonly kind: 'maxrows'; readonly rows: number }
  | { readonly kind: 'include'; readonly file: string }
  | { readonly kind: 'output'; readonly file: string | undefined }
  | { readonly kind: 'invalid'; readonly message: string };

/** Parses a line starting with a backslash. */
export function parseMeta(line: string): MetaCommand {
  const [cmd = '', ...rest] = line.trim().replace(/;$/, '').split(/\s+/);
  const arg = rest.join(' ');
  switch (cmd) {
    case '\\?':
    case '\\h':
    case '\\help':
      return { kind: 'help' };
    case '\\q':
    case '\\quit':
      return { kind: 'quit' };
    case '\\d':
    case '\\dt':
      return arg === '' ? { kind: 'sql', sql: 'SHOW TABLES' } : { kind: 'sql', sql: `DESCRIBE ${arg}` };
    case '\\mode': {
      const mode = REPL_MODES.find((m) => m === arg.toLowerCase());
      return mode === undefined ? { kind: 'invalid', message: `\\mode needs one of: ${REPL_MODES.join(', ')}` } : { kind: 'mode', mode };
    }
    case '\\x':
      return { kind: 'toggle_vertical' };
    case '\\timing':
      return { kind: 'toggle_timing' };
    case '\\set': {
      const [name, value] = rest;
      const n = Number(value);
      if (name?.toLowerCase() === 'maxrows' && Number.isInteger(n) && n > 0) return { kind: 'maxrows', rows: n };
      return { kind: 'invalid', message: '\\set maxrows N (a positive integer)' };
    }
    case '\\i':
      return arg === '' ? { kind: 'invalid', message: '\\i needs a file name' } : { kind: 'include', file: arg };
    case '\\o':
      return { kind: 'output', file: arg === '' ? undefined : arg };
    default:
      return { kind: 'invalid', message: `Unknown command ${cmd}; \\? lists the commands` };
  }
}
