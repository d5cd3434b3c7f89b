/**
 * Runs one benchmark query in a fresh process so that its peak RSS is its own:
 *   node --import tsx bench/shoal-child.ts <catalogDir> <queryIndex> <runs>
 * Prints one JSON line: { times: [ms…], rows, maxRssBytes }.
 */
import { Shoal } from '../src/index.js';
import { BENCH_QUERIES } from './queries.js';

const [catalogDir, indexText, runsText] = process.argv.slice(2);
const q = BENCH_QUERIES[Number(indexText)];
if (catalogDir === undefined || q === undefined) {
  process.stderr.write('usage: shoal-child.ts <catalogDir> <queryIndex> <runs>\n');
  process.exit(2);
}
// One thread, as DuckDB runs here (taxi-run.ts).
const shoal = await Shoal.open({ catalogDir, threads: 1 });
const session = shoal.session({ catalog: 'lake', schema: 'nyc' });
const times: number[] = [];
let rows = 0;
for (let r = 0; r < Number(runsText ?? '3'); r++) {
  const t0 = performance.now();
  const result = await session.query(q.sql);
  rows = 0;
  for await (const b of result) rows += b.numRows;
  times.push(performance.now() - t0);
}
process.stdout.write(`${JSON.stringify({ times, rows, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
process.exit(0);
