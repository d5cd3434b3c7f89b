import { DuckDBInstance } from '@duckdb/node-api';
const dir = '/work/wt-tpch/.cache/tpch/sf0_01';
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
for (const t of ['region','nation','supplier','customer','part','partsupp','orders','lineitem']) await c.run(`CREATE VIEW ${t} AS SELECT * FROM read_parquet('${dir}/${t}/*.parquet')`);
for (const q of process.argv.slice(2)) { const r = await c.runAndReadAll(q); console.log(q); console.log(r.getRowsJson().map((x) => JSON.stringify(x)).join('\n')); }
