import { describe, expect, test } from 'vitest';
import { Completer } from '../../../src/cli/repl/completer.js';
import { parseMeta } from '../../../src/cli/repl/meta-commands.js';

/** A fixed catalog standing in for the live one. */
const lists = {
  current: () => ({ catalog: 'lake', schema: 'nyc' }),
  catalogs: async () => ['lake', 'memory'],
  schemas: async (c: string) => (c === 'lake' ? ['information_schema', 'nyc'] : ['default']),
  tables: async (c: string, s: string) => (c === 'lake' && s === 'nyc' ? ['taxi_zone_lookup', 'yellow_tripdata'] : []),
  columns: async (t: string) => (t.endsWith('taxi_zone_lookup') ? ['locationid', 'borough', 'zone'] : t.endsWith('yellow_tripdata') ? ['fare_amount', 'tip_amount'] : []),
  functions: async () => ['abs', 'avg', 'lower'],
};

describe('REPL completion', () => {
  const c = new Completer(lists);

  test('columns of the tables named so far, functions and keywords', async () => {
    expect(await c.complete('SELECT zone FROM taxi_zone_lookup WHERE bo')).toEqual([['borough'], 'bo']);
    expect(await c.complete('SELECT a')).toEqual([['abs', 'all', 'analyze', 'and', 'as', 'asc', 'avg'], 'a']);
    expect(await c.complete('SEL')).toEqual([['SELECT'], 'SEL']);
    expect(await c.complete('SELECT * FROM lake.nyc.yellow_tripdata y JOIN taxi_zone_lookup z ON fa')).toEqual([['false', 'fare_amount'], 'fa']);
  });

  test('qualified names: catalog. → schemas, catalog.schema. → tables, schema. → tables, table. or alias. → columns', async () => {
    expect(await c.complete('SELECT * FROM lake.')).toEqual([['lake.information_schema', 'lake.nyc'], 'lake.']);
    expect(await c.complete('SELECT * FROM lake.nyc.ta')).toEqual([['lake.nyc.taxi_zone_lookup'], 'lake.nyc.ta']);
    expect(await c.complete('SELECT * FROM nyc.y')).toEqual([['nyc.yellow_tripdata'], 'nyc.y']);
    expect(await c.complete('SELECT * FROM taxi_zone_lookup WHERE taxi_zone_lookup.z')).toEqual([['taxi_zone_lookup.zone'], 'taxi_zone_lookup.z']);
    expect(await c.complete('SELECT * FROM lake.nyc.yellow_tripdata AS y JOIN taxi_zone_lookup z ON y.ti')).toEqual([['y.tip_amount'], 'y.ti']);
    expect(await c.complete('SELECT * FROM lake.nyc.yellow_tripdata AS y JOIN taxi_zone_lookup z ON z.l')).toEqual([['z.locationid'], 'z.l']);
  });

  test('a listing that fails offers nothing rather than an error', async () => {
    const broken = new Completer({ ...lists, functions: async () => { throw new Error('offline'); } });
    expect(await broken.complete('SELECT lowe')).toEqual([[], 'lowe']);
  });
});

describe('REPL meta commands', () => {
  test('parse', () => {
    expect(parseMeta('\\d')).toEqual({ kind: 'sql', sql: 'SHOW TABLES' });
    expect(parseMeta('\\dt')).toEqual({ kind: 'sql', sql: 'SHOW TABLES' });
    expect(parseMeta('\\d lake.nyc.taxi_zone_lookup')).toEqual({ kind: 'sql', sql: 'DESCRIBE lake.nyc.taxi_zone_lookup' });
    expect(parseMeta('\\mode JSONL')).toEqual({ kind: 'mode', mode: 'jsonl' });
    expect(parseMeta('\\mode xml').kind).toBe('invalid');
    expect(parseMeta('\\set maxrows 10')).toEqual({ kind: 'maxrows', rows: 10 });
    expect(parseMeta('\\set maxrows -1').kind).toBe('invalid');
    expect(parseMeta('\\o')).toEqual({ kind: 'output', file: undefined });
    expect(parseMeta('\\i q.sql')).toEqual({ kind: 'include', file: 'q.sql' });
    expect(parseMeta('\\zz')).toEqual({ kind: 'invalid', message: 'Unknown command \\zz; \\? lists the commands' });
  });
});
