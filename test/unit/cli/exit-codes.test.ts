import { describe, expect, test } from 'vitest';
import { EXIT, exitCodeFor, isRetryable } from '../../../src/cli/exit-codes.js';
import { ERROR_CODES, ShoalError, type ErrorCode } from '../../../src/common/index.js';

const code = (c: ErrorCode): number => exitCodeFor(new ShoalError(c, 'x'));

describe('shoal run exit codes', () => {
  test('the documented table (README "Batch jobs")', () => {
    expect(EXIT).toEqual({ OK: 0, USER_ERROR: 2, USAGE: 64, DATA_ERROR: 65, INTERNAL: 70, TRANSIENT: 75 });
    const table: [ErrorCode, number][] = [
      ['SYNTAX_ERROR', 2], ['TABLE_NOT_FOUND', 2], ['COLUMN_NOT_FOUND', 2], ['TYPE_MISMATCH', 2], ['DIVISION_BY_ZERO', 2],
      ['INVALID_PARAMETER_USAGE', 2], ['PERMISSION_DENIED', 2], ['NOT_SUPPORTED', 2], ['EXCEEDED_SCAN_LIMIT', 2],
      ['STORAGE_CONFIGURATION_ERROR', 2], ['INVALID_COMMAND_LINE', 64], ['BAD_DATA', 65], ['CORRUPT_FILE', 65],
      ['GENERIC_INTERNAL_ERROR', 70], ['IO_ERROR', 75], ['STORAGE_UNAVAILABLE', 75], ['FILE_CHANGED', 75],
      ['FILE_NOT_FOUND', 75], ['CANNOT_OPEN_FILE', 75], ['EXCEEDED_TIME_LIMIT', 75], ['EXCEEDED_MEMORY_LIMIT', 75],
      ['QUERY_QUEUE_FULL', 75], ['USER_CANCELED', 75],
    ];
    for (const [c, exit] of table) expect([c, code(c)]).toEqual([c, exit]);
  });

  test('every error code has an exit status among the documented ones; only 75 is retryable', () => {
    for (const c of Object.keys(ERROR_CODES) as ErrorCode[]) expect([0, 2, 64, 65, 70, 75]).toContain(code(c));
    expect([0, 2, 64, 65, 70, 75].filter(isRetryable)).toEqual([75]);
  });
});
