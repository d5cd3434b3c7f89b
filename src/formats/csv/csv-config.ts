/**
 * CsvOptions as the reader uses them: single bytes for the delimiter and quote, the NULL text as bytes, and the
 * compression decision for one file. Invalid options fail here, before any byte is read.
 */
import { ShoalError } from '../../common/index.js';
import type { CsvOptions } from './csv-api.js';

export interface CsvConfig {
  readonly location: string;
  readonly delimiter: number;
  /** The quote byte, or -1 when quoting is off (options.quote = ''). */
  readonly quote: number;
  /** An unquoted field with exactly these bytes is NULL. */
  readonly nullBytes: Uint8Array;
  readonly gzip: boolean;
  readonly header: boolean;
  readonly skipRows: number;
  readonly sampleRows: number;
  readonly nullPadding: boolean;
}

const ESCAPES: Readonly<Record<string, string>> = { '\\t': '\t', '\\n': '\n', '\\r': '\r', '\\\\': '\\' };

function singleByte(name: string, value: string, allowEmpty: boolean): number {
  const v = ESCAPES[value] ?? value;
  if (v === '' && allowEmpty) return -1;
  const bytes = new TextEncoder().encode(v);
  if (bytes.length !== 1) {
    throw new ShoalError('INVALID_ARGUMENTS', `CSV ${name} must be a single byte, got '${value}'`, {
      hint: name === 'delimiter' ? "Use one ASCII character such as ',', '|', ';' or '\\t'" : "Use one ASCII character such as '\"'",
    });
  }
  return bytes[0]!;
}

/** Whether `location` names a gzip file under `compression` ('auto' looks at the name, ignoring any URL query). */
export function isGzip(location: string, compression: CsvOptions['compression']): boolean {
  if (compression !== 'auto') return compression === 'gzip';
  const path = location.replace(/[?#].*$/, '');
  return /\.gz$/i.test(path);
}

export function resolveCsvConfig(location: string, options: CsvOptions): CsvConfig {
  const delimiter = singleByte('delimiter', options.delimiter, false);
  const quote = singleByte('quote', options.quote, true);
  if (delimiter === 10 || delimiter === 13 || quote === 10 || quote === 13) {
    throw new ShoalError('INVALID_ARGUMENTS', 'CSV delimiter and quote cannot be a line break');
  }
  if (delimiter === quote) {
    throw new ShoalError('INVALID_ARGUMENTS', `CSV delimiter and quote must differ, both are '${options.delimiter}'`);
  }
  for (const [name, v] of [['sample_rows', options.sampleRows], ['skip', options.skipRows]] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new ShoalError('INVALID_ARGUMENTS', `CSV ${name} must be a non-negative integer, got ${v}`);
  }
  return {
    location,
    delimiter,
    quote,
    nullBytes: new TextEncoder().encode(options.nullString),
    gzip: isGzip(location, options.compression),
    header: options.header,
    skipRows: options.skipRows,
    sampleRows: options.sampleRows,
    nullPadding: options.nullPadding,
  };
}
