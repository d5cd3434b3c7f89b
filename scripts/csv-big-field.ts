/**
 * Memory check for a huge CSV field: `node --expose-gc --import tsx scripts/csv-big-field.ts [--mb 100] [--quoted]`.
 * Streams a file `a,b\n1,<MB of x>\n2,y\n` into a temp dir, runs `SELECT a, length(b)` on it, and prints the
 * answer (or the error) with the RSS before and at its peak (sampled every 20 ms).
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Shoal, ShoalError, toJsValue } from '../src/index.js';

const { values } = parseArgs({ options: { mb: { type: 'string', default: '100' }, quoted: { type: 'boolean', default: false } } });
const mb = Number(values.mb);
const q = values.quoted ? '"' : '';
const dir = mkdtempSync(path.join(tmpdir(), 'shoal-big-field-'));
try {
  const out = createWriteStream(path.join(dir, 'big.csv'));
  out.write(`a,b\n1,${q}`);
  const chunk = Buffer.alloc(1 << 20, 'x');
  for (let i = 0; i < mb; i++) if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  out.end(`${q}\n2,y\n`);
  await new Promise<void>((resolve) => out.on('finish', () => resolve()));
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = Date.now();
  try {
    const r = await (await Shoal.open({ cwd: dir })).session().query(`SELECT a, length(b) AS n FROM 'big.csv'`);
    const rows = (await r.rowsAsScalars()).map((row) => row.map((v, i) => String(toJsValue(v, r.fields[i]!.type))));
    process.stdout.write(`answer: ${JSON.stringify(rows)}\n`);
  } catch (e) {
    process.stdout.write(`error: ${e instanceof ShoalError ? `${e.code}: ${e.message}` : String(e)}\n`);
  }
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  process.stdout.write(`${mb} MB field${values.quoted ? ' (quoted)' : ''}: ${Date.now() - started} ms, RSS before ${before >> 20} MiB, peak ${peak >> 20} MiB, growth ${(peak - before) >> 20} MiB\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
