import { ShoalError, didYouMean } from '../common/index.js';
import { PARAMETER_NAME } from '../engine/index.js';

export type OutputFormat = 'table' | 'csv' | 'tsv' | 'json' | 'jsonl';
export const FORMATS: readonly OutputFormat[] = ['table', 'csv', 'tsv', 'json', 'jsonl'];

export interface CliArgs {
  readonly command: 'query' | 'repl' | 'help' | 'version' | 'serve' | 'run';
  readonly execute?: string | undefined;
  readonly file?: string | undefined;
  readonly catalogDir?: string | undefined;
  /** --allowed-root PATH (repeatable): where paths named in queries may point; see Shoal.open allowedRoots. */
  readonly allowedRoots?: readonly string[] | undefined;
  /** --threads N: worker threads per query (Shoal.open threads; 1 = one thread). */
  readonly threads?: number | undefined;
  readonly catalog?: string | undefined;
  readonly schema?: string | undefined;
  readonly format?: OutputFormat | undefined;
  readonly output?: string | undefined;
  /** Session time zone (default UTC, so scripts give the same answers on every machine). */
  readonly timeZone?: string | undefined;
  readonly sessionProperties: Readonly<Record<string, string>>;
  /** --server URL: run against a Trino-protocol endpoint instead of a local catalog; --user is its session user. */
  readonly server?: string | undefined;
  readonly user?: string | undefined;
  /** --max-query-memory: the engine's per-query memory limit (a data size, checked by Shoal.open). */
  readonly maxQueryMemory?: string | undefined;
  /** --spill-path DIR: where queries past their memory limit write spill files (default: the OS temp folder). */
  readonly spillPath?: string | undefined;
  /** `shoal serve` only. */
  readonly serve?: ServeArgs | undefined;
  /** `shoal run` only. */
  readonly run?: RunArgs | undefined;
}

export interface RunArgs {
  readonly jobFile: string;
  /** --param name=value, in command-line order (names unique, checked). */
  readonly params: ReadonlyMap<string, string>;
  /** --report FILE: the JSON run report goes there (and query output to stdout); else the report is stdout. */
  readonly report?: string | undefined;
  readonly dryRun: boolean;
}

export interface ServeArgs {
  readonly host: string;
  readonly port: number;
  readonly maxRunning?: number | undefined;
  readonly maxQueued?: number | undefined;
  /** --abandoned-after as text (a duration such as 5m), checked by the caller. */
  readonly abandonedAfter?: string | undefined;
  readonly allowInsecure: boolean;
  /** --catalog-access FILE: JSON user → catalogs the user may use ("*" for everyone else). */
  readonly catalogAccess?: string | undefined;
  /** Trino-format password file (user:bcrypt or PBKDF2 hash per line): Basic authentication. */
  readonly passwordFile?: string | undefined;
  /** Bearer tokens file (user:sha256 hex of the token per line). */
  readonly tokensFile?: string | undefined;
  /** PEM certificate and key files: serve HTTPS. */
  readonly tlsCert?: string | undefined;
  readonly tlsKey?: string | undefined;
}

const SERVE_FLAGS: Readonly<Record<string, string>> = {
  '--host': 'host', '--port': 'port', '--max-running': 'maxRunning', '--max-queued': 'maxQueued',
  '--abandoned-after': 'abandonedAfter',
  '--catalog-access': 'catalogAccess', '--password-file': 'passwordFile', '--tokens-file': 'tokensFile', '--tls-cert': 'tlsCert', '--tls-key': 'tlsKey',
};

const RUN_FLAGS: Readonly<Record<string, string>> = { '--param': 'param', '--report': 'report' };

const VALUE_FLAGS: Readonly<Record<string, string>> = {
  '-e': 'execute', '--execute': 'execute', '-f': 'file', '--file': 'file', '--catalog-dir': 'catalogDir',
  '--catalog': 'catalog', '--schema': 'schema', '--format': 'format', '--output': 'output', '-o': 'output', '--session': 'session',
  '--time-zone': 'timeZone', '--server': 'server', '--user': 'user', '--allowed-root': 'allowedRoot', '--threads': 'threads',
  '--max-query-memory': 'maxQueryMemory', '--spill-path': 'spillPath',
};

function usage(message: string, suggestion?: string): ShoalError {
  const help = 'Run shoal --help for usage';
  return new ShoalError('INVALID_COMMAND_LINE', message, { hint: suggestion === undefined ? help : `${suggestion} ${help}` });
}

function positiveInt(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw usage(`Option ${flag} needs a whole number, not '${text}'`);
  return n;
}

/** Parses the command line (DESIGN §5). */
export function parseArgs(argv: readonly string[]): CliArgs {
  const out: Record<string, string | undefined> = {};
  const session: Record<string, string> = {};
  const params = new Map<string, string>();
  const allowedRoots: string[] = [];
  let command: CliArgs['command'] | undefined;
  const serving = argv[0] === 'serve';
  const running = argv[0] === 'run';
  let allowInsecure = false;
  let dryRun = false;
  let jobFile: string | undefined;
  for (let i = serving || running ? 1 : 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h' || a === '--help') return { command: 'help', sessionProperties: {} };
    if (a === '-v' || a === '--version') return { command: 'version', sessionProperties: {} };
    if (serving && a === '--allow-insecure') {
      allowInsecure = true;
      continue;
    }
    if (running && a === '--dry-run') {
      dryRun = true;
      continue;
    }
    if (running && !a.startsWith('-')) {
      if (jobFile !== undefined) throw usage(`shoal run takes one job file, not '${jobFile}' and '${a}'`);
      jobFile = a;
      continue;
    }
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const flags = serving ? { ...VALUE_FLAGS, ...SERVE_FLAGS } : running ? { ...VALUE_FLAGS, ...RUN_FLAGS } : VALUE_FLAGS;
    const key = flags[flag];
    if (key === undefined) {
      if (a.startsWith('-')) throw usage(`Unknown option ${flag}`, didYouMean(flag, [...Object.keys(flags), ...(running ? ['--dry-run'] : [])]));
      throw usage(`Unexpected argument '${a}'`);
    }
    const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined) throw usage(`Option ${flag} needs a value`);
    if (key === 'param') {
      const k = value.indexOf('=');
      const name = k < 0 ? value : value.slice(0, k);
      if (k <= 0 || !PARAMETER_NAME.test(name)) throw usage(`--param needs name=value with a name of letters, digits and _, not '${value}'`);
      if (params.has(name)) throw usage(`Parameter '${name}' given twice`);
      params.set(name, value.slice(k + 1));
      continue;
    }
    if (key === 'allowedRoot') {
      if (value.trim() === '') throw usage('--allowed-root needs a folder or URL prefix');
      allowedRoots.push(value);
      continue;
    }
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
  if (serving && (out['execute'] !== undefined || out['file'] !== undefined)) throw usage('shoal serve takes no -e or -f');
  if (serving && out['server'] !== undefined) throw usage('shoal serve takes no --server');
  const threads = positiveInt('--threads', out['threads']);
  if (threads !== undefined && (threads < 1 || threads > 64)) throw usage(`Option --threads needs a number from 1 to 64, not '${threads}'`);
  if (out['server'] !== undefined && threads !== undefined) throw usage('--threads applies to local runs and shoal serve; the server at --server decides its threads');
  for (const [flag, key] of [['--max-query-memory', 'maxQueryMemory'], ['--spill-path', 'spillPath']] as const) {
    if (out['server'] !== undefined && out[key] !== undefined) throw usage(`${flag} applies to local runs and shoal serve; the server at --server decides its memory (SET SESSION query_max_memory lowers it per session)`);
  }
  if (out['server'] !== undefined && allowedRoots.length > 0) throw usage('--allowed-root applies to local runs and shoal serve; the server at --server decides what it allows');
  if (out['server'] !== undefined && out['catalogDir'] !== undefined) throw usage('Give either --server URL or --catalog-dir DIR, not both');
  if (out['server'] !== undefined && !/^https?:\/\/[^/]/i.test(out['server'])) throw usage(`--server needs an http:// or https:// URL, not '${out['server']}'`);
  if (running) {
    if (out['execute'] !== undefined || out['file'] !== undefined) throw usage('shoal run takes the job file as its argument, not -e or -f');
    if (out['server'] !== undefined) throw usage('shoal run takes no --server: jobs run on a local catalog');
    if (jobFile === undefined) throw usage('shoal run needs a job file: shoal run job.sql [--param name=value]…');
  }
  command = serving ? 'serve' : running ? 'run' : out['execute'] !== undefined || out['file'] !== undefined ? 'query' : 'repl';
  const serve: ServeArgs | undefined = !serving ? undefined : {
    host: out['host'] ?? '127.0.0.1',
    port: positiveInt('--port', out['port']) ?? 8080,
    maxRunning: positiveInt('--max-running', out['maxRunning']),
    maxQueued: positiveInt('--max-queued', out['maxQueued']),
    abandonedAfter: out['abandonedAfter'],
    allowInsecure,
    passwordFile: out['passwordFile'],
    catalogAccess: out['catalogAccess'],
    tokensFile: out['tokensFile'],
    tlsCert: out['tlsCert'],
    tlsKey: out['tlsKey'],
  };
  if (serve !== undefined && (serve.tlsCert === undefined) !== (serve.tlsKey === undefined)) throw usage('--tls-cert and --tls-key go together');
  const run: RunArgs | undefined = !running ? undefined : { jobFile: jobFile!, params, report: out['report'], dryRun };
  return {
    serve,
    run,
    command,
    execute: out['execute'],
    file: out['file'],
    catalogDir: out['catalogDir'],
    allowedRoots: allowedRoots.length === 0 ? undefined : allowedRoots,
    threads,
    catalog: out['catalog'],
    schema: out['schema'],
    format: format as OutputFormat | undefined,
    output: out['output'],
    timeZone: out['timeZone'],
    sessionProperties: session,
    server: out['server'],
    user: out['user'],
    maxQueryMemory: out['maxQueryMemory'],
    spillPath: out['spillPath'],
  };
}

export const HELP = `Shoal: SQL over Parquet and CSV through a file catalog (Trino's dialect).

Usage:
  shoal                           interactive SQL (REPL); statements end with ;
  shoal -e "SQL"                  run one or more statements
  shoal -f file.sql               run the statements of a file
  shoal < file.sql                run statements from standard input
  shoal serve                     serve Trino's client protocol over HTTP (Trino CLI, JDBC, npm clients)
  shoal run job.sql [--param NAME=VALUE]… [--report FILE] [--dry-run]
                                  run a batch job (for cron and orchestrators such as Airflow)

Options:
  --catalog-dir DIR               catalog folder (default: ./catalog, else the bundled sample catalog)
  --threads N                     worker threads per query (default: cores - 1, at least 1; 1: one thread)
  --catalog NAME --schema NAME    default catalog and schema for unqualified table names
  --format table|csv|tsv|json|jsonl
                                  output format (default: table)
  --output FILE, -o FILE          write results to FILE instead of standard output
  --session NAME=VALUE            set a session property (repeatable)
  --time-zone ZONE                session time zone, e.g. America/New_York (default: UTC)
  --max-query-memory SIZE         most memory one query may hold (default 2GB); sorts, aggregations and joins
                                  past it spill to disk. Caps the session property query_max_memory
  --spill-path DIR                where spill files go (default: the OS temp folder)
  --server URL                    run against a Trino-protocol server (shoal serve, Trino) instead of a catalog
  --user NAME                     the server's session user (default: $USER); the password, if any, comes from
                                  the SHOAL_PASSWORD environment variable

shoal serve options (besides --catalog-dir, --catalog, --schema, --session):
  --host HOST --port PORT         address to listen on (default 127.0.0.1:8080; port 0 picks a free one)
  --allowed-root PATH             (repeatable) folders/URL prefixes paths in queries may read and write;
                                  default: anywhere locally, the catalogs' own roots under shoal serve
  --catalog-access FILE           JSON { "user": ["catalog", …], "*": […] }: the catalogs each user may use
  --max-running N --max-queued N  queries run at once, and waiting; beyond that QUERY_QUEUE_FULL
  --abandoned-after DURATION      cancel a query whose client stopped polling (default 5m)
  --password-file FILE            Basic authentication: Trino's password file (user:bcrypt or PBKDF2 hash)
  --tokens-file FILE              bearer tokens: user:sha256-hex-of-token per line
  --tls-cert FILE --tls-key FILE  serve HTTPS with this PEM certificate and key
  --allow-insecure                allow a non-loopback --host without authentication

shoal run options (besides --catalog-dir, --catalog, --schema, --session, --time-zone, --format, --output):
  --param NAME=VALUE              value of \${NAME} in the job, substituted as a SQL string literal: write
                                  DATE \${run_date} or CAST(\${n} AS integer); inside a string, '…\${NAME}…' is
                                  substituted too. Comments and "quoted identifiers" are left alone. Repeatable.
  --report FILE                   write the JSON run report to FILE; query results then go to stdout.
                                  Without it the report is stdout (one JSON line) and query results go to stderr.
  --dry-run                       plan every statement and print what each scan would read (files, row groups,
                                  bytes); reads Parquet footers (and CSV samples for schema inference), never
                                  data pages, and writes nothing
  --session max_scan_bytes=SIZE   refuse a query planning to scan more than SIZE (e.g. 10GB) before it reads data

  -h, --help                      this help
  -v, --version                   version

Exit status: 0 on success; 1 when a statement fails (the error is on stderr); 2 for a bad command line.
shoal run: 0 success; 2 user error (syntax, names, types, parameters, max_scan_bytes; do not retry);
  64 bad command line; 65 bad input data (corrupt or malformed files; do not retry); 70 internal error (a bug);
  75 transient failure (I/O, storage unavailable, missing input files, time limit; retry);
  130/143 canceled by SIGINT/SIGTERM.`;
