import { ERROR_CODES, ShoalError, shiftSpan, type ErrorCode, type SourcePosition, type SourceSpan } from '../../common/index.js';
import type { RemoteErrorInfo } from './remote-types.js';

/**
 * A statement that failed on the server, as a ShoalError so the CLI prints it like a local one (`line L:C:
 * message` and a caret). `code` is the server's errorName when Shoal knows it, else the generic code of its
 * errorType; `remoteName` keeps the server's own name (a Trino server has codes Shoal lacks).
 */
export class RemoteQueryError extends ShoalError {
  readonly remoteName: string;
  readonly remoteType: string;

  constructor(code: ErrorCode, message: string, remoteName: string, remoteType: string, span: SourceSpan | undefined) {
    super(code, message, { span });
    this.remoteName = remoteName;
    this.remoteType = remoteType;
  }

  /** The same error with its position moved from the statement to the script the statement came from. */
  inScript(statementStart: SourcePosition): RemoteQueryError {
    if (this.span === undefined) return this;
    return new RemoteQueryError(this.code, this.message, this.remoteName, this.remoteType, shiftSpan(this.span, { ...statementStart }));
  }
}

const BY_TYPE: Readonly<Record<string, ErrorCode>> = {
  USER_ERROR: 'GENERIC_USER_ERROR',
  INTERNAL_ERROR: 'GENERIC_INTERNAL_ERROR',
  INSUFFICIENT_RESOURCES: 'GENERIC_INSUFFICIENT_RESOURCES',
  EXTERNAL: 'IO_ERROR',
};

function isErrorCode(name: string): name is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CODES, name);
}

/**
 * The QueryError of a page as a RemoteQueryError. errorLocation (1-based line and column in the statement
 * sent) becomes a one-character span: Trino reports no end position.
 */
export function remoteError(e: RemoteErrorInfo, statement: string): RemoteQueryError {
  const name = e.errorName ?? 'GENERIC_INTERNAL_ERROR';
  const type = e.errorType ?? 'INTERNAL_ERROR';
  const code: ErrorCode = isErrorCode(name) ? name : BY_TYPE[type] ?? 'GENERIC_INTERNAL_ERROR';
  const loc = e.errorLocation;
  let span: SourceSpan | undefined;
  if (loc !== undefined && loc.lineNumber >= 1 && loc.columnNumber >= 1) {
    const lines = statement.split('\n');
    let offset = 0;
    for (let l = 0; l < loc.lineNumber - 1 && l < lines.length; l++) offset += lines[l]!.length + 1;
    offset += loc.columnNumber - 1;
    const start = { offset, line: loc.lineNumber, column: loc.columnNumber };
    span = { start, end: { offset: offset + 1, line: loc.lineNumber, column: loc.columnNumber + 1 } };
  }
  const message = isErrorCode(name) ? e.message : `${e.message} (${name})`;
  return new RemoteQueryError(code, message, name, type, span);
}
