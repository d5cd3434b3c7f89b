import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Session } from '../../src/index.js';
import { DuckOracle } from './duckdb-oracle.js';
import { firstDifference, sortRows } from './normalize.js';
import { sampleSession, shoalRows } from './shoal-runner.js';

/**
 * One differential case: the same SQL over the same sample files through Shoal and DuckDB; rows must match
 * (numbers to 9 significant digits). Where Trino and DuckDB disagree, `duck` gives DuckDB's spelling of the
 * Trino semantics and a comment says why. `ordered` compares in order (the ORDER BY must be total); otherwise
 * rows compare as multisets. `empty` allows an empty result (otherwise a case must return rows).
 */
export interface DifferentialCase {
  readonly name: string;
  readonly sql: string;
  readonly duck?: string;
  readonly ordered?: boolean;
  readonly empty?: boolean;
}

/** The two engines a differential test compares: DuckDB (views of the sample files) and Shoal (lake.nyc). */
export interface DifferentialEngines {
  readonly duck: DuckOracle;
  readonly session: Session;
}

/**
 * Opens both engines before the tests of the enclosing describe block (then runs `setup`, e.g. to create the same
 * extra tables in both) and closes DuckDB after them. Call it inside a describe; the returned function gives the
 * engines inside tests.
 */
export function useDifferentialEngines(setup?: (engines: DifferentialEngines) => Promise<void>): () => DifferentialEngines {
  let engines: DifferentialEngines | undefined;
  beforeAll(async () => {
    engines = { duck: await (await DuckOracle.create()).withSampleTables(), session: await sampleSession() };
    await setup?.(engines);
  });
  afterAll(() => engines?.duck.close());
  return () => {
    if (engines === undefined) throw new Error('differential engines are used before beforeAll ran');
    return engines;
  };
}

/**
 * Runs one case through both engines and expects the same rows. `shoalSql` replaces the SQL Shoal runs (e.g. to
 * qualify a table that only Shoal's memory catalog holds); DuckDB runs `duck` or `sql` without `lake.nyc.`
 * qualifiers and a trailing semicolon.
 */
export async function expectSameRows(engines: DifferentialEngines, c: DifferentialCase, shoalSql: string = c.sql): Promise<void> {
  const duckSql = (c.duck ?? c.sql).replace(/lake\.nyc\./g, '').replace(/;\s*$/, '');
  const [ours, theirs] = await Promise.all([shoalRows(engines.session, shoalSql), engines.duck.query(duckSql)]);
  if (c.empty !== true) expect(ours.rows.length, 'a differential case must return rows to compare').toBeGreaterThan(0);
  const a = c.ordered === true ? ours.rows : sortRows(ours.rows);
  const e = c.ordered === true ? theirs.rows : sortRows(theirs.rows);
  const diff = firstDifference(a, e);
  expect(diff, diff).toBeUndefined();
}

/** A describe block running each case through Shoal (sample catalog lake.nyc) and DuckDB (views of the same files). */
export function describeDifferential(title: string, cases: readonly DifferentialCase[]): void {
  describe(title, () => {
    const engines = useDifferentialEngines();
    for (const c of cases) test(c.name, () => expectSameRows(engines(), c));
  });
}
