/**
 * Long-run differential fuzzing of Shoal against DuckDB (the bounded run is test/fuzz/differential-fuzz.test.ts):
 *
 *   node --import tsx scripts/fuzz-queries.ts --seed S --count N [--schema nyc|tpch] [--show-all]
 *
 * Prints every mismatch (the SQL, the first difference and the first rows of both sides) and a summary; exits 1
 * when any query mismatched.
 */
import { compare, openFuzzEngines, type Outcome } from '../test/fuzz/fuzz-engines.js';
import { QueryGenerator } from '../test/fuzz/query-generator.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
}

function show(o: Outcome): string {
  return 'error' in o ? `error: ${o.error}` : `${o.rows.length} rows ${JSON.stringify(o.rows.slice(0, 5))}`;
}

const seed = arg('seed', '1');
const count = Number(arg('count', '500'));
const schemaArg = arg('schema', 'both');
const schemas = schemaArg === 'both' ? (['nyc', 'tpch'] as const) : schemaArg === 'nyc' ? (['nyc'] as const) : (['tpch'] as const);
const engines = await openFuzzEngines();
const gen = new QueryGenerator(seed, schemas);
let mismatches = 0, bothFailed = 0, empty = 0;
const started = performance.now();
for (let i = 0; i < count; i++) {
  const q = gen.next();
  const c = await compare(engines, q);
  if ('error' in c.shoal && 'error' in c.duck) {
    bothFailed++;
    if (process.argv.includes('--show-all')) console.log(`#${i} both failed: ${q.sql}\n  shoal: ${c.shoal.error}\n  duck: ${c.duck.error}`);
  } else if ('rows' in c.shoal && c.shoal.rows.length === 0 && c.difference === undefined) empty++;
  if (c.difference !== undefined) {
    mismatches++;
    console.log(`\n=== mismatch #${i} (seed ${seed}, schema ${q.schema}, ${q.ordered ? 'ordered' : 'unordered'})\n${q.sql};\n${c.difference}\n  shoal: ${show(c.shoal)}\n  duck:  ${show(c.duck)}`);
  }
}
engines.close();
const secs = (performance.now() - started) / 1000;
console.log(`\nseed ${seed}: ${count} queries in ${secs.toFixed(1)} s; ${mismatches} mismatches, ${bothFailed} rejected by both, ${empty} empty results`);
process.exit(mismatches > 0 ? 1 : 0);
