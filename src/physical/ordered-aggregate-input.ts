import type { GroupedAccumulator } from '../functions/index.js';
import { INTEGER, concatColumns, getBit, makeColumn, takeColumn, type Column, type SqlType } from '../types/index.js';
import { sortPermutation, type SortSpec } from './sort-exec.js';

/**
 * Input of an ordered aggregate (listagg … WITHIN GROUP (ORDER BY …), agg(x ORDER BY y)): accumulators fold rows
 * in arrival order, so the rows that take part (after FILTER and DISTINCT) are buffered with their group ids and
 * sort keys, and fed in one call at the end, sorted by group then by the keys (stable, so ties keep input order).
 */
export class OrderedAggregateInput {
  private readonly gids: Column[] = [];
  private readonly args: Column[][] = [];
  private readonly keys: Column[][] = [];
  private rows = 0;
  private bytes = 0;

  constructor(private readonly argTypes: readonly SqlType[], private readonly specs: readonly SortSpec[]) {}

  /** Buffers rows i < n with `mask` bit set (all rows when null). */
  add(gids: Int32Array, args: readonly Column[], keys: readonly Column[], n: number, mask: Uint8Array | null): void {
    let sel: Int32Array | null = null;
    let m = n;
    if (mask !== null) {
      sel = new Int32Array(n);
      m = 0;
      for (let i = 0; i < n; i++) if (getBit(mask, i)) sel[m++] = i;
      if (m === 0) return;
    }
    const take = (c: Column): Column => (sel === null ? c : takeColumn(c, sel, m));
    const g = sel === null ? gids.slice(0, n) : Int32Array.from(sel.subarray(0, m), (i) => gids[i]!);
    this.gids.push(makeColumn(INTEGER, m, g));
    this.args.push(args.map(take));
    this.keys.push(keys.map(take));
    this.rows += m;
    this.bytes += m * 8 * (1 + args.length + keys.length);
  }

  memoryBytes(): number {
    return this.bytes;
  }

  /** Feeds every buffered row to `acc` in order. */
  feed(acc: GroupedAccumulator, numGroups: number): void {
    if (this.rows === 0) return;
    const n = this.rows;
    const gids = concatColumns(this.gids, INTEGER);
    const keys = this.specs.map((s, k) => concatColumns(this.keys.map((b) => b[k]!), s.type));
    const args = this.argTypes.map((t, k) => concatColumns(this.args.map((b) => b[k]!), t));
    const perm = sortPermutation([gids, ...keys], [{ type: INTEGER, descending: false, nullsFirst: false }, ...this.specs], n);
    const g = gids.values as Int32Array;
    acc.update(args.map((c) => takeColumn(c, perm, n)), Int32Array.from(perm, (i) => g[i]!), n, numGroups, null);
  }
}
