// Prints EXPLAIN ANALYZE of TPC-H queries at SF1 on one thread: node --import tsx bench/explain-tpch.mts q03 [q04 …]
import { Shoal } from '../src/index.js';
import { TPCH_QUERIES } from '../test/tpch/queries.js';
const shoal = await Shoal.open({ catalogDir: '.cache/tpch/sf1/catalog', threads: 1 });
const session = shoal.session({ catalog: 'tpch', schema: 'sf1' });
for (const name of process.argv.slice(2)) {
  const q = TPCH_QUERIES.find((x) => x.name === name)!;
  const r = await session.query(`EXPLAIN ANALYZE ${q.sql}`);
  const rows = await r.toArray();
  console.log(`== ${name}`);
  for (const row of rows) console.log(Object.values(row).join('\n'));
}
process.exit(0);
