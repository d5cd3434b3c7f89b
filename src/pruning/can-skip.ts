import { evaluateConstant, type CompareOp, type EvalContext, type Expr } from '../expr/index.js';
import { compareValuesOfType, type Scalar, type SqlType } from '../types/index.js';
import type { ColumnStats, StatsLookup } from './value-stats.js';

/**
 * Whether no row of a unit of data (partition, file, row group) can satisfy `predicate`, judged from per-column
 * min/max/null counts. Conservative: anything not understood, or stats missing, means "cannot skip".
 * Understood: AND, OR, NOT of comparisons between a bare column and a constant (=, <>, <, <=, >, >=, either
 * side), BETWEEN (bound as AND), IN lists, IS [NOT] NULL, and constant predicates.
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

function verdict(e: Expr, stats: StatsLookup, ctx: EvalContext): Verdict {
  switch (e.kind) {
    case 'and':
      return e.args.some((a) => verdict(a, stats, ctx) === 'never') ? 'never' : 'maybe';
    case 'or':
      return e.args.every((a) => verdict(a, stats, ctx) === 'never') ? 'never' : 'maybe';
    case 'literal':
      return e.value === false || e.value === null ? 'never' : 'maybe';
    case 'is_null': {
      if (e.operand.kind !== 'column') return 'maybe';
      const s = stats(e.operand.id);
      if (s?.nullCount === undefined) return 'maybe';
      if (!e.negated) return s.nullCount === 0 ? 'never' : 'maybe';
      return s.rows !== undefined && s.nullCount >= s.rows ? 'never' : 'maybe';
    }
    case 'compare': {
      let col = e.left, other = e.right, op = e.op;
      if (col.kind !== 'column') {
        col = e.right;
        other = e.left;
        op = flip(op);
      }
      if (col.kind !== 'column') return 'maybe';
      const c = constantOf(other, ctx);
      if (c === undefined) return 'maybe';
      const s = stats(col.id);
      if (s === undefined) return 'maybe';
      if (c.value === null) return op === 'is_distinct_from' || op === 'is_not_distinct_from' ? 'maybe' : 'never';
      if (allNull(s)) return op === 'is_distinct_from' ? 'maybe' : 'never';
      return rangeExcludes(op, c.value, s, col.type) ? 'never' : 'maybe';
    }
    case 'in_list': {
      if (e.negated || e.operand.kind !== 'column') return 'maybe';
      const s = stats(e.operand.id);
      if (s === undefined) return 'maybe';
      if (allNull(s)) return 'never';
      for (const item of e.list) {
        const c = constantOf(item, ctx);
        if (c === undefined) return 'maybe';
        if (c.value !== null && !rangeExcludes('=', c.value, s, e.operand.type)) return 'maybe';
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
