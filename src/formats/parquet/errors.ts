import { ShoalError, type ErrorCode } from '../../common/index.js';

/**
 * Errors about one Parquet file. Every message names the file and says what is wrong in words; a library's own
 * message is appended in parentheses as a cause, never shown alone.
 */
export function parquetError(code: ErrorCode, location: string, detail: string, cause?: unknown): ShoalError {
  return new ShoalError(code, `Cannot read Parquet file ${location}: ${detail}`, { location, cause });
}

export function corruptFile(location: string, detail: string, cause?: unknown): ShoalError {
  return parquetError('CORRUPT_FILE', location, detail, cause);
}

/** A short, single-line rendering of a thrown value for appending to a message. */
export function causeText(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
