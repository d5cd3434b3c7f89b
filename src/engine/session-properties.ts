import { ShoalError, didYouMean } from '../common/index.js';
import type { Scalar } from '../types/index.js';

/** A session property users can SET SESSION: its validation and default. */
interface PropertyDef {
  readonly description: string;
  readonly default: string;
  /** The SQL type SHOW SESSION reports (durations are varchar in Trino too). */
  readonly type: 'varchar' | 'integer';
  /** Normalizes a value or throws INVALID_SESSION_PROPERTY. */
  parse(value: Scalar): string;
}

/** Parses Trino durations: `500ms`, `30s`, `10m`, `2h`, `1d` (and bare seconds). Returns milliseconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (m === null) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

const DATA_SIZE_UNITS: Readonly<Record<string, number>> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };

/** Parses Trino data sizes: `512MB`, `1GB`, `64kB`, `100B` (units are powers of 1024, as in Trino). Returns bytes. */
export function parseDataSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb)\s*$/i.exec(text);
  if (m === null) return undefined;
  return Math.round(Number(m[1]) * DATA_SIZE_UNITS[m[2]!.toLowerCase()]!);
}

function dataSizeProperty(name: string, description: string, dflt: string, min: number): PropertyDef {
  return {
    description,
    default: dflt,
    type: 'varchar',
    parse(v) {
      const bytes = typeof v === 'string' ? parseDataSize(v) : undefined;
      if (bytes === undefined || bytes < min) throw new ShoalError('INVALID_SESSION_PROPERTY', `${name} must be a data size of at least ${min} bytes such as '128MB' or '1GB', not ${String(v)}`);
      return String(v).trim();
    },
  };
}

const PROPERTIES: Readonly<Record<string, PropertyDef>> = {
  insert_existing_partitions_behavior: {
    description: 'What INSERT does to partitions that already hold files: APPEND adds files, OVERWRITE replaces the partitions written, ERROR refuses',
    default: 'APPEND',
    type: 'varchar',
    parse(v) {
      const t = typeof v === 'string' ? v.trim().toUpperCase() : '';
      if (t !== 'APPEND' && t !== 'OVERWRITE' && t !== 'ERROR') {
        throw new ShoalError('INVALID_SESSION_PROPERTY', `insert_existing_partitions_behavior must be 'APPEND', 'OVERWRITE' or 'ERROR', not ${String(v)}`);
      }
      return t;
    },
  },
  target_max_file_size: dataSizeProperty('target_max_file_size', 'Size at which a writer closes a file and starts the next (a Parquet file ends after the row group that reaches it)', '128MB', 1024),
  parquet_writer_block_size: dataSizeProperty('parquet_writer_block_size', 'Most bytes in one row group of a written Parquet file (row groups also hold at most 131072 rows)', '128MB', 1024),
  query_max_execution_time: {
    description: 'Longest a query may run before it fails with EXCEEDED_TIME_LIMIT (e.g. 30s, 10m, 1h); 0 means no limit',
    default: '0s',
    type: 'varchar',
    parse(v) {
      const ms = typeof v === 'string' ? parseDuration(v) : undefined;
      if (ms === undefined) throw new ShoalError('INVALID_SESSION_PROPERTY', `query_max_execution_time must be a duration such as '30s' or '10m', not ${String(v)}`);
      return String(v).trim();
    },
  },
  batch_size: {
    description: 'Target number of rows per batch built by operators (1024 to 1048576)',
    default: '65536',
    type: 'integer',
    parse(v) {
      const n = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
      if (!Number.isInteger(n) || n < 1024 || n > 1_048_576) throw new ShoalError('INVALID_SESSION_PROPERTY', `batch_size must be an integer from 1024 to 1048576, not ${String(v)}`);
      return String(n);
    },
  },
};

/** Every property as SHOW SESSION lists it: name, current value, default, type, description. */
export function sessionPropertyRows(props: ReadonlyMap<string, string>): { name: string; value: string; default: string; type: string; description: string }[] {
  return sessionPropertyNames().map((name) => {
    const d = PROPERTIES[name]!;
    return { name, value: props.get(name) ?? d.default, default: d.default, type: d.type, description: d.description };
  });
}

export function sessionPropertyNames(): string[] {
  return Object.keys(PROPERTIES).sort();
}

/** Validates `SET SESSION name = value`; returns the normalized text value. */
export function parseSessionProperty(name: string, value: Scalar): string {
  const def = PROPERTIES[name];
  if (def === undefined) {
    throw new ShoalError('INVALID_SESSION_PROPERTY', `Session property '${name}' does not exist`, { hint: didYouMean(name, Object.keys(PROPERTIES)) ?? `Properties: ${Object.keys(PROPERTIES).join(', ')}` });
  }
  return def.parse(value);
}

export function sessionPropertyValue(props: ReadonlyMap<string, string>, name: keyof typeof PROPERTIES & string): string {
  return props.get(name) ?? PROPERTIES[name]!.default;
}
