/**
 * bench/RESULTS.md holds one section per benchmark run kind (the taxi queries; TPC-H per scale factor and thread
 * count). A run replaces only its own section, between `<!-- NAME -->` and `<!-- /NAME -->`, and appends it when
 * absent, so running one benchmark keeps the others' latest tables.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const RESULTS_PATH = path.join(path.dirname(fileURLToPath(import.meta.url)), 'RESULTS.md');
const TITLE = '# Benchmark results\n\nEach section is written by the run named in it; a run replaces only its own section.\n';

export function writeResultsSection(name: string, markdown: string): void {
  const open = `<!-- ${name} -->`;
  const close = `<!-- /${name} -->`;
  const section = `${open}\n${markdown.trim()}\n${close}`;
  const old = existsSync(RESULTS_PATH) ? readFileSync(RESULTS_PATH, 'utf8') : '';
  const start = old.indexOf(open);
  const end = old.indexOf(close);
  const body = old.startsWith('# Benchmark results') && old.includes('<!-- ') ? old : TITLE;
  const next = start >= 0 && end > start
    ? `${old.slice(0, start)}${section}${old.slice(end + close.length)}`
    : `${body.trimEnd()}\n\n${section}\n`;
  writeFileSync(RESULTS_PATH, next);
}
