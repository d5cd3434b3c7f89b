import { assertNever } from '../common/index.js';
import { conjuncts, type Expr } from '../expr/index.js';
import type { Split } from '../catalog/index.js';
import type { LogicalPlan } from '../plan/index.js';

/**
 * Row-count estimates for choosing a hash join's build side. There are no column statistics yet, so the rules
 * are coarse and only need to rank the two inputs of a join: scans count the rows of the kept row groups (CSV:
 * bytes / 100), each filter conjunct keeps half (an equality a tenth), a grouped aggregation a tenth, UNNEST
 * makes four rows of each.
 */
const CSV_BYTES_PER_ROW = 100;

/** The share of rows one filter conjunct keeps: an equality a tenth, anything else half. */
function conjunctShare(c: Expr): number {
  return c.kind === 'compare' && c.op === '=' ? 0.1 : 0.5;
}

export function splitRows(splits: readonly Split[]): number {
  let n = 0;
  for (const s of splits) {
    switch (s.kind) {
      case 'parquet':
      case 'memory':
        n += s.rows;
        break;
      case 'csv':
        n += Math.ceil(s.bytes / CSV_BYTES_PER_ROW);
        break;
      default:
        assertNever(s, 'split');
    }
  }
  return n;
}

/** The estimate of `p` from its inputs' estimates (`scanRows` for scans). */
export function estimateRows(p: LogicalPlan, inputs: readonly number[], scanRows: number): number {
  switch (p.kind) {
    // The rows of the kept splits (partition and row-group pruning are in them); the scan's filters are copies of
    // the Filter above it, which counts them.
    case 'scan':
      return Math.max(1, scanRows);
    case 'values': return p.rows.length;
    case 'filter': {
      let n = inputs[0]!;
      for (const c of conjuncts(p.predicate)) n *= conjunctShare(c);
      return Math.max(1, n);
    }
    case 'project':
    case 'sort':
      return inputs[0]!;
    case 'limit': return Math.min(inputs[0]!, p.fetch ?? Infinity);
    case 'aggregate': return p.groups.length === 0 ? 1 : Math.max(1, inputs[0]! * 0.1);
    case 'join':
      switch (p.joinType) {
        case 'inner': return Math.max(inputs[0]!, inputs[1]!);
        case 'left':
        case 'mark':
          return inputs[0]!;
        case 'full': return inputs[0]! + inputs[1]!;
        case 'cross': return inputs[0]! * inputs[1]!;
        default: return assertNever(p.joinType, 'join type');
      }
    case 'union': return inputs.reduce((a, b) => a + b, 0);
    case 'unnest': return inputs[0]! * 4;
    case 'window': return inputs[0]!;
    default: return assertNever(p, 'plan node');
  }
}
