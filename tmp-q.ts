import { Shoal } from './src/index.js';
import { formatScalar as formatValue } from './src/types/index.js';
const shoal = await Shoal.open({ catalogDir: 'catalog', cwd: process.cwd() });
const s = shoal.session({ catalog: 'lake', schema: 'nyc' });
for (const q of process.argv.slice(2)) {
  try {
    const r = await s.query(q);
    const rows = await r.rowsAsScalars();
    console.log(r.fields.map((f) => `${f.name} ${f.type.kind === 'array' || f.type.kind === 'map' || f.type.kind === 'row' ? JSON.stringify(f.type) : f.type.kind}`).join(' | '));
    for (const row of rows) console.log(row.map((v, i) => formatValue(v, r.fields[i]!.type) ?? 'NULL').join(' | '));
  } catch (e) { console.log('ERR', (e as Error).message); }
}
