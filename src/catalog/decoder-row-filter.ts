/**
 * A Parquet scan's decoder row filter (formats/parquet/decoder/row-filter.ts): the conjuncts of its pushed-down
 * filters that compare an integer or date column with a constant or with another such column or test it against
 * an IN list of constants, and the armed probe filters' key bits, as atoms over the file's decoded columns.
 *
 * Contract: every atom drops only rows its source drops too. A scan's filters are conjuncts the Filter above it
 * applies to each row (NULL or false: the row goes; that is also why planning may prune row groups with them),
 * and a probe filter's bits drop the rows ProbeFilterExec drops (a NULL key never matches). Anything else, a
 * column read through a cast, or a constant that is not an exact integer within 2^52, yields no atom.
 */
import { conjuncts, type ColumnRef, type Expr } from '../expr/index.js';
import { ROW_FILTER_BOUND_MAX, type RowFilterAtom, type RowFilterFormat } from '../formats/index.js';
import type { Scalar, SqlType } from '../types/index.js';

/** An armed probe filter's build keys on a table column: the bit of value − min is set for each key. */
export interface ScanKeyBits {
  /** The table column (ScanRequest.projection's numbering). */
  readonly column: number;
  readonly min: number;
  readonly range: number;
  readonly bits: Uint8Array;
}

/** How the decoder returns a table column, when the worker can test it: its file name and Arrow format. */
export interface DecodedColumn {
  readonly name: string;
  readonly format: RowFilterFormat;
}

/** The format the decoder returns a column of this SQL type in, when it is one the worker tests. */
export function rowFilterFormat(type: SqlType): RowFilterFormat | undefined {
  switch (type.kind) {
    case 'integer': return 'i';
    case 'date': return 'tdD';
    case 'bigint': return 'l';
    default: return undefined;
  }
}

type Bound = { readonly lo: number; readonly hi: number } | { readonly notEqual: number };

const FLIPPED = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '=': '=', '<>': '<>' } as const;
const INTEGERS = new Set(['tinyint', 'smallint', 'integer', 'bigint']);

/** `value` as an exact integer within ROW_FILTER_BOUND_MAX, or undefined. */
function exactInteger(value: Scalar): number | undefined {
  const n = typeof value === 'bigint' ? Number(value) : typeof value === 'number' ? value : undefined;
  return n !== undefined && Number.isInteger(n) && Math.abs(n) <= ROW_FILTER_BOUND_MAX ? n : undefined;
}

/** The values `x op c` keeps (x an integer), or undefined for an operator it does not take. */
function boundOf(op: string, c: number): Bound | undefined {
  switch (op) {
    case '<': return { lo: -Infinity, hi: c - 1 };
    case '<=': return { lo: -Infinity, hi: c };
    case '>': return { lo: c + 1, hi: Infinity };
    case '>=': return { lo: c, hi: Infinity };
    case '=': return { lo: c, hi: c };
    case '<>': return { notEqual: c };
    default: return undefined;
  }
}

/** The literal's value as a bound for a column of type `column`, when both are integers or both dates. */
function constantFor(e: Expr, column: SqlType): number | undefined {
  if (e.kind !== 'literal') return undefined;
  const same = e.type.kind === column.kind || (INTEGERS.has(e.type.kind) && INTEGERS.has(column.kind));
  return same ? exactInteger(e.value) : undefined;
}

/**
 * An IN list spanning at most this many values becomes a bitmap of them (8 KiB); a wider one keeps the rows within
 * its smallest and largest value.
 */
const IN_LIST_BITS_MAX = 1 << 16;

/** `column IN (constants)` as key bits (NULLs in the list never match and drop out), or undefined. */
function inListAtom(e: Extract<Expr, { kind: 'in_list' }>, decoded: (column: ColumnRef) => DecodedColumn | undefined): RowFilterAtom | undefined {
  if (e.negated || e.operand.kind !== 'column') return undefined;
  const d = decoded(e.operand);
  if (d === undefined) return undefined;
  const values: number[] = [];
  for (const item of e.list) {
    if (item.kind === 'literal' && item.value === null) continue;
    const c = constantFor(item, e.operand.type);
    if (c === undefined) return undefined;
    values.push(c);
  }
  if (values.length === 0) return undefined;
  const min = Math.min(...values), max = Math.max(...values);
  const range = max - min + 1;
  if (range > IN_LIST_BITS_MAX) return { kind: 'range', column: d.name, format: d.format, lo: min, hi: max };
  const bits = new Uint8Array((range + 7) >> 3);
  for (const v of values) bits[(v - min) >> 3]! |= 1 << ((v - min) & 7);
  return { kind: 'keyBits', column: d.name, format: d.format, min, range, bits };
}

function atomOf(e: Expr, decoded: (column: ColumnRef) => DecodedColumn | undefined): RowFilterAtom | undefined {
  if (e.kind === 'in_list') return inListAtom(e, decoded);
  if (e.kind !== 'compare' || !(e.op in FLIPPED)) return undefined;
  const op = e.op as keyof typeof FLIPPED;
  const { left, right } = e;
  if (left.kind === 'column' && right.kind === 'column') {
    const a = decoded(left), b = decoded(right);
    if (a === undefined || b === undefined || a.format !== b.format || a.format === 'l' || left.type.kind !== right.type.kind) return undefined;
    // a op b as a − b op 0 (Int32 and Date32 differences are exact doubles).
    const bound = boundOf(op, 0);
    if (bound === undefined || 'notEqual' in bound) return undefined;
    return { kind: 'differenceRange', left: a.name, right: b.name, format: a.format, lo: bound.lo, hi: bound.hi };
  }
  const [column, constant, cmp] = left.kind === 'column' ? [left, right, op] : right.kind === 'column' ? [right, left, FLIPPED[op]] : [];
  if (column === undefined || constant === undefined || cmp === undefined) return undefined;
  const d = decoded(column);
  const c = constantFor(constant, column.type);
  if (d === undefined || c === undefined) return undefined;
  const bound = boundOf(cmp, c);
  if (bound === undefined) return undefined;
  return 'notEqual' in bound
    ? { kind: 'notEqual', column: d.name, format: d.format, value: bound.notEqual }
    : { kind: 'range', column: d.name, format: d.format, lo: bound.lo, hi: bound.hi };
}

/**
 * The atoms of a scan's filters and key bits over the columns `decoded` names (undefined: the worker cannot test
 * that table column in this file).
 */
export function decoderRowFilter(
  filters: readonly Expr[], keyBits: readonly ScanKeyBits[], decoded: (column: number) => DecodedColumn | undefined,
): RowFilterAtom[] {
  const atoms: RowFilterAtom[] = [];
  for (const f of filters) {
    for (const c of conjuncts(f)) {
      const atom = atomOf(c, (column) => decoded(column.id));
      if (atom !== undefined) atoms.push(atom);
    }
  }
  for (const k of keyBits) {
    const d = decoded(k.column);
    if (d !== undefined && Math.abs(k.min) <= ROW_FILTER_BOUND_MAX) atoms.push({ kind: 'keyBits', column: d.name, format: d.format, min: k.min, range: k.range, bits: k.bits });
  }
  return atoms;
}

/**
 * Whether the decoder of a Parquet scan tests `conjunct` itself when it is one of the scan's filters, as far as
 * planning can tell without the file: its columns decode in their type's own format (INT32, INT64 and DATE
 * columns do). For planners weighing work the decoder workers already do.
 */
export function decoderTests(conjunct: Expr): boolean {
  return atomOf(conjunct, (column) => {
    const format = rowFilterFormat(column.type);
    return format === undefined ? undefined : { name: column.name, format };
  }) !== undefined;
}
