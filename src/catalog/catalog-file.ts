import path from 'node:path';
import { ShoalError, didYouMean } from '../common/index.js';
import { DEFAULT_CSV_OPTIONS, type CsvOptions } from '../formats/index.js';
import { parseStorageSettings, resolveLocation, type StorageSettings } from '../fs/index.js';
import { parseTypeName, typeName, type ColumnField } from '../types/index.js';
import type { FileFormat, FileTableSpec } from './file-table.js';
import type { WriteCompression } from './table-writer.js';

/** A table file parsed and validated: a file table, or a view. */
export type TableFileContent =
  | {
      readonly kind: 'table';
      readonly spec: FileTableSpec;
      /** Created by Shoal under the catalog's warehouse: DROP TABLE deletes its files (README "Writing tables"). */
      readonly managed: boolean;
      /** The codec new files are written with (INSERT); undefined: the format's default. */
      readonly compression: WriteCompression | undefined;
    }
  | { readonly kind: 'view'; readonly sql: string; readonly comment?: string | undefined };

const TABLE_KEYS = ['location', 'format', 'partitioned_by', 'columns', 'csv', 'comment', 'view', 'managed', 'compression'];
const COMPRESSIONS = ['snappy', 'zstd', 'gzip', 'none'];
const CSV_KEYS = ['header', 'delimiter', 'quote', 'null', 'compression', 'null_padding', 'skip', 'sample_rows'];

function fail(file: string, message: string, hint?: string): ShoalError {
  return new ShoalError('INVALID_CATALOG_FILE', `Invalid catalog file ${file}: ${message}`, { location: file, hint });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkKeys(obj: Record<string, unknown>, allowed: readonly string[], file: string, where: string): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) throw fail(file, `unknown key '${k}'${where}`, didYouMean(k, allowed) ?? `Allowed keys: ${allowed.join(', ')}`);
  }
}

/** Format from an explicit value, else from the location's extension. */
function formatOf(value: unknown, location: string, file: string): FileFormat {
  if (value === undefined) {
    if (/\.(csv|tsv|txt)(\.gz)?$/i.test(location)) return 'csv';
    return 'parquet';
  }
  if (typeof value !== 'string' || !['parquet', 'csv'].includes(value.toLowerCase())) {
    throw fail(file, `format must be "parquet" or "csv", not ${JSON.stringify(value)}`);
  }
  return value.toLowerCase() as FileFormat;
}

/** Builds the error for a bad option; the caller decides how it is worded and coded (catalog file, read_csv). */
export type OptionError = (message: string, hint?: string) => ShoalError;

function oneChar(v: unknown, name: string, bad: OptionError): string {
  if (typeof v !== 'string' || [...v].length !== 1) throw bad(`csv.${name} must be a single character`);
  return v;
}

/**
 * CSV options in catalog-file spelling (header, delimiter, quote, null, compression, null_padding, skip,
 * sample_rows) over the defaults for `location` (tab-delimited for .tsv). Bad options throw `bad(...)`.
 */
export function parseCsvOptions(raw: unknown, location: string, bad: OptionError): CsvOptions {
  const base: CsvOptions = { ...DEFAULT_CSV_OPTIONS, delimiter: /\.tsv(\.gz)?$/i.test(location) ? '\t' : DEFAULT_CSV_OPTIONS.delimiter };
  if (raw === undefined) return base;
  if (!isRecord(raw)) throw bad('csv must be an object');
  for (const k of Object.keys(raw)) {
    if (!CSV_KEYS.includes(k)) throw bad(`unknown key '${k}' in csv`, didYouMean(k, CSV_KEYS) ?? `Allowed keys: ${CSV_KEYS.join(', ')}`);
  }
  const out = { ...base } as { -readonly [K in keyof CsvOptions]: CsvOptions[K] };
  if (raw['header'] !== undefined) {
    if (typeof raw['header'] !== 'boolean') throw bad('csv.header must be true or false');
    out.header = raw['header'];
  }
  if (raw['delimiter'] !== undefined) out.delimiter = oneChar(raw['delimiter'], 'delimiter', bad);
  if (raw['quote'] !== undefined) out.quote = oneChar(raw['quote'], 'quote', bad);
  if (raw['null'] !== undefined) {
    if (typeof raw['null'] !== 'string') throw bad('csv.null must be a string');
    out.nullString = raw['null'];
  }
  if (raw['compression'] !== undefined) {
    const c = raw['compression'];
    if (c !== 'auto' && c !== 'gzip' && c !== 'none') throw bad('csv.compression must be "auto", "gzip" or "none"');
    out.compression = c;
  }
  if (raw['null_padding'] !== undefined) {
    if (typeof raw['null_padding'] !== 'boolean') throw bad('csv.null_padding must be true or false');
    out.nullPadding = raw['null_padding'];
  }
  if (raw['skip'] !== undefined) {
    if (typeof raw['skip'] !== 'number' || !Number.isInteger(raw['skip']) || raw['skip'] < 0) throw bad('csv.skip must be a non-negative integer');
    out.skipRows = raw['skip'];
  }
  if (raw['sample_rows'] !== undefined) {
    if (typeof raw['sample_rows'] !== 'number' || !Number.isInteger(raw['sample_rows']) || raw['sample_rows'] < 1) throw bad('csv.sample_rows must be a positive integer');
    out.sampleRows = raw['sample_rows'];
  }
  return out;
}

function parseColumns(raw: unknown, file: string): ColumnField[] {
  if (!Array.isArray(raw)) throw fail(file, 'columns must be an array of { "name": …, "type": … }');
  return raw.map((c, i) => {
    if (!isRecord(c)) throw fail(file, `columns[${i}] must be an object`);
    checkKeys(c, ['name', 'type', 'comment', 'nullable'], file, ` in columns[${i}]`);
    if (typeof c['name'] !== 'string' || c['name'] === '') throw fail(file, `columns[${i}].name must be a non-empty string`);
    if (typeof c['type'] !== 'string') throw fail(file, `columns[${i}].type must be a string such as "integer" or "varchar"`);
    let type;
    try {
      type = parseTypeName(c['type']);
    } catch (e) {
      throw fail(file, `columns[${i}] (${c['name']}): ${(e as ShoalError).message}`, (e as ShoalError).hint);
    }
    return { name: c['name'].toLowerCase(), type, nullable: c['nullable'] !== false };
  });
}

/**
 * Parses a table file (catalog/<c>/<s>/<t>.json). `baseDir` is the folder containing the catalog directory:
 * relative locations resolve against it.
 */
export function parseTableFile(text: string, file: string, name: string, baseDir: string): TableFileContent {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw fail(file, `not valid JSON (${(e as Error).message})`);
  }
  if (!isRecord(raw)) throw fail(file, 'expected a JSON object');
  checkKeys(raw, TABLE_KEYS, file, '');
  const comment = raw['comment'];
  if (comment !== undefined && typeof comment !== 'string') throw fail(file, 'comment must be a string');
  if (raw['view'] !== undefined) {
    if (typeof raw['view'] !== 'string' || raw['view'].trim() === '') throw fail(file, 'view must be the SELECT text of the view');
    const extra = Object.keys(raw).filter((k) => k !== 'view' && k !== 'comment');
    if (extra.length > 0) throw fail(file, `a view file holds only "view" and "comment", not ${extra.join(', ')}`);
    return { kind: 'view', sql: raw['view'], comment };
  }
  const loc = raw['location'];
  if (typeof loc !== 'string' || loc === '') throw fail(file, 'location is required: a file, directory or glob');
  const location = resolveLocation(loc, baseDir);
  const partitionedBy = raw['partitioned_by'] ?? [];
  if (!Array.isArray(partitionedBy) || !partitionedBy.every((p): p is string => typeof p === 'string' && p !== '')) {
    throw fail(file, 'partitioned_by must be an array of column names');
  }
  const columns = raw['columns'] === undefined ? undefined : parseColumns(raw['columns'], file);
  const format = formatOf(raw['format'], location, file);
  if (format !== 'csv' && raw['csv'] !== undefined) throw fail(file, 'csv options are only allowed with "format": "csv"');
  const managed = raw['managed'] ?? false;
  if (typeof managed !== 'boolean') throw fail(file, 'managed must be true or false');
  const compression = raw['compression'];
  if (compression !== undefined && (typeof compression !== 'string' || !COMPRESSIONS.includes(compression.toLowerCase()))) {
    throw fail(file, `compression must be one of ${COMPRESSIONS.map((c) => `"${c}"`).join(', ')}`);
  }
  return {
    kind: 'table',
    managed,
    compression: compression === undefined ? undefined : (compression.toLowerCase() as WriteCompression),
    spec: {
      name,
      location,
      format,
      partitionedBy: partitionedBy.map((p) => p.toLowerCase()),
      columns,
      csv: parseCsvOptions(raw['csv'], location, (message, hint) => fail(file, message, hint)),
      comment,
      emptyWhenMissing: managed,
    },
  };
}

const SECRET_KEY = /(secret|password|token|private_key|access_key|credential)/i;

export interface CatalogSettings {
  readonly comment?: string | undefined;
  /** Where managed tables live (later work writes there). */
  readonly warehouse?: string | undefined;
  /** Storage settings (keys s3, gcs, http), validated by fs/storage-settings.ts; the catalog's tables use them. */
  readonly storage: StorageSettings;
  /**
   * `allowed_roots`: the only folders and URL prefixes the catalog's tables may read and its writes may target
   * (relative paths resolved against the catalog's base folder). Absent: unrestricted.
   */
  readonly allowedRoots?: readonly string[] | undefined;
}

/** Parses catalog/<name>.json. Secrets are refused: credentials come from the environment, never catalog files. */
export function parseCatalogSettings(text: string, file: string, baseDir: string): CatalogSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw fail(file, `not valid JSON (${(e as Error).message})`);
  }
  if (!isRecord(raw)) throw fail(file, 'expected a JSON object');
  const walk = (v: unknown, at: string): void => {
    if (!isRecord(v)) return;
    for (const [k, x] of Object.entries(v)) {
      if (SECRET_KEY.test(k)) {
        throw fail(file, `'${at}${k}' looks like a secret; catalog files must never hold secrets`, 'Use environment variables, shared credential files or instance credentials instead');
      }
      walk(x, `${at}${k}.`);
    }
  };
  walk(raw, '');
  checkKeys(raw, ['comment', 'warehouse', 'allowed_roots', 's3', 'gcs', 'http'], file, '');
  const roots = raw['allowed_roots'];
  if (roots !== undefined && (!Array.isArray(roots) || !roots.every((r): r is string => typeof r === 'string' && r.trim() !== ''))) {
    throw fail(file, 'allowed_roots must be an array of folders or URL prefixes', 'For example "allowed_roots": ["sample-data/", "s3://lake-bucket/"]');
  }
  const warehouse = raw['warehouse'];
  if (warehouse !== undefined && typeof warehouse !== 'string') throw fail(file, 'warehouse must be a location');
  const storage = parseStorageSettings(raw, (message, hint) => fail(file, message, hint), baseDir);
  return {
    comment: typeof raw['comment'] === 'string' ? raw['comment'] : undefined,
    warehouse: typeof warehouse === 'string' ? resolveLocation(warehouse, baseDir) : undefined,
    storage,
    allowedRoots: roots === undefined ? undefined : (roots as string[]).map((r) => resolveLocation(r, baseDir)),
  };
}

export function catalogBaseDir(catalogDir: string): string {
  return path.dirname(path.resolve(catalogDir));
}

/** What CREATE TABLE writes into a table file (DESIGN §4, plus `managed` and `compression`). */
export interface TableFileDefinition {
  /** As it will be written: relative to the folder holding the catalog directory when inside it, else absolute or a URL. */
  readonly location: string;
  readonly format: FileFormat;
  readonly partitionedBy: readonly string[];
  readonly columns: readonly ColumnField[];
  readonly managed: boolean;
  readonly compression: WriteCompression;
  readonly comment?: string | undefined;
}

/** The JSON text of a table file, keys in DESIGN §4's order, one column per line. */
export function tableFileText(def: TableFileDefinition): string {
  const j = (v: unknown): string => JSON.stringify(v);
  const lines = [`  "location": ${j(def.location)}`, `  "format": ${j(def.format)}`];
  if (def.partitionedBy.length > 0) lines.push(`  "partitioned_by": [${def.partitionedBy.map(j).join(', ')}]`);
  lines.push(`  "columns": [\n${def.columns.map((c) => `    { "name": ${j(c.name)}, "type": ${j(typeName(c.type))} }`).join(',\n')}\n  ]`);
  if (def.comment !== undefined) lines.push(`  "comment": ${j(def.comment)}`);
  lines.push(`  "managed": ${j(def.managed)}`, `  "compression": ${j(def.compression)}`);
  return `{\n${lines.join(',\n')}\n}\n`;
}

/** `location` as a table file writes it: relative to `baseDir` when inside it (catalogs move with their data). */
export function locationForTableFile(location: string, baseDir: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) return location;
  const rel = path.relative(baseDir, location);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : location;
}
