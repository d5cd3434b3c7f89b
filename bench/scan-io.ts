/**
 * `node --import tsx bench/scan-io.ts [--latency MS] [TPCH_DIR]`: what a few scans ask of storage — requests and
 * bytes as the file system sees them (a counting wrapper over the local files, which can add latency to every
 * call to behave like an object store), and the query's own IoStats — cold (new engine) and warm (same query
 * again). TPCH_DIR is a generated data set (.cache/tpch/sf0_1). Not part of `npm test`.
 */
import path from 'node:path';
import { Shoal } from '../src/index.js';
import { LocalFileSystem } from '../src/fs/index.js';
import { CountingFileSystem } from '../test/support/counting-fs.js';

const repo = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const at = args.indexOf('--latency');
const latencyMs = at >= 0 ? Number(args.splice(at, 2)[1]) : 0;
const tpch = args[0];

interface Case {
  readonly label: string;
  readonly catalogDir: string;
  readonly catalog: string;
  readonly schema: string;
  readonly sql: string;
}

async function measure(c: Case): Promise<void> {
  const shoal = await Shoal.open({ catalogDir: c.catalogDir, cwd: repo });
  const fs = new CountingFileSystem(new LocalFileSystem(), latencyMs);
  shoal.fs.register(fs);
  const session = shoal.session({ catalog: c.catalog, schema: c.schema });
  const cells: string[] = [];
  for (const run of ['cold', 'warm']) {
    fs.reset();
    const t0 = performance.now();
    const r = await session.query(c.sql);
    for await (const b of r) void b;
    const ms = performance.now() - t0;
    const bytes = fs.counts.reads.reduce((n, x) => n + x.length, 0);
    const s = r.stats();
    cells.push(`${run}: ${fs.counts.reads.length} req ${(bytes / 1024).toFixed(0)} KiB opens ${fs.counts.opens} (IoStats ${s.io.requests} req ${(s.io.bytesRead / 1024).toFixed(0)} KiB) ${ms.toFixed(0)} ms`);
  }
  console.log(`${c.label.padEnd(34)} ${cells.join(' | ')}`);
}

const lake = { catalogDir: path.join(repo, 'catalog'), catalog: 'lake', schema: 'nyc' };
const one = `'sample-data/nyc/yellow_tripdata/year=2024/month=3/part-0.parquet'`;
console.log(`latency per call: ${latencyMs} ms`);
await measure({ ...lake, label: 'yellow file: 1 of 18 columns', sql: `SELECT sum(fare_amount) FROM ${one}` });
await measure({ ...lake, label: 'yellow file: all columns', sql: `SELECT * FROM ${one}` });
await measure({ ...lake, label: 'yellow file: LIMIT 10', sql: `SELECT * FROM ${one} LIMIT 10` });
await measure({ ...lake, label: 'yellow table (6 files): 1 column', sql: 'SELECT sum(fare_amount) FROM yellow_tripdata' });
await measure({ ...lake, label: 'yellow table: all columns', sql: 'SELECT * FROM yellow_tripdata' });
if (tpch !== undefined) {
  const { TPCH_QUERIES } = await import('../test/tpch/queries.js');
  const sf = path.basename(tpch);
  for (const name of ['q01', 'q06']) {
    const q = TPCH_QUERIES.find((x) => x.name === name)!;
    await measure({ label: `tpch ${sf} ${name}`, catalogDir: path.join(tpch, 'catalog'), catalog: 'tpch', schema: sf, sql: q.sql });
  }
}
process.exit(0);
