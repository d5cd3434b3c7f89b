import { rename, writeFile } from 'node:fs/promises';
import { ERROR_CODES, type ShoalError } from '../common/index.js';
import type { PlannedScan, QueryResult, StatementPlan } from '../engine/index.js';
import { isRetryable } from './exit-codes.js';

/**
 * The JSON run report of `shoal run` (README "Batch jobs" documents every field). Version 1; fields are only
 * ever added. Sizes are bytes, durations milliseconds, times ISO 8601 UTC. A field that does not apply to a
 * statement, or that Shoal does not know for it, is null rather than absent.
 */
export interface RunReport {
  readonly reportVersion: 1;
  readonly shoalVersion: string;
  /** The job file as given on the command line. */
  readonly job: string;
  /** --param values (job parameters are not secrets: they are in the process's command line). */
  readonly parameters: Readonly<Record<string, string>>;
  /** Given on the command line but used nowhere in the job (a warning, not an error). */
  readonly unusedParameters: readonly string[];
  readonly dryRun: boolean;
  readonly status: 'succeeded' | 'failed' | 'canceled';
  readonly exitCode: number;
  /** Whether an orchestrator should run the job again (exit code 75). */
  readonly retryable: boolean;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly session: { readonly catalog: string | null; readonly schema: string | null; readonly timeZone: string | null; readonly properties: Readonly<Record<string, string>> };
  readonly statements: readonly StatementReport[];
  /** The error that ended the job (also on the failed statement), null on success. */
  readonly error: ErrorReport | null;
  readonly warnings: readonly string[];
}

export interface StatementReport {
  /** 1-based position in the job. */
  readonly index: number;
  /** The statement's kind: query, insert, create_table_as, create_table, drop, set_session, use, explain, … */
  readonly kind: string;
  /** Where the statement starts in the job file. */
  readonly line: number;
  readonly column: number;
  /** The statement as run, parameters substituted, http(s) URLs without user info or query (secrets). */
  status: 'succeeded' | 'failed' | 'not_run' | 'skipped';
  readonly sql: string;
  /** Rows returned (queries) or written (INSERT, CREATE TABLE AS); null for other statements. */
  rows: number | null;
  /** Bytes read from storage; null when not known (the reads of write statements, for now). */
  bytesRead: number | null;
  /** Queries: bytes their sorts, aggregations and joins spilled to disk past query_max_memory; else null. */
  spilledBytes: number | null;
  /** What a write statement wrote (see writeStatsOf); null when not known or not a write. */
  bytesWritten: number | null;
  filesWritten: number | null;
  durationMs: number | null;
  /** Dry run only: what the statement would do. */
  dryRun: DryRunReport | null;
  /** Why a statement was skipped, or other remarks. */
  note: string | null;
  error: ErrorReport | null;
}

export interface DryRunReport {
  readonly action: StatementPlan['action'];
  readonly target: string | null;
  /** Sum of the scans' bytes, compared with max_scan_bytes. */
  readonly scanBytes: number;
  readonly scans: readonly ScanReport[];
  /** The operator tree as EXPLAIN prints it. */
  readonly plan: string | null;
}

export interface ScanReport extends Omit<PlannedScan, 'files'> {
  /** The files the scan would open (at most MAX_REPORTED_FILES). */
  readonly files: readonly string[];
  /** How many more files were left out of `files`. */
  readonly filesOmitted: number;
}

export interface ErrorReport {
  /** Trino's numeric error code, and its name. */
  readonly code: number;
  readonly name: string;
  readonly type: string;
  readonly message: string;
  readonly hint: string | null;
  /** Where in the job file (line and column, 1-based); for errors without a position, the statement's start. */
  readonly location: { readonly line: number; readonly column: number } | null;
  /** The data file or object the error is about, when there is one. */
  readonly file: string | null;
  /** 1-based index of the failed statement; null when the job failed before running any. */
  readonly statement: number | null;
  readonly retryable: boolean;
}

/** What a statement wrote. */
export interface WriteStats {
  readonly rows: number;
  readonly bytes: number | null;
  readonly files: number | null;
  readonly bytesRead: number | null;
}

const WRITE_UPDATE_TYPES: ReadonlySet<string> = new Set(['INSERT', 'CREATE TABLE', 'UNLOAD']);

/**
 * The one adapter between a statement's result and the report's write fields: file writes (CTAS, INSERT and
 * UNLOAD into file catalogs) report rows, bytes and files on the result; memory-catalog writes only a row count.
 */
export function writeStatsOf(result: QueryResult): WriteStats | undefined {
  const w = result.writeStats;
  if (w !== undefined) return { rows: w.rows, bytes: w.bytes, files: w.files, bytesRead: result.stats().io.bytesRead };
  if (result.updateType === undefined || !WRITE_UPDATE_TYPES.has(result.updateType) || result.updateCount === undefined) return undefined;
  return { rows: result.updateCount, bytes: null, files: null, bytesRead: null };
}

export const MAX_REPORTED_FILES = 100;

export function dryRunReport(p: StatementPlan): DryRunReport {
  return {
    action: p.action,
    target: p.target ?? null,
    scanBytes: p.scanBytes,
    scans: p.scans.map((s) => ({ ...s, files: s.files.slice(0, MAX_REPORTED_FILES), filesOmitted: Math.max(0, s.files.length - MAX_REPORTED_FILES) })),
    plan: p.plan ?? null,
  };
}

export function errorReport(e: ShoalError, exitCode: number, statement: number | null, fallback: { line: number; column: number } | null): ErrorReport {
  const at = e.span?.start;
  return {
    code: ERROR_CODES[e.code].code,
    name: e.code,
    type: e.errorType,
    message: e.message,
    hint: e.hint ?? null,
    location: at !== undefined ? { line: at.line, column: at.column } : fallback,
    file: e.location ?? null,
    statement,
    retryable: isRetryable(exitCode),
  };
}

/** The report as one line (stdout: `jq` reads it, and Airflow's BashOperator pushes the last line to XCom). */
export function reportLine(r: RunReport): string {
  return `${JSON.stringify(r)}\n`;
}

/** Writes the report to a file atomically (a temporary file renamed over it), so readers never see half of it. */
export async function writeReportFile(file: string, r: RunReport): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(r, null, 2)}\n`);
  await rename(tmp, file);
}
