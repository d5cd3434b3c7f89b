import { ERROR_CODES, type ErrorCode, type ErrorType } from './error-codes.js';
import type { SourceSpan } from './span.js';

export interface ShoalErrorOptions {
  /** Where in the SQL text the problem is. */
  readonly span?: SourceSpan | undefined;
  /** What the user can do about it ("did you mean …", "use header => true"). */
  readonly hint?: string | undefined;
  /** The file, object or partition the error is about. */
  readonly location?: string | undefined;
  readonly cause?: unknown;
}

/**
 * The only error type a user ever sees. `message` says what is wrong in one sentence; the span, the file
 * location and the hint are kept apart so that each front end (CLI caret, Trino errorLocation) can show them.
 */
export class ShoalError extends Error {
  override readonly name = 'ShoalError';
  readonly code: ErrorCode;
  readonly span: SourceSpan | undefined;
  readonly hint: string | undefined;
  readonly location: string | undefined;

  constructor(code: ErrorCode, message: string, options: ShoalErrorOptions = {}) {
    super(shorten(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.span = options.span;
    this.hint = options.hint === undefined ? undefined : shorten(options.hint);
    this.location = options.location;
  }

  get errorCode(): number {
    return ERROR_CODES[this.code].code;
  }

  get errorType(): ErrorType {
    return ERROR_CODES[this.code].type;
  }

  /** The same error with a span, when the thrower did not know where in the SQL it was. */
  withSpan(span: SourceSpan | undefined): ShoalError {
    if (span === undefined || this.span !== undefined) return this;
    const e = new ShoalError(this.code, this.message, { span, hint: this.hint, location: this.location, cause: this.cause });
    if (this.stack !== undefined) e.stack = this.stack;
    return e;
  }

  /** Message with hint, without position: the line a user reads. */
  describe(): string {
    return this.hint === undefined ? this.message : `${this.message}. ${this.hint}`;
  }
}

/**
 * Messages quote the user's text (a literal, an identifier); a 10 MB literal must not become a 10 MB message.
 * Longer than MAX_MESSAGE, the middle is cut: the start says what is wrong, the end usually what to do.
 */
const MAX_MESSAGE = 400;

function shorten(text: string): string {
  if (text.length <= MAX_MESSAGE) return text;
  return `${text.slice(0, MAX_MESSAGE - 100)}…${text.slice(text.length - 99)}`;
}

export function isShoalError(e: unknown): e is ShoalError {
  return e instanceof ShoalError;
}

/**
 * Any thrown value as a ShoalError. Unknown errors become GENERIC_INTERNAL_ERROR whose message says it is a bug;
 * the original stays as `cause` for debugging, never as the user's message.
 */
export function toShoalError(e: unknown): ShoalError {
  if (e instanceof ShoalError) return e;
  if (e instanceof Error && e.name === 'AbortError') {
    return new ShoalError('USER_CANCELED', 'Query was canceled', { cause: e });
  }
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return new ShoalError('STACK_OVERFLOW', 'The statement is nested too deeply to process', {
      hint: 'Simplify the expression or split the query',
      cause: e,
    });
  }
  const detail = e instanceof Error ? e.message : String(e);
  return new ShoalError('GENERIC_INTERNAL_ERROR', `Internal error (this is a bug in Shoal): ${detail}`, { cause: e });
}

export function internalError(message: string): ShoalError {
  return new ShoalError('GENERIC_INTERNAL_ERROR', `Internal error (this is a bug in Shoal): ${message}`);
}
