/**
 * Construction of the front end's user-facing errors. A SYNTAX_ERROR always carries a span on the offending
 * token (or an empty span at the end of input) and a message of the form "Syntax error at or near 'X'";
 * node-sql-parser's own message (hundreds of alternatives) is never shown.
 */
import { ShoalError, type SourceSpan } from '../common/index.js';
import type { SourceText } from './source.js';

export function syntaxError(src: SourceText, start: number, end: number, message: string, hint?: string): ShoalError {
  return new ShoalError('SYNTAX_ERROR', message, { span: src.span(start, end), hint });
}

/** "Syntax error at or near 'tok'" for a token text; long texts are shortened. */
export function nearMessage(text: string | undefined): string {
  if (text === undefined) return 'Syntax error at end of input';
  const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  return `Syntax error at or near '${shown}'`;
}

export function notSupported(message: string, span: SourceSpan | undefined, hint?: string): ShoalError {
  return new ShoalError('NOT_SUPPORTED', message, { span, hint });
}
