/**
 * Runs one statement in a fresh process so that its peak RSS is its own (bench/write-run.ts):
 *   node --import tsx bench/write-child.ts <catalogDir> <cwd> <sql>
 * Prints one JSON line: { ms, cpuMs (all threads), rows, files, bytes, maxRssBytes }.
 */
import { Shoal } from '../src/index.js';

const [catalogDir, cwd, sql] = process.argv.slice(2);
if (catalogDir === undefined || sql === undefined) {
  process.stderr.write('usage: write-child.ts <catalogDir> <cwd> <sql>\n');
  process.exit(2);
}
const shoal = await Shoal.open({ catalogDir, cwd });
const session = shoal.session({ catalog: 'lake', schema: 'nyc' });
const t0 = performance.now();
const result = await session.query(sql);
let rows = 0;
for await (const b of result) rows += b.numRows;
const ms = performance.now() - t0;
const w = result.writeStats;
const cpuMs = (process.cpuUsage().user + process.cpuUsage().system) / 1000;
process.stdout.write(`${JSON.stringify({ ms, cpuMs, rows: w === undefined ? rows : w.rows, files: w?.files ?? 0, bytes: w?.bytes ?? 0, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
process.exit(0);
