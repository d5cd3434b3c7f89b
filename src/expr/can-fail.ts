import { assertNever } from '../common/index.js';
import type { Expr } from './expr.js';
import { children } from './expr-walk.js';

const INTEGERS: readonly string[] = ['tinyint', 'smallint', 'integer', 'bigint'];

/** Scalar functions that never raise an error for any input of their declared types. */
const TOTAL_FUNCTIONS = new Set([
  'year', 'quarter', 'month', 'week', 'day', 'day_of_week', 'day_of_year', 'year_of_week', 'hour', 'minute', 'second',
  'millisecond', 'lower', 'upper', 'length', 'floor', 'ceil', 'concat', 'trim', 'ltrim', 'rtrim',
  'starts_with', 'reverse', 'greatest', 'least',
]);

/**
 * Whether evaluating `e` might raise an error for some row (division by zero, overflow, a failed cast, a function
 * rejecting its input). Expressions that cannot fail may be evaluated on rows whose result will be discarded,
 * which lets AND/OR combine whole columns instead of selecting rows first.
 */
export function canFail(e: Expr): boolean {
  switch (e.kind) {
    case 'column':
    case 'literal':
      return false;
    case 'arith':
    case 'negate':
      return (e.type.kind !== 'double' && e.type.kind !== 'real') || children(e).some(canFail);
    case 'cast': {
      const from = e.operand.type.kind, to = e.type.kind;
      const widening = e.try || to === 'varchar' || from === to || (from === 'date' && to === 'timestamp')
        || (INTEGERS.includes(from) && (to === 'double' || (INTEGERS.includes(to) && INTEGERS.indexOf(to) >= INTEGERS.indexOf(from))));
      return !widening || canFail(e.operand);
    }
    case 'call':
      return !TOTAL_FUNCTIONS.has(e.fn.name) || e.args.some(canFail);
    case 'like':
      // A constant pattern is compiled once and may be invalid only once; per-row patterns may fail.
      return e.pattern.kind !== 'literal' || canFail(e.operand);
    case 'try':
      // The errors that depend on row values are caught; what remains (NOT_SUPPORTED…) fails for any row.
      return false;
    case 'compare':
    case 'and':
    case 'or':
    case 'not':
    case 'is_null':
    case 'in_list':
    case 'case':
    case 'coalesce':
      return children(e).some(canFail);
    default:
      return assertNever(e, 'expression');
  }
}
