/**
 * ARRAY, MAP and ROW functions and operators: the ARRAY[…] constructor, subscripts (`a[i]`, `m[k]`), ROW field
 * access, element_at, cardinality and contains. Results are gathered from the nested columns' children by index
 * (takeColumn), so no per-row values are built except where keys are compared (map lookup, contains), which read
 * one entry at a time.
 */
import { ShoalError } from '../common/index.js';
import {
  BIGINT, BOOLEAN, UNKNOWN, arrayType, arrayValue, canCoerce, commonSuperType, concatColumns, decodeDictionary,
  formatScalar, getBit, isDictionary, isNestedKind, listElements, listOffsets, makeColumn, makeListColumn, mapEntries,
  newBitmap, numberView, rowFieldColumn, scalarAt, scalarValue, setBit, takeColumn, validity,
  type Column, type Scalar, type SqlType,
} from '../types/index.js';
import { doc } from './function.js';
import type { ResolvedScalar, ScalarFunction, ScalarKernel } from './function.js';
import { argColumn } from './scalar-helpers.js';

const INTEGER_KINDS = new Set(['tinyint', 'smallint', 'integer', 'bigint', 'unknown']);

/**
 * Runs `f` over whole columns; when every argument is a scalar it runs on one row and returns a scalar. NULL
 * rows of nested arguments are the caller's business (f sees the columns as they are).
 */
export function lifted(argTypes: readonly SqlType[], returnType: SqlType, f: (cols: readonly Column[], rows: number) => Column): ScalarKernel {
  return (args, rows) => {
    if (args.every((a) => a.kind === 'scalar')) {
      const out = f(args.map((a, k) => argColumn(a, argTypes[k]!, 1)), 1);
      return scalarValue(scalarAt(out, returnType, 0));
    }
    return arrayValue(f(args.map((a, k) => argColumn(a, argTypes[k]!, rows)), rows));
  };
}

/** Elements of a nested child as stored canonically: plain Utf8 for varchar. */
export function plain(col: Column): Column {
  return isDictionary(col) ? decodeDictionary(col) : col;
}

function isValidAt(valid: Uint8Array | null, i: number): boolean {
  return valid === null || getBit(valid, i);
}

/** Index arguments as numbers (bigint values beyond 2^53 are out of any array's range anyway). */
function indexNumbers(col: Column): ArrayLike<number> {
  const v = numberView(col, BIGINT);
  if (v === null) {
    const big = col.values as BigInt64Array;
    return Array.from({ length: col.length }, (_, i) => Number(big[i]!));
  }
  return v;
}

// ---- ARRAY[…] ------------------------------------------------------------------------------------------------

/** ARRAY[e1, …, en]: the elements are coerced to their common type; ARRAY[] is array(unknown). */
export const arrayConstructorFunction: ScalarFunction = {
  kind: 'scalar',
  name: 'array_constructor',
  docs: [doc('T...', 'array(T)', 'ARRAY[x, …]: an array of the given elements')],
  resolve(argTypes) {
    let t: SqlType = UNKNOWN;
    for (const a of argTypes) {
      const next = commonSuperType(t, a);
      if (next === undefined) return undefined;
      t = next;
    }
    const elementType = t;
    const returnType = arrayType(elementType);
    const k = argTypes.length;
    const argTs = argTypes.map(() => elementType);
    const kernel = lifted(argTs, returnType, (cols, rows) => {
      const offsets = new Int32Array(rows + 1);
      for (let i = 0; i <= rows; i++) offsets[i] = i * k;
      if (k === 0) return makeListColumn(returnType as SqlType & { kind: 'array' }, rows, offsets, concatColumns([], elementType));
      // Element j of row i is row i of argument j: gather row-major from the arguments laid end to end.
      const all = concatColumns(cols, elementType);
      const idx = new Int32Array(rows * k);
      for (let i = 0; i < rows; i++) for (let j = 0; j < k; j++) idx[i * k + j] = j * rows + i;
      return makeListColumn(returnType as SqlType & { kind: 'array' }, rows, offsets, plain(takeColumn(all, idx)));
    });
    return { argTypes: argTs, returnType, kernel, deterministic: true };
  },
};

// ---- subscript and element_at ----------------------------------------------------------------------------------

/** Where element `index` (1-based; negative counts from the end for element_at) of row i is, or −1 for NULL. */
type ArrayPick = 'subscript' | 'element_at';

function arrayIndexError(message: string): ShoalError {
  return new ShoalError('INVALID_FUNCTION_ARGUMENT', message);
}

function pickArrayElements(arr: Column, index: Column, rows: number, mode: ArrayPick): Int32Array {
  const o = listOffsets(arr);
  const va = validity(arr), vi = validity(index);
  const idx = indexNumbers(index);
  const gather = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    gather[i] = -1;
    if (!isValidAt(va, i) || !isValidAt(vi, i)) continue;
    const len = o[i + 1]! - o[i]!;
    const k = idx[i]!;
    if (k === 0) throw arrayIndexError('SQL array indices start at 1');
    if (mode === 'subscript') {
      if (k < 0) throw arrayIndexError(`Array subscript is negative: ${k}`);
      if (k > len) throw arrayIndexError(`Array subscript must be less than or equal to array length: ${k} > ${len}`);
      gather[i] = o[i]! + k - 1;
    } else if (Math.abs(k) <= len) {
      gather[i] = k > 0 ? o[i]! + k - 1 : o[i + 1]! + k;
    }
  }
  return gather;
}

/** Equality of two non-NULL values of one type, as `=` compares them (slow path: maps and contains). */
function sameValue(a: Scalar, b: Scalar): boolean {
  if (typeof a === 'bigint' || typeof b === 'bigint') return BigInt(a as bigint | number) === BigInt(b as bigint | number);
  return a === b;
}

function pickMapValues(map: Column, mapType: SqlType & { kind: 'map' }, key: Column, rows: number, mode: ArrayPick): Int32Array {
  const o = listOffsets(map);
  const { keys } = mapEntries(map);
  const vm = validity(map), vk = validity(key);
  const gather = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    gather[i] = -1;
    if (!isValidAt(vm, i) || !isValidAt(vk, i)) continue;
    const probe = scalarAt(key, mapType.key, i);
    for (let e = o[i]!; e < o[i + 1]!; e++) {
      if (sameValue(scalarAt(keys, mapType.key, e), probe)) {
        gather[i] = e;
        break;
      }
    }
    if (gather[i] === -1 && mode === 'subscript') {
      throw new ShoalError('INVALID_FUNCTION_ARGUMENT', `Key not present in map: ${formatScalar(probe, mapType.key) ?? 'NULL'}`);
    }
  }
  return gather;
}

/** array[index] / element_at(array, index) and map[key] / element_at(map, key). */
function resolveElementAccess(argTypes: readonly SqlType[], mode: ArrayPick): ResolvedScalar | undefined {
  if (argTypes.length !== 2) return undefined;
  const [c, k] = argTypes as [SqlType, SqlType];
  if (c.kind === 'array') {
    if (!INTEGER_KINDS.has(k.kind)) return undefined;
    const argTs = [c, BIGINT];
    const kernel = lifted(argTs, c.element, (cols, rows) => takeColumn(listElements(cols[0]!), pickArrayElements(cols[0]!, cols[1]!, rows, mode)));
    return { argTypes: argTs, returnType: c.element, kernel, deterministic: true };
  }
  if (c.kind === 'map') {
    if (!canCoerce(k, c.key)) return undefined;
    const argTs = [c, c.key];
    const kernel = lifted(argTs, c.value, (cols, rows) => takeColumn(mapEntries(cols[0]!).values, pickMapValues(cols[0]!, c, cols[1]!, rows, mode)));
    return { argTypes: argTs, returnType: c.value, kernel, deterministic: true };
  }
  return undefined;
}

/** The `[]` operator: out-of-range array indices and missing map keys are errors, as in Trino. */
export const subscriptFunction: ScalarFunction = {
  kind: 'scalar',
  name: 'subscript',
  docs: [doc('array(T), bigint', 'T', 'a[i]: element at a 1-based index'), doc('map(K, V), K', 'V', 'm[k]: value for a key')],
  resolve: (argTypes) => resolveElementAccess(argTypes, 'subscript'),
};

export const elementAtFunction: ScalarFunction = {
  kind: 'scalar',
  name: 'element_at',
  docs: [
    doc('array(T), bigint', 'T', 'Element at a 1-based index (negative: from the end); NULL beyond the array'),
    doc('map(K, V), K', 'V', 'Value for a key; NULL when the key is missing'),
  ],
  resolve: (argTypes) => resolveElementAccess(argTypes, 'element_at'),
};

// ---- ROW field access ------------------------------------------------------------------------------------------

/**
 * Field `index` (0-based, a constant argument) of a row: `r.x` and `(r).x` bind to this with the field's ordinal,
 * so that structurally different accesses never look alike.
 */
export const rowFieldFunction: ScalarFunction = {
  kind: 'scalar',
  name: 'row_field',
  docs: [doc('row, varchar', 'T', 'r.field: a field of a ROW value')],
  // Not callable by name: the binder resolves it with resolveRowField, which knows the field.
  resolve: () => undefined,
};

/** The binder's resolution of rowFieldFunction for field `index` of `type` (resolve() alone cannot see the index). */
export function resolveRowField(type: SqlType & { kind: 'row' }, index: number): ResolvedScalar {
  const fieldType = type.fields[index]!.type;
  const argTs = [type, BIGINT];
  const kernel = lifted(argTs, fieldType, (cols, rows) => {
    const row = cols[0]!;
    const child = rowFieldColumn(row, index);
    const valid = validity(row);
    if (valid === null) return child;
    // A NULL row has NULL fields whatever its children hold.
    const idx = new Int32Array(rows);
    for (let i = 0; i < rows; i++) idx[i] = getBit(valid, i) ? i : -1;
    return takeColumn(child, idx);
  });
  return { argTypes: argTs, returnType: fieldType, kernel, deterministic: true };
}

// ---- cardinality, contains -------------------------------------------------------------------------------------

export const cardinalityFunction: ScalarFunction = {
  kind: 'scalar',
  name: 'cardinality',
  docs: [doc('array(T)', 'bigint', 'Number of elements'), doc('map(K, V)', 'bigint', 'Number of entries')],
  resolve(argTypes) {
    const t = argTypes[0];
    if (argTypes.length !== 1 || (t?.kind !== 'array' && t?.kind !== 'map')) return undefined;
    const kernel = lifted([t], BIGINT, (cols, rows) => {
      const o = listOffsets(cols[0]!);
      const out = new BigInt64Array(rows);
      for (let i = 0; i < rows; i++) out[i] = BigInt(o[i + 1]! - o[i]!);
      return makeColumn(BIGINT, rows, out, validity(cols[0]!));
    });
    return { argTypes: [t], returnType: BIGINT, kernel, deterministic: true };
  },
};

/** contains(array, x): true when found; NULL when not found and the array holds a NULL (Trino's semantics). */
export const containsFunction: ScalarFunction = {
  kind: 'scalar',
  name: 'contains',
  docs: [doc('array(T), T', 'boolean', 'Whether the array holds the value (NULL when not found and the array holds a NULL)')],
  resolve(argTypes) {
    const [a, x] = argTypes;
    if (argTypes.length !== 2 || a?.kind !== 'array' || x === undefined) return undefined;
    const t = commonSuperType(a.element, x);
    if (t === undefined || isNestedKind(t.kind) || !canCoerce(a.element, t)) return undefined;
    const argTs = [arrayType(t), t];
    const kernel = lifted(argTs, BOOLEAN, (cols, rows) => {
      const [arr, probe] = cols as [Column, Column];
      const o = listOffsets(arr), el = listElements(arr);
      const va = validity(arr), vp = validity(probe), ve = validity(el);
      const out = newBitmap(rows), valid = newBitmap(rows);
      for (let i = 0; i < rows; i++) {
        if (!isValidAt(va, i) || !isValidAt(vp, i)) continue;
        const p = scalarAt(probe, t, i);
        let found = false, sawNull = false;
        for (let e = o[i]!; e < o[i + 1]! && !found; e++) {
          if (!isValidAt(ve, e)) sawNull = true;
          else if (sameValue(scalarAt(el, t, e), p)) found = true;
        }
        if (found) setBit(out, i);
        if (found || !sawNull) setBit(valid, i);
      }
      return makeColumn(BOOLEAN, rows, out, valid);
    });
    return { argTypes: argTs, returnType: BOOLEAN, kernel, deterministic: true };
  },
};

/** Registered by name (the constructor, subscript and field access are bound from syntax). */
export const NESTED_FUNCTIONS: readonly ScalarFunction[] = [elementAtFunction, cardinalityFunction, containsFunction];
