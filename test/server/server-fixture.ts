import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Shoal } from '../../src/engine/index.js';
import { ShoalServer, type ServerOptions } from '../../src/server/index.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A server on 127.0.0.1 port 0 over the bundled sample catalog (lake.nyc). */
export async function startServer(o: Partial<ServerOptions> = {}): Promise<ShoalServer> {
  const shoal = await Shoal.open({ catalogDir: path.join(REPO_ROOT, 'catalog'), cwd: REPO_ROOT });
  return ShoalServer.start({ shoal, host: '127.0.0.1', port: 0, catalog: 'lake', schema: 'nyc', ...o });
}

/** Polls until `check` holds (or fails after `ms`). */
export async function eventually(check: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A query that runs until cancelled: 127k × 127k rows counted. */
export const ENDLESS_SQL = 'SELECT count(*) FROM yellow_tripdata a CROSS JOIN yellow_tripdata b';

/** A query that streams rows until cancelled (127k × 127k rows), so clients see a first data page quickly. */
export const ENDLESS_ROWS_SQL = 'SELECT a.vendorid, b.vendorid FROM yellow_tripdata a CROSS JOIN yellow_tripdata b';

/** 70 225 rows of about 200 bytes: over 10 MB of JSON, ordered so completeness and order can be checked. */
export const BIG_SQL = `SELECT a.locationid AS i, b.locationid AS j, a.borough, a.zone, a.service_zone, b.borough AS b2, b.zone AS z2, b.service_zone AS s2,
  a.zone || '|' || b.zone || '|' || a.borough || '|' || b.borough AS pad, b.zone || '|' || a.zone AS pad2
FROM taxi_zone_lookup a CROSS JOIN taxi_zone_lookup b ORDER BY a.locationid, b.locationid`;
