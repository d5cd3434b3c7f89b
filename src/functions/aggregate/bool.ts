import {
  BIGINT, BOOLEAN, float64ToInt64, getBit, makeColumn, newBitmap, setBit, validity, type Column,
} from '../../types/index.js';
import { doc } from '../function.js';
import type { AggregateFunction, GroupedAccumulator } from '../function.js';
import { growFloat64, included } from './state.js';

type BoolResult = 'and' | 'or' | 'count_if';

/**
 * Counts of TRUE and FALSE values per group, from which bool_and, bool_or and count_if are read. Counting (rather
 * than keeping a flag) lets rows be taken back out for sliding window frames.
 */
class TruthCounts implements GroupedAccumulator {
  private trues: Float64Array = new Float64Array(0);
  private falses: Float64Array = new Float64Array(0);
  constructor(private readonly result: BoolResult) {}

  private fold(args: readonly Column[], groupIds: Int32Array, rows: number, numGroups: number, mask: Uint8Array | null, step: 1 | -1): void {
    this.trues = growFloat64(this.trues, numGroups);
    this.falses = growFloat64(this.falses, numGroups);
    const col = args[0]!;
    const v = col.values as Uint8Array;
    const valid = validity(col);
    for (let i = 0; i < rows; i++) {
      if (!included(mask, valid, i)) continue;
      const g = groupIds[i]!;
      if (getBit(v, i)) this.trues[g] = this.trues[g]! + step;
      else this.falses[g] = this.falses[g]! + step;
    }
  }

  update(args: readonly Column[], groupIds: Int32Array, rows: number, numGroups: number, mask: Uint8Array | null): void {
    this.fold(args, groupIds, rows, numGroups, mask, 1);
  }

  remove(args: readonly Column[], groupIds: Int32Array, rows: number, numGroups: number, mask: Uint8Array | null): void {
    this.fold(args, groupIds, rows, numGroups, mask, -1);
  }

  finish(numGroups: number): Column {
    const t = growFloat64(this.trues, numGroups), f = growFloat64(this.falses, numGroups);
    if (this.result === 'count_if') return makeColumn(BIGINT, numGroups, float64ToInt64(t.subarray(0, numGroups), numGroups), null);
    const bits = newBitmap(numGroups);
    const valid = newBitmap(numGroups);
    let nulls = 0;
    for (let g = 0; g < numGroups; g++) {
      if (t[g]! + f[g]! === 0) {
        nulls++;
        continue;
      }
      setBit(valid, g);
      if (this.result === 'and' ? f[g] === 0 : t[g]! > 0) setBit(bits, g);
    }
    return makeColumn(BOOLEAN, numGroups, bits, nulls === 0 ? null : valid);
  }

  memoryBytes(): number {
    return this.trues.byteLength * 2;
  }
}

function truthAggregate(name: string, result: BoolResult, description: string): AggregateFunction {
  return {
    kind: 'aggregate',
    name,
    docs: [doc('boolean', result === 'count_if' ? 'bigint' : 'boolean', description)],
    resolve(argTypes) {
      if (argTypes.length !== 1 || (argTypes[0]!.kind !== 'boolean' && argTypes[0]!.kind !== 'unknown')) return undefined;
      return { argTypes: [BOOLEAN], returnType: result === 'count_if' ? BIGINT : BOOLEAN, create: () => new TruthCounts(result) };
    },
  };
}

/** [function, ...aliases] */
export const BOOL_FUNCTIONS: readonly (readonly [AggregateFunction, ...string[]])[] = [
  [truthAggregate('bool_and', 'and', 'TRUE when every non-NULL value is TRUE; NULL when there is none'), 'every'],
  [truthAggregate('bool_or', 'or', 'TRUE when any non-NULL value is TRUE; NULL when there is none')],
  [truthAggregate('count_if', 'count_if', 'Number of TRUE values')],
];
