import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { Shoal } from '../../../src/index.js';
import { REPO_ROOT } from '../../support/paths.js';

// CREATE [OR REPLACE] VIEW and DROP VIEW write the view files of a file catalog (DESIGN §4).
const root = mkdtempSync(path.join(tmpdir(), 'shoal-views-'));
const schemaDir = path.join(root, 'catalog', 'lake', 'nyc');
mkdirSync(schemaDir, { recursive: true });
writeFileSync(path.join(schemaDir, 'zones.json'), JSON.stringify({
  location: path.join(REPO_ROOT, 'sample-data/nyc/taxi_zone_lookup.csv'),
  format: 'csv',
  columns: [{ name: 'locationid', type: 'integer' }, { name: 'borough', type: 'varchar' }, { name: 'zone', type: 'varchar' }, { name: 'service_zone', type: 'varchar' }],
}));

async function session() {
  const shoal = await Shoal.open({ catalogDir: path.join(root, 'catalog'), cwd: root });
  return shoal.session({ catalog: 'lake', schema: 'nyc' });
}

async function rows(sql: string): Promise<unknown[]> {
  return (await (await session()).query(sql)).toArray();
}

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('views in a file catalog', () => {
  test('CREATE VIEW writes a view file that a new engine reads', async () => {
    await rows("CREATE VIEW queens AS SELECT locationid, zone FROM zones WHERE borough = 'Queens'");
    const file = path.join(schemaDir, 'queens.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ view: "SELECT locationid, zone FROM zones WHERE borough = 'Queens'" });
    expect(await rows('SELECT count(*) AS n FROM lake.nyc.queens')).toEqual([{ n: 69n }]);
    // No temporary file is left behind.
    expect(readdirSync(schemaDir).sort()).toEqual(['queens.json', 'zones.json']);
  });

  test('CREATE VIEW of an existing view needs OR REPLACE; a table is never replaced', async () => {
    await expect(rows('CREATE VIEW queens AS SELECT 1 AS x')).rejects.toThrow(/View 'lake\.nyc\.queens' already exists/);
    await expect(rows('CREATE OR REPLACE VIEW zones AS SELECT 1 AS x')).rejects.toThrow(/Table 'lake\.nyc\.zones' already exists/);
    await rows("CREATE OR REPLACE VIEW queens AS SELECT locationid FROM zones WHERE borough = 'Queens' AND locationid < 10");
    // Queens zones 2, 7, 8 and 9.
    expect(await rows('SELECT count(*) AS n FROM queens')).toEqual([{ n: 4n }]);
  });

  test('a view that does not bind is refused and no file is written', async () => {
    await expect(rows('CREATE VIEW broken AS SELECT nope FROM zones')).rejects.toThrow(/Column 'nope' cannot be resolved/);
    expect(existsSync(path.join(schemaDir, 'broken.json'))).toBe(false);
  });

  test('CREATE VIEW in a missing schema is an error naming it', async () => {
    await expect(rows('CREATE VIEW lake.nowhere.v AS SELECT 1 AS x')).rejects.toThrow(/Schema 'lake\.nowhere' does not exist/);
  });

  test('DROP VIEW deletes the file; DROP VIEW on a table is refused', async () => {
    await expect(rows('DROP VIEW zones')).rejects.toMatchObject({ message: "View 'lake.nyc.zones' does not exist", hint: "'lake.nyc.zones' is a table; use DROP TABLE" });
    expect(existsSync(path.join(schemaDir, 'zones.json'))).toBe(true);
    await rows('DROP VIEW queens');
    expect(existsSync(path.join(schemaDir, 'queens.json'))).toBe(false);
    await expect(rows('SELECT * FROM queens')).rejects.toThrow(/does not exist/);
    await rows('DROP VIEW IF EXISTS queens');
  });
});
