import type { Column } from './column.js';
import { decimalsToNumbers } from './decimal128.js';
import { int64ToFloat64 } from './int64.js';
import type { Scalar } from './scalar.js';
import type { SqlType } from './sql-type.js';

/**
 * Exact doubles for numeric-like columns, so kernels can run one loop over plain numbers: the values array
 * itself for 8/16/32-bit integers, floats, dates and year-month intervals; a converted Float64Array for 64-bit
 * integers, timestamps, day-time intervals and decimals (unscaled) when every value is a safe integer.
 * Returns null when some value is not exactly representable; callers then take their BigInt path.
 * The result is shared (the column's own array, or a conversion remembered for the column's lifetime): read only.
 */
export function numberView(col: Column, type: SqlType): ArrayLike<number> | null {
  switch (type.kind) {
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'real':
    case 'double':
    case 'date':
    case 'interval_year_month':
      return col.values as Int32Array | Float64Array;
    case 'bigint':
    case 'timestamp':
    case 'interval_day_time':
    case 'decimal':
      return convertedView(col, type)?.view ?? null;
    default:
      return null;
  }
}

/**
 * A bound on the magnitudes in numberView(col, type) (at least the largest; NULL slots count too), or NaN when
 * there is no exact view: for kernels that prove a whole batch exact at once (|a|·|b| < 2^53) instead of per row.
 */
export function numberViewMaxAbs(col: Column, type: SqlType): number {
  switch (type.kind) {
    case 'bigint':
    case 'timestamp':
    case 'interval_day_time':
    case 'decimal': {
      const c = convertedView(col, type);
      if (c === null) return Number.NaN;
      c.maxAbs ??= maxAbsOf(c.view);
      return c.maxAbs;
    }
    default: {
      const view = numberView(col, type);
      if (view === null) return Number.NaN;
      let max = 0;
      for (let i = 0; i < col.length; i++) {
        const a = Math.abs(view[i]!);
        if (a > max || Number.isNaN(a)) max = a;
      }
      return max;
    }
  }
}

/** The view numberView already made for this column (null: known not exact), or undefined if none was made. */
export function knownNumberView(col: Column): Float64Array | null | undefined {
  const known = converted.get(col);
  return known === undefined ? undefined : (known?.view ?? null);
}

/** The magnitude bound already known for the view numberView made for this column, or undefined. */
export function knownNumberViewMaxAbs(col: Column): number | undefined {
  return converted.get(col)?.maxAbs;
}

interface Converted {
  readonly view: Float64Array;
  /** Computed when first asked for: comparisons and date functions need only the view. */
  maxAbs: number | undefined;
}

/**
 * Conversions already made (or known impossible: null), per column. Columns are immutable, and the same column
 * is often read by several expressions and aggregates of one batch (q01 reads l_extendedprice four times).
 */
const converted = new WeakMap<Column, Converted | null>();

function convertedView(col: Column, type: SqlType): Converted | null {
  const known = converted.get(col);
  if (known !== undefined) return known;
  let made: Converted | null;
  if (type.kind === 'decimal') made = decimalsToNumbers(col.values as Uint32Array, col.length);
  else {
    const view = int64ToFloat64(col.values as BigInt64Array, col.length);
    made = view === null ? null : { view, maxAbs: undefined };
  }
  converted.set(col, made);
  return made;
}

function maxAbsOf(view: Float64Array): number {
  let max = 0;
  for (let i = 0; i < view.length; i++) {
    const a = Math.abs(view[i]!);
    if (a > max) max = a;
  }
  return max;
}

/**
 * Records that `view` holds exactly the values of a 64-bit or decimal column (unscaled), none larger in magnitude
 * than the bound maxAbs (undefined: computed when first asked for), so that numberView need not convert it back:
 * for kernels that computed the values in doubles.
 */
export function rememberNumberView(col: Column, view: Float64Array, maxAbs: number | undefined): Column {
  converted.set(col, { view, maxAbs });
  return col;
}

/** A scalar as an exact double (decimals unscaled), or null when it is not exactly representable. */
export function scalarNumber(v: Scalar): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : null;
  }
  return null;
}

