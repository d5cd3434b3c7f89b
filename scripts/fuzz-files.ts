/**
 * Long-run file fuzzing: `node --import tsx scripts/fuzz-files.ts --seed S --cases N`. Mutates small Parquet and
 * CSV files (test/hostile/support/file-fuzz.ts) and queries each through Shoal; prints outcome counts, every
 * failure with the seed and case that reproduce it, and the peak RSS. Exits 1 when a case failed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Shoal } from '../src/index.js';
import { runCase, writeBaseFiles } from '../test/hostile/support/file-fuzz.js';

const { values } = parseArgs({ options: { seed: { type: 'string', default: '1' }, cases: { type: 'string', default: '1000' }, from: { type: 'string', default: '0' } } });
const seed = values.seed;
const cases = Number(values.cases);
const from = Number(values.from);
if (!Number.isSafeInteger(cases) || cases < 1 || !Number.isSafeInteger(from) || from < 0) {
  process.stderr.write('usage: fuzz-files.ts --seed S --cases N [--from K]\n');
  process.exit(2);
}

const dir = mkdtempSync(path.join(tmpdir(), 'shoal-fuzz-files-'));
const started = Date.now();
let peakRss = process.memoryUsage().rss;
const counts = new Map<string, number>();
let failures = 0;
let slowest = { ms: 0, index: -1, what: '' };
try {
  const base = await writeBaseFiles(dir);
  const session = (await Shoal.open({ cwd: dir })).session();
  for (let i = from; i < from + cases; i++) {
    const t0 = Date.now();
    const r = await runCase(session, dir, base, seed, i);
    if (Date.now() - t0 > slowest.ms) slowest = { ms: Date.now() - t0, index: i, what: `${r.kind} ${r.mutation} → ${r.outcome}` };
    const key = `${r.kind} ${r.mutation} → ${r.outcome}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (r.failure !== undefined) {
      failures++;
      process.stdout.write(`FAIL seed=${seed} case=${i} (${r.kind}, ${r.mutation}): ${r.failure}\n`);
    }
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
for (const [k, n] of [...counts].sort()) process.stdout.write(`${String(n).padStart(6)}  ${k}\n`);
process.stdout.write(`slowest: case ${slowest.index} (${slowest.what}) ${slowest.ms} ms\n`);
process.stdout.write(`${cases} cases, ${failures} failures, ${((Date.now() - started) / 1000).toFixed(1)} s, peak RSS ${peakRss >> 20} MiB (this process; decoder workers share it)\n`);
process.exit(failures > 0 ? 1 : 0);
