import { describe, expect, test } from 'vitest';
import { parseDataSize } from '../../../src/common/index.js';

describe('parseDataSize (Trino DataSize, powers of 1024)', () => {
  test('units and spellings', () => {
    expect(parseDataSize('1048576B')).toBe(1048576);
    expect(parseDataSize('512kB')).toBe(512 * 1024);
    expect(parseDataSize('1MB')).toBe(1024 ** 2);
    expect(parseDataSize('10GB')).toBe(10 * 1024 ** 3);
    expect(parseDataSize('10gb')).toBe(10 * 1024 ** 3);
    expect(parseDataSize('10GiB')).toBe(10 * 1024 ** 3);
    expect(parseDataSize('2TB')).toBe(2 * 1024 ** 4);
    expect(parseDataSize('1PB')).toBe(1024 ** 5);
    expect(parseDataSize('1.5 MB')).toBe(1.5 * 1024 ** 2);
    expect(parseDataSize('4096')).toBe(4096);
    expect(parseDataSize(' 0B ')).toBe(0);
  });

  test('anything else is not a size', () => {
    for (const t of ['', 'GB', '10 XB', '-1GB', '1e3', 'ten']) expect(parseDataSize(t)).toBeUndefined();
    expect(parseDataSize(undefined)).toBeUndefined();
  });
});
