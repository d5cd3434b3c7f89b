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

/** A describe block running each case through Shoal (sample catalog lake.nyc) and DuckDB (views of the same files). */
export function describeDifferential(title: string, cases: readonly DifferentialCase[]): void {
  describe(title, () => {
    let duck: DuckOracle;
    let session: Session;
    beforeAll(async () => {
      duck = await (await DuckOracle.create()).withSampleTables();
      session = await sampleSession();
    });
    afterAll(() => duck.close());

    for (const c of cases) {
      test(c.name, async () => {
        const duckSql = (c.duck ?? c.sql).replace(/lake\.nyc\./g, '').replace(/;\s*$/, '');
        const [ours, theirs] = await Promise.all([shoalRows(session, c.sql), duck.query(duckSql)]);
        if (c.empty !== true) expect(ours.rows.length, 'a differential case must return rows to compare').toBeGreaterThan(0);
        const a = c.ordered === true ? ours.rows : sortRows(ours.rows);
        const e = c.ordered === true ? theirs.rows : sortRows(theirs.rows);
        const diff = firstDifference(a, e);
        expect(diff, diff).toBeUndefined();
      });
    }
  });
}
