import type { ErrorCode, ShoalError } from '../common/index.js';

/**
 * Exit statuses of `shoal run`, for orchestrators deciding whether to retry (README "Batch jobs"). The numbers
 * are BSD sysexits where one fits. `shoal -e`/`-f` keep their simpler 0 / 1 / 2.
 */
export const EXIT = {
  OK: 0,
  /** The job or the query is wrong (syntax, names, types, parameters, max_scan_bytes, configuration): do not retry. */
  USER_ERROR: 2,
  /** EX_USAGE: the command line is wrong (unknown option, no job file, a malformed --param/--session/--time-zone). */
  USAGE: 64,
  /** EX_DATAERR: the input files are bad (corrupt Parquet, malformed CSV, a bad partition value): do not retry. */
  DATA_ERROR: 65,
  /** EX_SOFTWARE: a bug in Shoal. */
  INTERNAL: 70,
  /** EX_TEMPFAIL: storage or resources failed in a way a later attempt may not: retry. */
  TRANSIENT: 75,
} as const;

/** Errors of the EXTERNAL type that a retry will not fix. */
const DATA_ERRORS: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['BAD_DATA', 'CORRUPT_FILE']);
const CONFIGURATION_ERRORS: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['STORAGE_CONFIGURATION_ERROR']);

/**
 * The exit status for an error, from its type and code:
 *  - USER_ERROR → 2, except a query canceled from outside (USER_CANCELED, ABANDONED_QUERY) → 75;
 *  - INSUFFICIENT_RESOURCES → 75 (time limit, memory, queue), except EXCEEDED_SCAN_LIMIT → 2: the same plan
 *    is refused again, so only a change to the job or the limit helps;
 *  - EXTERNAL → 75 (IO_ERROR, STORAGE_UNAVAILABLE, FILE_CHANGED, CANNOT_OPEN_FILE, and FILE_NOT_FOUND: for a
 *    scheduled job a missing input is most often one that has not arrived yet), except bad data (BAD_DATA,
 *    CORRUPT_FILE) → 65 and STORAGE_CONFIGURATION_ERROR (bucket, endpoint, credentials) → 2;
 *  - INTERNAL_ERROR → 70; INVALID_COMMAND_LINE → 64.
 * When unsure an error is transient, it is: a needless retry costs an attempt, a missed one a failed run.
 */
export function exitCodeFor(e: ShoalError): number {
  if (e.code === 'INVALID_COMMAND_LINE') return EXIT.USAGE;
  switch (e.errorType) {
    case 'USER_ERROR':
      return e.code === 'USER_CANCELED' || e.code === 'ABANDONED_QUERY' ? EXIT.TRANSIENT : EXIT.USER_ERROR;
    case 'INSUFFICIENT_RESOURCES':
      return e.code === 'EXCEEDED_SCAN_LIMIT' ? EXIT.USER_ERROR : EXIT.TRANSIENT;
    case 'EXTERNAL':
      if (DATA_ERRORS.has(e.code)) return EXIT.DATA_ERROR;
      if (CONFIGURATION_ERRORS.has(e.code)) return EXIT.USER_ERROR;
      return EXIT.TRANSIENT;
    case 'INTERNAL_ERROR':
      return EXIT.INTERNAL;
  }
}

/** Whether an orchestrator should try the job again after this exit status. */
export function isRetryable(exitCode: number): boolean {
  return exitCode === EXIT.TRANSIENT;
}
