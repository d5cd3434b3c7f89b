import { Data, type Decimal } from 'apache-arrow';
import { toArrowType } from './arrow-types.js';
import { countSetBits } from './bitmap.js';
import type { Column } from './column.js';
import { numbersToDecimals } from './decimal128.js';
import { rememberNumberView } from './number-view.js';
import type { SqlType } from './sql-type.js';

/**
 * A decimal column known by its exact double view (unscaled values, each an integer with |v| <= 2^53), whose
 * Decimal128 words are written only when something reads `values`. Kernels that work on numbers (arithmetic,
 * comparisons, sum and avg) read the view through numberView and never make the words: q01's
 * sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) and the columns its 98% filter keeps used to write
 * 16 bytes per row and value that nothing read.
 *
 * Contract: the column is immutable like any other. The first read of `values` (a kernel, a take, IPC for spill
 * files and workers, Data.clone/slice) writes the words once and keeps them; every later read sees the same
 * array. `byteLength` reports the words' size without writing them, so memory accounting sees the same bytes
 * as for an eager column.
 */
class LazyDecimalData extends Data<Decimal> {
  private words: Uint32Array | undefined;

  constructor(type: Decimal, length: number, nullCount: number, valid: Uint8Array | null, private readonly view: Float64Array) {
    super(type, 0, length, nullCount, [undefined, undefined, valid ?? undefined] as never);
  }

  /** The Decimal128 words, written from the view on first use. */
  materialize(): Uint32Array {
    this.words ??= numbersToDecimals(this.view, this.length);
    return this.words;
  }

  override get byteLength(): number {
    return 16 * this.length + (this.nullBitmap?.byteLength ?? 0);
  }
}

// `values` is a plain field on Data; TypeScript does not let a subclass declare it as an accessor, so the
// accessor is defined on the prototype. The setter keeps an assignment (none in Shoal or Arrow after construction)
// from being lost.
Object.defineProperty(LazyDecimalData.prototype, 'values', {
  get(this: LazyDecimalData): Uint32Array {
    return this.materialize();
  },
  set(this: LazyDecimalData, v: Uint32Array) {
    (this as unknown as { words: Uint32Array }).words = v;
  },
  configurable: false,
  enumerable: true,
});

/**
 * A decimal column of `n` rows whose unscaled values are `view` (exact integer doubles, |v| <= 2^53 in every
 * slot, NULL slots included), none larger in magnitude than maxAbs (undefined: not known yet). The view is
 * remembered for numberView; the words are written only when read (see LazyDecimalData).
 */
export function lazyDecimalColumn(type: SqlType, n: number, view: Float64Array, maxAbs: number | undefined, valid: Uint8Array | null): Column {
  return lazyDecimalData(toArrowType(type) as Decimal, n, view, valid, maxAbs);
}

/** lazyDecimalColumn for a caller that holds the Arrow type (takes of an existing column). */
export function lazyDecimalData(type: Decimal, n: number, view: Float64Array, valid: Uint8Array | null, maxAbs?: number): Column {
  const nullCount = valid === null ? 0 : n - countSetBits(valid, n);
  const col = new LazyDecimalData(type, n, nullCount, nullCount === 0 ? null : valid, view) as Column;
  return rememberNumberView(col, view, maxAbs);
}
