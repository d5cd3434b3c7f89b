/**
 * The ROW(…) constructor and the map(keys, values) function. ROW fields are anonymous (named `field0`… on output);
 * CAST(ROW(…) AS row(x integer, …)) names them. map() checks what Trino checks: arrays of one length, no NULL key,
 * no duplicate key.
 */
import { ShoalError } from '../common/index.js';
import {
  UNKNOWN, ValueKeyWriter, emptyColumn, formatScalar, getBit, listElements, listOffsets, makeMapColumn, makeRowColumn,
  mapType, newBitmap, rowType, scalarAt, takeColumn, validity, valueKeyEncoder, type Column, type SqlType,
  type ValueKeyEncoder,
} from '../types/index.js';
import { doc } from './function.js';
import type { ScalarFunction } from './function.js';
import { lifted, plain } from './nested.js';

/** ROW(e1, …, en): a row of anonymous fields of the arguments' types. Bound from syntax, also as `(e1, …, en)`. */
export const rowConstructorFunction: ScalarFunction = {
  kind: 'scalar',
  name: 'row',
  docs: [doc('T1, …, Tn', 'row(T1, …, Tn)', 'ROW(x, …): a row of the given values')],
  resolve(argTypes) {
    if (argTypes.length === 0) return undefined;
    const returnType = rowType(argTypes.map((type) => ({ type })));
    const kernel = lifted(argTypes, returnType, (cols, rows) => makeRowColumn(returnType as SqlType & { kind: 'row' }, rows, cols.map(plain)));
    return { argTypes: [...argTypes], returnType, kernel, deterministic: true };
  },
};

/** Decodes each byte to one distinct character: a JS string key for a byte string. */
const LATIN1 = new TextDecoder('latin1');

function invalid(message: string): ShoalError {
  return new ShoalError('INVALID_FUNCTION_ARGUMENT', message);
}

/**
 * Checks one row's keys (entries [from, to) of `keys`): none NULL or holding a NULL, none repeated. Keys are
 * compared by their canonical value keys (types/value-key.ts).
 */
function checkKeys(keys: Column, keyType: SqlType, enc: ValueKeyEncoder, from: number, to: number, w: ValueKeyWriter): void {
  const kv = validity(keys);
  const seen = new Set<string>();
  for (let e = from; e < to; e++) {
    if (kv !== null && !getBit(kv, e)) throw invalid('map key cannot be null');
    w.reset();
    enc(w, e);
    if (w.sawNull) throw invalid(`map key cannot be indeterminate: ${formatScalar(scalarAt(keys, keyType, e), keyType) ?? 'NULL'}`);
    const text = LATIN1.decode(w.bytes.subarray(0, w.length));
    if (seen.has(text)) throw invalid(`Duplicate map keys (${formatScalar(scalarAt(keys, keyType, e), keyType) ?? 'NULL'}) are not allowed`);
    seen.add(text);
  }
}

/** map(): the empty map; map(array(K), array(V)): entries pairing the arrays' elements by position. */
export const mapFunction: ScalarFunction = {
  kind: 'scalar',
  name: 'map',
  docs: [
    doc('', 'map(unknown, unknown)', 'An empty map'),
    doc('array(K), array(V)', 'map(K, V)', 'A map from the keys in the first array to the values at the same positions in the second'),
  ],
  resolve(argTypes) {
    if (argTypes.length === 0) {
      const t = mapType(UNKNOWN, UNKNOWN) as SqlType & { kind: 'map' };
      return { argTypes: [], returnType: t, kernel: lifted([], t, (_cols, rows) => makeMapColumn(t, rows, new Int32Array(rows + 1), emptyColumn(UNKNOWN), emptyColumn(UNKNOWN))), deterministic: true };
    }
    const [k, v] = argTypes;
    if (argTypes.length !== 2 || k?.kind !== 'array' || v?.kind !== 'array') return undefined;
    const t = mapType(k.element, v.element) as SqlType & { kind: 'map' };
    const kernel = lifted([k, v], t, (cols, rows) => {
      const [ka, va] = cols as [Column, Column];
      const ko = listOffsets(ka), vo = listOffsets(va);
      const kValid = validity(ka), vValid = validity(va);
      const keys = plain(listElements(ka)), values = plain(listElements(va));
      const offsets = new Int32Array(rows + 1);
      let valid: Uint8Array | null = null;
      const keyIdx: number[] = [], valIdx: number[] = [];
      const w = new ValueKeyWriter();
      const enc = valueKeyEncoder(keys, k.element);
      for (let i = 0; i < rows; i++) {
        const isNull = (kValid !== null && !getBit(kValid, i)) || (vValid !== null && !getBit(vValid, i));
        if (isNull) {
          valid ??= newBitmap(rows, true);
          valid[i >>> 3]! &= ~(1 << (i & 7));
        } else {
          const n = ko[i + 1]! - ko[i]!;
          if (n !== vo[i + 1]! - vo[i]!) throw invalid('Key and value arrays must be the same length');
          checkKeys(keys, k.element, enc, ko[i]!, ko[i + 1]!, w);
          for (let e = 0; e < n; e++) {
            keyIdx.push(ko[i]! + e);
            valIdx.push(vo[i]! + e);
          }
        }
        offsets[i + 1] = keyIdx.length;
      }
      return makeMapColumn(t, rows, offsets, takeColumn(keys, Int32Array.from(keyIdx)), takeColumn(values, Int32Array.from(valIdx)), valid);
    });
    return { argTypes: [k, v], returnType: t, kernel, deterministic: true };
  },
};
