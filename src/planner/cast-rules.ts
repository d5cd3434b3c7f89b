import { isNumeric, type SqlType } from '../types/index.js';

/** Whether CAST(from AS to) is defined (the conversions expr/kernels/cast-kernel.ts implements). */
export function canCast(from: SqlType, to: SqlType): boolean {
  if (from.kind === 'unknown' || from.kind === to.kind) return from.kind !== 'interval_day_time' || to.kind === from.kind;
  const numericLike = (t: SqlType): boolean => isNumeric(t) || t.kind === 'boolean';
  if (to.kind === 'varchar') return true;
  if (from.kind === 'varchar') return to.kind !== 'interval_day_time' && to.kind !== 'interval_year_month';
  if (numericLike(from) && numericLike(to)) return true;
  const temporal = (t: SqlType): boolean => t.kind === 'date' || t.kind === 'timestamp';
  return temporal(from) && temporal(to);
}
