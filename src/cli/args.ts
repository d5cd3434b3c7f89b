import { ShoalError, didYouMean } from '../common/index.js';

export type OutputFormat = 'table' | 'csv' | 'tsv' | 'json' | 'jsonl';
export const FORMATS: readonly OutputFormat[] = ['table', 'csv', 'tsv', 'json', 'jsonl'];

export interface CliArgs {
  readonly command: 'query' | 'repl' | 'help' | 'version';
  readonly execute?: string | undefined;
  readonly file?: string | undefined;
  readonly catalogDir?: string | undefined;
  readonly catalog?: string | undefined;
  readonly schema?: string | undefined;
  readonly format?: OutputFormat | undefined;
  readonly output?: string | undefined;
  /** Session time zone (default UTC, so scripts give the same answers on every machine). */
  readonly timeZone?: string | undefined;
  readonly sessionProperties: Readonly<Record<string, string>>;
}

const VALUE_FLAGS: Readonly<Record<string, string>> = {
  '-e': 'execute', '--execute': 'execute', '-f': 'file', '--file': 'file', '--catalog-dir': 'catalogDir',
  '--catalog': 'catalog', '--schema': 'schema', '--format': 'format', '--output': 'output', '-o': 'output', '--session': 'session',
  '--time-zone': 'timeZone',
};

function usage(message: string): ShoalError {
  return new ShoalError('INVALID_COMMAND_LINE', message, { hint: 'Run shoal --help for usage' });
}

/** Parses the command line (DESIGN §5). `serve` and `run` arrive with the server and batch-job work. */
export function parseArgs(argv: readonly string[]): CliArgs {
  const out: Record<string, string | undefined> = {};
  const session: Record<string, string> = {};
  let command: CliArgs['command'] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h' || a === '--help') return { command: 'help', sessionProperties: {} };
    if (a === '-v' || a === '--version') return { command: 'version', sessionProperties: {} };
    if (i === 0 && (a === 'serve' || a === 'run')) {
      throw new ShoalError('NOT_SUPPORTED', `'shoal ${a}' is not available in this version`, { hint: 'Use shoal -e "SQL" or shoal -f file.sql' });
    }
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const key = VALUE_FLAGS[flag];
    if (key === undefined) {
      if (a.startsWith('-')) throw usage(`Unknown option ${flag}${(() => { const d = didYouMean(flag, Object.keys(VALUE_FLAGS)); return d === undefined ? '' : `. ${d}`; })()}`);
      throw usage(`Unexpected argument '${a}'`);
    }
    const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined) throw usage(`Option ${flag} needs a value`);
    if (key === 'session') {
      const k = value.indexOf('=');
      if (k <= 0) throw usage(`--session needs name=value, not '${value}'`);
      session[value.slice(0, k)] = value.slice(k + 1);
      continue;
    }
    if (out[key] !== undefined) throw usage(`Option ${flag} given twice`);
    out[key] = value;
  }
  if (out['execute'] !== undefined && out['file'] !== undefined) throw usage('Give either -e SQL or -f FILE, not both');
  const format = out['format'];
  if (format !== undefined && !(FORMATS as readonly string[]).includes(format)) {
    throw usage(`Unknown format '${format}'; use one of ${FORMATS.join(', ')}`);
  }
  command = out['execute'] !== undefined || out['file'] !== undefined ? 'query' : 'repl';
  return {
    command,
    execute: out['execute'],
    file: out['file'],
    catalogDir: out['catalogDir'],
    catalog: out['catalog'],
    schema: out['schema'],
    format: format as OutputFormat | undefined,
    output: out['output'],
    timeZone: out['timeZone'],
    sessionProperties: session,
  };
}

export const HELP = `Shoal: SQL over Parquet and CSV through a file catalog (Trino's dialect).

Usage:
  shoal                           interactive SQL (REPL); statements end with ;
  shoal -e "SQL"                  run one or more statements
  shoal -f file.sql               run the statements of a file
  shoal < file.sql                run statements from standard input

Options:
  --catalog-dir DIR               catalog folder (default: ./catalog, else the bundled sample catalog)
  --catalog NAME --schema NAME    default catalog and schema for unqualified table names
  --format table|csv|tsv|json|jsonl
                                  output format (default: table)
  --output FILE, -o FILE          write results to FILE instead of standard output
  --session NAME=VALUE            set a session property (repeatable)
  --time-zone ZONE                session time zone, e.g. America/New_York (default: UTC)
  -h, --help                      this help
  -v, --version                   version

Exit status: 0 on success; 1 when a statement fails (the error is on stderr); 2 for a bad command line.`;
