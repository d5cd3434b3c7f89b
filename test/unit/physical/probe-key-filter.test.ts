import { describe, expect, test } from 'vitest';
import type { RecordBatch } from 'apache-arrow';
import type { TaskContext } from '../../../src/physical/execution-plan.js';
import { ProbeFilterExec, ProbeKeyFilter } from '../../../src/physical/probe-key-filter.js';
import { ReplayExec } from '../../../src/physical/runtime-key-filter.js';
import { schemaOf } from '../../../src/physical/batch-utils.js';
import { BIGINT, INTEGER, clearBit, makeBatch, makeColumn, newBitmap, scalarAt, type Column, type SqlType } from '../../../src/types/index.js';

const ctx = { signal: undefined, batchSize: 8192 } as unknown as TaskContext;

function column(type: SqlType, values: readonly (number | bigint | null)[]): Column {
  const valid = newBitmap(values.length, true);
  values.forEach((v, i) => { if (v === null) clearBit(valid, i); });
  const hasNull = values.includes(null);
  if (type === BIGINT) return makeColumn(type, values.length, BigInt64Array.from(values, (v) => BigInt(v ?? 0)), hasNull ? valid : null);
  return makeColumn(type, values.length, Int32Array.from(values, (v) => Number(v ?? 0)), hasNull ? valid : null);
}

async function run(type: SqlType, probe: readonly (number | bigint | null)[], filter: ProbeKeyFilter, side: 0 | 1): Promise<unknown[]> {
  const col = { id: 1, name: 'k', type };
  const batch: RecordBatch = makeBatch(schemaOf([col]), [column(type, probe)], probe.length);
  const exec = new ProbeFilterExec(new ReplayExec([col], [batch], undefined), [{ filter, side, key: 0, column: 0 }]);
  const out: unknown[] = [];
  for await (const b of exec.execute(ctx)) for (let i = 0; i < b.numRows; i++) out.push(scalarAt(b.data.children[0]!, type, i));
  return out;
}

describe('ProbeKeyFilter', () => {
  test('keeps the probe rows whose key some build row has: NULLs, both ends of the range, outside it', async () => {
    for (const type of [INTEGER, BIGINT]) {
      const f = new ProbeKeyFilter();
      f.probeSide = 0;
      f.arm([type], [column(type, [-3, 10, null, 7, 10])], 5);
      const got = await run(type, [-4, -3, 0, 7, 10, 11, null, 7, 2 ** 31 - 1], f, 0);
      expect(got.map(String)).toEqual(['-3', '7', '10', '7']);
    }
  });

  test('64-bit keys past 2^53 whose low words fall in the range are dropped', async () => {
    const f = new ProbeKeyFilter();
    f.probeSide = 1;
    f.arm([BIGINT], [column(BIGINT, [5n, 9n])], 2);
    const got = await run(BIGINT, [5n, 2n ** 60n + 5n, -(2n ** 60n) + 9n, 2n ** 53n + 5n, 9n], f, 1);
    expect(got.map(String)).toEqual(['5', '9']);
    // A negative range within one high word: values with the same low word under another high word are dropped.
    const neg = new ProbeKeyFilter();
    neg.probeSide = 1;
    neg.arm([BIGINT], [column(BIGINT, [-100n, -60n, null])], 3);
    const got2 = await run(BIGINT, [-100n, -60n, -61n, -101n, -59n, 2n ** 32n - 100n, -(2n ** 32n) - 100n, null, -100n], neg, 1);
    expect(got2.map(String)).toEqual(['-100', '-60', '-100']);
  });

  test('unarmed, on the build side, or over a range too wide for a bitmap: every row passes', async () => {
    const probe = [1, 2, 3, null];
    const unarmed = new ProbeKeyFilter();
    unarmed.probeSide = 0;
    expect(await run(INTEGER, probe, unarmed, 0)).toHaveLength(4);
    const build = new ProbeKeyFilter();
    build.probeSide = 1;
    build.arm([INTEGER], [column(INTEGER, [1])], 1);
    expect(await run(INTEGER, probe, build, 0)).toHaveLength(4);
    const wide = new ProbeKeyFilter();
    wide.probeSide = 0;
    wide.arm([BIGINT], [column(BIGINT, [1n, 2n ** 40n])], 2);
    expect(await run(BIGINT, [1n, 2n, 3n, null], wide, 0)).toHaveLength(4);
  });

  test('a filter that keeps most rows stops testing after a while (what passes is a superset of the matches)', async () => {
    const f = new ProbeKeyFilter();
    f.probeSide = 0;
    f.arm([INTEGER], [column(INTEGER, Array.from({ length: 100 }, (_, i) => i))], 100);
    const probe = Array.from({ length: 200_000 }, (_, i) => (i % 10 === 0 ? 1000 + i : i % 100));
    const got = await run(INTEGER, probe, f, 0);
    expect(got.length).toBeGreaterThanOrEqual(180_000);
    expect(got.length).toBeLessThan(200_000);
  });
});
