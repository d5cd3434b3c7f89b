/**
 * Assertions that what ParquetReader returned equals what DuckDB reads from the same file: every value, and the
 * statistics of every row group (against parquet_metadata() and against the data itself).
 */
import { expect } from 'vitest';
import { isNestedKind, type Scalar, type SqlType } from '../../../../../src/types/index.js';
import { duckTypes, oracleColumns, oracleStatistics, sameKey, scalarKey, type Oracle } from './duckdb-oracle.js';
import type { FileValues } from './read-all.js';

/** Scalar columns only: nested values are compared with DuckDB in test/differential/nested-parquet.test.ts. */
export async function expectValuesMatchDuckDB(o: Oracle, path: string, read: FileValues, skip: readonly string[] = [], where?: string): Promise<void> {
  const fields = read.reader.info.fields.filter((f) => !skip.includes(f.name) && !isNestedKind(f.type.kind));
  const types = await duckTypes(o, path);
  const expected = await oracleColumns(o, path, fields, where);
  for (const f of fields) {
    const duck = types.get(f.name) ?? '?';
    const ours = read.values.get(f.name)!.flat().map((v) => scalarKey(v, f.type, duck));
    const theirs = expected.get(f.name)!;
    expect(ours.length, `${f.name}: row count`).toBe(theirs.length);
    const bad = ours.findIndex((k, i) => !sameKey(k, theirs[i]!));
    if (bad >= 0) expect(`${f.name}[${bad}] = ${String(ours[bad])}`).toBe(`${f.name}[${bad}] = ${String(theirs[bad])}`);
  }
}

function compare(a: Scalar, b: Scalar): number {
  const x = a as number | bigint | string | boolean;
  const y = b as number | bigint | string | boolean;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** DuckDB writes a bound Shoal leaves out on purpose: NaN, or text where UTF-16 and byte order differ. */
function droppedOnPurpose(text: string | null, t: SqlType): boolean {
  if (text === null) return true;
  if (t.kind === 'real' || t.kind === 'double') return /nan/i.test(text);
  if (t.kind === 'varchar') return [...text].some((c) => c.charCodeAt(0) >= 0xd800);
  return false;
}

export async function expectStatisticsMatchDuckDB(o: Oracle, path: string, read: FileValues): Promise<void> {
  const { info } = read.reader;
  const types = await duckTypes(o, path);
  // Nested columns carry no statistics (pruning keeps every row group for them).
  for (const f of info.fields.filter((x) => isNestedKind(x.type.kind))) {
    for (const rg of info.rowGroups) expect(rg.columns.get(f.name)!.statistics, `${f.name}: statistics`).toEqual({});
  }
  const scalarFields = info.fields.filter((f) => !isNestedKind(f.type.kind));
  const all = await oracleStatistics(o, path, scalarFields, types);
  for (const f of scalarFields) {
    const duck = types.get(f.name) ?? '?';
    const theirs = all.get(f.name)!;
    expect(theirs.length).toBe(info.rowGroups.length);
    info.rowGroups.forEach((rg, i) => {
      const ours = rg.columns.get(f.name)!.statistics;
      const t = theirs[i]!;
      const where = `${f.name} in row group ${i}`;
      if (t.nullCount !== null) expect(ours.nullCount, `${where}: null count`).toBe(t.nullCount);
      if (t.min !== null && t.max !== null) {
        if (ours.min === undefined || ours.max === undefined) {
          expect(droppedOnPurpose(t.minText, f.type) || droppedOnPurpose(t.maxText, f.type), `${where}: bounds left out`).toBe(true);
        } else {
          expect(scalarKey(ours.min, f.type, duck), `${where}: min`).toEqual(t.min);
          expect(scalarKey(ours.max, f.type, duck), `${where}: max`).toEqual(t.max);
        }
      }
      expectBoundsHold(where, ours.min, ours.max, read.values.get(f.name)![i]!);
    });
  }
}

/** Every non-null, non-NaN value lies within [min, max]. */
export function expectBoundsHold(where: string, min: Scalar | undefined, max: Scalar | undefined, values: readonly Scalar[]): void {
  for (const v of values) {
    if (v === null || (typeof v === 'number' && Number.isNaN(v))) continue;
    // expect() only on failure: it is slow enough to dominate when called per value.
    if (min !== undefined && min !== null && compare(min, v) > 0) expect.fail(`${where}: min ${String(min)} > ${String(v)}`);
    if (max !== undefined && max !== null && compare(v, max) > 0) expect.fail(`${where}: ${String(v)} > max ${String(max)}`);
  }
}
