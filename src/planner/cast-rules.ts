import { isNumeric, type SqlType } from '../types/index.js';

/** Whether CAST(from AS to) is defined (the conversions expr/kernels/cast-kernel.ts implements). */
export function canCast(from: SqlType, to: SqlType): boolean {
  if (from.kind === 'array' || from.kind === 'map' || from.kind === 'row' || to.kind === 'array' || to.kind === 'map' || to.kind === 'row') return canCastNested(from, to);
  if (from.kind === 'unknown' || from.kind === to.kind) return from.kind !== 'interval_day_time' || to.kind === from.kind;
  const numericLike = (t: SqlType): boolean => isNumeric(t) || t.kind === 'boolean';
  if (to.kind === 'varchar') return true;
  if (from.kind === 'varchar') return to.kind !== 'interval_day_time' && to.kind !== 'interval_year_month';
  if (numericLike(from) && numericLike(to)) return true;
  const temporal = (t: SqlType): boolean => t.kind === 'date' || t.kind === 'timestamp';
  return temporal(from) && temporal(to);
}

/** Nested values cast element-wise (expr/kernels/cast-nested.ts); rows need the same number of fields. */
function canCastNested(from: SqlType, to: SqlType): boolean {
  if (from.kind === 'unknown') return true;
  if (from.kind === 'array' && to.kind === 'array') return canCast(from.element, to.element);
  if (from.kind === 'map' && to.kind === 'map') return canCast(from.key, to.key) && canCast(from.value, to.value);
  if (from.kind === 'row' && to.kind === 'row') return from.fields.length === to.fields.length && from.fields.every((f, i) => canCast(f.type, to.fields[i]!.type));
  return false;
}
