import type { Column } from './column.js';
import type { Scalar } from './scalar.js';

/**
 * What evaluating an expression over a batch yields: a whole column, or one value standing for every row
 * (literals and anything computed only from literals). Kernels specialise the scalar case instead of
 * broadcasting it.
 */
export type ColumnarValue =
  | { readonly kind: 'array'; readonly column: Column }
  | { readonly kind: 'scalar'; readonly value: Scalar };

export function arrayValue(column: Column): ColumnarValue {
  return { kind: 'array', column };
}

export function scalarValue(value: Scalar): ColumnarValue {
  return { kind: 'scalar', value };
}
