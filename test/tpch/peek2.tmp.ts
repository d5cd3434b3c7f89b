import { Shoal } from '../../src/index.js';
const shoal = await Shoal.open({ catalogDir: '/work/wt-tpch/.cache/tpch/sf0_01/catalog' });
const s = shoal.session({ catalog: 'tpch', schema: 'sf0_01' });
for (const q of process.argv.slice(2)) { const r = await s.query(q); console.log(r.fields.map(f=>JSON.stringify(f.type)).join(' '), await r.toArray()); }
