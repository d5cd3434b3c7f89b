/**
 * Stable error codes, numbered in Trino's bands so the Trino-protocol endpoint can report them unchanged:
 * USER_ERROR from 0, INTERNAL_ERROR from 65536, INSUFFICIENT_RESOURCES from 131072, EXTERNAL from 16777216.
 * Numbers of codes Trino also has are Trino's (StandardErrorCode); Shoal's own codes sit at the end of each band.
 */
export type ErrorType = 'USER_ERROR' | 'INTERNAL_ERROR' | 'INSUFFICIENT_RESOURCES' | 'EXTERNAL';

export const ERROR_CODES = {
  GENERIC_USER_ERROR: { code: 0, type: 'USER_ERROR' },
  SYNTAX_ERROR: { code: 1, type: 'USER_ERROR' },
  ABANDONED_QUERY: { code: 2, type: 'USER_ERROR' },
  USER_CANCELED: { code: 3, type: 'USER_ERROR' },
  PERMISSION_DENIED: { code: 4, type: 'USER_ERROR' },
  NOT_FOUND: { code: 5, type: 'USER_ERROR' },
  FUNCTION_NOT_FOUND: { code: 6, type: 'USER_ERROR' },
  INVALID_FUNCTION_ARGUMENT: { code: 7, type: 'USER_ERROR' },
  DIVISION_BY_ZERO: { code: 8, type: 'USER_ERROR' },
  INVALID_CAST_ARGUMENT: { code: 9, type: 'USER_ERROR' },
  OPERATOR_NOT_FOUND: { code: 10, type: 'USER_ERROR' },
  INVALID_VIEW: { code: 11, type: 'USER_ERROR' },
  ALREADY_EXISTS: { code: 12, type: 'USER_ERROR' },
  NOT_SUPPORTED: { code: 13, type: 'USER_ERROR' },
  INVALID_SESSION_PROPERTY: { code: 14, type: 'USER_ERROR' },
  INVALID_WINDOW_FRAME: { code: 15, type: 'USER_ERROR' },
  INVALID_TABLE_PROPERTY: { code: 18, type: 'USER_ERROR' },
  NUMERIC_VALUE_OUT_OF_RANGE: { code: 19, type: 'USER_ERROR' },
  SUBQUERY_MULTIPLE_ROWS: { code: 28, type: 'USER_ERROR' },
  QUERY_REJECTED: { code: 31, type: 'USER_ERROR' },
  AMBIGUOUS_FUNCTION_CALL: { code: 32, type: 'USER_ERROR' },
  QUERY_TEXT_TOO_LARGE: { code: 35, type: 'USER_ERROR' },
  TYPE_NOT_FOUND: { code: 43, type: 'USER_ERROR' },
  CATALOG_NOT_FOUND: { code: 44, type: 'USER_ERROR' },
  SCHEMA_NOT_FOUND: { code: 45, type: 'USER_ERROR' },
  TABLE_NOT_FOUND: { code: 46, type: 'USER_ERROR' },
  COLUMN_NOT_FOUND: { code: 47, type: 'USER_ERROR' },
  TABLE_ALREADY_EXISTS: { code: 50, type: 'USER_ERROR' },
  DUPLICATE_COLUMN_NAME: { code: 54, type: 'USER_ERROR' },
  MISSING_CATALOG_NAME: { code: 56, type: 'USER_ERROR' },
  MISSING_SCHEMA_NAME: { code: 57, type: 'USER_ERROR' },
  TYPE_MISMATCH: { code: 58, type: 'USER_ERROR' },
  INVALID_LITERAL: { code: 59, type: 'USER_ERROR' },
  MISMATCHED_COLUMN_ALIASES: { code: 61, type: 'USER_ERROR' },
  AMBIGUOUS_NAME: { code: 62, type: 'USER_ERROR' },
  INVALID_COLUMN_REFERENCE: { code: 63, type: 'USER_ERROR' },
  MISSING_ORDER_BY: { code: 65, type: 'USER_ERROR' },
  MISSING_OVER: { code: 66, type: 'USER_ERROR' },
  NESTED_AGGREGATION: { code: 67, type: 'USER_ERROR' },
  NESTED_WINDOW: { code: 68, type: 'USER_ERROR' },
  EXPRESSION_NOT_IN_DISTINCT: { code: 69, type: 'USER_ERROR' },
  FUNCTION_NOT_WINDOW: { code: 71, type: 'USER_ERROR' },
  FUNCTION_NOT_AGGREGATE: { code: 72, type: 'USER_ERROR' },
  EXPRESSION_NOT_AGGREGATE: { code: 73, type: 'USER_ERROR' },
  EXPRESSION_NOT_SCALAR: { code: 74, type: 'USER_ERROR' },
  EXPRESSION_NOT_CONSTANT: { code: 75, type: 'USER_ERROR' },
  INVALID_ARGUMENTS: { code: 76, type: 'USER_ERROR' },
  /** A `${name}` job parameter that is missing, malformed or used where a value cannot go (shoal run). */
  INVALID_PARAMETER_USAGE: { code: 80, type: 'USER_ERROR' },
  INVALID_LIMIT_CLAUSE: { code: 90, type: 'USER_ERROR' },
  INVALID_ORDER_BY: { code: 91, type: 'USER_ERROR' },
  TABLE_HAS_NO_COLUMNS: { code: 101, type: 'USER_ERROR' },
  STACK_OVERFLOW: { code: 108, type: 'USER_ERROR' },
  INVALID_CATALOG_PROPERTY: { code: 124, type: 'USER_ERROR' },
  // Shoal's own user errors.
  INVALID_CATALOG_FILE: { code: 1000, type: 'USER_ERROR' },
  INVALID_COMMAND_LINE: { code: 1001, type: 'USER_ERROR' },
  /** Writes (Trino's Hive connector has the same four as HIVE_*): partition columns not last in CREATE TABLE. */
  COLUMN_ORDER_MISMATCH: { code: 1002, type: 'USER_ERROR' },
  /** A write target (UNLOAD location, new table's directory) already holds data files. */
  PATH_ALREADY_EXISTS: { code: 1003, type: 'USER_ERROR' },
  /** INSERT with insert_existing_partitions_behavior = 'ERROR' into a partition that exists. */
  PARTITION_ALREADY_EXISTS: { code: 1004, type: 'USER_ERROR' },
  /** One statement writes more partitions at once than a writer keeps open. */
  TOO_MANY_OPEN_PARTITIONS: { code: 1005, type: 'USER_ERROR' },
  /** DROP SCHEMA of a schema that still holds tables or views. */
  SCHEMA_NOT_EMPTY: { code: 1006, type: 'USER_ERROR' },

  GENERIC_INTERNAL_ERROR: { code: 65536, type: 'INTERNAL_ERROR' },

  GENERIC_INSUFFICIENT_RESOURCES: { code: 131072, type: 'INSUFFICIENT_RESOURCES' },
  QUERY_QUEUE_FULL: { code: 131074, type: 'INSUFFICIENT_RESOURCES' },
  EXCEEDED_MEMORY_LIMIT: { code: 131079, type: 'INSUFFICIENT_RESOURCES' },
  EXCEEDED_TIME_LIMIT: { code: 131075, type: 'INSUFFICIENT_RESOURCES' },
  /** The planned scan is larger than max_scan_bytes; refused before any data is read. */
  EXCEEDED_SCAN_LIMIT: { code: 131081, type: 'INSUFFICIENT_RESOURCES' },

  // External: the data or the storage, not the query, is at fault.
  FILE_NOT_FOUND: { code: 16777216, type: 'EXTERNAL' },
  CANNOT_OPEN_FILE: { code: 16777217, type: 'EXTERNAL' },
  BAD_DATA: { code: 16777218, type: 'EXTERNAL' },
  CORRUPT_FILE: { code: 16777219, type: 'EXTERNAL' },
  IO_ERROR: { code: 16777220, type: 'EXTERNAL' },
  /** An object changed (ETag/generation/mtime) while a query read it; re-running reads one version. */
  FILE_CHANGED: { code: 16777221, type: 'EXTERNAL' },
  /** The storage refused or failed a request after retries (throttling, 5xx, timeouts, resets). */
  STORAGE_UNAVAILABLE: { code: 16777222, type: 'EXTERNAL' },
  /** Bucket, credentials or endpoint are missing or wrong. */
  STORAGE_CONFIGURATION_ERROR: { code: 16777223, type: 'EXTERNAL' },
  /** Another statement kept the commit lock of a write target too long; re-running later succeeds. */
  WRITE_CONFLICT: { code: 16777224, type: 'EXTERNAL' },
} as const satisfies Record<string, { code: number; type: ErrorType }>;

export type ErrorCode = keyof typeof ERROR_CODES;
