import { ShoalError, assertNever, parseDataSize, didYouMean, toShoalError } from '../common/index.js';
import { evaluateConstant } from '../expr/index.js';
import { parseScript, parseStatement, type ParsedStatement, type Statement } from '../sql/index.js';
import { createSchema, createTable, createTableAs, createView, drop, dropSchema, insert } from './ddl-statements.js';
import { dryRunStatement, runsInDryRun, type StatementPlan } from './dry-run.js';
import { unload } from './write-statements.js';
import { explain } from './explain.js';
import { showCatalogs, showColumns, showFunctions, showSchemas, showTables, showSession } from './metadata-statements.js';
import type { ParallelSettings, StatementContext, WriteSettings } from './query-context.js';
import type { QueryResult } from './query-result.js';
import { binderFor, rowsResult, runQuery } from './run-query.js';
import { maxScanBytes, parseDuration, parseSessionProperty, queryMaxMemory, sessionPropertyValue } from './session-properties.js';
import type { Shoal } from './shoal.js';
import { catalogFor } from './table-target.js';
import type { CatalogAccess } from '../catalog/index.js';
import { canonicalZone, systemZone } from '../types/index.js';

/** The canonical zone name, or INVALID_FUNCTION_ARGUMENT as Trino words it. */
function requireZone(zone: string): string {
  const z = canonicalZone(zone);
  if (z === undefined) throw new ShoalError('INVALID_FUNCTION_ARGUMENT', `Time zone not supported: ${zone}`, { hint: "Use an IANA name such as 'America/New_York', 'UTC' or an offset such as '+05:30'" });
  return z;
}

export interface SessionOptions {
  readonly catalog?: string | undefined;
  readonly schema?: string | undefined;
  /**
   * The session time zone (IANA name or ±HH:MM; default UTC, so scripts give the same answers on every machine):
   * current_date, localtimestamp, casts between timestamp and timestamp with time zone, and the display zone
   * of WITH TIME ZONE values computed in the session. SET TIME ZONE changes it.
   */
  readonly timeZone?: string | undefined;
  readonly properties?: Readonly<Record<string, string>> | undefined;
  /** The catalogs this session's user may use (a server's --catalog-access); undefined: all. */
  readonly access?: CatalogAccess | undefined;
  /**
   * The most query_max_memory may be in this session, and its starting value (a server's --max-query-memory);
   * the engine's own cap (Shoal.open maxQueryMemory) applies too.
   */
  readonly maxQueryMemory?: string | undefined;
}

export interface QueryOptions {
  readonly signal?: AbortSignal | undefined;
}

/**
 * A user's session: default catalog and schema, session properties, and statement execution. Sessions are cheap;
 * each runs one statement at a time.
 */
export class Session {
  private readonly access: CatalogAccess | undefined;
  catalog: string | undefined;
  schema: string | undefined;
  timeZone: string;
  readonly properties = new Map<string, string>();
  /** query_max_memory's cap, bytes (0: none). */
  private readonly memoryCap: number;

  constructor(private readonly shoal: Shoal, o: SessionOptions = {}) {
    this.catalog = o.catalog?.toLowerCase();
    this.access = o.access;
    this.schema = o.schema?.toLowerCase();
    this.timeZone = o.timeZone === undefined ? 'UTC' : requireZone(o.timeZone);
    // The engine's and the server's memory limits (--max-query-memory) cap query_max_memory and are its starting value.
    const caps = [shoal.settings.maxQueryMemory, o.maxQueryMemory === undefined ? undefined : parseSessionProperty('query_max_memory', o.maxQueryMemory)]
      .filter((c): c is string => c !== undefined)
      .sort((a, b) => parseDataSize(a)! - parseDataSize(b)!);
    this.memoryCap = caps.length === 0 ? 0 : parseDataSize(caps[0])!;
    if (caps.length > 0) this.properties.set('query_max_memory', caps[0]!);
    for (const [k, v] of Object.entries(o.properties ?? {})) this.properties.set(k, parseSessionProperty(k, v));
  }

  /** Runs exactly one statement. */
  async query(sql: string, o: QueryOptions = {}): Promise<QueryResult> {
    return this.run({ statement: parseStatement(sql), text: sql, span: { start: { offset: 0, line: 1, column: 1 }, end: { offset: sql.length, line: 1, column: 1 } } }, o);
  }

  /** Parses a script into statements (for callers that run them one by one and print each result). */
  parse(script: string): ParsedStatement[] {
    return parseScript(script);
  }

  /** Runs one parsed statement. Errors are ShoalErrors with spans in the coordinates of the parsed script. */
  async run(parsed: ParsedStatement, o: QueryOptions = {}): Promise<QueryResult> {
    return this.withStatement(o, async (ctx, done) => {
      const result = await this.dispatch(parsed.statement, ctx, done);
      if (parsed.statement.kind !== 'query') done();
      return result;
    });
  }

  /**
   * Plans one statement without running it (shoal run --dry-run): what it would read, scan by scan, and for
   * writes the target; nothing is written and no data is read (Parquet footers and CSV schema samples may be).
   * Statements that only change the session (USE, SET SESSION, SET TIME ZONE, RESET SESSION) and SHOW
   * statements, which read catalog metadata only, do run, so later statements plan as they would run.
   * Refuses, like the real run, a plan larger than max_scan_bytes.
   */
  async dryRun(parsed: ParsedStatement, o: QueryOptions = {}): Promise<StatementPlan> {
    if (runsInDryRun(parsed.statement)) {
      const result = await this.run(parsed, o);
      for await (const _ of result) { /* drain: session statements return no rows, SHOW a few */ }
      return { action: 'executed', scans: [], scanBytes: 0 };
    }
    return this.withStatement(o, async (ctx, done) => {
      try {
        return await dryRunStatement(parsed.statement, ctx);
      } finally {
        done();
      }
    });
  }

  /**
   * Runs `body` with a fresh statement context: cancellation (the caller's signal and cancel()), the
   * query_max_execution_time timer (`done` stops it), and errors as ShoalErrors.
   */
  private async withStatement<T>(o: QueryOptions, body: (ctx: StatementContext, done: () => void) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const signals = [controller.signal, ...(o.signal === undefined ? [] : [o.signal])];
    const signal = signals.length === 1 ? controller.signal : AbortSignal.any(signals);
    const limitMs = parseDuration(sessionPropertyValue(this.properties, 'query_max_execution_time')) ?? 0;
    let timer: NodeJS.Timeout | undefined;
    if (limitMs > 0) {
      timer = setTimeout(() => controller.abort(new ShoalError('EXCEEDED_TIME_LIMIT', `Query exceeded the maximum execution time of ${sessionPropertyValue(this.properties, 'query_max_execution_time')}`, { hint: 'Raise it with SET SESSION query_max_execution_time = …' })), limitMs);
      timer.unref();
    }
    const done = (): void => {
      if (timer !== undefined) clearTimeout(timer);
    };
    const ctx: StatementContext = {
      catalogs: this.shoal.catalogs, functions: this.shoal.functions, fs: this.shoal.fs, cwd: this.shoal.cwd, pathRoots: this.shoal.pathRoots, access: this.access,
      catalog: this.catalog, schema: this.schema, signal,
      evalCtx: { timeZone: this.timeZone, queryStartMicros: BigInt(Date.now()) * 1000n },
      batchSize: Number(sessionPropertyValue(this.properties, 'batch_size')),
      maxScanBytes: maxScanBytes(this.properties),
      maxScanBytesText: sessionPropertyValue(this.properties, 'max_scan_bytes'),
      scanParallelRequests: Number(sessionPropertyValue(this.properties, 'scan_parallel_requests')),
      listingMaxAgeMs: parseDuration(sessionPropertyValue(this.properties, 'listing_cache_max_age')) ?? 0,
      write: {
        existingPartitions: sessionPropertyValue(this.properties, 'insert_existing_partitions_behavior').toLowerCase() as WriteSettings['existingPartitions'],
        targetFileBytes: parseDataSize(sessionPropertyValue(this.properties, 'target_max_file_size'))!,
        rowGroupBytes: parseDataSize(sessionPropertyValue(this.properties, 'parquet_writer_block_size'))!,
      },
      memory: (() => {
        const m = queryMaxMemory(this.properties);
        const capped = this.memoryCap > 0 && m.bytes > this.memoryCap;
        return { limitBytes: capped ? this.memoryCap : m.bytes, limitText: capped ? `${this.memoryCap}B (the server's or engine's maximum)` : m.text, spillPath: this.shoal.settings.spillPath };
      })(),
      abort: (reason) => controller.abort(reason),
      parallel: this.parallelSettings(),
    };
    try {
      return await body(ctx, done);
    } catch (e) {
      done();
      if (signal.aborted && signal.reason instanceof ShoalError) throw signal.reason;
      throw toShoalError(e);
    }
  }

  /**
   * task_concurrency when set (not 0), else the engine's threads; undefined for one thread, and when a file system
   * was registered on the engine at run time (workers open the standard ones).
   */
  private parallelSettings(): ParallelSettings | undefined {
    const set = Number(sessionPropertyValue(this.properties, 'task_concurrency'));
    const threads = set === 0 ? this.shoal.threads : set;
    if (threads <= 1 || this.shoal.fs.customized) return undefined;
    return { threads, minRows: Number(sessionPropertyValue(this.properties, 'parallel_min_rows')), open: this.shoal.options };
  }

  private async dispatch(s: Statement, ctx: StatementContext, done: () => void): Promise<QueryResult> {
    switch (s.kind) {
      case 'query': return runQuery(s.query, ctx, done);
      case 'explain': return explain(s, ctx);
      case 'show_catalogs': return showCatalogs(s, ctx);
      case 'show_schemas': return showSchemas(s, ctx);
      case 'show_tables': return showTables(s, ctx);
      case 'show_columns': return showColumns(s, ctx);
      case 'show_functions': return showFunctions(s, ctx);
      case 'show_session': return showSession(s, this.properties, ctx);
      case 'use': return this.use(s, ctx);
      case 'set_session': {
        const name = s.name.parts.map((p) => p.value.toLowerCase()).join('.');
        const value = evaluateConstant(binderFor(ctx).constantExpr(s.value, 'SET SESSION'), ctx.evalCtx);
        try {
          this.properties.set(name, parseSessionProperty(name, value));
        } catch (e) {
          throw e instanceof ShoalError ? e.withSpan(s.name.span) : e;
        }
        return rowsResult([], [], ctx, { updateType: 'SET SESSION' });
      }
      case 'set_time_zone': {
        if (s.zone === undefined) this.timeZone = systemZone();
        else {
          const value = evaluateConstant(binderFor(ctx).constantExpr(s.zone, 'SET TIME ZONE'), ctx.evalCtx);
          if (typeof value !== 'string') throw new ShoalError('TYPE_MISMATCH', 'SET TIME ZONE needs a zone name string', { span: s.zone.span });
          try {
            this.timeZone = requireZone(value);
          } catch (e) {
            throw e instanceof ShoalError ? e.withSpan(s.zone.span) : e;
          }
        }
        return rowsResult([], [], ctx, { updateType: 'SET TIME ZONE' });
      }
      case 'reset_session':
        this.properties.delete(s.name.parts.map((p) => p.value.toLowerCase()).join('.'));
        return rowsResult([], [], ctx, { updateType: 'RESET SESSION' });
      case 'create_table': return createTable(s, ctx);
      case 'create_table_as': return createTableAs(s, ctx);
      case 'create_view': return createView(s, ctx);
      case 'drop': return drop(s, ctx);
      case 'create_schema': return createSchema(s, ctx);
      case 'drop_schema': return dropSchema(s, ctx);
      case 'insert': return insert(s, ctx);
      case 'unload': return unload(s, ctx);
      case 'show_create_table':
        throw new ShoalError('NOT_SUPPORTED', 'SHOW CREATE TABLE is not supported yet', { span: s.span, hint: 'Use DESCRIBE to see the columns' });
      default: return assertNever(s, 'statement');
    }
  }

  private async use(s: Extract<Statement, { kind: 'use' }>, ctx: StatementContext): Promise<QueryResult> {
    const catalogName = s.catalog?.value.toLowerCase() ?? this.catalog;
    const schema = s.schema.value.toLowerCase();
    if (catalogName === undefined) throw new ShoalError('MISSING_CATALOG_NAME', 'USE needs a catalog: no default catalog is set', { span: s.span, hint: 'USE catalog.schema' });
    const catalog = catalogFor(catalogName, ctx, s.catalog?.span ?? s.span);
    if (schema !== 'information_schema' && !(await catalog.schemaExists(schema))) {
      throw new ShoalError('SCHEMA_NOT_FOUND', `Schema '${catalogName}.${schema}' does not exist`, { span: s.schema.span, hint: didYouMean(schema, await catalog.listSchemas()) });
    }
    this.catalog = catalogName;
    this.schema = schema;
    return rowsResult([], [], ctx, { updateType: 'USE' });
  }
}
