import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Shoal, ShoalError, type Session } from '../../src/index.js';
import { DuckOracle } from '../support/duckdb-oracle.js';
import { firstDifference, sortRows } from '../support/normalize.js';
import { shoalRows } from '../support/shoal-runner.js';
import { TABLE_NAMES } from './gen/scale.js';
import { ensureTpch, type TpchDataSet } from './gen/generate.js';
import { TPCH_DATA_ROOT } from './gen/paths.js';
import { TPCH_QUERIES, withParameters, type TpchQuery } from './queries.js';

/**
 * The 22 TPC-H queries on generated SF 0.01 data (cached under .cache/tpch), through Shoal and through DuckDB
 * on the same Parquet files; rows must match (numbers to 9 significant digits; in order where the ORDER BY is
 * total, else as multisets).
 *
 * Queries Shoal cannot run yet are `test.fails`: the test passes only while Shoal fails with the recorded
 * error. When the feature lands the query runs, the marker turns red, and the entry below is deleted so the
 * query joins the differential comparison.
 */
type Pending =
  /** Shoal fails with this error (matched against `CODE: message`). */
  | { readonly feature: string; readonly error: RegExp }
  /** Shoal would run for minutes: the marker checks the plan instead of running the query. */
  | { readonly feature: string; readonly plan: RegExp };

const SUBQUERY = /^NOT_SUPPORTED: Subqueries in expressions are not supported yet$/;

const NOT_YET: Readonly<Record<string, Pending>> = {
  q02: { feature: 'correlated scalar subquery (min(ps_supplycost) per part)', error: SUBQUERY },
  q04: { feature: 'correlated EXISTS', error: SUBQUERY },
  q11: { feature: 'uncorrelated scalar subquery in HAVING', error: SUBQUERY },
  q15: { feature: 'uncorrelated scalar subquery (max over a CTE)', error: SUBQUERY },
  q16: { feature: 'NOT IN (subquery)', error: SUBQUERY },
  q17: { feature: 'correlated scalar subquery (avg(l_quantity) per part)', error: SUBQUERY },
  q18: { feature: 'IN (subquery with GROUP BY/HAVING)', error: SUBQUERY },
  q18_qty250: { feature: 'IN (subquery with GROUP BY/HAVING)', error: SUBQUERY },
  // The three OR'ed conjunctions share p_partkey = l_partkey; until that common conjunct is factored out of the
  // OR into a hash-join key, the join is a nested loop over lineitem x part (120M pairs at SF 0.01, about 4
  // minutes, and query_max_execution_time does not interrupt it), so the marker inspects EXPLAIN.
  q19: { feature: 'factoring a join condition common to all OR branches', plan: /NestedLoopJoin/ },
  q20: { feature: 'IN (subquery) nested with a correlated scalar subquery', error: SUBQUERY },
  q20_us: { feature: 'IN (subquery) nested with a correlated scalar subquery', error: SUBQUERY },
  q21: { feature: 'correlated EXISTS and NOT EXISTS', error: SUBQUERY },
  q22: { feature: 'uncorrelated scalar subquery and NOT EXISTS', error: SUBQUERY },
};

/** At SF 0.01 these validation parameters select no rows; the variants below cover the same queries with rows. */
const MAY_BE_EMPTY = new Set(['q18', 'q20']);

const byName = (name: string): TpchQuery => {
  const q = TPCH_QUERIES.find((x) => x.name === name);
  if (q === undefined) throw new Error(`no query ${name}`);
  return q;
};

const CASES: readonly TpchQuery[] = [
  ...TPCH_QUERIES,
  withParameters(byName('q08'), 'us', "nation = 'BRAZIL'", "nation = 'UNITED STATES'"),
  withParameters(byName('q18'), 'qty250', 'sum(l_quantity) > 300', 'sum(l_quantity) > 250'),
  withParameters(byName('q20'), 'us', "n_name = 'CANADA'", "n_name = 'UNITED STATES'"),
];

describe('TPC-H SF 0.01: Shoal and DuckDB agree', () => {
  let data: TpchDataSet;
  let duck: DuckOracle;
  let session: Session;

  beforeAll(async () => {
    data = await ensureTpch(0.01, { root: TPCH_DATA_ROOT });
    duck = await DuckOracle.create();
    for (const t of TABLE_NAMES) await duck.run(`CREATE VIEW ${t} AS SELECT * FROM read_parquet('${data.dir}/${t}/*.parquet')`);
    const shoal = await Shoal.open({ catalogDir: data.catalogDir });
    session = shoal.session({ catalog: data.catalog, schema: data.schema });
  });
  afterAll(() => duck.close());

  test('the catalog resolves every table by its plain name', async () => {
    for (const t of TABLE_NAMES) {
      const { rows } = await shoalRows(session, `SELECT count(*) FROM ${t}`);
      expect(rows, t).toEqual([[data.manifest.tables[t].rows]]);
    }
  });

  for (const q of CASES) {
    const pending = NOT_YET[q.name];
    if (pending !== undefined) {
      test.fails(`${q.name}: not yet supported (${pending.feature})`, async () => {
        // Throw only for the recorded shortcoming: any other outcome (the query runs, fails differently, or gets
        // another plan) turns this marker red so that it is revisited.
        if ('plan' in pending) {
          const { rows } = await shoalRows(session, `EXPLAIN ${q.sql}`);
          const plan = rows.map((r) => String(r[0])).join('\n');
          if (pending.plan.test(plan)) throw new Error(`the plan still shows ${String(pending.plan)}:\n${plan}`);
          return;
        }
        let failure: unknown;
        try {
          await shoalRows(session, q.sql);
        } catch (e: unknown) {
          failure = e;
        }
        if (failure instanceof ShoalError && pending.error.test(`${failure.code}: ${failure.message}`)) throw failure;
      });
      continue;
    }
    test(q.name, async () => {
      const [ours, theirs] = await Promise.all([shoalRows(session, q.sql), duck.query(q.duckSql)]);
      if (!MAY_BE_EMPTY.has(q.name)) expect(theirs.rows.length, 'DuckDB returns rows to compare').toBeGreaterThan(0);
      const diff = q.totalOrder ? firstDifference(ours.rows, theirs.rows) : firstDifference(sortRows(ours.rows), sortRows(theirs.rows));
      expect(diff, diff).toBeUndefined();
    });
  }
});
