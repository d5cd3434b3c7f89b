import { validity, type Column, type SqlType } from '../../types/index.js';
import { doc } from '../function.js';
import type { AggregateFunction, GroupedAccumulator } from '../function.js';
import { growUint8, included } from './state.js';
import { GroupValueStore, storable } from './value-store.js';

/** arbitrary(x): the first non-NULL value each group meets. */
class ArbitraryAccumulator implements GroupedAccumulator {
  private readonly store: GroupValueStore;
  private seen: Uint8Array = new Uint8Array(0);
  constructor(type: SqlType) {
    this.store = new GroupValueStore(type);
  }

  update(args: readonly Column[], groupIds: Int32Array, rows: number, numGroups: number, mask: Uint8Array | null): void {
    this.store.grow(numGroups);
    this.seen = growUint8(this.seen, numGroups);
    const col = args[0]!;
    const valid = validity(col);
    const write = this.store.writer(col);
    const seen = this.seen;
    for (let i = 0; i < rows; i++) {
      const g = groupIds[i]!;
      if (seen[g] === 1 || !included(mask, valid, i)) continue;
      write(g, i);
      seen[g] = 1;
    }
  }

  finish(numGroups: number): Column {
    return this.store.finish(numGroups);
  }

  memoryBytes(): number {
    return this.store.memoryBytes() + this.seen.byteLength;
  }
}

/**
 * min_by(x, y) / max_by(x, y): the x of the row with the smallest / largest y. Rows with a NULL y are skipped; x
 * may be NULL (and is then the answer when its row wins). Ties keep the first row met.
 */
class ByAccumulator implements GroupedAccumulator {
  private readonly values: GroupValueStore;
  private readonly keys: GroupValueStore;
  private seen: Uint8Array = new Uint8Array(0);
  constructor(valueType: SqlType, keyType: SqlType, private readonly isMax: boolean) {
    this.values = new GroupValueStore(valueType);
    this.keys = new GroupValueStore(keyType);
  }

  update(args: readonly Column[], groupIds: Int32Array, rows: number, numGroups: number, mask: Uint8Array | null): void {
    this.values.grow(numGroups);
    this.keys.grow(numGroups);
    this.seen = growUint8(this.seen, numGroups);
    const x = args[0]!, y = args[1]!;
    const valid = validity(y);
    const writeValue = this.values.writer(x);
    const writeKey = this.keys.writer(y);
    const compare = this.keys.comparer(y);
    const seen = this.seen;
    const sign = this.isMax ? -1 : 1;
    for (let i = 0; i < rows; i++) {
      if (!included(mask, valid, i)) continue;
      const g = groupIds[i]!;
      if (seen[g] === 1 && sign * compare(g, i) >= 0) continue;
      writeKey(g, i);
      writeValue(g, i);
      seen[g] = 1;
    }
  }

  finish(numGroups: number): Column {
    return this.values.finish(numGroups);
  }

  memoryBytes(): number {
    return this.values.memoryBytes() + this.keys.memoryBytes() + this.seen.byteLength;
  }
}

function arbitrary(name: string): AggregateFunction {
  return {
    kind: 'aggregate',
    name,
    docs: [doc('T', 'T', 'An arbitrary non-NULL value of the group (the first one met)')],
    resolve(argTypes) {
      if (argTypes.length !== 1 || !storable(argTypes[0]!)) return undefined;
      const t = argTypes[0]!;
      return { argTypes: [t], returnType: t, create: () => new ArbitraryAccumulator(t) };
    },
  };
}

function by(name: 'min_by' | 'max_by'): AggregateFunction {
  const isMax = name === 'max_by';
  return {
    kind: 'aggregate',
    name,
    docs: [doc('T, U', 'T', `The value of x in the row with the ${isMax ? 'largest' : 'smallest'} non-NULL y`)],
    resolve(argTypes) {
      if (argTypes.length !== 2 || !storable(argTypes[0]!) || !storable(argTypes[1]!)) return undefined;
      const [x, y] = argTypes as [SqlType, SqlType];
      return { argTypes: [x, y], returnType: x, create: () => new ByAccumulator(x, y, isMax) };
    },
  };
}

/** [function, ...aliases] */
export const PICK_FUNCTIONS: readonly (readonly [AggregateFunction, ...string[]])[] = [
  [arbitrary('arbitrary')],
  [arbitrary('any_value')],
  [by('min_by')],
  [by('max_by')],
];
