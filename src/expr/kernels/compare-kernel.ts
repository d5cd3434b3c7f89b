import { internalError } from '../../common/index.js';
import {
  BOOLEAN, andBitmaps, decimalAt, getBit, knownNumberView, makeColumn, newBitmap, numberView, scalarNumber, setBit, utf8Encoder, validity,
  type Column, type Scalar, type SqlType,
} from '../../types/index.js';
import { compareBytes, stringAccess } from './string-access.js';
import { compareDecimalWordsScalar } from './decimal-compare.js';
import { compareNumberArrays, compareNumberScalar } from './compare-numbers.js';

/** Plain comparisons; IS [NOT] DISTINCT FROM is handled by the caller on top of `=`. */
export type PlainCompareOp = '=' | '<>' | '<' | '<=' | '>' | '>=';

function decide(op: PlainCompareOp, c: number): boolean {
  switch (op) {
    case '=': return c === 0;
    case '<>': return c !== 0;
    case '<': return c < 0;
    case '<=': return c <= 0;
    case '>': return c > 0;
    case '>=': return c >= 0;
  }
}

/** Per-row value as BigInt, for 64/128-bit values that do not fit doubles exactly. */
function bigAt(col: Column, type: SqlType): (i: number) => bigint {
  if (type.kind === 'decimal') {
    const w = col.values as Uint32Array;
    return (i) => decimalAt(w, i);
  }
  const v = col.values as BigInt64Array;
  return (i) => v[i]!;
}

function scalarBig(v: Scalar): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  throw internalError('expected an integer scalar');
}

export function flipOp(op: PlainCompareOp): PlainCompareOp {
  switch (op) {
    case '<': return '>';
    case '<=': return '>=';
    case '>': return '<';
    case '>=': return '<=';
    default: return op;
  }
}

/** Comparison of a column with a column of the same type. Result: boolean column, NULL where either is NULL. */
export function compareColumns(op: PlainCompareOp, a: Column, b: Column, type: SqlType): Column {
  const n = a.length;
  const out = newBitmap(n);
  switch (type.kind) {
    case 'varchar': {
      const sa = stringAccess(a), sb = stringAccess(b);
      for (let i = 0; i < n; i++) {
        const ka = sa.codes === null ? i : sa.codes[i]!;
        const kb = sb.codes === null ? i : sb.codes[i]!;
        const c = compareBytes(sa.bytes, sa.offsets[ka]!, sa.offsets[ka + 1]!, sb.bytes, sb.offsets[kb]!, sb.offsets[kb + 1]!);
        if (decide(op, c)) setBit(out, i);
      }
      break;
    }
    case 'boolean': {
      const va = a.values as Uint8Array, vb = b.values as Uint8Array;
      for (let i = 0; i < n; i++) {
        const c = (getBit(va, i) ? 1 : 0) - (getBit(vb, i) ? 1 : 0);
        if (decide(op, c)) setBit(out, i);
      }
      break;
    }
    case 'unknown':
      break;
    default: {
      const na = numberView(a, type), nb = numberView(b, type);
      if (na !== null && nb !== null) compareNumberArrays(op, na, nb, n, out);
      else {
        const ga = bigAt(a, type), gb = bigAt(b, type);
        for (let i = 0; i < n; i++) {
          const x = ga(i), y = gb(i);
          if (decide(op, x < y ? -1 : x > y ? 1 : 0)) setBit(out, i);
        }
      }
    }
  }
  return makeColumn(BOOLEAN, n, out, andBitmaps(validity(a), validity(b), n));
}

/**
 * Sets bit i of `out` where row i of a plain string column equals `lit` (`want` true) or differs from it (false).
 * Rows of another length differ without reading a byte. A small function of its own, so that it is optimized
 * for this loop alone.
 */
function equalsLiteral(bytes: Uint8Array, offsets: Int32Array, n: number, lit: Uint8Array, want: boolean, out: Uint8Array): void {
  const len = lit.length;
  let start = offsets[0]!;
  for (let i = 0; i < n; i++) {
    const end = offsets[i + 1]!;
    let eq = end - start === len;
    if (eq) for (let k = 0; k < len; k++) if (bytes[start + k] !== lit[k]) { eq = false; break; }
    if (eq === want) out[i >>> 3]! |= 1 << (i & 7);
    start = end;
  }
}

/** Comparison of a column with a non-null scalar of the same type (column on the left). */
export function compareColumnScalar(op: PlainCompareOp, a: Column, s: Scalar, type: SqlType): Column {
  const n = a.length;
  const out = newBitmap(n);
  switch (type.kind) {
    case 'varchar': {
      const sa = stringAccess(a);
      const lit = utf8Encoder.encode(s as string);
      if (sa.codes !== null) {
        // Decide once per dictionary entry, then map the codes.
        const entries = sa.offsets.length - 1;
        const verdict = new Uint8Array(entries);
        for (let k = 0; k < entries; k++) {
          verdict[k] = decide(op, compareBytes(sa.bytes, sa.offsets[k]!, sa.offsets[k + 1]!, lit, 0, lit.length)) ? 1 : 0;
        }
        const codes = sa.codes;
        for (let i = 0; i < n; i++) if (verdict[codes[i]!] === 1) out[i >>> 3]! |= 1 << (i & 7);
      } else if (op === '=' || op === '<>') {
        equalsLiteral(sa.bytes, sa.offsets, n, lit, op === '=', out);
      } else {
        for (let i = 0; i < n; i++) {
          if (decide(op, compareBytes(sa.bytes, sa.offsets[i]!, sa.offsets[i + 1]!, lit, 0, lit.length))) setBit(out, i);
        }
      }
      break;
    }
    case 'boolean': {
      const va = a.values as Uint8Array;
      const sv = s === true ? 1 : 0;
      for (let i = 0; i < n; i++) if (decide(op, (getBit(va, i) ? 1 : 0) - sv)) setBit(out, i);
      break;
    }
    case 'unknown':
      break;
    default: {
      const sn = scalarNumber(s);
      // A decimal read once: compare its words directly rather than build a double view for one use.
      if (type.kind === 'decimal' && sn !== null && knownNumberView(a) === undefined) {
        compareDecimalWordsScalar(op, a.values as Uint32Array, n, sn, out);
        break;
      }
      const na = numberView(a, type);
      if (na !== null && sn !== null) compareNumberScalar(op, na, sn, n, out);
      else {
        const ga = bigAt(a, type);
        const y = scalarBig(s);
        for (let i = 0; i < n; i++) {
          const x = ga(i);
          if (decide(op, x < y ? -1 : x > y ? 1 : 0)) setBit(out, i);
        }
      }
    }
  }
  const v = validity(a);
  return makeColumn(BOOLEAN, n, out, v === null ? null : v.slice(0, out.length));
}

/** Comparison of two non-null scalars of the same type. */
export function compareScalars(op: PlainCompareOp, a: Scalar, b: Scalar): boolean {
  if (typeof a === 'string' && typeof b === 'string') {
    const ea = utf8Encoder.encode(a), eb = utf8Encoder.encode(b);
    return decide(op, compareBytes(ea, 0, ea.length, eb, 0, eb.length));
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return decide(op, (a ? 1 : 0) - (b ? 1 : 0));
  if (typeof a === 'number' && typeof b === 'number') return decide(op, a < b ? -1 : a > b ? 1 : a === b ? 0 : Number.NaN);
  const x = scalarBig(a), y = scalarBig(b);
  return decide(op, x < y ? -1 : x > y ? 1 : 0);
}
