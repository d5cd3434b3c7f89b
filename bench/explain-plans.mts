// Prints EXPLAIN (no ANALYZE) of the 22 TPC-H queries at SF1 on one thread, for comparing plans between versions:
//   node --import tsx bench/explain-plans.mts > plans.txt
import { Shoal } from '../src/index.js';
import { TPCH_QUERIES } from '../test/tpch/queries.js';
const shoal = await Shoal.open({ catalogDir: '.cache/tpch/sf1/catalog', threads: Number(process.argv[2] ?? '1') });
const session = shoal.session({ catalog: 'tpch', schema: 'sf1' });
for (const q of TPCH_QUERIES) {
  const rows = await (await session.query(`EXPLAIN ${q.sql}`)).toArray();
  console.log(`== ${q.name}`);
  for (const row of rows) console.log(Object.values(row).join('\n'));
}
process.exit(0);
