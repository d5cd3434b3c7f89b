import { Shoal, toJsValue, type Session } from '../../src/index.js';
import { normalizeCell, type Cell } from './normalize.js';
import { REPO_ROOT, SAMPLE_CATALOG } from './paths.js';

const NUMERIC_KINDS = new Set(['tinyint', 'smallint', 'integer', 'bigint', 'real', 'double', 'decimal']);

/** A session on the bundled sample catalog (lake.nyc), with the repository root as working directory. */
export async function sampleSession(): Promise<Session> {
  const shoal = await Shoal.open({ catalogDir: SAMPLE_CATALOG, cwd: REPO_ROOT });
  return shoal.session({ catalog: 'lake', schema: 'nyc' });
}

/** Runs one statement and returns normalized rows (see normalize.ts). */
export async function shoalRows(session: Session, sql: string): Promise<{ columns: string[]; types: string[]; rows: Cell[][] }> {
  const result = await session.query(sql);
  const numeric = result.fields.map((f) => NUMERIC_KINDS.has(f.type.kind));
  // Rows as arrays (not objects): duplicate column names must not collapse.
  const rows = (await result.rowsAsScalars()).map((r) => result.fields.map((f, i) => normalizeCell(toJsValue(r[i]!, f.type), numeric[i]!)));
  return { columns: result.fields.map((f) => f.name), types: result.fields.map((f) => f.type.kind), rows };
}
