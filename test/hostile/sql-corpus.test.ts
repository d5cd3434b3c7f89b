import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Trino } from 'trino-client';
import { ShoalError, type Session } from '../../src/index.js';
import type { ShoalServer } from '../../src/server/index.js';
import { DuckOracle } from '../support/duckdb-oracle.js';
import { firstDifference, normalizeCell, sortRows, type Cell } from '../support/normalize.js';
import { sampleSession, shoalRows } from '../support/shoal-runner.js';
import { startServer } from '../server/server-fixture.js';
import { hostileSqlCorpus, type HostileCase } from './sql-corpus.js';

// Issue 9, item 1: every hostile statement gets a clear ShoalError or a correct answer, within a bound.
// The bound is a hang guard, not a performance assertion: far above any case's real time.
const HANG_GUARD_MS = 5_000;

/** The rows, or the error with the text of the statement that failed (a setup statement's, or the case's). */
type Outcome = { ok: true; result: Awaited<ReturnType<typeof shoalRows>> } | { ok: false; error: unknown; text: string };

async function runCase(session: Session, c: HostileCase): Promise<Outcome> {
  for (const s of c.setup ?? []) {
    try {
      await shoalRows(session, s);
    } catch (error: unknown) {
      return { ok: false, error, text: s };
    }
  }
  try {
    if (c.script !== true) return { ok: true, result: await shoalRows(session, c.sql) };
    let last: Awaited<ReturnType<typeof shoalRows>> | undefined;
    for (const parsed of session.parse(c.sql)) {
      const result = await session.run(parsed);
      const rows = await result.rowsAsScalars();
      last = { columns: result.fields.map((f) => f.name), types: [], rows: rows.map((r) => r.map((v) => normalizeCell(typeof v === 'bigint' ? Number(v) : v, true))) };
    }
    if (last === undefined) throw new Error('script ran no statement');
    return { ok: true, result: last };
  } catch (error: unknown) {
    return { ok: false, error, text: c.sql };
  }
}

function withGuard<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${HANG_GUARD_MS} ms`)), HANG_GUARD_MS);
  });
  return Promise.race([p, guard]).finally(() => clearTimeout(timer));
}

/** A clear error: a ShoalError with an expected code, a short message without a stack, a span inside the text. */
function expectClearError(c: HostileCase & { codes: readonly string[]; spanless?: string }, error: unknown, text: string): void {
  if (!(error instanceof ShoalError)) throw new Error(`not a ShoalError: ${String(error)}`);
  const e = error;
  expect(e.code, `${e.code}: ${e.message}`).not.toBe('GENERIC_INTERNAL_ERROR');
  expect(c.codes, `${e.code}: ${e.message}`).toContain(e.code);
  expect(e.message.length).toBeGreaterThan(0);
  expect(e.message.length, 'the message stays short whatever the statement size').toBeLessThan(500);
  expect((e.hint ?? '').length).toBeLessThan(500);
  expect(e.message).not.toMatch(/\n\s+at /);
  if (c.spanless === undefined) {
    expect(e.span, `${e.code}: ${e.message} has no span`).toBeDefined();
    const s = e.span!;
    expect(s.start.line).toBeGreaterThanOrEqual(1);
    expect(s.start.column).toBeGreaterThanOrEqual(1);
    expect(s.start.offset).toBeGreaterThanOrEqual(0);
    expect(s.end.offset).toBeGreaterThanOrEqual(s.start.offset);
    expect(s.end.offset).toBeLessThanOrEqual(text.length);
  }
}

describe('hostile SQL corpus', () => {
  const corpus = hostileSqlCorpus();
  const times = new Map<string, number>();
  let session: Session;
  let duck: DuckOracle;
  beforeAll(async () => {
    session = await sampleSession();
    duck = await (await DuckOracle.create()).withSampleTables();
  });
  afterAll(() => {
    duck.close();
    const worst = [...times].sort((a, b) => b[1] - a[1]).slice(0, 15);
    console.log(`hostile SQL: ${times.size} statements; slowest: ${worst.map(([n, ms]) => `${n} ${ms.toFixed(0)} ms`).join('; ')}`);
  });

  test.each(corpus.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const t0 = performance.now();
    const out = await withGuard(runCase(session, c), c.name);
    times.set(c.name, performance.now() - t0);
    if (!out.ok) {
      if (c.expect === 'answer') throw out.error;
      expectClearError(c, out.error, out.text);
      return;
    }
    if (c.expect === 'error') throw new Error(`expected an error (${c.codes.join(', ')}) but got ${out.result.rows.length} rows`);
    const ours = out.result;
    if ('columns' in c && c.columns !== undefined) expect(ours.columns.length).toBe(c.columns);
    if (c.rows !== undefined) {
      const numeric = ours.types.map((t) => ['tinyint', 'smallint', 'integer', 'bigint', 'real', 'double', 'decimal'].includes(t));
      const expected: Cell[][] = c.rows.map((r) => r.map((v, i) => (typeof v === 'boolean' ? String(v) : normalizeCell(v, c.script === true || (numeric[i] ?? false)))));
      const diff = firstDifference(ours.rows, expected);
      expect(diff, diff).toBeUndefined();
    }
    if (c.duck !== undefined) {
      const theirs = await duck.query(c.duck === true ? c.sql : c.duck);
      const diff = firstDifference(sortRows(ours.rows), sortRows(theirs.rows));
      expect(diff, diff).toBeUndefined();
    }
  });
});

describe('shoal serve keeps answering while hostile statements run', () => {
  let server: ShoalServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

  async function collect(sql: string): Promise<{ rows: unknown[][]; error: unknown }> {
    const t = Trino.create({ server: server.url, catalog: 'lake', schema: 'nyc' });
    const rows: unknown[][] = [];
    for await (const page of await t.query(sql)) {
      if (page.error !== undefined) return { rows, error: page.error };
      rows.push(...((page.data ?? []) as unknown[][]));
    }
    return { rows, error: undefined };
  }

  test('a simple query from another client answers while pathological statements run', async () => {
    const hostile = [
      `SELECT ${'('.repeat(100_000)}1${')'.repeat(100_000)}`,
      `SELECT count(*) FROM taxi_zone_lookup WHERE locationid IN (${Array.from({ length: 10_000 }, (_, i) => i).join(', ')})`,
      `SELECT count(*) FROM (${Array.from({ length: 2_000 }, (_, i) => `SELECT ${i} AS x`).join(' UNION ALL ')}) t`,
      `SELECT length('${'x'.repeat(1024 * 1024)}')`,
      "SELECT 'never closed",
    ];
    const running = hostile.map((sql) => collect(sql));
    const simple = await withGuard(collect('SELECT count(*) FROM taxi_zone_lookup'), 'the simple query');
    expect(simple.error).toBeUndefined();
    expect(simple.rows).toEqual([[265]]);
    const results = await withGuard(Promise.all(running), 'the hostile statements');
    for (const r of results) {
      if (r.error !== undefined) {
        const e = r.error as { errorName?: string; message?: string };
        expect(e.errorName).not.toBe('GENERIC_INTERNAL_ERROR');
        expect(e.message).not.toMatch(/\n\s+at /);
      }
    }
    // And after them, the server still answers.
    expect((await withGuard(collect('SELECT 1'), 'the last query')).rows).toEqual([[1]]);
  });
});
