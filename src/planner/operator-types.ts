import { ShoalError, type SourceSpan } from '../common/index.js';
import type { ArithOp } from '../expr/index.js';
import {
  DOUBLE, INTERVAL_DAY_TIME, MAX_DECIMAL_PRECISION, REAL, asDecimal, commonSuperType, decimalType, isExactNumeric,
  isIntegerKind, isNumeric, typeName, type SqlType,
} from '../types/index.js';

export interface ArithmeticTyping {
  /** Types the operands are cast to before the kernel runs. */
  readonly left: SqlType;
  readonly right: SqlType;
  readonly result: SqlType;
  /** The operands must be swapped (interval + date is computed as date + interval). */
  readonly swap: boolean;
}

function mismatch(op: string, l: SqlType, r: SqlType, span: SourceSpan | undefined, hint?: string): ShoalError {
  return new ShoalError('TYPE_MISMATCH', `Cannot apply operator: ${typeName(l)} ${op} ${typeName(r)}`, { span, hint });
}

/** Result types of + - * / % following Trino (decimal precision/scale rules included). */
export function arithmeticTyping(op: ArithOp, l0: SqlType, r0: SqlType, span?: SourceSpan): ArithmeticTyping {
  // A NULL literal takes the other side's type.
  const l = l0.kind === 'unknown' ? (r0.kind === 'unknown' ? { kind: 'integer' as const } : r0) : l0;
  const r = r0.kind === 'unknown' ? l : r0;
  if (isNumeric(l) && isNumeric(r)) {
    if (isIntegerKind(l.kind) && isIntegerKind(r.kind)) {
      const t = commonSuperType(l, r)!;
      return { left: t, right: t, result: t, swap: false };
    }
    if (isExactNumeric(l) && isExactNumeric(r)) {
      const a = asDecimal(l), b = asDecimal(r);
      const L = decimalType(a.precision, a.scale), R = decimalType(b.precision, b.scale);
      let p: number, s: number;
      switch (op) {
        case '+':
        case '-':
          s = Math.max(a.scale, b.scale);
          p = Math.max(a.precision - a.scale, b.precision - b.scale) + s + 1;
          break;
        case '*':
          s = a.scale + b.scale;
          p = a.precision + b.precision;
          if (s > MAX_DECIMAL_PRECISION) throw new ShoalError('NUMERIC_VALUE_OUT_OF_RANGE', `Decimal scale ${s} of the product exceeds ${MAX_DECIMAL_PRECISION}`, { span });
          break;
        case '/':
          s = Math.max(a.scale, b.scale);
          p = a.precision + b.scale + Math.max(b.scale - a.scale, 0);
          break;
        case '%':
          s = Math.max(a.scale, b.scale);
          p = Math.min(b.precision - b.scale, a.precision - a.scale) + s;
          break;
      }
      return { left: L, right: R, result: decimalType(Math.min(MAX_DECIMAL_PRECISION, Math.max(p, 1)), s), swap: false };
    }
    const t = l.kind === 'double' || r.kind === 'double' ? DOUBLE : REAL;
    return { left: t, right: t, result: t, swap: false };
  }
  const temporal = (t: SqlType): boolean => t.kind === 'date' || t.kind === 'timestamp';
  const interval = (t: SqlType): boolean => t.kind === 'interval_day_time' || t.kind === 'interval_year_month';
  if (op === '+' || op === '-') {
    if (temporal(l) && interval(r)) return { left: l, right: r, result: l, swap: false };
    if (op === '+' && interval(l) && temporal(r)) return { left: r, right: l, result: r, swap: true };
    if (interval(l) && l.kind === r.kind) return { left: l, right: r, result: l, swap: false };
    if (op === '-' && l.kind === 'timestamp' && r.kind === 'timestamp') {
      const t = commonSuperType(l, r)!;
      return { left: t, right: t, result: INTERVAL_DAY_TIME, swap: false };
    }
    if (op === '-' && l.kind === 'date' && r.kind === 'date') {
      throw mismatch(op, l0, r0, span, "Use date_diff('day', d1, d2) for the number of days between dates");
    }
  }
  const hint = (l.kind === 'varchar' || r.kind === 'varchar') && op === '+' ? "Use || or concat() to join strings" : undefined;
  throw mismatch(op, l0, r0, span, hint);
}

const ORDERING_OPS = new Set(['<', '<=', '>', '>=']);

/** Whether values of a type can be ordered: everything but maps (at any depth), as in Trino. */
function isOrderable(t: SqlType): boolean {
  switch (t.kind) {
    case 'map': return false;
    case 'array': return isOrderable(t.element);
    case 'row': return t.fields.every((f) => isOrderable(f.type));
    default: return true;
  }
}

/** Refuses ordering (<, ORDER BY, min/max) on a type that has none. */
export function requireOrderable(t: SqlType, span?: SourceSpan): void {
  if (!isOrderable(t)) throw new ShoalError('TYPE_MISMATCH', `Type ${typeName(t)} is not orderable`, { span });
}

/** The type both sides of a comparison are cast to (Trino's implicit coercions only). */
export function comparisonType(op: string, l: SqlType, r: SqlType, span?: SourceSpan): SqlType {
  const t = commonSuperType(l, r);
  if (t !== undefined && ORDERING_OPS.has(op)) requireOrderable(t, span);
  if (t !== undefined) return t.kind === 'unknown' ? { kind: 'boolean' } : t;
  const temporalVsString = (a: SqlType, b: SqlType): boolean => (a.kind === 'date' || a.kind === 'timestamp') && b.kind === 'varchar';
  const hint = temporalVsString(l, r) || temporalVsString(r, l)
    ? `Use a typed literal such as DATE '2024-01-31' or TIMESTAMP '2024-01-31 12:00:00', or CAST the string`
    : (l.kind === 'varchar') !== (r.kind === 'varchar') ? 'CAST one side so both have the same type' : undefined;
  throw mismatch(op, l, r, span, hint);
}
