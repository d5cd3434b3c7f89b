import {
  arrayType, concatColumns, decodeDictionary, isDictionary, makeListColumn, newBitmap, setBit, takeColumn,
  type Column, type SqlType,
} from '../../types/index.js';
import { doc } from '../function.js';
import type { AggregateFunction, GroupedAccumulator } from '../function.js';

/**
 * array_agg(x [ORDER BY …]): the values of each group, NULLs included, in the order rows arrive (the aggregation
 * operator sorts them first when the call has an ORDER BY); NULL for a group without rows. Updates keep the
 * included rows' columns and group ids; finish groups them once (a stable counting sort) and gathers by index.
 */
class ArrayAggAccumulator implements GroupedAccumulator {
  private readonly chunks: Column[][] = [];
  private gids = new Int32Array(16);
  private size = 0;
  private bytes = 0;

  constructor(private readonly argTypes: readonly SqlType[]) {}

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
    const kept = args.map((c) => (m === c.length ? c : takeColumn(c, sel, m)));
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
    const valid = newBitmap(numGroups);
    for (let g = 0; g < numGroups; g++) if (counts[g]! > 0) setBit(valid, g);
    let elements = n === 0 ? concatColumns([], type.element) : takeColumn(cols[0]!, order);
    if (isDictionary(elements)) elements = decodeDictionary(elements);
    return makeListColumn(type, numGroups, offsets, elements, valid);
  }

  memoryBytes(): number {
    return this.bytes + this.gids.byteLength;
  }
}

export const arrayAggFunction: AggregateFunction = {
  kind: 'aggregate',
  name: 'array_agg',
  docs: [doc('T', 'array(T)', 'array_agg(x [ORDER BY …]): the values of the group as an array, NULLs included')],
  resolve(argTypes, { star, distinct }) {
    if (star || distinct || argTypes.length !== 1) return undefined;
    return { argTypes, returnType: arrayType(argTypes[0]!), create: () => new ArrayAggAccumulator(argTypes) };
  },
};
