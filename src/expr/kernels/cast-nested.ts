import { internalError, type SourceSpan } from '../../common/index.js';
import {
  decodeDictionary, isDictionary, listElements, listOffsets, makeListColumn, makeMapColumn, makeRowColumn, mapEntries,
  rowFieldColumn, validity, type Column, type SqlType,
} from '../../types/index.js';

type CastFn = (col: Column, from: SqlType, to: SqlType, tryCast: boolean, span?: SourceSpan) => Column;

function plain(col: Column): Column {
  return isDictionary(col) ? decodeDictionary(col) : col;
}

/**
 * CAST between array, map or row types (the binder checked canCast): children are cast with `cast` and the
 * offsets and validity kept. Under TRY_CAST an element that does not convert becomes NULL (Trino nulls the whole
 * value instead).
 */
export function castNested(col: Column, from: SqlType, to: SqlType, tryCast: boolean, span: SourceSpan | undefined, cast: CastFn): Column {
  const n = col.length;
  const valid = validity(col);
  if (from.kind === 'array' && to.kind === 'array') {
    return makeListColumn(to, n, listOffsets(col), plain(cast(listElements(col), from.element, to.element, tryCast, span)), valid);
  }
  if (from.kind === 'map' && to.kind === 'map') {
    const { keys, values } = mapEntries(col);
    return makeMapColumn(to, n, listOffsets(col), plain(cast(keys, from.key, to.key, tryCast, span)), plain(cast(values, from.value, to.value, tryCast, span)), valid);
  }
  if (from.kind === 'row' && to.kind === 'row') {
    return makeRowColumn(to, n, to.fields.map((f, i) => plain(cast(rowFieldColumn(col, i), from.fields[i]!.type, f.type, tryCast, span))), valid);
  }
  throw internalError(`castNested: ${from.kind} to ${to.kind}`);
}
