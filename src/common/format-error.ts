import type { ShoalError } from './errors.js';

/**
 * The CLI/REPL rendering of an error: `line L:C: message`, then the offending source line and a caret under
 * the position. Without a span (or without the SQL text), just the message. Never a stack trace.
 */
export function formatError(error: ShoalError, sql?: string): string {
  const where = error.location === undefined ? '' : ` (${error.location})`;
  const text = `${error.describe()}${where}`;
  const span = error.span;
  if (span === undefined) return `${error.code}: ${text}`;
  const head = `line ${span.start.line}:${span.start.column}: ${text}`;
  if (sql === undefined) return head;
  const line = sql.split(/\r?\n/)[span.start.line - 1];
  if (line === undefined) return head;
  const width = span.end.line === span.start.line ? Math.max(1, span.end.column - span.start.column) : 1;
  const shown = line.replace(/\t/g, ' ');
  return `${head}\n${shown}\n${' '.repeat(span.start.column - 1)}^${width > 1 ? '~'.repeat(Math.min(width - 1, 80)) : ''}`;
}
