import { ShoalError, didYouMean, parseDataSize } from '../common/index.js';
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

function integerProperty(name: string, description: string, dflt: string, min: number, max: number): PropertyDef {
  return {
    description,
    default: dflt,
    type: 'integer',
    parse(v) {
      const n = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
      if (!Number.isInteger(n) || n < min || n > max) throw new ShoalError('INVALID_SESSION_PROPERTY', `${name} must be an integer from ${min} to ${max}, not ${String(v)}`);
      return String(n);
    },
  };
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

/**
 * The default query_max_memory. Fixed rather than derived from the machine, so that a script spills (or fails) the
 * same way everywhere and SHOW SESSION is stable. 2GB is ten times the peak of the largest TPC-H SF1 query
 * (q18: 183MB of hash tables and sort buffers) and a quarter or less of a typical 8GB+ machine: operators hold
 * typed arrays outside V8's heap, so physical memory (not the heap limit) is what a query would exhaust, and
 * Parquet decoding, batches in flight and other queries need room too. Shoal.open({ maxQueryMemory }) and
 * --max-query-memory set another starting value (and cap).
 */
export const DEFAULT_QUERY_MAX_MEMORY = '2GB';

const PROPERTIES: Readonly<Record<string, PropertyDef>> = {
  query_max_memory: dataSizeProperty('query_max_memory', 'Most memory one query\'s operators may hold (sort buffers, hash tables, join build sides, windows); past it sorts, aggregations and joins spill to disk, others fail with EXCEEDED_MEMORY_LIMIT', DEFAULT_QUERY_MAX_MEMORY, 1024),
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
  max_scan_bytes: {
    description: 'Most bytes a query may plan to scan after pruning, summed over its scans (e.g. 10GB); a larger query fails with EXCEEDED_SCAN_LIMIT before reading data; 0B means no limit',
    default: '0B',
    type: 'varchar',
    parse(v) {
      const text = typeof v === 'bigint' || typeof v === 'number' ? `${String(v)}B` : typeof v === 'string' ? v.trim() : undefined;
      if (text === undefined || parseDataSize(text) === undefined) {
        throw new ShoalError('INVALID_SESSION_PROPERTY', `max_scan_bytes must be a data size such as '500MB' or '10GB', not ${String(v)}`, { hint: 'Units: B, kB, MB, GB, TB, PB (powers of 1024)' });
      }
      return text;
    },
  },
  listing_cache_max_age: {
    description: 'How old a kept directory listing a query may use (e.g. 10s; 0s lists afresh); within a query each location is listed once',
    default: '0s',
    type: 'varchar',
    parse(v) {
      const ms = typeof v === 'string' ? parseDuration(v) : undefined;
      if (ms === undefined) throw new ShoalError('INVALID_SESSION_PROPERTY', `listing_cache_max_age must be a duration such as '10s' or '0s', not ${String(v)}`);
      return String(v).trim();
    },
  },
  scan_parallel_requests: {
    description: 'Storage requests one scan keeps in flight (1 to 64)',
    default: '8',
    type: 'integer',
    parse(v) {
      const n = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
      if (!Number.isInteger(n) || n < 1 || n > 64) throw new ShoalError('INVALID_SESSION_PROPERTY', `scan_parallel_requests must be an integer from 1 to 64, not ${String(v)}`);
      return String(n);
    },
  },
  // Trino's name for the number of local parallel jobs per worker: here, the worker threads a query's scans,
  // filters, projections and partial aggregations run on (1: everything on the calling thread).
  task_concurrency: integerProperty('task_concurrency', "Worker threads per query for scans, filters, projections and partial aggregation (1: none; 0: the engine's threads setting, by default one less than the number of cores)", '0', 0, 64),
  // The default: see physical/fragment-work.ts (TPC-H SF1 on 2 cores: fragments whose operators saw 1.5M rows or
  // fewer took longer on two workers than on the calling thread; q01's 5.9M paid).
  parallel_min_rows: integerProperty('parallel_min_rows', "Fragments whose operators are estimated to see fewer rows than this (after row-group pruning and the Parquet decoder's own tests) run on the calling thread (0: every scan of two or more splits uses the worker threads)", '2000000', 0, 2 ** 31 - 1),
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

/** query_max_memory in bytes and as written. */
export function queryMaxMemory(props: ReadonlyMap<string, string>): { bytes: number; text: string } {
  const text = sessionPropertyValue(props, 'query_max_memory');
  return { bytes: parseDataSize(text) ?? 0, text };
}

/** max_scan_bytes in bytes; 0 when there is no limit. */
export function maxScanBytes(props: ReadonlyMap<string, string>): number {
  return parseDataSize(sessionPropertyValue(props, 'max_scan_bytes')) ?? 0;
}

export function sessionPropertyValue(props: ReadonlyMap<string, string>, name: keyof typeof PROPERTIES & string): string {
  return props.get(name) ?? PROPERTIES[name]!.default;
}
