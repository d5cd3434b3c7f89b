/**
 * A group key clustered across the splits of a fragment's driving scan: footer statistics give every split a
 * [min, max] of the key's column, and those ranges overlap at few values (the data is sorted or bucketed by the
 * key: TPC-H lineitem by l_orderkey, a lake table written ORDER BY its id). A key value outside the overlaps
 * occurs in one split only, so the one worker that read that split saw every row of its group: the final step of
 * a partial aggregation need not merge it (clustered-final-exec.ts).
 */
import type { Split } from '../catalog/index.js';
import { inputsOf, type AggregateNode, type LogicalPlan, type ScanNode } from '../plan/index.js';
import { integerKeyWidth } from './hashing/integer-key.js';
import type { ColumnStats } from '../pruning/index.js';
import type { Scalar, SqlType } from '../types/index.js';

/**
 * The key values held by two or more splits: sorted, disjoint closed intervals [lo[k], hi[k]] of exact integers
 * (NULL keys are always treated as shared).
 */
export interface SharedKeys {
  readonly lo: Float64Array;
  readonly hi: Float64Array;
}

/** A clustered group key: its position among the aggregation's groups and the values its splits share. */
export interface ClusteredKey {
  readonly group: number;
  readonly shared: SharedKeys;
}

/**
 * The overlaps may cover at most this share of the key's whole range. Beyond it the data is not clustered (random
 * keys overlap everywhere) and the plain final aggregation is as good.
 */
const SHARED_WIDTH_MAX = 1 / 16;

/** Key kinds whose statistics and words are the same exact integers (dates: days since the epoch). */
export function clusterable(t: SqlType): boolean {
  return integerKeyWidth(t) > 0 && (t.kind === 'tinyint' || t.kind === 'smallint' || t.kind === 'integer' || t.kind === 'bigint' || t.kind === 'date');
}

export function exactInteger(v: Scalar | undefined): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : undefined;
  if (typeof v === 'bigint') return v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : undefined;
  return undefined;
}

/** The table column index `id` reads at `scan`, following it down through projections, filters and joins. */
export function scanColumnOf(p: LogicalPlan, id: number, scan: ScanNode): number | undefined {
  switch (p.kind) {
    case 'scan':
      return p === scan ? p.columns.find((c) => c.col.id === id)?.index : undefined;
    case 'filter':
    case 'join':
      for (const c of inputsOf(p)) {
        const at = scanColumnOf(c, id, scan);
        if (at !== undefined) return at;
      }
      return undefined;
    case 'project': {
      const item = p.items.find((i) => i.col.id === id);
      return item?.expr.kind === 'column' ? scanColumnOf(p.input, item.expr.id, scan) : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The values covered by two or more of `ranges` (closed integer intervals), or undefined when they cover more
 * than SHARED_WIDTH_MAX of the whole range.
 */
export function sharedKeys(ranges: readonly { readonly min: number; readonly max: number }[]): SharedKeys | undefined {
  if (ranges.length === 0) return undefined;
  const sorted = [...ranges].sort((a, b) => a.min - b.min);
  const lo: number[] = [];
  const hi: number[] = [];
  let reach = sorted[0]!.max;
  let width = 0;
  for (let k = 1; k < sorted.length; k++) {
    const r = sorted[k]!;
    if (r.min <= reach) {
      // [r.min, min(reach, r.max)] is covered by r and by an earlier range; merge it with the previous overlap.
      const end = Math.min(reach, r.max);
      if (lo.length > 0 && r.min <= hi[hi.length - 1]! + 1) {
        const last = hi.length - 1;
        if (end > hi[last]!) {
          width += end - hi[last]!;
          hi[last] = end;
        }
      } else {
        lo.push(r.min);
        hi.push(end);
        width += end - r.min + 1;
      }
    }
    if (r.max > reach) reach = r.max;
  }
  const whole = reach - sorted[0]!.min + 1;
  return width > whole * SHARED_WIDTH_MAX ? undefined : { lo: Float64Array.from(lo), hi: Float64Array.from(hi) };
}

/** Every split's [min, max] of a column (splits of only NULLs have none), or undefined when one is unknown. */
export function splitRanges(splits: readonly Split[], stats: (s: Split) => ColumnStats | undefined): { min: number; max: number }[] | undefined {
  const ranges: { min: number; max: number }[] = [];
  for (const s of splits) {
    const st = stats(s);
    if (st?.rows !== undefined && st.nullCount === st.rows) continue;
    const min = exactInteger(st?.min);
    const max = exactInteger(st?.max);
    if (min === undefined || max === undefined) return undefined;
    ranges.push({ min, max });
  }
  return ranges;
}

/**
 * A group key of `plan` (a partial aggregation over a fragment driven by `scan`, reading `splits`) that is a
 * column of the driving scan clustered across its splits, or undefined.
 */
export function clusteredKey(plan: AggregateNode, scan: ScanNode, splits: readonly Split[]): ClusteredKey | undefined {
  const stats = scan.table.splitStats?.bind(scan.table);
  if (stats === undefined || splits.length < 2) return undefined;
  for (let g = 0; g < plan.groups.length; g++) {
    const e = plan.groups[g]!.expr;
    if (e.kind !== 'column' || !clusterable(e.type)) continue;
    const col = scanColumnOf(plan.input, e.id, scan);
    if (col === undefined) continue;
    const ranges = splitRanges(splits, (s) => stats(s, col));
    if (ranges === undefined) continue;
    const shared = sharedKeys(ranges);
    if (shared !== undefined) return { group: g, shared };
  }
  return undefined;
}
