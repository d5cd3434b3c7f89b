import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Shoal, type Session } from '../../src/index.js';
import { expectSameRows } from '../support/differential.js';
import { DuckOracle } from '../support/duckdb-oracle.js';
import { shoalRows } from '../support/shoal-runner.js';
import { TABLE_NAMES } from './gen/scale.js';
import { ensureTpch, type TpchDataSet } from './gen/generate.js';
import { TPCH_DATA_ROOT } from './gen/paths.js';
import { TPCH_QUERIES, withParameters, type TpchQuery } from './queries.js';

/**
 * The 22 TPC-H queries on generated SF 0.01 data (cached under .cache/tpch), through Shoal and through DuckDB
 * on the same Parquet files; rows must match (numbers to 9 significant digits; in order where the ORDER BY is
 * total, else as multisets).
 */
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
    test(q.name, () =>
      expectSameRows({ duck, session }, { name: q.name, sql: q.sql, duck: q.duckSql, ordered: q.totalOrder, empty: MAY_BE_EMPTY.has(q.name) }),
    );
  }
});
