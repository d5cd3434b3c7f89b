import {
  arrayType, mapType, rowType, type RowField,
  DOUBLE, MAX_DECIMAL_PRECISION, REAL, VARCHAR, decimalType, isIntegerKind,
  timestampType, typesEqual, type SqlType,
} from './sql-type.js';

/** Trino's implicit coercions. Returns the common super type of a and b, or undefined if there is none. */
export function commonSuperType(a: SqlType, b: SqlType): SqlType | undefined {
  if (typesEqual(a, b)) return a;
  if (a.kind === 'unknown') return b;
  if (b.kind === 'unknown') return a;
  if (isIntegerKind(a.kind) && isIntegerKind(b.kind)) return INT_RANK[a.kind] >= INT_RANK[b.kind] ? a : b;
  if (isExactNumeric(a) && isExactNumeric(b)) {
    const da = asDecimal(a), db = asDecimal(b);
    const scale = Math.max(da.scale, db.scale);
    const intDigits = Math.max(da.precision - da.scale, db.precision - db.scale);
    return decimalType(Math.min(MAX_DECIMAL_PRECISION, intDigits + scale), scale);
  }
  if (isNumeric(a) && isNumeric(b)) {
    if (a.kind === 'double' || b.kind === 'double') return DOUBLE;
    return REAL;
  }
  if (a.kind === 'varchar' && b.kind === 'varchar') {
    if (a.length === undefined || b.length === undefined) return VARCHAR;
    return { kind: 'varchar', length: Math.max(a.length, b.length) };
  }
  if ((a.kind === 'date' || a.kind === 'timestamp') && (b.kind === 'date' || b.kind === 'timestamp')) {
    const pa = a.kind === 'timestamp' ? a.precision : 0;
    const pb = b.kind === 'timestamp' ? b.precision : 0;
    const tz = (a.kind === 'timestamp' && a.withTimeZone) || (b.kind === 'timestamp' && b.withTimeZone);
    // The display zone of the first zoned side; the values are instants either way.
    const zone = a.kind === 'timestamp' && a.withTimeZone ? a.zone : b.kind === 'timestamp' ? b.zone : undefined;
    return timestampType(Math.max(pa, pb), tz, zone);
  }
  return nestedSuperType(a, b);
}

/**
 * Nested types coerce element-wise: array(a) and array(b) to array(common), maps by key and value, rows of the
 * same width field by field (names kept where both sides agree, as Trino does).
 */
function nestedSuperType(a: SqlType, b: SqlType): SqlType | undefined {
  if (a.kind === 'array' && b.kind === 'array') {
    const e = commonSuperType(a.element, b.element);
    return e === undefined ? undefined : arrayType(e);
  }
  if (a.kind === 'map' && b.kind === 'map') {
    const k = commonSuperType(a.key, b.key), v = commonSuperType(a.value, b.value);
    return k === undefined || v === undefined ? undefined : mapType(k, v);
  }
  if (a.kind === 'row' && b.kind === 'row' && a.fields.length === b.fields.length) {
    const fields: RowField[] = [];
    for (let i = 0; i < a.fields.length; i++) {
      const fa = a.fields[i]!, fb = b.fields[i]!;
      const t = commonSuperType(fa.type, fb.type);
      if (t === undefined) return undefined;
      fields.push({ name: fa.name === fb.name ? fa.name : undefined, type: t });
    }
    return rowType(fields);
  }
  return undefined;
}

/** Whether a value of type `from` may be used where `to` is expected without an explicit CAST. */
export function canCoerce(from: SqlType, to: SqlType): boolean {
  const s = commonSuperType(from, to);
  return s !== undefined && typesEqual(s, to);
}

const INT_RANK = { tinyint: 1, smallint: 2, integer: 3, bigint: 4 } as const;

export function isExactNumeric(t: SqlType): boolean {
  return isIntegerKind(t.kind) || t.kind === 'decimal';
}

export function isNumeric(t: SqlType): boolean {
  return isExactNumeric(t) || t.kind === 'real' || t.kind === 'double';
}

/** The decimal type an exact numeric type converts to without loss (integer → decimal(10,0), as in Trino). */
export function asDecimal(t: SqlType): { precision: number; scale: number } {
  switch (t.kind) {
    case 'tinyint': return { precision: 3, scale: 0 };
    case 'smallint': return { precision: 5, scale: 0 };
    case 'integer': return { precision: 10, scale: 0 };
    case 'bigint': return { precision: 19, scale: 0 };
    case 'decimal': return { precision: t.precision, scale: t.scale };
    default: return { precision: MAX_DECIMAL_PRECISION, scale: 0 };
  }
}

