/**
 * Seeded file fuzzing (issue 9, item 2), shared by test/hostile/file-fuzz.test.ts (a bounded run in CI) and
 * scripts/fuzz-files.ts (long runs): small valid Parquet and CSV files, mutated (bit flips, byte overwrites,
 * truncations, chunk swaps), each queried through a Shoal session. A case passes when the query returns rows or
 * a ShoalError with a file-error code whose message names the file, within CASE_TIMEOUT_MS. Anything else — a
 * foreign error, GENERIC_INTERNAL_ERROR, a message without the file, a hang — is a failure, reported with the
 * seed and case number that reproduce it.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Rng } from '../../../scripts/prng.js';
import { ShoalError } from '../../../src/common/index.js';
import type { Session } from '../../../src/index.js';

export type FileKind = 'parquet' | 'csv';
export type MutationKind = 'bitflip' | 'overwrite' | 'truncate' | 'swap';
export const MUTATIONS: readonly MutationKind[] = ['bitflip', 'overwrite', 'truncate', 'swap'];

/** Codes a damaged file may fail with; the message must also name the file. */
export const FILE_ERROR_CODES: ReadonlySet<string> = new Set(['CORRUPT_FILE', 'BAD_DATA', 'NOT_SUPPORTED']);
const CASE_TIMEOUT_MS = 20_000;

/** Writes the base files into `dir` (base.parquet, base.csv) and returns their bytes: a DuckDB Parquet file (dictionary pages, nulls, 2 row groups) and a CSV file. */
export async function writeBaseFiles(dir: string): Promise<Record<FileKind, Uint8Array>> {
  const pq = path.join(dir, 'base.parquet');
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    await conn.run(`COPY (SELECT i::INTEGER AS id, CASE WHEN i % 7 = 0 THEN NULL ELSE 'name-' || (i % 13) END AS name,
      i * 1.25 AS amount, DATE '2024-01-01' + (i % 40)::INTEGER AS day, i % 3 = 0 AS flag, (i * 1000003)::BIGINT AS big
      FROM range(300) t(i)) TO '${pq}' (FORMAT PARQUET, ROW_GROUP_SIZE 150, COMPRESSION SNAPPY)`);
  } finally {
    conn.closeSync();
    db.closeSync();
  }
  const lines = ['id,name,amount,day,note'];
  for (let i = 0; i < 120; i++) {
    lines.push(`${i},"name ${i % 9}${i % 10 === 0 ? ', with ""quotes""' : ''}",${(i * 1.5).toFixed(2)},2024-02-${String((i % 28) + 1).padStart(2, '0')},${i % 5 === 0 ? '' : `n${i}`}`);
  }
  const csv = new TextEncoder().encode(lines.join('\n') + '\n');
  writeFileSync(path.join(dir, 'base.csv'), csv);
  return { parquet: new Uint8Array(readFileSync(pq)), csv };
}

const INTERESTING = [0x00, 0xff, 0x7f, 0x80, 0x01, 0x22, 0x2c, 0x0a, 0x0d, 0x15, 0x19, 0x1c];

/** One seeded mutation of `base` (never in place). */
export function mutate(base: Uint8Array, kind: MutationKind, rng: Rng): Uint8Array {
  const out = Uint8Array.from(base);
  const n = out.length;
  switch (kind) {
    case 'bitflip': {
      for (let k = 1 + rng.int(8); k > 0; k--) out[rng.int(n)]! ^= 1 << rng.int(8);
      return out;
    }
    case 'overwrite': {
      for (let k = 1 + rng.int(4); k > 0; k--) {
        const at = rng.int(n);
        const len = 1 + rng.int(8);
        for (let j = at; j < Math.min(n, at + len); j++) out[j] = rng.chance(0.5) ? INTERESTING[rng.int(INTERESTING.length)]! : rng.int(256);
      }
      return out;
    }
    case 'truncate':
      return out.subarray(0, rng.int(n));
    case 'swap': {
      const len = 1 + rng.int(Math.max(1, Math.floor(n / 8)));
      const a = rng.int(n - len + 1), b = rng.int(n - len + 1);
      const first = base.slice(a, a + len);
      out.set(base.subarray(b, b + len), a);
      out.set(first, b);
      return out;
    }
  }
}

export interface CaseResult {
  readonly kind: FileKind;
  readonly mutation: MutationKind;
  readonly index: number;
  /** 'rows' or the error code. */
  readonly outcome: string;
  /** Set when the case failed: what was wrong. */
  readonly failure?: string;
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs case `index` of `seed`: mutates the base file of `kind`, writes it to `dir` and reads all of it. */
export async function runCase(session: Session, dir: string, base: Record<FileKind, Uint8Array>, seed: string, index: number): Promise<CaseResult> {
  const rng = new Rng(`${seed}/${index}`);
  const kind: FileKind = rng.chance(0.5) ? 'parquet' : 'csv';
  const mutation = MUTATIONS[rng.int(MUTATIONS.length)]!;
  const name = `case-${index}.${kind}`;
  const location = path.join(dir, name);
  writeFileSync(location, mutate(base[kind], mutation, rng));
  const head = { kind, mutation, index };
  try {
    const run = (async () => {
      const r = await session.query(`SELECT * FROM '${name}'`);
      await r.rowsAsScalars();
    })();
    run.catch(() => {});
    if ((await withTimeout(run, CASE_TIMEOUT_MS)) === 'timeout') return { ...head, outcome: 'timeout', failure: `no answer within ${CASE_TIMEOUT_MS} ms` };
    return { ...head, outcome: 'rows' };
  } catch (e) {
    if (!(e instanceof ShoalError)) return { ...head, outcome: 'foreign', failure: `not a ShoalError: ${String(e)}` };
    if (!FILE_ERROR_CODES.has(e.code)) return { ...head, outcome: e.code, failure: `${e.code}: ${e.message}` };
    if (!e.message.includes(location)) return { ...head, outcome: e.code, failure: `message does not name the file: ${e.message}` };
    return { ...head, outcome: e.code };
  } finally {
    rmSync(location, { force: true });
  }
}
