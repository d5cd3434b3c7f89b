import { ShoalError, type SourceSpan } from '../common/index.js';
import {
  BIGINT, BOOLEAN, DATE, DOUBLE, INTEGER, INTERVAL_DAY_TIME, INTERVAL_YEAR_MONTH, UNKNOWN, decimalType, parseDate,
  parseDecimal, parseZonedTimestamp, canonicalZone, formatOffset, localToInstant, timestampType, varcharType, type Scalar, type SqlType,
} from '../types/index.js';
import type { Literal } from '../sql/index.js';

export interface TypedLiteral {
  readonly value: Scalar;
  readonly type: SqlType;
}

const INT32_MAX = 2147483647n;
const INT64_MAX = 9223372036854775807n;

/** Trino's literal typing: integer/bigint/decimal(p,0) by size, decimal(p,s) for `1.50`, double for `1e3`, varchar(n). */
export function typeLiteral(lit: Literal, span: SourceSpan): TypedLiteral {
  switch (lit.type) {
    case 'null': return { value: null, type: UNKNOWN };
    case 'boolean': return { value: lit.value, type: BOOLEAN };
    case 'integer': {
      const v = BigInt(lit.text);
      if (v <= INT32_MAX) return { value: Number(v), type: INTEGER };
      if (v <= INT64_MAX) return { value: v, type: BIGINT };
      const digits = lit.text.replace(/^0+/, '').length;
      if (digits > 38) throw new ShoalError('INVALID_LITERAL', `Integer literal ${lit.text} is too large`, { span });
      return { value: v, type: decimalType(digits, 0) };
    }
    case 'decimal': {
      const [intPart = '', frac = ''] = lit.text.split('.');
      const intDigits = intPart.replace(/^0+/, '').length;
      const scale = frac.length;
      const precision = Math.max(intDigits + scale, 1);
      if (precision > 38) {
        // Too many digits for a DECIMAL: the literal is read as a double, which must still be finite.
        const v = Number(lit.text);
        if (!Number.isFinite(v)) throw new ShoalError('INVALID_LITERAL', `Decimal literal ${lit.text} is out of range`, { span });
        return { value: v, type: DOUBLE };
      }
      return { value: parseDecimal(lit.text, scale)!, type: decimalType(precision, scale) };
    }
    case 'double': {
      const v = Number(lit.text);
      if (!Number.isFinite(v)) throw new ShoalError('INVALID_LITERAL', `Double literal ${lit.text} is out of range`, { span });
      return { value: v, type: DOUBLE };
    }
    case 'string': return { value: lit.value, type: varcharType([...lit.value].length || undefined) };
    case 'typed': return typedLiteral(lit.typeName.toLowerCase(), lit.value, span);
    case 'interval': return intervalLiteral(lit.value, lit.negative, lit.from, lit.to, span);
  }
}

function typedLiteral(typeName: string, text: string, span: SourceSpan): TypedLiteral {
  switch (typeName) {
    case 'date': {
      const d = parseDate(text);
      if (d === undefined) throw new ShoalError('INVALID_LITERAL', `'${text}' is not a valid date literal`, { span, hint: "Use DATE 'YYYY-MM-DD'" });
      return { value: d, type: DATE };
    }
    case 'timestamp': {
      // A zone or offset in the text makes it a TIMESTAMP WITH TIME ZONE that displays in that zone (Trino).
      const p = parseZonedTimestamp(text, 1_000_000);
      if (p === undefined) throw new ShoalError('INVALID_LITERAL', `'${text}' is not a valid timestamp literal`, { span, hint: "Use TIMESTAMP 'YYYY-MM-DD HH:MM:SS[.ffffff][ zone]'" });
      const precision = Math.min(p.fractionDigits, 9);
      const ups = precision > 6 ? 1_000_000_000 : 1_000_000;
      const q = precision > 6 ? parseZonedTimestamp(text, 1_000_000_000)! : p;
      if (q.zone !== undefined) return { value: localToInstant(q.value, ups, q.zone), type: timestampType(precision, true, q.zone) };
      if (q.offsetMinutes === undefined) return { value: q.value, type: timestampType(precision) };
      return { value: q.value, type: timestampType(precision, true, canonicalZone(formatOffset(q.offsetMinutes * 60_000))) };
    }
    case 'decimal':
    case 'numeric': {
      const m = /^\s*[+-]?(\d*)(?:\.(\d*))?\s*$/.exec(text);
      if (m === null || (m[1] === '' && (m[2] ?? '') === '')) throw new ShoalError('INVALID_LITERAL', `'${text}' is not a valid decimal literal`, { span });
      const scale = (m[2] ?? '').length;
      const precision = Math.max((m[1] ?? '').replace(/^0+/, '').length + scale, 1);
      if (precision > 38) throw new ShoalError('INVALID_LITERAL', `'${text}' has more than 38 digits, the largest DECIMAL precision`, { span });
      return { value: parseDecimal(text, scale)!, type: decimalType(precision, scale) };
    }
    default:
      throw new ShoalError('NOT_SUPPORTED', `${typeName.toUpperCase()} literals are not supported`, { span });
  }
}

const DAY_TIME_MICROS: Record<string, number> = {
  day: 86_400_000_000, hour: 3_600_000_000, minute: 60_000_000, second: 1_000_000, millisecond: 1000, week: 7 * 86_400_000_000,
};

/** INTERVAL literals: `'3' DAY`, `'1-2' YEAR TO MONTH`, `'1 10:30:00' DAY TO SECOND`, `'2 hours'`. */
function intervalLiteral(text: string, negative: boolean, from: string | undefined, to: string | undefined, span: SourceSpan): TypedLiteral {
  const bad = (): ShoalError => new ShoalError('INVALID_LITERAL', `'${text}' is not a valid interval literal`, { span, hint: "Examples: INTERVAL '3' DAY, INTERVAL '1-2' YEAR TO MONTH, INTERVAL '2' HOUR" });
  let unit = from?.toLowerCase().replace(/s$/, '');
  let body = text.trim();
  if (unit === undefined) {
    const m = /^([+-]?\d+(?:\.\d+)?)\s*([a-z]+?)s?$/i.exec(body);
    if (m === null) throw bad();
    body = m[1]!;
    unit = m[2]!.toLowerCase();
  }
  const sign = negative ? -1 : 1;
  const toUnit = to?.toLowerCase();
  // Year-month intervals are int32 months (as Trino's); day-time ones exact microseconds in a double's integers.
  const outOfRange = (): ShoalError => new ShoalError('INVALID_LITERAL', `'${text}' is out of range for an interval literal`, { span, hint: 'Use a smaller value' });
  const months = (v: number): number => {
    if (!Number.isSafeInteger(v) || Math.abs(v) > 2147483647) throw outOfRange();
    return v;
  };
  const micros = (v: number): bigint => {
    if (!Number.isSafeInteger(v)) throw outOfRange();
    return BigInt(v);
  };
  if (unit === 'year' || unit === 'month' || unit === 'quarter') {
    if (unit === 'year' && toUnit === 'month') {
      const m = /^([+-]?)(\d+)-(\d+)$/.exec(body);
      if (m === null) throw bad();
      return { value: months(sign * (Number(m[2]) * 12 + Number(m[3])) * (m[1] === '-' ? -1 : 1)), type: INTERVAL_YEAR_MONTH };
    }
    if (!/^[+-]?\d+$/.test(body)) throw bad();
    const n = Number(body) * (unit === 'year' ? 12 : unit === 'quarter' ? 3 : 1);
    return { value: months(sign * n), type: INTERVAL_YEAR_MONTH };
  }
  if (unit === 'day' && toUnit !== undefined && toUnit !== 'day') {
    const m = /^([+-]?)(\d+) (\d+)(?::(\d+)(?::(\d+(?:\.\d+)?))?)?$/.exec(body);
    if (m === null) throw bad();
    const total = ((Number(m[2]) * 24 + Number(m[3])) * 3600 + Number(m[4] ?? 0) * 60) * 1e6 + Math.round(Number(m[5] ?? 0) * 1e6);
    return { value: micros(sign * (m[1] === '-' ? -1 : 1) * total), type: INTERVAL_DAY_TIME };
  }
  const per = DAY_TIME_MICROS[unit];
  if (per === undefined || !/^[+-]?\d+(\.\d+)?$/.test(body)) throw bad();
  return { value: micros(Math.round(sign * Number(body) * per)), type: INTERVAL_DAY_TIME };
}
