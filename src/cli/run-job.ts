import { createWriteStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import { ShoalError, formatError, toShoalError } from '../common/index.js';
import {
  Shoal, formatBytes, redactUrls, substituteParameters, type ParameterSubstitution, type ParsedStatement, type Session,
} from '../engine/index.js';
import type { CliArgs } from './args.js';
import { EXIT, exitCodeFor, isRetryable } from './exit-codes.js';
import type { CliIo } from './main.js';
import { writeStatementResult, type Sink } from './result-writer.js';
import {
  MAX_REPORTED_FILES, dryRunReport, errorReport, reportLine, writeReportFile, writeStatsOf,
  type ErrorReport, type RunReport, type StatementReport,
} from './run-report.js';
import { defaultCatalogAndSchema, resolveCatalogDir } from './session-defaults.js';
import { StreamSink } from './stream-sink.js';

/** Files of one scan a dry run prints (the report lists up to MAX_REPORTED_FILES). */
const PRINTED_FILES = 10;

/**
 * `shoal run job.sql`: substitutes the job's `${name}` parameters as literals, parses every statement (a syntax
 * error anywhere stops the job before anything runs), runs them in order in one session, stops at the first
 * failure, and writes the run report. With --dry-run, statements are planned instead of run (Session.dryRun).
 *
 * Streams: with --report FILE, query results (and dry-run plans) go to stdout and the report to FILE; without
 * it, the report is stdout, one JSON line, and query results go to stderr with the errors. --output FILE sends
 * query results to FILE in both cases. Returns the exit status (exit-codes.ts). `stop` resolving with a signal
 * name cancels the running statement; the job then ends with status canceled and exit 128 + the signal number.
 */
export async function runJob(args: CliArgs, io: CliIo, version: string, stop: Promise<string>): Promise<number> {
  const run = args.run!;
  const startedAt = new Date();
  const t0 = performance.now();
  const fileOut = args.output === undefined ? undefined : createWriteStream(path.resolve(io.cwd, args.output));
  const out = new StreamSink(fileOut ?? (run.report !== undefined ? io.stdout : io.stderr));
  const err = new StreamSink(io.stderr);
  const format = args.format ?? 'table';

  const statements: StatementReport[] = [];
  const warnings: string[] = [];
  let unusedParameters: string[] = [];
  let error: ErrorReport | null = null;
  let exitCode: number = EXIT.OK;
  let status: RunReport['status'] = 'succeeded';
  let script: string | undefined;
  let session: Session | undefined;

  const controller = new AbortController();
  let canceledBy: string | undefined;
  void stop.then((sig) => {
    canceledBy = sig;
    controller.abort(new ShoalError('USER_CANCELED', `The job was canceled (${sig})`));
  });

  const fail = (e: ShoalError, statement: StatementReport | undefined, code = exitCodeFor(e)): void => {
    if (canceledBy !== undefined) {
      status = 'canceled';
      exitCode = 128 + (osConstants.signals[canceledBy as NodeJS.Signals] ?? 2);
    } else {
      status = 'failed';
      exitCode = code;
    }
    error = errorReport(e, exitCode, statement?.index ?? null, statement === undefined ? null : { line: statement.line, column: statement.column });
    if (statement !== undefined) {
      statement.status = 'failed';
      statement.error = error;
    }
    err.write(`${formatError(e, script)}\n`);
  };

  try {
    try {
      script = await readFile(path.resolve(io.cwd, run.jobFile), 'utf8');
    } catch (e) {
      throw usageError(`Cannot read the job file ${run.jobFile}`, e);
    }
    if (args.catalogDir !== undefined && !existsSync(path.resolve(io.cwd, args.catalogDir))) {
      throw usageError(`--catalog-dir ${args.catalogDir} does not exist`);
    }
    const shoal = await Shoal.open({
      catalogDir: resolveCatalogDir(args.catalogDir, io.cwd), cwd: io.cwd, allowedRoots: args.allowedRoots, maxQueryMemory: args.maxQueryMemory, spillPath: args.spillPath, threads: args.threads,
    });
    const defaults = await defaultCatalogAndSchema(shoal, args.catalog, args.schema);
    try {
      session = shoal.session({ ...defaults, timeZone: args.timeZone, properties: args.sessionProperties });
    } catch (e) {
      throw new CommandLineFailure(toShoalError(e));
    }

    const sub = substituteParameters(script, run.params);
    unusedParameters = [...run.params.keys()].filter((k) => !sub.used.has(k));
    for (const name of unusedParameters) {
      const w = `Parameter '${name}' is not used by ${run.jobFile}`;
      warnings.push(w);
      err.write(`warning: ${w}\n`);
    }
    await err.flush(true);
    let parsed: ParsedStatement[];
    try {
      parsed = session.parse(sub.text);
    } catch (e) {
      throw relocate(toShoalError(e), sub);
    }
    for (const [i, st] of parsed.entries()) {
      const at = sub.originalSpan(st.span).start;
      statements.push({
        index: i + 1, kind: st.statement.kind, line: at.line, column: at.column, status: 'not_run', sql: redactUrls(st.text),
        rows: null, bytesRead: null, spilledBytes: null, bytesWritten: null, filesWritten: null, durationMs: null, dryRun: null, note: null, error: null,
      });
    }

    const created = new Map<string, number>();
    for (const [i, st] of parsed.entries()) {
      const rep = statements[i]!;
      if (canceledBy !== undefined) throw new ShoalError('USER_CANCELED', `The job was canceled (${canceledBy})`);
      const s0 = performance.now();
      try {
        if (run.dryRun) await dryRunOne(session, st, rep, out, controller.signal, created);
        else await runOne(session, st, rep, out, format, controller.signal);
        rep.status = 'succeeded';
      } catch (e) {
        const se = relocate(toShoalError(e), sub);
        const creator = run.dryRun ? createdBy(se, created) : undefined;
        if (creator === undefined) {
          rep.durationMs = ms(performance.now() - s0);
          fail(se, rep);
          break;
        }
        rep.status = 'skipped';
        rep.note = `Reads ${creator[0]}, which statement ${creator[1]} of this job creates; a dry run creates nothing, so this statement cannot be planned`;
        out.write(`-- statement ${rep.index} (line ${rep.line}), ${rep.kind}: skipped. ${rep.note}\n`);
      }
      rep.durationMs = ms(performance.now() - s0);
      await out.flush(true);
    }
    if (run.dryRun && status === 'succeeded') {
      const total = statements.reduce((a, s) => a + (s.dryRun?.scanBytes ?? 0), 0);
      const count = (f: (s: StatementReport) => boolean): number => statements.filter(f).length;
      const parts = [
        `${count((s) => s.dryRun?.action === 'planned')} planned`,
        `${count((s) => s.dryRun?.action === 'executed')} run`,
        `${count((s) => s.dryRun?.action === 'not_planned')} with nothing to plan`,
        `${count((s) => s.status === 'skipped')} skipped`,
      ];
      out.write(`-- dry run: ${statements.length} statements (${parts.join(', ')}); ${formatBytes(total)} to scan in total; no data was read and nothing was written\n`);
    }
  } catch (e) {
    if (e instanceof CommandLineFailure) fail(e.error, undefined, EXIT.USAGE);
    else fail(toShoalError(e), undefined);
  } finally {
    await out.flush(true);
    if (fileOut !== undefined) await new Promise<void>((resolve) => fileOut.end(() => resolve()));
  }

  const report: RunReport = {
    reportVersion: 1,
    shoalVersion: version,
    job: run.jobFile,
    parameters: Object.fromEntries(run.params),
    unusedParameters,
    dryRun: run.dryRun,
    status,
    exitCode,
    retryable: isRetryable(exitCode),
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: ms(performance.now() - t0),
    session: {
      catalog: session?.catalog ?? null, schema: session?.schema ?? null, timeZone: session?.timeZone ?? null,
      properties: Object.fromEntries(session?.properties ?? []),
    },
    statements,
    error,
    warnings,
  };
  if (run.report !== undefined) {
    try {
      await writeReportFile(path.resolve(io.cwd, run.report), report);
    } catch (e) {
      err.write(`${formatError(new ShoalError('IO_ERROR', `Cannot write the run report to ${run.report}`, { location: run.report, cause: e }))}\n`);
      if (exitCode === EXIT.OK) exitCode = EXIT.TRANSIENT;
    }
  } else {
    const sink = new StreamSink(io.stdout);
    sink.write(reportLine(report));
    await sink.flush(true);
  }
  await err.flush(true);
  return exitCode;
}

/** A --session or --time-zone value the session refused: the error keeps its code, the exit status is EX_USAGE. */
class CommandLineFailure {
  constructor(readonly error: ShoalError) {}
}

/** Milliseconds to 0.1 ms. */
function ms(x: number): number {
  return Math.round(x * 10) / 10;
}

function usageError(message: string, cause?: unknown): ShoalError {
  const detail = cause instanceof Error && 'code' in cause ? ` (${String((cause as { code: unknown }).code)})` : '';
  return new ShoalError('INVALID_COMMAND_LINE', `${message}${detail}`, { cause, hint: 'Run shoal --help for usage' });
}

/** The error with its span moved from the substituted text to the job file. */
function relocate(e: ShoalError, sub: ParameterSubstitution): ShoalError {
  if (e.span === undefined) return e;
  const moved = new ShoalError(e.code, e.message, { span: sub.originalSpan(e.span), hint: e.hint, location: e.location, cause: e.cause });
  if (e.stack !== undefined) moved.stack = e.stack;
  return moved;
}

/** In a dry run, the earlier statement creating the table a TABLE_NOT_FOUND names, if any. */
function createdBy(e: ShoalError, created: ReadonlyMap<string, number>): [string, number] | undefined {
  if (e.code !== 'TABLE_NOT_FOUND') return undefined;
  for (const [name, index] of created) if (e.message.includes(`'${name}'`)) return [name, index];
  return undefined;
}

async function runOne(session: Session, st: ParsedStatement, rep: StatementReport, out: Sink, format: NonNullable<CliArgs['format']>, signal: AbortSignal): Promise<void> {
  const result = await session.run(st, { signal });
  const printed = await writeStatementResult(result, out, { format });
  if (result.fields.length > 0 && result.updateType === undefined) rep.rows = printed;
  const written = writeStatsOf(result);
  if (written !== undefined) {
    rep.rows = written.rows;
    rep.bytesWritten = written.bytes;
    rep.filesWritten = written.files;
    rep.bytesRead = written.bytesRead;
  } else {
    const stats = result.stats();
    rep.bytesRead = stats.io.bytesRead;
    if (st.statement.kind === 'query') rep.spilledBytes = stats.progress.spilledBytes;
  }
}

async function dryRunOne(session: Session, st: ParsedStatement, rep: StatementReport, out: Sink, signal: AbortSignal, created: Map<string, number>): Promise<void> {
  const plan = await session.dryRun(st, { signal });
  rep.dryRun = dryRunReport(plan);
  const kind = st.statement.kind;
  if (plan.target !== undefined && (kind === 'create_table' || kind === 'create_table_as' || kind === 'create_view')) created.set(plan.target, rep.index);
  const what = plan.action === 'executed' ? 'run (changes the session or reads catalog metadata only)'
    : plan.action === 'planned' ? (plan.target === undefined ? 'planned, not run' : `planned, not run: nothing written to ${plan.target}`)
      : `not run${plan.target === undefined ? '' : ` (${plan.target})`}`;
  out.write(`-- statement ${rep.index} (line ${rep.line}), ${kind}: ${what}\n`);
  if (plan.plan !== undefined) out.write(`${plan.plan}\n`);
  for (const s of plan.scans) {
    const rowGroups = s.rowGroupsTotal > 0 ? `, ${s.rowGroupsKept} of ${s.rowGroupsTotal} row groups` : '';
    const partitions = s.partitionsTotal > 0 ? `${s.partitionsKept} of ${s.partitionsTotal} partitions, ` : '';
    out.write(`-- ${s.table} would read ${partitions}${s.filesKept} of ${s.filesTotal} files${rowGroups}, ${formatBytes(s.bytes)}${s.files.length > 0 ? ':' : ''}\n`);
    for (const f of s.files.slice(0, PRINTED_FILES)) out.write(`--   ${f}\n`);
    if (s.files.length > PRINTED_FILES) out.write(`--   … and ${s.files.length - PRINTED_FILES} more (the run report lists up to ${MAX_REPORTED_FILES})\n`);
  }
}
