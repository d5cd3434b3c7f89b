import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../src/cli/args.js';
import { CatalogAccessRules } from '../../../src/server/index.js';

describe('access-control options', () => {
  it('--allowed-root repeats, everywhere but --server; --catalog-access belongs to serve', () => {
    expect(parseArgs(['-e', 'SELECT 1', '--allowed-root', 'data/', '--allowed-root=s3://b/']).allowedRoots).toEqual(['data/', 's3://b/']);
    expect(parseArgs(['-e', 'SELECT 1']).allowedRoots).toBeUndefined();
    expect(parseArgs(['serve', '--allowed-root', '/srv/lake', '--catalog-access', 'access.json']).serve?.catalogAccess).toBe('access.json');
    expect(() => parseArgs(['--server', 'http://h:8080', '--allowed-root', 'x'])).toThrow(/--allowed-root applies to local runs/);
    expect(() => parseArgs(['-e', 'SELECT 1', '--catalog-access', 'a.json'])).toThrow(/Unknown option --catalog-access/);
  });

  it('catalog access files map users to catalogs, "*" for the rest, and are validated', () => {
    const rules = CatalogAccessRules.parse('{ "alice": ["Lake", "memory"], "*": ["memory"] }', 'a.json');
    expect([...rules.forUser('alice').catalogs]).toEqual(['lake', 'memory']);
    expect([...rules.forUser('mallory').catalogs]).toEqual(['memory']);
    expect([...CatalogAccessRules.parse('{ "alice": [] }', 'a.json').forUser('bob').catalogs]).toEqual([]);
    expect(() => CatalogAccessRules.parse('{ "alice": "lake" }', 'a.json')).toThrow(/Invalid catalog access file a.json: the entry for 'alice' must be an array/);
    expect(() => CatalogAccessRules.parse('[1]', 'a.json')).toThrow(/expected a JSON object/);
  });
});
