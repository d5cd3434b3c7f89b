import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { afterAll, expect, test } from 'vitest';
import { Shoal } from '../../../src/index.js';
import { newMetrics, newProgress } from '../../../src/physical/execution-plan.js';
import { QueryMemory } from '../../../src/physical/query-memory.js';
import { SpillFile } from '../../../src/physical/spill-file.js';
import { partitionOf, SPILL_PARTITIONS } from '../../../src/physical/spill-partition.js';
import { KeyHasher } from '../../../src/physical/spill-key-hash.js';
import {
  VARCHAR, batchColumn, decodeDictionary, makeBatch, makeDictionaryColumn, scalarAt, stringColumnFromValues, type ColumnField, type Scalar,
} from '../../../src/types/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'shoal-spill-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function rowsOf(batches: readonly RecordBatch[], fields: readonly ColumnField[]): Scalar[][] {
  const out: Scalar[][] = [];
  for (const b of batches) for (let r = 0; r < b.numRows; r++) out.push(fields.map((f, i) => scalarAt(batchColumn(b, i), f.type, r)));
  return out;
}

test('batches of every kind of column round-trip through a spill file, then the file is gone', async () => {
  const session = (await Shoal.open()).session();
  const result = await session.query(`SELECT * FROM (VALUES
    (1, 'a', DECIMAL '12345678901234567890.25', ARRAY[1, NULL, 3], TIMESTAMP '2024-01-01 10:00:00.123456', DATE '2024-02-29', 1.5e0, true, CAST(NULL AS varchar), ROW(1, 'x')),
    (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'z', NULL),
    (-7, '', DECIMAL '-0.01', ARRAY[], TIMESTAMP '1969-12-31 23:59:59', DATE '1900-01-01', -0e0, false, 'é', ROW(NULL, NULL))
  ) AS v(i, s, d, a, ts, dt, f, b, n, r)`);
  const batches: RecordBatch[] = [];
  for await (const b of result) batches.push(b);
  // A dictionary-coded string column with NULLs, as Parquet scans produce.
  const dictFields: ColumnField[] = [{ name: 'k', type: VARCHAR, nullable: true }];
  const dict = makeDictionaryColumn(4, Int32Array.of(1, 0, 1, 2), stringColumnFromValues(['x', 'yy', 'zzz']), Uint8Array.of(0b1101));
  const dictBatch = makeBatch(dictFields, [dict], 4);

  const memory = new QueryMemory({ limitBytes: 0, limitText: '0B', spillPath: dir }, newProgress());
  const metrics = newMetrics();
  const reservation = memory.reservation('Test', metrics);
  const f = SpillFile.create(memory.spill, 'test', reservation);
  const g = SpillFile.create(memory.spill, 'dict', reservation);
  try {
    for (const b of batches) await f.append(b);
    await f.append(batches[0]!);
    await g.append(dictBatch);
    await g.append(makeBatch(dictFields, [decodeDictionary(dict)], 4));
    await f.finish();
    await g.finish();
    expect(metrics.spilledBytes).toBe(f.bytes + g.bytes);
    const back: RecordBatch[] = [];
    for await (const b of f.read()) back.push(b);
    expect(rowsOf(back, result.fields)).toEqual([...rowsOf(batches, result.fields), ...rowsOf(batches, result.fields)]);
    const dictBack: RecordBatch[] = [];
    for await (const b of g.read()) dictBack.push(b);
    const once = [['yy'], [null], ['yy'], ['zzz']];
    expect(rowsOf(dictBack, dictFields)).toEqual([...once, ...once]);
  } finally {
    await f.delete();
    await g.delete();
  }
  expect(readdirSync(memory.spill.directory!)).toEqual([]);
  memory.dispose();
  expect(readdirSync(dir)).toEqual([]);
});

test('equal keys hash alike whether dictionary-coded or plain, and partitions differ by level', () => {
  const hasher = new KeyHasher([VARCHAR], true);
  const dict = makeDictionaryColumn(4, Int32Array.of(1, 0, 1, 2), stringColumnFromValues(['x', 'yy', 'zzz']), Uint8Array.of(0b1101));
  const a = hasher.hash([dict], 4);
  const b = hasher.hash([decodeDictionary(dict)], 4);
  expect(Array.from(a)).toEqual(Array.from(b));
  expect(a[0]).toBe(a[2]);
  const parts = new Set<string>();
  for (let h = 0; h < 1000; h++) parts.add(`${partitionOf(h * 2654435761, 0)}/${partitionOf(h * 2654435761, 1)}`);
  // Level 1 splits each level-0 partition again.
  expect(parts.size).toBeGreaterThan(SPILL_PARTITIONS * 4);
});
