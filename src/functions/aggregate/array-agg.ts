import {
  arrayType, compareValuesOfType, concatColumns, decodeDictionary, isDictionary, makeListColumn, newBitmap,
  scalarAt, setBit, takeColumn, type Column, type Scalar, type SqlType,
} from '../../types/index.js';
import type { AggregateFunction, AggregateOrder, GroupedAccumulator } from '../function.js';

/**
 * array_agg(x [ORDER BY k1 [DESC] [NULLS FIRST|LAST], …]): the values of each group, NULLs included, in input
 * order or sorted by the keys (ties keep input order); NULL for a group without rows. Updates keep the included
 * rows' columns and group ids; finish orders them once and gathers the elements by index.
 */
class ArrayAggAccumulator implements GroupedAccumulator {
  private readonly chunks: Column[][] = [];
  private gids = new Int32Array(16);
  private size = 0;
  private bytes = 0;

  constructor(private readonly argTypes: readonly SqlType[], private readonly order: readonly AggregateOrder[]) {}

  update(args: readonly Column[], groupIds: Int32Array, rows: number, _numGroups: number, mask: Uint8Array | null): void {
    const sel = new Int32Array(rows);
    let m = 0;
    for (let i = 0; i < rows; i++) if (mask === null || ((mask[i >>> 3]! >>> (i & 7)) & 1) === 1) sel[m++] = i;
    if (m === 0) return;
    if (this.size + m > this.gids.length) {
      const g = new Int32Array(Math.max(this.size + m, this.gids.length * 2));
      g.set(this.gids.subarray(0, this.size));
      this.gids = g;
    }
    for (let j = 0; j < m; j++) this.gids[this.size + j] = groupIds[sel[j]!]!;
    this.size += m;
    const kept = args.map((c) => (m === rows ? c : takeColumn(c, sel, m)));
    this.chunks.push(kept);
    this.bytes += kept.reduce((s, c) => s + c.byteLength, 0);
  }

  finish(numGroups: number): Column {
    const type = arrayType(this.argTypes[0]!) as SqlType & { kind: 'array' };
    const n = this.size;
    const cols = this.argTypes.map((t, k) => concatColumns(this.chunks.map((c) => c[k]!), t));
    const counts = new Int32Array(numGroups);
    for (let i = 0; i < n; i++) counts[this.gids[i]!]!++;
    const offsets = new Int32Array(numGroups + 1);
    for (let g = 0; g < numGroups; g++) offsets[g + 1] = offsets[g]! + counts[g]!;
    // Counting sort by group keeps input order within each group.
    const next = offsets.slice(0, numGroups);
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[next[this.gids[i]!]!++] = i;
    if (this.order.length > 0) this.sortGroups(order, offsets, cols, numGroups);
    const valid = newBitmap(numGroups);
    for (let g = 0; g < numGroups; g++) if (counts[g]! > 0) setBit(valid, g);
    let elements = n === 0 ? concatColumns([], type.element) : takeColumn(cols[0]!, order);
    if (isDictionary(elements)) elements = decodeDictionary(elements);
    return makeListColumn(type, numGroups, offsets, elements, valid);
  }

  /** Sorts each group's slice of `order` by the ORDER BY keys (slow path: keys are read as Scalars once). */
  private sortGroups(order: Int32Array, offsets: Int32Array, cols: readonly Column[], numGroups: number): void {
    const keys: Scalar[][] = this.order.map((_, k) => {
      const col = cols[k + 1]!, t = this.argTypes[k + 1]!;
      return Array.from({ length: this.size }, (_, i) => scalarAt(col, t, i));
    });
    const cmp = (a: number, b: number): number => {
      for (let k = 0; k < this.order.length; k++) {
        const o = this.order[k]!;
        const x = keys[k]![a]!, y = keys[k]![b]!;
        if (x === null || y === null) {
          if (x === y) continue;
          return (x === null) === o.nullsFirst ? -1 : 1;
        }
        const c = compareValuesOfType(x, y, this.argTypes[k + 1]!);
        if (c !== 0) return o.descending ? -c : c;
      }
      return a - b;
    };
    for (let g = 0; g < numGroups; g++) {
      const part = Array.from(order.subarray(offsets[g]!, offsets[g + 1]!)).sort(cmp);
      order.set(part, offsets[g]!);
    }
  }

  memoryBytes(): number {
    return this.bytes + this.gids.byteLength;
  }
}

export const arrayAggFunction: AggregateFunction = {
  kind: 'aggregate',
  name: 'array_agg',
  docs: [{ signature: 'array_agg(x [ORDER BY key, …]) → array(T)', description: 'The values of the group as an array, NULLs included' }],
  resolve(argTypes, { star, distinct, orderBy }) {
    const order = orderBy ?? [];
    if (star || distinct || argTypes.length !== 1 + order.length) return undefined;
    return { argTypes, returnType: arrayType(argTypes[0]!), create: () => new ArrayAggAccumulator(argTypes, order) };
  },
};
