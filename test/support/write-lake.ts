import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Shoal, type Session } from '../../src/index.js';
import { REPO_ROOT, SAMPLE_CATALOG } from './paths.js';

/**
 * A scratch lake for write tests: `<root>/catalog/lake/nyc/` holds the sample tables (pointing at the repository's
 * sample data by absolute path), managed tables go to the default warehouse `<root>/warehouse/lake/…`, and the
 * session's working directory is `<root>`. `remove()` deletes it all.
 */
export interface WriteLake {
  readonly root: string;
  readonly catalogDir: string;
  readonly schemaDir: string;
  readonly warehouse: string;
  session(properties?: Record<string, string>): Promise<Session>;
  remove(): void;
}

export function writeLake(prefix: string): WriteLake {
  const root = mkdtempSync(path.join(tmpdir(), `shoal-${prefix}-`));
  const catalogDir = path.join(root, 'catalog');
  const schemaDir = path.join(catalogDir, 'lake', 'nyc');
  mkdirSync(schemaDir, { recursive: true });
  for (const t of ['yellow_tripdata', 'green_tripdata', 'taxi_zone_lookup']) {
    const def = JSON.parse(readFileSync(path.join(SAMPLE_CATALOG, 'lake', 'nyc', `${t}.json`), 'utf8')) as { location: string };
    def.location = path.join(REPO_ROOT, def.location);
    writeFileSync(path.join(schemaDir, `${t}.json`), JSON.stringify(def));
  }
  return {
    root,
    catalogDir,
    schemaDir,
    warehouse: path.join(root, 'warehouse', 'lake'),
    async session(properties = {}) {
      const shoal = await Shoal.open({ catalogDir, cwd: root });
      return shoal.session({ catalog: 'lake', schema: 'nyc', properties });
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Runs statements in order, draining each; returns the last result's rows as objects. */
export async function run(session: Session, ...sqls: string[]): Promise<Record<string, unknown>[]> {
  let rows: Record<string, unknown>[] = [];
  for (const sql of sqls) rows = await (await session.query(sql)).toArray();
  return rows;
}
