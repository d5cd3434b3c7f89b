/**
 * The contract between the reader and the per-type column decoders, and what they share: nullness, the
 * validity bitmap, capacity growth and error reporting.
 *
 * A decoder turns field `col` of every row of successive FieldBlocks straight from bytes into the typed arrays
 * of one column, then `finish` hands out the column in Shoal's canonical layout (types/arrow-types.ts) and starts
 * the next one. The reader appends at most `batchSize` rows between two `finish` calls.
 */
import { newBitmap, type Column } from '../../../types/index.js';
import type { FieldBlock } from '../field-block.js';
import { badValue } from '../csv-errors.js';

export interface ColumnDecoder {
  /** Decodes field `col` of rows [0, block.rows) of `block`, after the rows appended so far. */
  append(block: FieldBlock, col: number): void;
  /** The column of every row appended since the previous finish; the decoder then starts empty. */
  finish(): Column;
}

export interface DecodeContext {
  readonly location: string;
  /** The column's name, for messages. */
  readonly column: string;
  readonly nullBytes: Uint8Array;
  /** Rows per batch at most: the most a column ever holds. */
  readonly batchSize: number;
}

/** Rows a decoder allocates for first; arrays then double up to batchSize. */
const INITIAL_ROWS = 4096;

export function initialCapacity(ctx: DecodeContext): number {
  return Math.max(1, Math.min(ctx.batchSize, INITIAL_ROWS));
}

/** The capacity to grow to so that `needed` rows fit. */
export function grownCapacity(capacity: number, needed: number): number {
  let c = Math.max(capacity, 1);
  while (c < needed) c *= 2;
  return c;
}

/** A typed array of the same kind with `length` elements and the first `keep` copied. */
export function growArray<T extends Int8Array | Int16Array | Int32Array | Uint32Array | Uint8Array | Float32Array | Float64Array | BigInt64Array>(
  a: T, length: number, keep: number,
): T {
  const Ctor = a.constructor as new (n: number) => T;
  const out = new Ctor(length);
  out.set(a.subarray(0, keep) as unknown as ArrayLike<number> & ArrayLike<bigint>);
  return out;
}

/** A validity bitmap built row by row; allocated only when the first NULL arrives. */
export class ValidityBuilder {
  private bits: Uint8Array | null = null;

  /** Marks row i NULL; `capacity` is the current row capacity of the column. */
  setNull(i: number, capacity: number): void {
    if (this.bits === null) this.bits = newBitmap(capacity, true);
    this.bits[i >>> 3]! &= ~(1 << (i & 7));
  }

  isNull(i: number): boolean {
    return this.bits !== null && (this.bits[i >>> 3]! & (1 << (i & 7))) === 0;
  }

  /** Keeps room for `capacity` rows (rows not yet written are valid). */
  grow(capacity: number): void {
    const b = this.bits;
    if (b === null || b.length * 8 >= capacity) return;
    const next = newBitmap(capacity, true);
    next.set(b);
    this.bits = next;
  }

  /** The bitmap for `length` rows, or null when none is NULL; starts over. */
  finish(length: number): Uint8Array | null {
    const b = this.bits;
    this.bits = null;
    if (b === null) return null;
    const out = b.slice(0, (length + 7) >>> 3);
    const rem = length & 7;
    if (rem !== 0) out[out.length - 1]! &= (1 << rem) - 1;
    return out;
  }
}

/** BAD_DATA for field `col` of row `r` that does not read as `typeText`. */
export function fieldError(ctx: DecodeContext, block: FieldBlock, r: number, col: number, typeText: string, why = ''): Error {
  return badValue(ctx.location, block.lines[r]!, ctx.column, typeText, block.fieldText(r, col), why);
}

/** The field's text as Latin-1 (one char per byte): for numeric slow paths, where only ASCII can be valid. */
export function fieldAscii(block: FieldBlock, r: number, col: number): string {
  const b = block.fieldBytes(r, col);
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}

/** 10^k as exact doubles for k <= 22. */
export const POW10: readonly number[] = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
