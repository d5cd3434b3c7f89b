import { ShoalError, assertNever, internalError } from '../../common/index.js';
import {
  BOOLEAN, ValueKeyWriter, broadcastScalar, columnFromScalars, decimalAt, getBit, listElements, listOffsets, makeColumn,
  mapEntries, newBitmap, numberView, rowFieldColumn, scalarAt, scalarValue, arrayValue, setBit, validity,
  valueKeyEncoder, type Column, type ColumnarValue, type Scalar, type SqlType,
} from '../../types/index.js';
import type { CompareOp } from '../expr.js';
import { compareBytes, stringAccess } from './string-access.js';

/**
 * Comparisons of arrays, maps and rows with Trino's semantics:
 * - `=` / `<>`: element- (field-, entry-) wise. A difference anywhere decides false (true for `<>`) even next to
 *   NULLs; otherwise a NULL inside either value makes the result NULL (`ARRAY[1, NULL] = ARRAY[1, NULL]` is NULL,
 *   `ARRAY[1, NULL] = ARRAY[2, NULL]` is false). Arrays of different lengths and maps of different sizes differ.
 * - IS [NOT] DISTINCT FROM: NULLs at any depth are equal to each other (canonical value keys compared as bytes).
 * - `<` `<=` `>` `>=` and ORDER BY: arrays lexicographically (a prefix sorts first), rows field by field; meeting a
 *   NULL element or field while comparing is an error, as in Trino. Maps are not orderable (the binder refuses).
 * Comparators are built once per pair of columns and then called per row pair, without per-row allocation.
 */

/** Result of a three-valued equality: false, true, or NULL (indeterminate). */
const FALSE = 0, TRUE = 1, UNKNOWN = 2;
type Eq3 = 0 | 1 | 2;

type PairCompare = (i: number, j: number) => number;

/** Validity of a child column; a column of type unknown holds only NULLs whatever its buffers say. */
function validOf(col: Column, type: SqlType): Uint8Array | null {
  return type.kind === 'unknown' ? newBitmap(col.length) : validity(col);
}
type PairEqual = (i: number, j: number) => Eq3;

/** Orders non-NULL values a[i] and b[j] of a scalar type: NaN after every number, strings by UTF-8 bytes. */
function leafOrder(a: Column, b: Column, type: SqlType): PairCompare {
  switch (type.kind) {
    case 'unknown': return () => 0;
    case 'boolean': {
      const va = a.values as Uint8Array, vb = b.values as Uint8Array;
      return (i, j) => (getBit(va, i) ? 1 : 0) - (getBit(vb, j) ? 1 : 0);
    }
    case 'varchar': {
      const sa = stringAccess(a), sb = stringAccess(b);
      return (i, j) => {
        const ka = sa.codes === null ? i : sa.codes[i]!, kb = sb.codes === null ? j : sb.codes[j]!;
        return compareBytes(sa.bytes, sa.offsets[ka]!, sa.offsets[ka + 1]!, sb.bytes, sb.offsets[kb]!, sb.offsets[kb + 1]!);
      };
    }
    case 'decimal': {
      const wa = a.values as Uint32Array, wb = b.values as Uint32Array;
      return (i, j) => {
        const x = decimalAt(wa, i), y = decimalAt(wb, j);
        return x < y ? -1 : x > y ? 1 : 0;
      };
    }
    case 'bigint':
    case 'timestamp':
    case 'interval_day_time': {
      const va = a.values as BigInt64Array, vb = b.values as BigInt64Array;
      return (i, j) => (va[i]! < vb[j]! ? -1 : va[i]! > vb[j]! ? 1 : 0);
    }
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'date':
    case 'interval_year_month':
    case 'real':
    case 'double': {
      const na = numberView(a, type)!, nb = numberView(b, type)!;
      return (i, j) => {
        const x = na[i]!, y = nb[j]!;
        if (x < y) return -1;
        if (x > y) return 1;
        if (x === y) return 0;
        return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : -1;
      };
    }
    case 'array':
    case 'map':
    case 'row':
      return nestedOrder(a, b, type);
    default:
      return assertNever(type, 'type');
  }
}

function nullElementError(type: SqlType): ShoalError {
  return type.kind === 'row'
    ? new ShoalError('NOT_SUPPORTED', 'ROW comparison not supported for fields with null elements')
    : new ShoalError('NOT_SUPPORTED', 'ARRAY comparison not supported for arrays with null elements');
}

/** Orders non-NULL nested values a[i] and b[j] (see the module comment). */
export function nestedOrder(a: Column, b: Column, type: SqlType): PairCompare {
  switch (type.kind) {
    case 'array': {
      const oa = listOffsets(a), ob = listOffsets(b);
      const ea = listElements(a), eb = listElements(b);
      const va = validOf(ea, type.element), vb = validOf(eb, type.element);
      const el = leafOrder(ea, eb, type.element);
      return (i, j) => {
        const la = oa[i + 1]! - oa[i]!, lb = ob[j + 1]! - ob[j]!;
        const n = Math.min(la, lb);
        for (let k = 0; k < n; k++) {
          const x = oa[i]! + k, y = ob[j]! + k;
          if ((va !== null && !getBit(va, x)) || (vb !== null && !getBit(vb, y))) throw nullElementError(type);
          const c = el(x, y);
          if (c !== 0) return c;
        }
        return la - lb;
      };
    }
    case 'row': {
      const fields = type.fields.map((f, k) => {
        const fa = rowFieldColumn(a, k), fb = rowFieldColumn(b, k);
        return { va: validOf(fa, f.type), vb: validOf(fb, f.type), cmp: leafOrder(fa, fb, f.type) };
      });
      return (i, j) => {
        for (const f of fields) {
          if ((f.va !== null && !getBit(f.va, i)) || (f.vb !== null && !getBit(f.vb, j))) throw nullElementError(type);
          const c = f.cmp(i, j);
          if (c !== 0) return c;
        }
        return 0;
      };
    }
    case 'map':
      throw new ShoalError('TYPE_MISMATCH', 'Type map is not orderable');
    default:
      throw internalError(`nestedOrder on ${type.kind}`);
  }
}

/** Three-valued equality of non-NULL values a[i] and b[j] of any type (NaN equals nothing, as `=` on doubles). */
function valueEqual(a: Column, b: Column, type: SqlType): PairEqual {
  switch (type.kind) {
    case 'array': {
      const oa = listOffsets(a), ob = listOffsets(b);
      const ea = listElements(a), eb = listElements(b);
      const el = elementEqual(ea, eb, type.element);
      return (i, j) => {
        const n = oa[i + 1]! - oa[i]!;
        if (n !== ob[j + 1]! - ob[j]!) return FALSE;
        let unknown = false;
        for (let k = 0; k < n; k++) {
          const r = el(oa[i]! + k, ob[j]! + k);
          if (r === FALSE) return FALSE;
          if (r === UNKNOWN) unknown = true;
        }
        return unknown ? UNKNOWN : TRUE;
      };
    }
    case 'row': {
      const fields = type.fields.map((f, k) => elementEqual(rowFieldColumn(a, k), rowFieldColumn(b, k), f.type));
      return (i, j) => {
        let unknown = false;
        for (const f of fields) {
          const r = f(i, j);
          if (r === FALSE) return FALSE;
          if (r === UNKNOWN) unknown = true;
        }
        return unknown ? UNKNOWN : TRUE;
      };
    }
    case 'map': {
      const oa = listOffsets(a), ob = listOffsets(b);
      const ma = mapEntries(a), mb = mapEntries(b);
      const keyEq = valueEqual(ma.keys, mb.keys, type.key);
      const valEq = elementEqual(ma.values, mb.values, type.value);
      return (i, j) => {
        const n = oa[i + 1]! - oa[i]!;
        if (n !== ob[j + 1]! - ob[j]!) return FALSE;
        let unknown = false;
        for (let x = oa[i]!; x < oa[i + 1]!; x++) {
          let match = -1;
          for (let y = ob[j]!; y < ob[j + 1]! && match < 0; y++) if (keyEq(x, y) === TRUE) match = y;
          if (match < 0) return FALSE;
          const r = valEq(x, match);
          if (r === FALSE) return FALSE;
          if (r === UNKNOWN) unknown = true;
        }
        return unknown ? UNKNOWN : TRUE;
      };
    }
    case 'real':
    case 'double': {
      const na = numberView(a, type)!, nb = numberView(b, type)!;
      return (i, j) => (na[i] === nb[j] ? TRUE : FALSE);
    }
    default: {
      const cmp = leafOrder(a, b, type);
      return (i, j) => (cmp(i, j) === 0 ? TRUE : FALSE);
    }
  }
}

/** valueEqual where either side may be NULL (then UNKNOWN): elements, fields and map values. */
function elementEqual(a: Column, b: Column, type: SqlType): PairEqual {
  const va = validOf(a, type), vb = validOf(b, type);
  const eq = valueEqual(a, b, type);
  return (i, j) => ((va !== null && !getBit(va, i)) || (vb !== null && !getBit(vb, j)) ? UNKNOWN : eq(i, j));
}

/** Whether a[i] and b[j] (either may be NULL) are not distinct: equal canonical value keys. */
function notDistinct(a: Column, b: Column, type: SqlType): (i: number, j: number) => boolean {
  const ea = valueKeyEncoder(a, type), eb = valueKeyEncoder(b, type);
  const wa = new ValueKeyWriter(), wb = new ValueKeyWriter();
  return (i, j) => {
    wa.reset();
    wb.reset();
    ea(wa, i);
    eb(wb, j);
    return compareBytes(wa.bytes, 0, wa.length, wb.bytes, 0, wb.length) === 0;
  };
}

/** Row-wise comparison of two nested columns of one type: a boolean column (NULL per the module comment). */
function compareNestedColumns(op: CompareOp, a: Column, b: Column, type: SqlType, rows: number): Column {
  const out = newBitmap(rows);
  if (op === 'is_distinct_from' || op === 'is_not_distinct_from') {
    const same = notDistinct(a, b, type);
    const want = op === 'is_not_distinct_from';
    for (let i = 0; i < rows; i++) if (same(i, i) === want) setBit(out, i);
    return makeColumn(BOOLEAN, rows, out, null);
  }
  const va = validity(a), vb = validity(b);
  const valid = newBitmap(rows);
  if (op === '=' || op === '<>') {
    const eq = valueEqual(a, b, type);
    for (let i = 0; i < rows; i++) {
      if ((va !== null && !getBit(va, i)) || (vb !== null && !getBit(vb, i))) continue;
      const r = eq(i, i);
      if (r === UNKNOWN) continue;
      setBit(valid, i);
      if ((r === TRUE) === (op === '=')) setBit(out, i);
    }
    return makeColumn(BOOLEAN, rows, out, valid);
  }
  const cmp = nestedOrder(a, b, type);
  for (let i = 0; i < rows; i++) {
    if ((va !== null && !getBit(va, i)) || (vb !== null && !getBit(vb, i))) continue;
    setBit(valid, i);
    const c = cmp(i, i);
    const r = op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
    if (r) setBit(out, i);
  }
  return makeColumn(BOOLEAN, rows, out, valid);
}

/** A comparison whose operands are arrays, maps or rows (called by the expression evaluator). */
export function compareNestedValues(op: CompareOp, l: ColumnarValue, r: ColumnarValue, type: SqlType, rows: number): ColumnarValue {
  if (l.kind === 'scalar' && r.kind === 'scalar') {
    const out = compareNestedColumns(op, broadcastScalar(type, l.value, 1), broadcastScalar(type, r.value, 1), type, 1);
    return scalarValue(scalarAt(out, BOOLEAN, 0));
  }
  const a = l.kind === 'array' ? l.column : broadcastScalar(type, l.value, rows);
  const b = r.kind === 'array' ? r.column : broadcastScalar(type, r.value, rows);
  return arrayValue(compareNestedColumns(op, a, b, type, rows));
}

/**
 * x [NOT] IN (constant list) for nested x: true on an item equal to x; otherwise NULL when x is NULL, an item is
 * NULL or some comparison was indeterminate; else false (NOT IN negates).
 */
export function inListNested(col: Column, type: SqlType, items: readonly Scalar[], negated: boolean): Column {
  const n = col.length;
  const list = columnFromScalars(type, items);
  const listValid = validity(list);
  const eq = valueEqual(col, list, type);
  const cv = validity(col);
  const out = newBitmap(n), valid = newBitmap(n);
  for (let i = 0; i < n; i++) {
    if (cv !== null && !getBit(cv, i)) continue;
    let result: Eq3 = FALSE;
    for (let k = 0; k < items.length && result !== TRUE; k++) {
      const r = listValid !== null && !getBit(listValid, k) ? UNKNOWN : eq(i, k);
      if (r !== FALSE) result = r;
    }
    if (result === UNKNOWN) continue;
    setBit(valid, i);
    if ((result === TRUE) !== negated) setBit(out, i);
  }
  return makeColumn(BOOLEAN, n, out, valid);
}
