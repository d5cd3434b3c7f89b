import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { Shoal, ShoalError, formatError, type Session } from '../../src/index.js';
import { formatValue } from '../../src/engine/index.js';
import { errorMatches, parseSlt, rowsEqual, type SltRecord } from '../support/slt.js';
import { REPO_ROOT, SAMPLE_CATALOG } from '../support/paths.js';

/**
 * Runs every test/slt/**\/*.slt file, each in a fresh session on the bundled sample catalog (default lake.nyc).
 * With SHOAL_SLT_COMPLETE=1 the expected blocks of query records are rewritten from actual results (review the
 * diff before committing).
 */
const COMPLETE = process.env['SHOAL_SLT_COMPLETE'] === '1';
const DIR = import.meta.dirname;

function sltFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((n) => {
    const full = path.join(dir, n);
    return statSync(full).isDirectory() ? sltFiles(full) : n.endsWith('.slt') ? [full] : [];
  });
}

async function resultLines(session: Session, sql: string): Promise<string[]> {
  const result = await session.query(sql);
  const rows = await result.rowsAsScalars();
  return rows.map((r) => r.map((v, i) => {
    const text = formatValue(v, result.fields[i]!.type);
    return text === null ? 'NULL' : text === '' ? '(empty)' : text;
  }).join('\t'));
}

for (const file of sltFiles(DIR)) {
  const rel = path.relative(DIR, file);
  const text = readFileSync(file, 'utf8');
  const records = parseSlt(text, rel);
  const rewrites: { range: readonly [number, number]; lines: string[] }[] = [];
  describe(rel, () => {
    let session: Session | undefined;
    const getSession = async (): Promise<Session> => {
      if (session === undefined) {
        const shoal = await Shoal.open({ catalogDir: SAMPLE_CATALOG, cwd: REPO_ROOT });
        session = shoal.session({ catalog: 'lake', schema: 'nyc' });
      }
      return session;
    };
    afterAll(() => {
      if (!COMPLETE || rewrites.length === 0) return;
      const lines = text.split('\n');
      for (const r of [...rewrites].sort((a, b) => b.range[0] - a.range[0])) lines.splice(r.range[0], r.range[1] - r.range[0], ...r.lines);
      writeFileSync(file, lines.join('\n'));
    });
    for (const rec of records) {
      test(`line ${rec.line}: ${rec.sql.split('\n')[0]!.slice(0, 70)}`, async () => {
        await runRecord(await getSession(), rec, rewrites);
      });
    }
  });
}

async function runRecord(session: Session, rec: SltRecord, rewrites: { range: readonly [number, number]; lines: string[] }[]): Promise<void> {
  switch (rec.kind) {
    case 'statement_ok': {
      const r = await session.query(rec.sql);
      for await (const _ of r) { /* drain */ }
      return;
    }
    case 'statement_error': {
      let error: unknown;
      try {
        const r = await session.query(rec.sql);
        for await (const _ of r) { /* drain */ }
      } catch (e) {
        error = e;
      }
      expect(error, 'statement should have failed').toBeInstanceOf(ShoalError);
      const e = error as ShoalError;
      const message = `${e.code}: ${e.describe()}`;
      expect(errorMatches(rec.pattern, message), `error '${message}' does not match ${rec.pattern}`).toBe(true);
      expect(e.describe(), 'messages are never stack traces').not.toMatch(/\n\s+at /);
      if (rec.expectedText !== undefined) expect(formatError(e, rec.sql)).toBe(rec.expectedText);
      return;
    }
    case 'query': {
      let lines = await resultLines(session, rec.sql);
      let expected = [...rec.expected];
      if (rec.sort === 'rowsort') {
        lines = [...lines].sort();
        expected = [...expected].sort();
      }
      if (COMPLETE) {
        rewrites.push({ range: rec.expectedRange, lines });
        return;
      }
      const ok = lines.length === expected.length && lines.every((l, i) => rowsEqual(l, expected[i]!, rec.types));
      if (!ok) expect(lines.join('\n')).toBe(expected.join('\n'));
    }
  }
}
