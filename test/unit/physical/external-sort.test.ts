import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { columnRef, compileExpr } from '../../../src/expr/index.js';
import { SortRuns } from '../../../src/physical/external-sort.js';
import { newMetrics, newProgress } from '../../../src/physical/execution-plan.js';
import { QueryMemory } from '../../../src/physical/query-memory.js';
import { INTEGER, batchColumn, makeColumn, scalarAt, toArrowSchema, type ColumnField } from '../../../src/types/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'shoal-external-sort-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fields: ColumnField[] = [{ name: 'k', type: INTEGER, nullable: false }];

test('the merge counts the batches it holds in the sort reservation, and gives them back as runs end', async () => {
  const progress = newProgress();
  const memory = new QueryMemory({ limitBytes: 0, limitText: '0B', spillPath: dir }, progress);
  const metrics = newMetrics();
  const reservation = memory.reservation('Sort', metrics);
  const key = compileExpr(columnRef(1, 'k', INTEGER), new Map([[1, 0]]), { timeZone: 'UTC', queryStartMicros: 0n });
  const runs = new SortRuns(memory.spill, reservation, toArrowSchema(fields), [INTEGER], [key], [{ type: INTEGER, descending: false, nullsFirst: false }], 100);
  // Three sorted runs of 1,000 rows interleaved (r, r+3, r+6, …) and an in-memory last run.
  for (let r = 0; r < 3; r++) {
    const v = new Int32Array(1000);
    for (let i = 0; i < v.length; i++) v[i] = r + 3 * i;
    await runs.spillRun([makeColumn(INTEGER, v.length, v)], v.length);
  }
  const last = Int32Array.from({ length: 10 }, (_, i) => 5000 + i);
  const lastBytes = last.byteLength;
  reservation.set(lastBytes);
  const seen: number[] = [];
  let most = 0;
  for await (const b of runs.merge([makeColumn(INTEGER, last.length, last)], last.length)) {
    most = Math.max(most, reservation.bytes);
    const c = batchColumn(b, 0);
    for (let i = 0; i < b.numRows; i++) seen.push(scalarAt(c, INTEGER, i) as number);
  }
  expect(seen).toEqual([...Array.from({ length: 3000 }, (_, i) => i), ...last]);
  // While merging: the last run, plus one 100-row batch (its values and its key) per spilled run.
  expect(most).toBeGreaterThanOrEqual(lastBytes + 3 * 2 * 100 * 4);
  expect(metrics.peakMemoryBytes).toBeGreaterThanOrEqual(most);
  expect(reservation.bytes).toBe(lastBytes);
  expect(progress.memoryBytes).toBe(lastBytes);
  reservation.release();
  expect(progress.memoryBytes).toBe(0);
  // The run files are gone once merged; the query's spill directory goes with the query.
  const [queryDir] = readdirSync(dir);
  expect(readdirSync(path.join(dir, queryDir!))).toEqual([]);
  memory.dispose();
  expect(readdirSync(dir)).toEqual([]);
});
