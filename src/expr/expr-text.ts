import { assertNever } from '../common/index.js';
import { formatScalar, typeName, type Scalar, type SqlType } from '../types/index.js';
import type { Expr } from './expr.js';

/**
 * SQL-like text of an expression: EXPLAIN output, default column names, and (with ids) a structural key for
 * matching GROUP BY expressions against SELECT items.
 */
export function exprToString(e: Expr, withIds = false): string {
  const s = (x: Expr): string => exprToString(x, withIds);
  switch (e.kind) {
    case 'column':
      return withIds ? `${e.name}#${e.id}` : e.name;
    case 'literal':
      // In keys, `1` (integer) and `1` (bigint) must differ.
      return withIds ? `${literalText(e.value, e.type)}::${typeName(e.type)}` : literalText(e.value, e.type);
    case 'compare': {
      const op = e.op === 'is_distinct_from' ? 'IS DISTINCT FROM' : e.op === 'is_not_distinct_from' ? 'IS NOT DISTINCT FROM' : e.op;
      return `(${s(e.left)} ${op} ${s(e.right)})`;
    }
    case 'arith':
      return `(${s(e.left)} ${e.op} ${s(e.right)})`;
    case 'negate':
      return `(- ${s(e.operand)})`;
    case 'and':
      return `(${e.args.map(s).join(' AND ')})`;
    case 'or':
      return `(${e.args.map(s).join(' OR ')})`;
    case 'not':
      return `(NOT ${s(e.operand)})`;
    case 'is_null':
      return `(${s(e.operand)} IS ${e.negated ? 'NOT ' : ''}NULL)`;
    case 'in_list':
      return `(${s(e.operand)} ${e.negated ? 'NOT ' : ''}IN (${e.list.map(s).join(', ')}))`;
    case 'case':
      return `CASE ${e.whens.map((w) => `WHEN ${s(w.when)} THEN ${s(w.then)}`).join(' ')}${e.else === undefined ? '' : ` ELSE ${s(e.else)}`} END`;
    case 'coalesce':
      return `coalesce(${e.args.map(s).join(', ')})`;
    case 'cast':
      return `${e.try ? 'TRY_CAST' : 'CAST'}(${s(e.operand)} AS ${typeName(e.type)})`;
    case 'like':
      return `(${s(e.operand)} ${e.negated ? 'NOT ' : ''}${e.caseInsensitive ? 'ILIKE' : 'LIKE'} ${s(e.pattern)}${e.escape === undefined ? '' : ` ESCAPE '${e.escape}'`})`;
    case 'call':
      return `${e.fn.name}(${e.args.map(s).join(', ')})`;
    case 'try':
      return `try(${s(e.operand)})`;
    default:
      return assertNever(e, 'expression');
  }
}

function literalText(v: Scalar, t: SqlType): string {
  if (v === null) return 'NULL';
  const text = formatScalar(v, t) ?? 'NULL';
  switch (t.kind) {
    case 'varchar': return `'${text.replace(/'/g, "''")}'`;
    case 'date': return `DATE '${text}'`;
    case 'timestamp': return `TIMESTAMP '${text}'`;
    case 'decimal': return text;
    case 'interval_day_time': return `INTERVAL '${text}' DAY TO SECOND`;
    case 'interval_year_month': return `INTERVAL '${text}' YEAR TO MONTH`;
    case 'array': return `ARRAY[${(v as readonly Scalar[]).map((x) => literalText(x, t.element)).join(', ')}]`;
    case 'map': {
      const entries = [...(v as ReadonlyMap<Scalar, Scalar>)];
      return `MAP(ARRAY[${entries.map(([k]) => literalText(k, t.key)).join(', ')}], ARRAY[${entries.map(([, x]) => literalText(x, t.value)).join(', ')}])`;
    }
    case 'row': return `ROW(${(v as readonly Scalar[]).map((x, i) => literalText(x, t.fields[i]!.type)).join(', ')})`;
    default: return text;
  }
}

/** A key equal for structurally equal expressions (same symbols, same operations, same types). */
export function exprKey(e: Expr): string {
  return `${exprToString(e, true)}::${typeName(e.type)}`;
}
