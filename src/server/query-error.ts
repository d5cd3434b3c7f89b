import { toShoalError, type ShoalError } from '../common/index.js';
import type { ErrorLocation, QueryError } from './protocol-types.js';

/**
 * A failure as Trino's QueryError: message (with Shoal's hint), errorCode/errorName/errorType from Shoal's
 * Trino-numbered codes, errorLocation from the SQL span (1-based line and column, as Trino reports them), and a
 * failureInfo without a stack (stack traces are not user messages).
 */
export function toQueryError(e: unknown): QueryError {
  const err: ShoalError = toShoalError(e);
  const start = err.span?.start;
  const errorLocation: ErrorLocation | undefined = start === undefined ? undefined : { lineNumber: start.line, columnNumber: start.column };
  const message = err.describe();
  return {
    message,
    errorCode: err.errorCode,
    errorName: err.code,
    errorType: err.errorType,
    errorLocation,
    failureInfo: { type: 'io.trino.spi.TrinoException', message, suppressed: [], stack: [], errorLocation },
  };
}
