/**
 * The text of one CSV field (RFC 4180), shared by the CSV file writer and the CLI's CSV output so that both
 * quote alike. Values are formatted by types/formatScalar (DESIGN §5) before they get here.
 */

/**
 * `s` as a field: NULL as `nullString` (default: the empty field); a value that would read back as NULL (the
 * empty string when NULL is empty) or that holds the delimiter, the quote or a line break is quoted, with quotes
 * doubled. With quoting off (`quote` = '') values are written as they are.
 */
export function csvField(s: string | null, delimiter: string, quote = '"', nullString = ''): string {
  if (s === null) return nullString;
  if (quote === '') return s;
  if (s === nullString || s.includes(delimiter) || s.includes(quote) || s.includes('\n') || s.includes('\r')) {
    return `${quote}${s.split(quote).join(quote + quote)}${quote}`;
  }
  return s;
}
