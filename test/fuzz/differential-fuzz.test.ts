import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compare, openFuzzEngines, type FuzzEngines } from './fuzz-engines.js';
import { generateQueries } from './query-generator.js';

/**
 * Bounded differential fuzzing: a fixed list of seeds, each generating random queries over the sample lake and
 * TPC-H SF 0.01 (see query-generator.ts for the dialect subset), run through Shoal and DuckDB; every query must
 * give the same rows (or fail in both). Longer runs: scripts/fuzz-queries.ts --seed S --count N.
 */
const SEEDS = ['ci-1', 'ci-2', 'ci-3', 'ci-4'];
const PER_SEED = 40;

describe('differential fuzzing: Shoal and DuckDB agree on random queries', () => {
  let engines: FuzzEngines;
  beforeAll(async () => {
    engines = await openFuzzEngines();
  });
  afterAll(() => engines.close());

  for (const seed of SEEDS) {
    test(`seed ${seed}: ${PER_SEED} queries`, async () => {
      const mismatches: string[] = [];
      for (const q of generateQueries(seed, PER_SEED)) {
        const c = await compare(engines, q);
        if (c.difference !== undefined) mismatches.push(`[${q.schema}] ${q.sql}\n${c.difference}`);
      }
      expect(mismatches, mismatches.join('\n\n')).toEqual([]);
    });
  }
});
