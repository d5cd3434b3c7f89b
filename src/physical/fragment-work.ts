/**
 * Whether a would-be fragment's partial aggregation would shrink its rows, from the driving scan's footer
 * statistics. parallel-planning.ts moves a fragment to worker threads only when its operators' work is large
 * (the rows they would see: estimate-rows.ts decodedRows) and, for a partial one, shrinks them, because the workers relieve the calling thread of its operators and
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
import type { Split } from '../catalog/index.js';
import type { AggregateNode, ScanNode } from '../plan/index.js';
import { clusterable, scanColumnOf, splitRanges } from './split-clustering.js';

/**
 * A partial aggregation is worth its workers only when each of its groups gathers several rows: one whose key
 * may give a group to every PARTIAL_ROWS_PER_GROUP_MIN-th row or more sends back nearly what it read, and the
 * calling thread merges it all again (q18 above).
 */
const PARTIAL_ROWS_PER_GROUP_MIN = 8;

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
