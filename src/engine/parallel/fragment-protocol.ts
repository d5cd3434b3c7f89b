/**
 * Messages between the fragment pool (main thread) and fragment workers (fragment-worker.ts). Everything is
 * plain data: the statement's parse tree and settings, so that the worker derives the same logical plan, and the
 * fragment's path, mode and splits (physical/fragment.ts). Messages from the other side enter as `unknown` and
 * are narrowed here.
 */
import { ERROR_CODES, ShoalError, internalError, type ErrorCode, type SourceSpan } from '../../common/index.js';
import type { CatalogAccess } from '../../catalog/index.js';
import type { FragmentCounters, FragmentRequest, MemorySettings, OperatorSnapshot } from '../../physical/index.js';
import type { Query } from '../../sql/index.js';
import type { ShoalOptions } from '../shoal.js';

/** What a worker needs to re-plan a statement the way the main thread did. */
export interface StatementSpec {
  /**
   * Names one execution of one statement in this process: a worker binds and optimizes it once for all the runs
   * of its fragments (settings, catalogs and current_timestamp cannot differ between them), never across
   * statements (a table file may change in between).
   */
  readonly key: string;
  readonly open: ShoalOptions;
  readonly query: Query;
  readonly access: CatalogAccess | undefined;
  readonly catalog: string | undefined;
  readonly schema: string | undefined;
  readonly timeZone: string;
  /** The statement's start (current_timestamp), as a decimal string of microseconds. */
  readonly queryStartMicros: string;
  readonly batchSize: number;
  readonly scanParallelRequests: number;
  readonly listingMaxAgeMs: number;
  /** Each worker's share of the query's memory limit (workerMemory), and the spill folder. */
  readonly memory: MemorySettings;
  /** The table row counts the main thread optimized with (OptimizerContext.tableRows). */
  readonly tableRows: readonly (readonly [string, number])[] | undefined;
}

/** One worker's run: the fragment (physical/fragment.ts) and the statement it belongs to. */
export interface FragmentSpec extends FragmentRequest {
  readonly statement: StatementSpec;
}

export interface WireError {
  readonly code: string;
  readonly message: string;
  readonly hint?: string | undefined;
  readonly location?: string | undefined;
  readonly span?: SourceSpan | undefined;
}

export type ToWorker =
  | { readonly t: 'run'; readonly id: number; readonly spec: FragmentSpec }
  /** The main thread consumed one more of the run's splits ('rows' mode runs at most a few splits ahead). */
  | { readonly t: 'credit'; readonly id: number }
  | { readonly t: 'cancel'; readonly id: number };

export type FromWorker =
  | { readonly t: 'batch'; readonly id: number; readonly ipc: ArrayBuffer; readonly counters: FragmentCounters }
  | { readonly t: 'split'; readonly id: number; readonly counters: FragmentCounters }
  | { readonly t: 'done'; readonly id: number; readonly counters: FragmentCounters; readonly operators: readonly OperatorSnapshot[] }
  | { readonly t: 'error'; readonly id: number; readonly error: WireError };

export function toWire(e: ShoalError): WireError {
  return { code: e.code, message: e.message, hint: e.hint, location: e.location, span: e.span };
}

/** The worker's error as the ShoalError it was (code, message, hint, file, span). */
export function fromWire(w: WireError): ShoalError {
  if (!Object.hasOwn(ERROR_CODES, w.code)) return internalError(`a worker failed: ${w.message}`);
  return new ShoalError(w.code as ErrorCode, w.message, { hint: w.hint, location: w.location, span: w.span });
}

function isRecord(v: unknown): v is Readonly<Record<string, unknown>> {
  return typeof v === 'object' && v !== null;
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

function counters(v: unknown): FragmentCounters {
  const r = isRecord(v) ? v : {};
  const io = isRecord(r['io']) ? r['io'] : {};
  return { io: { bytesRead: num(io['bytesRead']), requests: num(io['requests']) }, rowsRead: num(r['rowsRead']), splitsDone: num(r['splitsDone']), peakMemoryBytes: num(r['peakMemoryBytes']), spilledBytes: num(r['spilledBytes']) };
}

function operators(v: unknown): OperatorSnapshot[] {
  if (!Array.isArray(v)) return [];
  return v.map((o: unknown) => {
    const r = isRecord(o) ? o : {};
    const io = isRecord(r['io']) ? { bytesRead: num(r['io']['bytesRead']), requests: num(r['io']['requests']) } : undefined;
    return { rowsOut: num(r['rowsOut']), batchesOut: num(r['batchesOut']), elapsedMs: num(r['elapsedMs']), io };
  });
}

/** A worker's message, or undefined when it is not one the protocol defines. */
export function parseFromWorker(m: unknown): FromWorker | undefined {
  if (!isRecord(m) || typeof m['id'] !== 'number') return undefined;
  const id = m['id'];
  switch (m['t']) {
    case 'batch':
      return m['ipc'] instanceof ArrayBuffer ? { t: 'batch', id, ipc: m['ipc'], counters: counters(m['counters']) } : undefined;
    case 'split':
      return { t: 'split', id, counters: counters(m['counters']) };
    case 'done':
      return { t: 'done', id, counters: counters(m['counters']), operators: operators(m['operators']) };
    case 'error': {
      const e = isRecord(m['error']) ? m['error'] : {};
      const str = (k: string): string | undefined => (typeof e[k] === 'string' ? e[k] : undefined);
      const span = isRecord(e['span']) ? (e['span'] as unknown as SourceSpan) : undefined;
      return { t: 'error', id, error: { code: str('code') ?? 'GENERIC_INTERNAL_ERROR', message: str('message') ?? 'a worker failed', hint: str('hint'), location: str('location'), span } };
    }
    default:
      return undefined;
  }
}

/** A main-thread message; the worker trusts its parent's structure (same program), but checks the kind. */
export function parseToWorker(m: unknown): ToWorker | undefined {
  if (!isRecord(m) || typeof m['id'] !== 'number') return undefined;
  const t = m['t'];
  return t === 'run' || t === 'credit' || t === 'cancel' ? (m as unknown as ToWorker) : undefined;
}
