/**
 * Runs one TPC-H query in a fresh process so that its peak RSS is its own:
 *   node --import tsx bench/tpch-child.ts <catalogDir> <catalog> <schema> <queryName> <runs> [threads]
 * (threads: Shoal's threads setting, default the number of cores)
 * Prints one JSON line: { times: [ms…], cpu: [ms…], rows, maxRssBytes, peakMemoryBytes, spilledBytes } or, when Shoal refuses or fails the query,
 * { error: "CODE: message" }.
 */
import { Shoal, ShoalError } from '../src/index.js';
import { TPCH_QUERIES } from '../test/tpch/queries.js';

const [catalogDir, catalog, schema, name, runsText, threadsText] = process.argv.slice(2);
const q = TPCH_QUERIES.find((x) => x.name === name);
if (catalogDir === undefined || q === undefined) {
  process.stderr.write('usage: tpch-child.ts <catalogDir> <catalog> <schema> <queryName> <runs>\n');
  process.exit(2);
}
const shoal = await Shoal.open({ catalogDir, threads: threadsText === undefined ? undefined : Number(threadsText) });
// QUERY_MAX_MEMORY=256MB: run under that session query_max_memory (spilling measurements).
const limit = process.env['QUERY_MAX_MEMORY'];
const session = shoal.session({ catalog, schema, properties: limit === undefined ? {} : { query_max_memory: limit } });
const times: number[] = [];
// CPU of the whole process per run (user + system, every thread: decoder and fragment workers included), ms.
const cpu: number[] = [];
let rows = 0;
let peakMemoryBytes = 0;
let spilledBytes = 0;
try {
  for (let r = 0; r < Number(runsText ?? '4'); r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const result = await session.query(q.sql);
    rows = 0;
    for await (const b of result) rows += b.numRows;
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    ({ peakMemoryBytes, spilledBytes } = result.stats().progress);
  }
} catch (e: unknown) {
  const error = e instanceof ShoalError ? `${e.code}: ${e.message}` : `internal: ${String(e)}`;
  process.stdout.write(`${JSON.stringify({ error })}\n`);
  process.exit(0);
}
process.stdout.write(`${JSON.stringify({ times, cpu, rows, maxRssBytes: process.resourceUsage().maxRSS * 1024, peakMemoryBytes, spilledBytes })}\n`);
process.exit(0);
