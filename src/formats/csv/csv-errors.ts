/**
 * Every error the CSV reader raises: a ShoalError whose `location` is the file and whose message starts with the
 * file and, where it is about a row, the 1-based line the row starts on (physical lines, counting skipped lines,
 * the header and newlines inside quoted fields).
 */
import { ShoalError, type ErrorCode } from '../../common/index.js';

/** Longest excerpt of a field value quoted in an error message. */
const MAX_VALUE_CHARS = 40;

export function csvError(code: ErrorCode, location: string, message: string, hint?: string): ShoalError {
  return new ShoalError(code, `${location}: ${message}`, { location, hint });
}

/** A value as shown in messages: at most MAX_VALUE_CHARS characters, control characters escaped. */
export function excerpt(text: string): string {
  const chars = Array.from(text);
  const cut = chars.length > MAX_VALUE_CHARS ? chars.slice(0, MAX_VALUE_CHARS).join('') + '…' : text;
  return cut.replace(/[\r\n\t]/g, (c) => (c === '\r' ? '\\r' : c === '\n' ? '\\n' : '\\t'));
}

export function wrongFieldCount(location: string, line: number, got: number, expected: number, nullPadding: boolean): ShoalError {
  const hint = got < expected && !nullPadding
    ? 'Fix the file, or set null_padding to read missing trailing fields as NULL'
    : got > expected
      ? 'Fix the file, or declare the missing columns (null_padding only fills missing trailing fields)'
      : 'Fix the file';
  return csvError('BAD_DATA', location, `line ${line} has ${got} field${got === 1 ? '' : 's'}, expected ${expected}`, hint);
}

export function unterminatedQuote(location: string, line: number): ShoalError {
  return csvError('BAD_DATA', location, `line ${line}: a quoted field opened here is never closed before the end of the file`,
    'Close the quote, double quotes inside quoted fields (""), or set the quote option to the character the file uses');
}

export function textAfterQuote(location: string, line: number): ShoalError {
  return csvError('BAD_DATA', location, `line ${line}: unexpected text after the closing quote of a field`,
    'Quotes inside a quoted field must be doubled (""); check the quote and delimiter options');
}

export function badValue(location: string, line: number, column: string, typeText: string, value: string, why = ''): ShoalError {
  return csvError('BAD_DATA', location,
    `line ${line}: cannot read '${excerpt(value)}' as ${typeText} in column "${column}"${why === '' ? '' : ` (${why})`}`,
    `Declare column "${column}" as varchar to read it as text, or fix the file`);
}

export function invalidUtf8(location: string, line: number, column: string): ShoalError {
  return csvError('BAD_DATA', location, `line ${line}: column "${column}" holds bytes that are not valid UTF-8`,
    'Convert the file to UTF-8 (for example with iconv -f latin1 -t utf-8)');
}
