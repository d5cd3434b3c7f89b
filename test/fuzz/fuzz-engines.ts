/**
 * The engines the differential fuzzer compares, for both fuzz schemas: DuckDB (views over the sample files and
 * over the cached TPC-H SF 0.01 Parquet files) and a Shoal session on each catalog. `compare` runs one generated
 * query through both and returns the first difference, or undefined when they agree (rows compared in order
 * when the query's ORDER BY is total, else as multisets; both failing counts as agreement, one failing not).
 */
import { Shoal, type Session } from '../../src/index.js';
import { DuckOracle } from '../support/duckdb-oracle.js';
import { firstDifference, sortRows, type Cell } from '../support/normalize.js';
import { sampleSession, shoalRows } from '../support/shoal-runner.js';
import { TABLE_NAMES } from '../tpch/gen/scale.js';
import { ensureTpch } from '../tpch/gen/generate.js';
import { TPCH_DATA_ROOT } from '../tpch/gen/paths.js';
import type { FuzzSchema } from './fuzz-schemas.js';
import type { GeneratedQuery } from './query-generator.js';

export interface FuzzEngines {
  readonly duck: Readonly<Record<FuzzSchema['name'], DuckOracle>>;
  readonly shoal: Readonly<Record<FuzzSchema['name'], Session>>;
  close(): void;
}

export async function openFuzzEngines(): Promise<FuzzEngines> {
  const nycDuck = await (await DuckOracle.create()).withSampleTables();
  const tpch = await ensureTpch(0.01, { root: TPCH_DATA_ROOT });
  const tpchDuck = await DuckOracle.create();
  for (const t of TABLE_NAMES) await tpchDuck.run(`CREATE VIEW ${t} AS SELECT * FROM read_parquet('${tpch.dir}/${t}/*.parquet')`);
  const tpchShoal = (await Shoal.open({ catalogDir: tpch.catalogDir })).session({ catalog: tpch.catalog, schema: tpch.schema });
  return {
    duck: { nyc: nycDuck, tpch: tpchDuck },
    shoal: { nyc: await sampleSession(), tpch: tpchShoal },
    close() {
      nycDuck.close();
      tpchDuck.close();
    },
  };
}

export type Outcome = { readonly rows: Cell[][] } | { readonly error: string };

export interface Comparison {
  readonly shoal: Outcome;
  readonly duck: Outcome;
  /** The first difference, or undefined when the engines agree. */
  readonly difference?: string | undefined;
}

async function outcome(run: () => Promise<{ rows: Cell[][] }>): Promise<Outcome> {
  try {
    return { rows: (await run()).rows };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

export async function compare(engines: FuzzEngines, q: GeneratedQuery): Promise<Comparison> {
  const shoal = await outcome(() => shoalRows(engines.shoal[q.schema], q.sql));
  const duck = await outcome(() => engines.duck[q.schema].query(q.sql));
  if ('error' in shoal || 'error' in duck) {
    if ('error' in shoal && 'error' in duck) return { shoal, duck };
    return { shoal, duck, difference: 'error' in shoal ? `Shoal failed: ${shoal.error}` : `DuckDB failed: ${'error' in duck ? duck.error : ''}` };
  }
  const a = q.ordered ? shoal.rows : sortRows(shoal.rows);
  const e = q.ordered ? duck.rows : sortRows(duck.rows);
  return { shoal, duck, difference: firstDifference(a, e) === undefined || sameWithinTolerance(a, e) ? undefined : firstDifference(a, e) };
}

/**
 * Numbers are already rounded to 9 significant digits, but a double sum accumulated in another order can land
 * on the other side of a rounding tie (…0625 → …063 vs …062): numbers also agree within a relative 1e-8.
 */
function sameWithinTolerance(a: readonly Cell[][], e: readonly Cell[][]): boolean {
  if (a.length !== e.length) return false;
  return a.every((row, i) => {
    const other = e[i]!;
    return row.length === other.length && row.every((c, k) => {
      const d = other[k]!;
      if (typeof c === 'number' && typeof d === 'number') return Math.abs(c - d) <= 1e-8 * Math.max(Math.abs(c), Math.abs(d)) || Math.abs(c - d) < 1e-9;
      return c === d;
    });
  });
}
