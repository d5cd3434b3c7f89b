import { evaluateConstant, type CompareOp, type EvalContext, type Expr } from '../expr/index.js';
import { compareValuesOfType, type Scalar, type SqlType } from '../types/index.js';
import type { ColumnStats, StatsLookup } from './value-stats.js';

/**
 * Whether no row of a unit of data (partition, file, row group) can satisfy `predicate`, judged from per-column
 * min/max/null counts. Conservative: anything not understood, or stats missing, means "cannot skip".
 * Understood: AND, OR, NOT (pushed through AND/OR and into comparisons) of comparisons between a column and a
 * constant (=, <>, <, <=, >, >=, either side), BETWEEN (bound as AND), IN lists, IS [NOT] NULL, and constant
 * predicates — where "a column" may also be a cast of one between numeric types or from date to timestamp
 * (the binder's coercions, which preserve order).
 */
export function canSkip(predicate: Expr, stats: StatsLookup, ctx: EvalContext): boolean {
  return verdict(predicate, stats, ctx) === 'never';
}

type Verdict = 'never' | 'maybe';

function constantOf(e: Expr, ctx: EvalContext): { value: Scalar } | undefined {
  if (e.kind === 'literal') return { value: e.value };
  if (e.kind === 'column') return undefined;
  try {
    if (hasColumn(e)) return undefined;
    return { value: evaluateConstant(e, ctx) };
  } catch {
    return undefined;
  }
}

function hasColumn(e: Expr): boolean {
  if (e.kind === 'column') return true;
  switch (e.kind) {
    case 'literal': return false;
    case 'cast':
    case 'negate':
    case 'not':
    case 'is_null':
      return hasColumn(e.operand);
    case 'compare':
    case 'arith':
      return hasColumn(e.left) || hasColumn(e.right);
    default:
      return true; // be conservative for anything else
  }
}

/** NOT e, rewritten so that verdict() understands it (De Morgan, negated comparisons); undefined when it cannot be. */
function negation(e: Expr): Expr | undefined {
  switch (e.kind) {
    case 'not':
      return e.operand;
    case 'and':
    case 'or': {
      const args = e.args.map(negation);
      if (args.some((a) => a === undefined)) return undefined;
      return { kind: e.kind === 'and' ? 'or' : 'and', args: args as Expr[], type: e.type };
    }
    case 'compare': {
      // For non-NULL operands NOT (x op c) is x op' c; NULL operands make both NULL (never true).
      const op = ({ '=': '<>', '<>': '=', '<': '>=', '<=': '>', '>': '<=', '>=': '<', is_distinct_from: 'is_not_distinct_from', is_not_distinct_from: 'is_distinct_from' } as const)[e.op];
      return { ...e, op };
    }
    case 'is_null':
    case 'in_list':
      return { ...e, negated: !e.negated };
    default:
      return undefined;
  }
}

const NUMERIC = new Set(['tinyint', 'smallint', 'integer', 'bigint', 'real', 'double', 'decimal']);

/**
 * Casts that never reverse order: between numeric types (widening, or rounding, which is monotonic), date to
 * timestamp, and between timestamp precisions of the same zone kind. Others (to/from varchar, across time zones)
 * are not understood.
 */
function keepsOrder(from: SqlType, to: SqlType): boolean {
  if (NUMERIC.has(from.kind) && NUMERIC.has(to.kind)) return true;
  if (from.kind === 'date' && to.kind === 'timestamp') return !to.withTimeZone;
  return from.kind === 'timestamp' && to.kind === 'timestamp' && from.withTimeZone === to.withTimeZone && from.zone === to.zone;
}

/**
 * The statistics of a column reference or of an order-keeping cast of one (min and max cast too; a bound that
 * does not convert becomes unknown); undefined when `e` is neither.
 */
function columnStats(e: Expr, stats: StatsLookup, ctx: EvalContext): { s: ColumnStats | undefined; type: SqlType } | undefined {
  if (e.kind === 'column') return { s: stats(e.id), type: e.type };
  if (e.kind !== 'cast' || e.try || e.operand.kind !== 'column' || !keepsOrder(e.operand.type, e.type)) return undefined;
  const from = e.operand.type;
  const s = stats(e.operand.id);
  if (s === undefined) return { s, type: e.type };
  const convert = (v: Scalar | undefined): Scalar | undefined => {
    if (v === undefined || v === null) return v;
    try {
      return evaluateConstant({ kind: 'cast', operand: { kind: 'literal', value: v, type: from }, type: e.type, try: false }, ctx);
    } catch {
      return undefined;
    }
  };
  return { s: { ...s, min: convert(s.min), max: convert(s.max) }, type: e.type };
}

function verdict(e: Expr, stats: StatsLookup, ctx: EvalContext): Verdict {
  switch (e.kind) {
    case 'not': {
      const n = negation(e.operand);
      return n === undefined ? 'maybe' : verdict(n, stats, ctx);
    }
    case 'and':
      return e.args.some((a) => verdict(a, stats, ctx) === 'never') ? 'never' : 'maybe';
    case 'or':
      return e.args.every((a) => verdict(a, stats, ctx) === 'never') ? 'never' : 'maybe';
    case 'literal':
      return e.value === false || e.value === null ? 'never' : 'maybe';
    case 'is_null': {
      const s = columnStats(e.operand, stats, ctx)?.s;
      if (s?.nullCount === undefined) return 'maybe';
      if (!e.negated) return s.nullCount === 0 ? 'never' : 'maybe';
      return s.rows !== undefined && s.nullCount >= s.rows ? 'never' : 'maybe';
    }
    case 'compare': {
      let other = e.right, op = e.op;
      let col = columnStats(e.left, stats, ctx);
      if (col === undefined) {
        col = columnStats(e.right, stats, ctx);
        other = e.left;
        op = flip(op);
      }
      if (col === undefined) return 'maybe';
      const c = constantOf(other, ctx);
      if (c === undefined) return 'maybe';
      const s = col.s;
      if (s === undefined) return 'maybe';
      if (c.value === null) return op === 'is_distinct_from' || op === 'is_not_distinct_from' ? 'maybe' : 'never';
      if (allNull(s)) return op === 'is_distinct_from' ? 'maybe' : 'never';
      return rangeExcludes(op, c.value, s, col.type) ? 'never' : 'maybe';
    }
    case 'in_list': {
      if (e.negated) return 'maybe';
      const col = columnStats(e.operand, stats, ctx);
      const s = col?.s;
      if (col === undefined || s === undefined) return 'maybe';
      if (allNull(s)) return 'never';
      for (const item of e.list) {
        const c = constantOf(item, ctx);
        if (c === undefined) return 'maybe';
        if (c.value !== null && !rangeExcludes('=', c.value, s, col.type)) return 'maybe';
      }
      return 'never';
    }
    default:
      return 'maybe';
  }
}

function allNull(s: ColumnStats): boolean {
  return s.nullCount !== undefined && s.rows !== undefined && s.rows > 0 && s.nullCount >= s.rows;
}

function flip(op: CompareOp): CompareOp {
  switch (op) {
    case '<': return '>';
    case '<=': return '>=';
    case '>': return '<';
    case '>=': return '<=';
    default: return op;
  }
}

/** True when no value v in [min, max] satisfies `v op c`. */
function rangeExcludes(op: CompareOp, c: Scalar, s: ColumnStats, type: SqlType): boolean {
  const { min, max } = s;
  const cmp = (a: Scalar, b: Scalar): number => compareValuesOfType(a, b, type);
  if (typeof c === 'number' && Number.isNaN(c)) return false;
  switch (op) {
    case '=':
    case 'is_not_distinct_from':
      return (min !== undefined && min !== null && cmp(c, min) < 0) || (max !== undefined && max !== null && cmp(c, max) > 0);
    case '<':
      return min !== undefined && min !== null && cmp(min, c) >= 0;
    case '<=':
      return min !== undefined && min !== null && cmp(min, c) > 0;
    case '>':
      return max !== undefined && max !== null && cmp(max, c) <= 0;
    case '>=':
      return max !== undefined && max !== null && cmp(max, c) < 0;
    case '<>':
      return min !== undefined && max !== undefined && min !== null && max !== null && cmp(min, c) === 0 && cmp(max, c) === 0 && s.nullCount === 0;
    default:
      return false;
  }
}
