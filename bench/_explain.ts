import { Shoal } from '../src/index.js';
import { TPCH_QUERIES } from '../test/tpch/queries.js';
const shoal = await Shoal.open({ catalogDir: '.cache/tpch/sf1/catalog', threads: 1 });
const s = shoal.session({ catalog: 'tpch', schema: 'sf1' });
for (const name of process.argv.slice(2)) {
  const q = TPCH_QUERIES.find((x) => x.name === name)!;
  const r = await s.query('EXPLAIN ' + q.sql);
  for (const row of await r.toArray()) console.log(Object.values(row).join('\n'));
}
process.exit(0);
