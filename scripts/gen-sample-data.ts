/**
 * `npm run sample-data`: writes the bundled NYC taxi sample under sample-data/nyc (the files the `lake`
 * catalog points at). Deterministic: running it again gives byte-identical files.
 *
 *   node --import tsx scripts/gen-sample-data.ts [--out DIR] [--verify]
 *
 * --verify writes into a temporary folder and compares with DIR byte for byte (exit 1 on any difference).
 */
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeSampleData, type WrittenPartition } from './sample-data.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(relative(dir, join(e.parentPath, e.name)));
  }
  return out.sort();
}

function report(written: readonly WrittenPartition[], root: string, ms: number): void {
  for (const w of written) {
    const s = w.stats;
    console.log(
      `${relative(repoRoot, w.path).padEnd(58)} ${String(s.rows).padStart(6)} rows ${(w.bytes / 1024).toFixed(0).padStart(5)} KiB` +
        `  (nulls ${s.nullRows}, 0 pax ${s.zeroPassengers}, 0 mi ${s.zeroDistance}, refunds ${s.refunds},` +
        ` outside month ${s.outsideMonth}, dropoff<pickup ${s.dropoffBeforePickup})`,
    );
  }
  const bytes = written.reduce((a, w) => a + w.bytes, 0);
  const rows = written.reduce((a, w) => a + w.stats.rows, 0);
  console.log(`${rows} rows, ${(bytes / 1024 / 1024).toFixed(2)} MiB of Parquet in ${relative(repoRoot, root) || '.'}, ${ms.toFixed(0)} ms`);
}

async function verify(target: string): Promise<boolean> {
  const tmp = await mkdtemp(join(tmpdir(), 'shoal-sample-'));
  try {
    await writeSampleData(tmp);
    const [expected, actual] = [await listFiles(tmp), await listFiles(target)];
    let same = JSON.stringify(expected) === JSON.stringify(actual);
    if (!same) console.error(`file lists differ:\n  generated: ${expected.join(', ')}\n  on disk:   ${actual.join(', ')}`);
    for (const f of expected) {
      const onDisk = join(target, f);
      if (!(await stat(onDisk).catch(() => undefined))) continue;
      if (!(await readFile(join(tmp, f))).equals(await readFile(onDisk))) {
        console.error(`differs: ${f}`);
        same = false;
      }
    }
    return same;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { out: { type: 'string' }, verify: { type: 'boolean', default: false } },
  });
  const root = resolve(values.out ?? join(repoRoot, 'sample-data', 'nyc'));
  if (values.verify) {
    const ok = await verify(root);
    console.log(ok ? `${root}: identical to a fresh generation` : `${root}: differs from a fresh generation`);
    process.exitCode = ok ? 0 : 1;
    return;
  }
  const t0 = performance.now();
  const written = await writeSampleData(root);
  report(written, root, performance.now() - t0);
}

await main();
