import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../support/paths.js';
import { run, writeLake } from '../support/write-lake.js';

// A process killed half-way through CREATE TABLE … AS leaves nothing visible, and running the statement again succeeds.
const lake = writeLake('crash');
afterAll(() => lake.remove());

/** Six copies of the sample trips: about 660,000 rows, seconds of writing. */
const CTAS = `CREATE TABLE big WITH (partitioned_by = ARRAY['month']) AS
  SELECT t.vendorid, t.tpep_pickup_datetime, t.pulocationid, t.total_amount, c.copy, t.month
  FROM yellow_tripdata t CROSS JOIN (VALUES 1, 2, 3, 4, 5, 6) AS c(copy)`;

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

describe('a killed CREATE TABLE … AS', () => {
  test('leaves no table and no visible file; the re-run succeeds and cleans the staging up', async () => {
    const table = path.join(lake.warehouse, 'nyc', 'big');
    const child = spawn(process.execPath, [
      // tsx by absolute URL: the child runs in the scratch lake, outside the repository's node_modules.
      '--import', pathToFileURL(path.join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs')).href, path.join(REPO_ROOT, 'test/support/cli-child.ts'),
      '--catalog-dir', lake.catalogDir, '--catalog', 'lake', '--schema', 'nyc', '--session', 'target_max_file_size=1MB', '-e', CTAS,
    ], { cwd: lake.root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
    try {
      // Kill once the statement has staged a data file and is still writing.
      const deadline = Date.now() + 60_000;
      while (!filesUnder(table).some((f) => f.startsWith('.shoal-staging/') && f.includes('/data/'))) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the CTAS never staged a file: ${stderr}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      await new Promise((r) => setTimeout(r, 150));
      child.kill('SIGKILL');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    expect(await exited).toBe('SIGKILL');

    // Nothing visible: no table file, and every file left is under the hidden staging directory.
    expect(existsSync(path.join(lake.schemaDir, 'big.json'))).toBe(false);
    const left = filesUnder(table);
    expect(left.length).toBeGreaterThan(0);
    expect(left.every((f) => f.startsWith('.shoal-staging/'))).toBe(true);
    const s = await lake.session({ target_max_file_size: '1MB' });
    await expect(run(s, 'SELECT count(*) FROM big')).rejects.toMatchObject({ code: 'TABLE_NOT_FOUND' });

    // The same statement again: the dead writer's staging is recovered (its pid is gone), the table is complete.
    const r = await s.query(CTAS);
    await r.toArray();
    expect(r.writeStats!.rows).toBe(6 * Number((await run(s, 'SELECT count(*) AS n FROM yellow_tripdata'))[0]!['n']));
    expect(await run(s, 'SELECT month, count(*) AS n, sum(copy) AS copies FROM big GROUP BY 1 ORDER BY 1'))
      .toEqual((await run(s, 'SELECT month, 6 * count(*) AS n, 21 * count(*) AS copies FROM yellow_tripdata GROUP BY 1 ORDER BY 1')));
    expect(filesUnder(table).some((f) => f.startsWith('.shoal-staging'))).toBe(false);
    expect(existsSync(path.join(table, '.shoal-staging'))).toBe(false);
  }, 120_000);
});
