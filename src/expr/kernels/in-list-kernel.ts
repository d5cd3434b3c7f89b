import {
  BOOLEAN, clearTail, decimalAt, getBit, isNestedKind, makeColumn, newBitmap, setBit, stringAt, validity, type Column, type Scalar,
  type SqlType,
} from '../../types/index.js';
import { numberView, scalarNumber, utf8Encoder } from '../../types/index.js';
import { inListNested } from './nested-compare.js';
import { ByteStringSet } from './byte-string-set.js';
import { ShortStringSet } from './short-string-set.js';
import { stringAccess } from './string-access.js';

/**
 * The ShortStringSet of each IN list (null: not short), made once per list: the compiled expression passes the
 * same `items` array for every batch, and building the table per call cost more than the test itself on the small
 * inputs of q19's p_container lists (~250 rows a call).
 */
const shortSets = new WeakMap<readonly Scalar[], ShortStringSet | null>();

function shortSetOf(items: readonly Scalar[], values: readonly string[]): ShortStringSet | null {
  let set = shortSets.get(items);
  if (set === undefined) {
    set = ShortStringSet.of(values.map((v) => utf8Encoder.encode(v)));
    shortSets.set(items, set);
  }
  return set;
}

/**
 * x [NOT] IN (constant list) with SQL's NULL semantics: a match gives true (false for NOT IN); no match gives
 * NULL when the list holds a NULL, else false (true for NOT IN); a NULL x gives NULL. `items` is read as immutable:
 * tables made from it are kept for later calls with the same array.
 */
export function inListColumn(col: Column, type: SqlType, items: readonly Scalar[], negated: boolean): Column {
  if (isNestedKind(type.kind)) return inListNested(col, type, items, negated);
  const n = col.length;
  const listHasNull = items.some((v) => v === null);
  const values = items.filter((v) => v !== null);
  const hit = newBitmap(n);
  if (type.kind === 'varchar') {
    // Byte-level membership: no string is decoded; dictionary entries are decided once each.
    const set = new ByteStringSet(values as string[]);
    const sa = stringAccess(col);
    const { bytes, offsets, codes } = sa;
    if (codes !== null) {
      const entries = offsets.length - 1;
      const verdict = new Uint8Array(entries);
      for (let k = 0; k < entries; k++) verdict[k] = set.has(bytes, offsets[k]!, offsets[k + 1]!) ? 1 : 0;
      for (let i = 0; i < n; i++) if (verdict[codes[i]!] === 1) hit[i >>> 3]! |= 1 << (i & 7);
    } else if (set.size > 0) {
      const short = shortSetOf(items, values as string[]);
      if (short !== null) short.markMembers(bytes, offsets, n, true, hit);
      else for (let i = 0; i < n; i++) if (set.has(bytes, offsets[i]!, offsets[i + 1]!)) hit[i >>> 3]! |= 1 << (i & 7);
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
      const list = Float64Array.from(numSet);
      if (list.length <= SHORT_LIST && !list.some(Number.isNaN)) {
        if (nums instanceof Int32Array) inShortListI32(nums, n, list, hit);
        else if (nums instanceof Float64Array) inShortListF64(nums, n, list, hit);
        else inShortListAny(nums, n, list, hit);
      } else {
        for (let i = 0; i < n; i++) if (numSet.has(nums[i]!)) setBit(hit, i);
      }
    } else {
      // Exact comparison through the values' text: BigInt and decimal slow path.
      const keys = new Set(values.map((v) => String(v)));
      for (let i = 0; i < n; i++) {
        const s = scalarTextAt(col, type, i);
        if (s !== null && keys.has(s)) setBit(hit, i);
      }
    }
  }
  // Byte-wise: a hit gives true (false when negated); a miss gives NULL when the list holds one, else the opposite.
  const inValid = validity(col);
  const bytes = hit.length;
  const out = new Uint8Array(bytes);
  let valid: Uint8Array | null = inValid === null ? null : inValid.slice(0, bytes);
  if (listHasNull) {
    valid ??= newBitmap(n, true);
    for (let k = 0; k < bytes; k++) valid[k]! &= hit[k]!;
    if (!negated) out.set(hit);
  } else if (negated) {
    for (let k = 0; k < bytes; k++) out[k] = ~hit[k]!;
    clearTail(out, n);
  } else out.set(hit);
  return makeColumn(BOOLEAN, n, out, valid);
}

/**
 * Lists up to this long are tested by comparing with each member: cheaper than hashing a double per row. Without
 * NaN in the list, === gives the Set's answer (SameValueZero differs from === only for NaN).
 */
const SHORT_LIST = 8;

// One loop per array kind, so that each element load is specialized (as in compare-numbers.ts); each output byte
// is assembled in a register.
function inShortListI32(a: Int32Array, n: number, list: Float64Array, hit: Uint8Array): void {
  const m = list.length;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    let h = 0;
    for (let k = 0; k < m; k++) h |= +(x === list[k]!);
    hit[i >>> 3]! |= h << (i & 7);
  }
}

function inShortListF64(a: Float64Array, n: number, list: Float64Array, hit: Uint8Array): void {
  const m = list.length;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    let h = 0;
    for (let k = 0; k < m; k++) h |= +(x === list[k]!);
    hit[i >>> 3]! |= h << (i & 7);
  }
}

function inShortListAny(a: ArrayLike<number>, n: number, list: Float64Array, hit: Uint8Array): void {
  const m = list.length;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    let h = 0;
    for (let k = 0; k < m; k++) h |= +(x === list[k]!);
    hit[i >>> 3]! |= h << (i & 7);
  }
}

function scalarTextAt(col: Column, type: SqlType, i: number): string | null {
  if (type.kind === 'decimal') return String(decimalAt(col.values as Uint32Array, i));
  if (type.kind === 'varchar') return stringAt(col, i);
  return String((col.values as BigInt64Array)[i]);
}
