import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Shoal } from '../../../src/engine/index.js';
import { ShoalError } from '../../../src/common/index.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'shoal-roots-engine-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function refusal(shoal: Shoal, sql: string): Promise<ShoalError> {
  const e = await shoal.session({ catalog: 'lake', schema: 'nyc' }).query(sql).then(async (r) => { await r.toArray(); return undefined; }, (x: unknown) => x);
  expect(e).toBeInstanceOf(ShoalError);
  expect((e as ShoalError).code).toBe('PERMISSION_DENIED');
  return e as ShoalError;
}

describe('allowed roots in the engine', () => {
  it('refuses direct paths, UNLOAD and external_location outside the engine roots', async () => {
    const shoal = await Shoal.open({ catalogDir: path.join(REPO_ROOT, 'catalog'), cwd: REPO_ROOT, allowedRoots: ['sample-data/', dir] });
    const s = shoal.session({ catalog: 'lake', schema: 'nyc' });
    expect(await (await s.query("SELECT count(*) AS n FROM read_csv('sample-data/nyc/taxi_zone_lookup.csv')")).toArray()).toEqual([{ n: 265n }]);
    const e = await refusal(shoal, "SELECT * FROM read_csv('/etc/passwd')");
    expect(e.message).toContain('/etc/passwd');
    expect(e.message).toContain(path.join(REPO_ROOT, 'sample-data'));
    await refusal(shoal, "SELECT * FROM read_parquet('sample-data/../package.json')");
    await refusal(shoal, "SELECT * FROM 'file:///etc/passwd.csv'");
    await refusal(shoal, "SELECT * FROM read_csv('file:///etc/%2e%2e/etc/passwd')");
    await refusal(shoal, "UNLOAD (SELECT 1 AS x) TO '/tmp/shoal-escape-unload' WITH (format = 'CSV')");
    // A symlink inside a root that leads out of it is refused, named directly or reached through a glob.
    const inside = path.join(dir, 'inside');
    await mkdir(inside, { recursive: true });
    await writeFile(path.join(inside, 'ok.csv'), 'a\n1\n');
    const outsideDir = await mkdtemp(path.join(tmpdir(), 'shoal-roots-outside-'));
    await writeFile(path.join(outsideDir, 'secret.csv'), 'a\n42\n');
    await symlink(path.join(outsideDir, 'secret.csv'), path.join(inside, 'link.csv'));
    try {
      expect((await refusal(shoal, `SELECT * FROM read_csv('${inside}/*.csv')`)).message).toContain('link.csv');
      await refusal(shoal, `SELECT * FROM read_csv('${inside}/link.csv')`);
      await refusal(shoal, `SELECT * FROM read_csv('${inside}')`);
    } finally {
      await rm(outsideDir, { recursive: true, force: true });
    }
    // Catalog tables are governed by the catalog's allowed_roots, not the engine's: lake has none, so they read.
    expect(await (await s.query('SELECT count(*) AS n FROM taxi_zone_lookup')).toArray()).toEqual([{ n: 265n }]);
  });

  it("refuses a catalog's tables and writes outside its allowed_roots, and validates the setting", async () => {
    const cat = path.join(dir, 'catalog');
    await cp(path.join(REPO_ROOT, 'catalog', 'lake'), path.join(cat, 'lake'), { recursive: true });
    await cp(path.join(REPO_ROOT, 'sample-data'), path.join(dir, 'sample-data'), { recursive: true });
    await writeFile(path.join(cat, 'lake.json'), JSON.stringify({ allowed_roots: ['sample-data/nyc/taxi_zone_lookup.csv', 'warehouse/', 'exports/'] }));
    const shoal = await Shoal.open({ catalogDir: cat, cwd: dir });
    const s = shoal.session({ catalog: 'lake', schema: 'nyc' });
    expect(await (await s.query('SELECT count(*) AS n FROM taxi_zone_lookup')).toArray()).toEqual([{ n: 265n }]);
    const e = await refusal(shoal, 'SELECT count(*) FROM yellow_tripdata');
    expect(e.message).toContain("catalog 'lake' may not read");
    expect((await refusal(shoal, `CREATE TABLE lake.nyc.t_out WITH (external_location = '${path.join(dir, 'elsewhere')}') AS SELECT 1 AS x`)).message).toContain("catalog 'lake' may not write");
    await (await s.query('CREATE TABLE lake.nyc.t_in AS SELECT 1 AS x')).toArray();
    expect(await (await s.query('SELECT x FROM lake.nyc.t_in')).toArray()).toEqual([{ x: 1 }]);
    // The engine's roots also bind locations named in statements: exports/ is the catalog's, not the queries'.
    const narrow = await Shoal.open({ catalogDir: cat, cwd: dir, allowedRoots: ['sample-data/'] });
    expect((await refusal(narrow, "CREATE TABLE lake.nyc.t_ext WITH (external_location = 'exports/t') AS SELECT 1 AS x")).message).toContain('queries may not write');
    await writeFile(path.join(cat, 'lake.json'), JSON.stringify({ allowed_roots: '/' }));
    await expect(Shoal.open({ catalogDir: cat, cwd: dir })).rejects.toThrow(/allowed_roots must be an array/);
  });
});
