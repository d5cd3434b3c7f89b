import { assertNever, internalError } from '../common/index.js';
import { conjuncts, type Expr } from '../expr/index.js';
import { decoderRowFilter, FileTable, rowFilterFormat, type Split } from '../catalog/index.js';
import type { RowFilterAtom, RowFilterFormat } from '../formats/index.js';
import type { LogicalPlan, ScanNode } from '../plan/index.js';
import type { ColumnStats } from '../pruning/index.js';
import { exactInteger } from './split-clustering.js';

/**
 * Row-count estimates for choosing a hash join's build side. The rules are coarse and only need to rank the two
 * inputs of a join: scans count the rows of the kept row groups (CSV: bytes / 100), each filter conjunct keeps
 * half (an equality a tenth), a grouped aggregation a tenth, UNNEST makes four rows of each. The one use of
 * column statistics: a Filter right above a Parquet scan counts its integer and date ranges from the row groups'
 * min/max (filterOverScanRows), as the decoder workers apply them.
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

/**
 * The share of a split's rows a test keeps when its statistics say nothing (the optimizer's guess for a
 * conjunct, see selectivity).
 */
const UNKNOWN_SHARE = 0.5;

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
    case 'keyBits': {
      // An IN list's values within [min, max], as many rows each as an even spread gives them.
      const st = stats(Number(atom.column));
      const min = exactInteger(st?.min), max = exactInteger(st?.max);
      if (min === undefined || max === undefined) return UNKNOWN_SHARE;
      let kept = 0;
      for (let v = Math.max(min, atom.min); v <= Math.min(max, atom.min + atom.range - 1); v++) {
        const d = v - atom.min;
        kept += (atom.bits[d >> 3]! >> (d & 7)) & 1;
      }
      return kept / (max - min + 1);
    }
    case 'differenceRange':
      return UNKNOWN_SHARE;
    case 'notEqual':
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
 * How the decoder returns `scan`'s output column `id`, when it can test it: named by its table column index (so
 * that atomShare finds the column's statistics), in its Arrow format.
 */
function decodedColumnOf(scan: ScanNode): (id: number) => { readonly name: string; readonly format: RowFilterFormat } | undefined {
  const byId = new Map(scan.columns.map((c) => [c.col.id, c]));
  return (id) => {
    const c = byId.get(id);
    const format = c === undefined ? undefined : rowFilterFormat(c.col.type);
    return c === undefined || format === undefined ? undefined : { name: String(c.index), format };
  };
}

/**
 * The rows of `splits` that reach the operators above `scan`: for a Parquet file table, what its decoder keeps of
 * each split after the range tests of `filters` (the scan's, by default; decoder-row-filter.ts), estimated from
 * the split's statistics; otherwise every row.
 */
export function decodedRows(scan: ScanNode, splits: readonly Split[], filters: readonly Expr[] = scan.filters): number {
  const table = scan.table;
  if (!(table instanceof FileTable) || table.format !== 'parquet') return splitRows(splits);
  const atoms = intersectRanges(decoderRowFilter(filters, [], decodedColumnOf(scan)));
  let rows = 0;
  for (const s of splits) {
    let share = 1;
    for (const a of atoms) share *= atomShare(a, (col) => table.splitStats(s, col));
    rows += splitRows([s]) * share;
  }
  return rows;
}

/**
 * The estimate of a Filter right above a Parquet scan: the conjuncts the decoder tests as integer or date ranges
 * count from the splits' statistics (decodedRows), the others as estimateRows counts them. TPC-H q14's month of
 * lineitem is 72k rows, not the 1.5M two halves make, and its join builds it rather than the 200k parts.
 */
export function filterOverScanRows(predicate: Expr, scan: ScanNode, splits: readonly Split[]): number | undefined {
  if (!(scan.table instanceof FileTable) || scan.table.format !== 'parquet') return undefined;
  const decoded = decodedColumnOf(scan);
  const ranged: Expr[] = [];
  let share = 1;
  for (const c of conjuncts(predicate)) {
    if (decoderRowFilter([c], [], decoded).some((a) => a.kind === 'range' || a.kind === 'keyBits')) ranged.push(c);
    else share *= conjunctShare(c);
  }
  return Math.max(1, decodedRows(scan, splits, ranged) * share);
}
