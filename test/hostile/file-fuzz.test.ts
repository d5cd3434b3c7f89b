/**
 * A bounded, seeded file-fuzzing run (issue 9, item 2): mutations of a small Parquet and a small CSV file (bit
 * flips, byte overwrites, truncations, chunk swaps), each read in full through Shoal, must return rows or a
 * ShoalError naming the file. Long runs: `node --import tsx scripts/fuzz-files.ts --seed S --cases N`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Shoal, type Session } from '../../src/index.js';
import { runCase, writeBaseFiles, type CaseResult, type FileKind } from './support/file-fuzz.js';

/** Cases of the CI run: about 5 s on an idle 2-core machine (a decoder crash respawns workers, ~0.1 s each). */
const CASES = 40;
const SEED = 'ci';
/**
 * Cases that once failed, as [seed, case]: seed 1 cases 271 and 274 crashed a decoder worker before the pool saw
 * its 'ready' message, which reported a corrupt file as "the Parquet decoder could not start" (internal error).
 */
const REGRESSIONS: readonly (readonly [string, number])[] = [['1', 271], ['1', 274]];

let dir: string;
let session: Session;
let base: Record<FileKind, Uint8Array>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'shoal-file-fuzz-'));
  base = await writeBaseFiles(dir);
  session = (await Shoal.open({ cwd: dir })).session();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('file fuzzing', () => {
  it('reads the unmutated files', async () => {
    for (const kind of ['parquet', 'csv'] as const) {
      const r = await session.query(`SELECT count(*) FROM '${path.join(dir, `base.${kind}`)}'`);
      expect((await r.rowsAsScalars())[0]).toEqual([kind === 'parquet' ? 300n : 120n]);
    }
  });

  it(`gives rows or an error naming the file for ${CASES} mutated files (seed '${SEED}') and the past failures`, async () => {
    const results: CaseResult[] = [];
    for (const [seed, index] of REGRESSIONS) results.push(await runCase(session, dir, base, seed, index));
    for (let i = 0; i < CASES; i++) results.push(await runCase(session, dir, base, SEED, i));
    const failures = results.filter((r) => r.failure !== undefined).map((r) => `case ${r.index} (${r.kind}, ${r.mutation}): ${r.failure}`);
    expect(failures).toEqual([]);
    // The run exercised both files and both outcomes.
    expect(new Set(results.map((r) => r.kind))).toEqual(new Set(['parquet', 'csv']));
    expect(results.some((r) => r.outcome === 'rows')).toBe(true);
    expect(results.some((r) => r.outcome === 'CORRUPT_FILE')).toBe(true);
    expect(results.some((r) => r.outcome === 'BAD_DATA')).toBe(true);
  }, 60_000);
});
