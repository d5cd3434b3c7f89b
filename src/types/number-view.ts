import type { Column } from './column.js';
import { decimalAtNumber } from './decimal128.js';
import { int64ToFloat64 } from './int64.js';
import type { Scalar } from './scalar.js';
import type { SqlType } from './sql-type.js';

/**
 * Exact doubles for numeric-like columns, so kernels can run one loop over plain numbers: the values array
 * itself for 8/16/32-bit integers, floats, dates and year-month intervals; a converted Float64Array for 64-bit
 * integers, timestamps, day-time intervals and decimals (unscaled) when every value is a safe integer.
 * Returns null when some value is not exactly representable; callers then take their BigInt path.
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
      return int64ToFloat64(col.values as BigInt64Array, col.length);
    case 'decimal': {
      const words = col.values as Uint32Array;
      const out = new Float64Array(col.length);
      for (let i = 0; i < col.length; i++) {
        const v = decimalAtNumber(words, i);
        if (Number.isNaN(v)) return null;
        out[i] = v;
      }
      return out;
    }
    default:
      return null;
  }
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

