/**
 * `npm run bench -- tpch [--sf 1] [--runs 3] [--timeout 300] [--threads 1]`: the 22 TPC-H queries, Shoal against
 * DuckDB on the same generated Parquet files, in the same run, both with `threads` threads (default 1; Shoal's
 * threads setting, DuckDB's threads).
 *
 * Generates the scale factor once into .cache/tpch (git-ignored; test/tpch/gen), then per query: Shoal in a
 * fresh child process (best of `runs` after a first run that loads the WebAssembly decoder; peak RSS of that
 * process; killed after `timeout` seconds), DuckDB in this process with `threads` threads (best of `runs` after one
 * warm-up). A query Shoal refuses or fails, or one that times out, is reported in the table, not fatal. Totals
 * and the ratio cover the queries both engines completed. Prints the table; timing never enters tests.
 */
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { writeResultsSection } from './results-file.js';
import { ensureTpch } from '../test/tpch/gen/generate.js';
import { TPCH_DATA_ROOT } from '../test/tpch/gen/paths.js';
import { TABLE_NAMES } from '../test/tpch/gen/scale.js';
import { TPCH_QUERIES } from '../test/tpch/queries.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const { values } = parseArgs({
  options: {
    sf: { type: 'string', default: '1' }, runs: { type: 'string', default: '3' }, timeout: { type: 'string', default: '300' },
    threads: { type: 'string', default: '1' },
  },
});
const sf = Number(values.sf);
const runs = Number(values.runs);
const timeoutMs = Number(values.timeout) * 1000;
const threads = Number(values.threads);
if (!(sf > 0) || !(runs >= 1) || !(timeoutMs > 0) || !(Number.isInteger(threads) && threads >= 1)) throw new Error('--sf, --runs, --timeout and --threads must be positive numbers');

const data = await ensureTpch(sf, { root: TPCH_DATA_ROOT, log: (line) => console.log(line) });
const dataBytes = TABLE_NAMES.reduce((a, t) => a + data.manifest.tables[t].bytes, 0);
console.log(`${path.relative(root, data.dir)}: ${(dataBytes / 1048576).toFixed(1)} MiB of Parquet, generated in ${data.manifest.seconds.toFixed(1)} s${data.generated ? '' : ' (reused)'}`);

const db = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const duck = await db.connect();
for (const t of TABLE_NAMES) await duck.run(`CREATE VIEW ${t} AS SELECT * FROM read_parquet('${data.dir}/${t}/*.parquet')`);

type ShoalOutcome = { readonly ok: true; readonly ms: number; readonly cpuMs: number; readonly rows: number; readonly rssMb: number } | { readonly ok: false; readonly error: string };

interface Row {
  readonly name: string;
  readonly shoal: ShoalOutcome;
  readonly duckMs: number;
  readonly duckRows: number;
}

const run = promisify(execFile);
async function runShoal(name: string): Promise<ShoalOutcome> {
  try {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', path.join(here, 'tpch-child.ts'), data.catalogDir, data.catalog, data.schema, name, String(runs + 1), String(threads)],
      { cwd: root, maxBuffer: 1 << 24, timeout: timeoutMs, killSignal: 'SIGKILL' },
    );
    const out = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { times?: number[]; cpu?: number[]; rows?: number; maxRssBytes?: number; error?: string };
    if (out.error !== undefined) return { ok: false, error: out.error };
    const timed = (out.times ?? []).slice(1);
    const best = timed.indexOf(Math.min(...timed));
    return { ok: true, ms: timed[best] ?? Number.NaN, cpuMs: (out.cpu ?? []).slice(1)[best] ?? Number.NaN, rows: out.rows ?? 0, rssMb: (out.maxRssBytes ?? 0) / 1048576 };
  } catch (e: unknown) {
    const killed = typeof e === 'object' && e !== null && 'killed' in e && e.killed === true;
    return { ok: false, error: killed ? `timeout after ${timeoutMs / 1000} s (${runs + 1} runs)` : `crashed: ${String(e).split('\n')[0]}` };
  }
}

const results: Row[] = [];
for (const q of TPCH_QUERIES) {
  const shoal = await runShoal(q.name);
  const duckTimes: number[] = [];
  let duckRows = 0;
  for (let r = 0; r <= runs; r++) {
    const t0 = performance.now();
    const res = await duck.runAndReadAll(q.duckSql);
    duckRows = res.currentRowCount;
    if (r > 0) duckTimes.push(performance.now() - t0);
  }
  const row: Row = { name: q.name, shoal, duckMs: Math.min(...duckTimes), duckRows };
  results.push(row);
  const duckText = `duckdb ${row.duckMs.toFixed(0).padStart(6)} ms`;
  if (shoal.ok) {
    const rowsNote = shoal.rows === duckRows ? '' : `  ROWS DIFFER ${shoal.rows} vs ${duckRows}`;
    console.log(`${q.name}  shoal ${shoal.ms.toFixed(0).padStart(6)} ms  ${duckText}  ratio ${(shoal.ms / row.duckMs).toFixed(2).padStart(6)}  cpu ${shoal.cpuMs.toFixed(0)} ms  rss ${shoal.rssMb.toFixed(0)} MB${rowsNote}`);
  } else console.log(`${q.name}  shoal  error  ${duckText}  ${shoal.error}`);
}
duck.closeSync();
db.closeSync();

const completed = results.filter((r) => r.shoal.ok);
const totalShoal = completed.reduce((a, r) => a + (r.shoal.ok ? r.shoal.ms : 0), 0);
const totalCpu = completed.reduce((a, r) => a + (r.shoal.ok ? r.shoal.cpuMs : 0), 0);
const totalDuck = completed.reduce((a, r) => a + r.duckMs, 0);
const peakRss = Math.max(0, ...completed.map((r) => (r.shoal.ok ? r.shoal.rssMb : 0)));
const table = [
  `TPC-H SF ${sf}: ${(dataBytes / 1048576).toFixed(1)} MiB Parquet. ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}.`,
  `Shoal (threads = ${threads}): fresh process per query, best of ${runs} after a first run. DuckDB: threads = ${threads}, best of ${runs} after a warm-up. Ratio = Shoal / DuckDB.`,
  '',
  `| query | Shoal ms | DuckDB ms (${threads} thread${threads === 1 ? '' : 's'}) | ratio | Shoal CPU ms (all threads) | Shoal peak RSS | rows |`,
  '|---|---:|---:|---:|---:|---:|---:|',
  ...results.map((r) =>
    r.shoal.ok
      ? `| ${r.name} | ${r.shoal.ms.toFixed(0)} | ${r.duckMs.toFixed(0)} | ${(r.shoal.ms / r.duckMs).toFixed(2)} | ${r.shoal.cpuMs.toFixed(0)} | ${r.shoal.rssMb.toFixed(0)} MB | ${r.shoal.rows}${r.shoal.rows === r.duckRows ? '' : ` (DuckDB ${r.duckRows})`} |`
      : `| ${r.name} | error: ${r.shoal.error} | ${r.duckMs.toFixed(0)} | | | | (DuckDB ${r.duckRows}) |`,
  ),
  `| **total (${completed.length} of ${results.length} queries)** | **${totalShoal.toFixed(0)}** | **${totalDuck.toFixed(0)}** | **${totalDuck > 0 ? (totalShoal / totalDuck).toFixed(2) : '-'}** | **${totalCpu.toFixed(0)}** | **${peakRss.toFixed(0)} MB** | |`,
].join('\n');
console.log(`\n${table}`);
writeResultsSection(`tpch-sf${sf}-threads${threads}`, [
  `## TPC-H SF ${sf}, ${threads} thread${threads === 1 ? '' : 's'}`,
  '',
  `Generated by \`npm run bench -- tpch --sf ${sf} --runs ${runs} --threads ${threads}\` on ${new Date().toISOString().slice(0, 10)}: the 22 queries in their standard text on Shoal's generated data.`,
  table,
].join('\n'));
console.log('wrote bench/RESULTS.md');
