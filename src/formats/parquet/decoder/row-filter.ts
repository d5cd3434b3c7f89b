/**
 * Rows a decoder worker may drop from a row group before it copies the row group out of WebAssembly memory
 * (worker-source.ts, selectRows): tests on integer and date columns the worker can run on the decoded buffers.
 *
 * Why: a scan's filters and the probe filters of the joins above it run on the main thread, which at one thread
 * is the busy one while the decoder workers idle about two thirds of the time (CPU profiles of TPC-H SF1). Every
 * row a filter drops was copied out of WebAssembly, transferred, wrapped, tested and gathered there first: q01's
 * date filter, which keeps 98.6% of lineitem, spent 300 ms per run copying the kept rows into new buffers; q09's
 * probe filter read 6M rows to keep 321k. Dropped in the worker, those rows never reach the main thread.
 *
 * Contract: the worker drops a row only when some atom is false or NULL on it, and ignores an atom whose columns
 * it did not decode in exactly the atom's `format` (an Arrow C data interface format string). It is an
 * optimization: the operators above the scan still apply their filters, so a caller passes only atoms under which
 * every dropped row is one those operators would drop (a conjunct of the scan's pushed-down filters, an armed
 * probe filter's key bits). Bounds are integers with magnitude at most 2^52 (exact as doubles).
 */

/** Integer layouts the worker tests: Int32, Date32 (days) and Int64. */
export type RowFilterFormat = 'i' | 'tdD' | 'l';

export type RowFilterAtom =
  /** lo <= column <= hi (either bound may be infinite). */
  | { readonly kind: 'range'; readonly column: string; readonly format: RowFilterFormat; readonly lo: number; readonly hi: number }
  /** column <> value. */
  | { readonly kind: 'notEqual'; readonly column: string; readonly format: RowFilterFormat; readonly value: number }
  /** lo <= left − right <= hi, both columns Int32 or Date32 of the same format. */
  | { readonly kind: 'differenceRange'; readonly left: string; readonly right: string; readonly format: 'i' | 'tdD'; readonly lo: number; readonly hi: number }
  /** The bit of column − min is set in `bits` (and 0 <= column − min < range): a probe filter's keys, an IN list. */
  | { readonly kind: 'keyBits'; readonly column: string; readonly format: RowFilterFormat; readonly min: number; readonly range: number; readonly bits: Uint8Array };

/** The largest bound magnitude an atom may carry. */
export const ROW_FILTER_BOUND_MAX = 2 ** 52;
