/**
 * What a would-be fragment's own operators would do, from the driving scan's footer statistics: the rows they
 * would see and whether a partial aggregation would shrink them. parallel-planning.ts moves a fragment to worker
 * threads only when that work is large, because the workers relieve the calling thread of its operators and
 * nothing else: the decoder workers already test a Parquet scan's integer and date ranges and its probe filters'
 * key bits at every thread count, and every fragment worker plans the query and builds the broadcast sides again.
 *
 * Measured at TPC-H SF1 on the 2-core machine class, two threads, best of three runs in three alternations: of the
 * eleven fragments the rule without this cut (partial: q01, q06, q11 twice, q14, q15, q18, q19; rows: q08, q17,
 * q21), only q01's paid (726 ms against 774 on the calling thread). The other queries took 3,524 ms with their
 * fragments against 3,114 without: q06's, q14's and q15's date ranges leave their operators 0.1-0.2M of lineitem's
 * 6M rows, q17's and q19's part keys fewer, q08's and q11's scans are small, q21's orders fragment sees 1.5M rows
 * (lost 0-20 ms), and q18's partial aggregation by l_orderkey sends back a quarter of its rows (lost 130 ms).
 */
import { internalError } from '../common/index.js';
import { decoderRowFilter, FileTable, rowFilterFormat, type Split } from '../catalog/index.js';
import type { RowFilterAtom } from '../formats/index.js';
import type { AggregateNode, ScanNode } from '../plan/index.js';
import type { ColumnStats } from '../pruning/index.js';
import { splitRows } from './estimate-rows.js';
import { clusterable, exactInteger, scanColumnOf, splitRanges } from './split-clustering.js';

/**
 * The share of a split's rows a test keeps when its statistics say nothing (the optimizer's guess for a
 * conjunct, see selectivity).
 */
const UNKNOWN_SHARE = 0.5;

/**
 * A partial aggregation is worth its workers only when each of its groups gathers several rows: one whose key
 * may give a group to every PARTIAL_ROWS_PER_GROUP_MIN-th row or more sends back nearly what it read, and the
 * calling thread merges it all again (q18 above).
 */
const PARTIAL_ROWS_PER_GROUP_MIN = 8;

/**
 * The share of a split's rows `atom` keeps, from the split's statistics of its column (`stats` by table column
 * index; the atom's column is named by that index, see decodedRows): a range keeps its overlap with [min, max] as
 * if the values spread evenly.
 */
function atomShare(atom: RowFilterAtom, stats: (col: number) => ColumnStats | undefined): number {
  switch (atom.kind) {
    case 'range': {
      const st = stats(Number(atom.column));
      const min = exactInteger(st?.min), max = exactInteger(st?.max);
      if (min === undefined || max === undefined) return UNKNOWN_SHARE;
      const lo = Math.max(atom.lo, min), hi = Math.min(atom.hi, max);
      return hi < lo ? 0 : (hi - lo + 1) / (max - min + 1);
    }
    case 'differenceRange':
      return UNKNOWN_SHARE;
    case 'notEqual':
    case 'keyBits':
      return 1;
    default: {
      const never: never = atom;
      throw internalError(`unknown row filter atom ${JSON.stringify(never)}`);
    }
  }
}

/**
 * `atoms` with the ranges over one column merged into their intersection: x >= a AND x < b keeps the rows
 * between a and b, not the product of the two shares.
 */
function intersectRanges(atoms: readonly RowFilterAtom[]): RowFilterAtom[] {
  const out: RowFilterAtom[] = [];
  const at = new Map<string, number>();
  for (const a of atoms) {
    if (a.kind !== 'range') {
      out.push(a);
      continue;
    }
    const i = at.get(a.column);
    const prev = i === undefined ? undefined : out[i];
    if (prev?.kind !== 'range') {
      at.set(a.column, out.length);
      out.push(a);
    } else {
      out[i!] = { ...prev, lo: Math.max(prev.lo, a.lo), hi: Math.min(prev.hi, a.hi) };
    }
  }
  return out;
}

/**
 * The rows of `splits` that reach the operators above `scan`: for a Parquet file table, what its decoder keeps of
 * each split after the range tests of the scan's filters (decoder-row-filter.ts), estimated from the split's
 * statistics; otherwise every row.
 */
export function decodedRows(scan: ScanNode, splits: readonly Split[]): number {
  const table = scan.table;
  if (!(table instanceof FileTable) || table.format !== 'parquet') return splitRows(splits);
  const byId = new Map(scan.columns.map((c) => [c.col.id, c]));
  const atoms = intersectRanges(decoderRowFilter(scan.filters, [], (id) => {
    const c = byId.get(id);
    const format = c === undefined ? undefined : rowFilterFormat(c.col.type);
    return c === undefined || format === undefined ? undefined : { name: String(c.index), format };
  }));
  let rows = 0;
  for (const s of splits) {
    let share = 1;
    for (const a of atoms) share *= atomShare(a, (col) => table.splitStats(s, col));
    rows += splitRows([s]) * share;
  }
  return rows;
}

/**
 * Whether a partial aggregation of `plan` over `rows` rows of `scan`'s `splits` may shrink them several times:
 * false when a group key is an integer or date column of the scan whose values, by the splits' [min, max], could
 * number more than rows / PARTIAL_ROWS_PER_GROUP_MIN (an id-like key, such as TPC-H lineitem's l_orderkey).
 * Keys the statistics say nothing about (strings, expressions) are taken to shrink.
 */
export function partialMayShrink(plan: AggregateNode, scan: ScanNode, splits: readonly Split[], rows: number): boolean {
  const stats = scan.table.splitStats?.bind(scan.table);
  if (stats === undefined) return true;
  for (const g of plan.groups) {
    const e = g.expr;
    if (e.kind !== 'column' || !clusterable(e.type)) continue;
    const col = scanColumnOf(plan.input, e.id, scan);
    if (col === undefined) continue;
    const ranges = splitRanges(splits, (s) => stats(s, col));
    if (ranges === undefined) continue;
    let values = 0;
    for (const r of ranges) values += r.max - r.min + 1;
    if (values * PARTIAL_ROWS_PER_GROUP_MIN > rows) return false;
  }
  return true;
}
