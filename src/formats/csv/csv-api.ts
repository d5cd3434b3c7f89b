/** Contract of the CSV reader (implemented in this folder): Shoal's own byte-level RFC 4180 parser. */
export interface CsvOptions {
  /** First line holds column names. */
  readonly header: boolean;
  /** One character (a byte); `\t` for TSV. */
  readonly delimiter: string;
  /** One character; fields in quotes may hold delimiters, newlines and doubled quotes. */
  readonly quote: string;
  /** The text that means NULL in an unquoted field (a quoted empty string "" is an empty string, not NULL). */
  readonly nullString: string;
  /** `auto` picks gzip for names ending in .gz. */
  readonly compression: 'auto' | 'gzip' | 'none';
  /** Rows read to infer types when the catalog gives none. */
  readonly sampleRows: number;
  /** Rows with too few fields are padded with NULLs instead of failing (DuckDB's null_padding). */
  readonly nullPadding: boolean;
  /** Lines to skip before the header/data. */
  readonly skipRows: number;
}

export const DEFAULT_CSV_OPTIONS: CsvOptions = {
  header: true,
  delimiter: ',',
  quote: '"',
  nullString: '',
  compression: 'auto',
  sampleRows: 20480,
  nullPadding: false,
  skipRows: 0,
};
