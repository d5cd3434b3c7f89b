/**
 * Runs one SQL statement in a fresh process under a memory limit, for spilling measurements:
 *   QUERY_MAX_MEMORY=64MB node --import tsx bench/spill-child.ts <catalogDir> <catalog> <schema> "<sql>"
 * Prints one JSON line: { ms, rows, maxRssBytes, peakMemoryBytes, spilledBytes } or { error }.
 */
import { Shoal, ShoalError } from '../src/index.js';

const [catalogDir, catalog, schema, sql] = process.argv.slice(2);
if (catalogDir === undefined || sql === undefined) {
  process.stderr.write('usage: spill-child.ts <catalogDir> <catalog> <schema> <sql>\n');
  process.exit(2);
}
const limit = process.env['QUERY_MAX_MEMORY'];
const shoal = await Shoal.open({ catalogDir });
const session = shoal.session({ catalog, schema, properties: limit === undefined ? {} : { query_max_memory: limit } });
try {
  const t0 = performance.now();
  const result = await session.query(sql);
  let rows = 0;
  for await (const b of result) rows += b.numRows;
  const ms = performance.now() - t0;
  const { peakMemoryBytes, spilledBytes } = result.stats().progress;
  process.stdout.write(`${JSON.stringify({ ms: Math.round(ms), rows, maxRssBytes: process.resourceUsage().maxRSS * 1024, peakMemoryBytes, spilledBytes })}\n`);
} catch (e: unknown) {
  process.stdout.write(`${JSON.stringify({ error: e instanceof ShoalError ? `${e.code}: ${e.message}` : `internal: ${String(e)}` })}\n`);
}
process.exit(0);
