/**
 * Runs one parallel query and returns without closing anything: the process must still exit, since idle
 * fragment workers and decoder threads do not keep it alive (parallel.test.ts).
 *   node --import tsx test/parallel/idle-exit-child.ts <catalogDir> <catalog> <schema>
 */
import { Shoal } from '../../src/index.js';

const [catalogDir, catalog, schema] = process.argv.slice(2);
const shoal = await Shoal.open({ catalogDir, threads: 2 });
const session = shoal.session({ catalog, schema, properties: { parallel_min_rows: '0' } });
const rows = await (await session.query('SELECT l_returnflag, count(*) AS n FROM lineitem GROUP BY 1 ORDER BY 1')).toArray();
process.stdout.write(`${JSON.stringify(rows.map((r) => `${String(r['l_returnflag'])}:${String(r['n'])}`))}\n`);
