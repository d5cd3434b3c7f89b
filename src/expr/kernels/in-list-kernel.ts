import {
  BOOLEAN, decimalAt, getBit, isNestedKind, makeColumn, newBitmap, setBit, stringAt, utf8Decoder, validity, type Column, type Scalar,
  type SqlType,
} from '../../types/index.js';
import { numberView, scalarNumber } from '../../types/index.js';
import { inListNested } from './nested-compare.js';
import { stringAccess } from './string-access.js';

/**
 * x [NOT] IN (constant list) with SQL's NULL semantics: a match gives true (false for NOT IN); no match gives
 * NULL when the list holds a NULL, else false (true for NOT IN); a NULL x gives NULL.
 */
export function inListColumn(col: Column, type: SqlType, items: readonly Scalar[], negated: boolean): Column {
  if (isNestedKind(type.kind)) return inListNested(col, type, items, negated);
  const n = col.length;
  const listHasNull = items.some((v) => v === null);
  const values = items.filter((v) => v !== null);
  const hit = newBitmap(n);
  if (type.kind === 'varchar') {
    const set = new Set(values as string[]);
    const sa = stringAccess(col);
    if (sa.codes !== null) {
      const entries = sa.offsets.length - 1;
      const verdict = new Uint8Array(entries);
      for (let k = 0; k < entries; k++) verdict[k] = set.has(utf8Decoder.decode(sa.bytes.subarray(sa.offsets[k]!, sa.offsets[k + 1]!))) ? 1 : 0;
      for (let i = 0; i < n; i++) if (verdict[sa.codes[i]!] === 1) setBit(hit, i);
    } else {
      for (let i = 0; i < n; i++) if (set.has(utf8Decoder.decode(sa.bytes.subarray(sa.offsets[i]!, sa.offsets[i + 1]!)))) setBit(hit, i);
    }
  } else if (type.kind === 'boolean') {
    const v = col.values as Uint8Array;
    const hasT = values.includes(true), hasF = values.includes(false);
    for (let i = 0; i < n; i++) if (getBit(v, i) ? hasT : hasF) setBit(hit, i);
  } else {
    const nums = numberView(col, type);
    const numSet = new Set<number>();
    let allExact = nums !== null;
    for (const v of values) {
      const x = scalarNumber(v);
      if (x === null) allExact = false;
      else numSet.add(x);
    }
    if (allExact && nums !== null) {
      for (let i = 0; i < n; i++) if (numSet.has(nums[i]!)) setBit(hit, i);
    } else {
      // Exact comparison through the values' text: BigInt and decimal slow path.
      const keys = new Set(values.map((v) => String(v)));
      for (let i = 0; i < n; i++) {
        const s = scalarTextAt(col, type, i);
        if (s !== null && keys.has(s)) setBit(hit, i);
      }
    }
  }
  const inValid = validity(col);
  const out = newBitmap(n);
  let valid: Uint8Array | null = inValid === null ? null : inValid.slice();
  for (let i = 0; i < n; i++) {
    if (getBit(hit, i)) {
      if (!negated) setBit(out, i);
    } else if (listHasNull) {
      valid ??= newBitmap(n, true);
      valid[i >>> 3]! &= ~(1 << (i & 7));
    } else if (negated) setBit(out, i);
  }
  return makeColumn(BOOLEAN, n, out, valid);
}

function scalarTextAt(col: Column, type: SqlType, i: number): string | null {
  if (type.kind === 'decimal') return String(decimalAt(col.values as Uint32Array, i));
  if (type.kind === 'varchar') return stringAt(col, i);
  return String((col.values as BigInt64Array)[i]);
}
