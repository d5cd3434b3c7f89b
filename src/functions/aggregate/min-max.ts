import {
  columnFromScalars, decimalAt, float64ToInt64, getBit, makeColumn, numberView, setDecimalNumber, stringColumnFromValues,
  utf8Decoder, validity, type Column, type Scalar, type SqlType,
} from '../../types/index.js';
import { doc, type AggregateFunction, type GroupedAccumulator } from '../function.js';
import { seenBitmap } from './sum.js';
import { growFloat64, growUint8, included } from './state.js';

type Better = (candidate: number, best: number) => boolean;

/**
 * min/max of numeric, temporal and decimal values. Bests are kept as exact doubles; a batch holding a value beyond
 * 2^53 (nanosecond timestamps, huge decimals) switches the accumulator to BigInt bests.
 */
class NumericExtremum implements GroupedAccumulator {
  private best: Float64Array = new Float64Array(0);
  private seen: Uint8Array = new Uint8Array(0);
  private big: (bigint | undefined)[] | null = null;
  constructor(private readonly type: SqlType, private readonly isMax: boolean) {}

  update(args: readonly Column[], groupIds: Int32Array, rows: number, numGroups: number, mask: Uint8Array | null): void {
    this.best = growFloat64(this.best, numGroups);
    this.seen = growUint8(this.seen, numGroups);
    const col = args[0]!;
    const valid = validity(col);
    const nums = this.big === null ? numberView(col, this.type) : null;
    if (nums !== null) {
      const best = this.best, seen = this.seen;
      const better: Better = this.isMax ? (c, b) => c > b : (c, b) => c < b;
      for (let i = 0; i < rows; i++) {
        if (!included(mask, valid, i)) continue;
        const g = groupIds[i]!;
        const x = nums[i]!;
        if (seen[g] === 0 || better(x, best[g]!)) {
          best[g] = x;
          seen[g] = 1;
        }
      }
      return;
    }
    if (this.big === null) {
      this.big = [];
      for (let g = 0; g < this.seen.length; g++) this.big[g] = this.seen[g] === 1 ? BigInt(this.best[g]!) : undefined;
    }
    const big = this.big;
    const at = this.type.kind === 'decimal' ? ((w: Uint32Array) => (i: number) => decimalAt(w, i))(col.values as Uint32Array) : ((v: BigInt64Array) => (i: number) => v[i]!)(col.values as BigInt64Array);
    for (let i = 0; i < rows; i++) {
      if (!included(mask, valid, i)) continue;
      const g = groupIds[i]!;
      const x = at(i);
      const b = big[g];
      if (b === undefined || (this.isMax ? x > b : x < b)) big[g] = x;
      this.seen[g] = 1;
    }
  }

  finish(numGroups: number): Column {
    const seen = growUint8(this.seen, numGroups);
    if (this.big !== null) {
      const values: Scalar[] = [];
      for (let g = 0; g < numGroups; g++) values.push(this.big[g] ?? null);
      return columnFromScalars(this.type, values);
    }
    const valid = seenBitmap(seen, numGroups);
    const best = growFloat64(this.best, numGroups).subarray(0, numGroups);
    switch (this.type.kind) {
      case 'bigint':
      case 'timestamp':
      case 'interval_day_time':
        return makeColumn(this.type, numGroups, float64ToInt64(best, numGroups), valid);
      case 'decimal': {
        const words = new Uint32Array(4 * numGroups);
        for (let g = 0; g < numGroups; g++) setDecimalNumber(words, g, best[g]!);
        return makeColumn(this.type, numGroups, words, valid);
      }
      case 'tinyint': return makeColumn(this.type, numGroups, Int8Array.from(best), valid);
      case 'smallint': return makeColumn(this.type, numGroups, Int16Array.from(best), valid);
      case 'integer':
      case 'date':
      case 'interval_year_month':
        return makeColumn(this.type, numGroups, Int32Array.from(best), valid);
      case 'real': return makeColumn(this.type, numGroups, Float32Array.from(best), valid);
      default: return makeColumn(this.type, numGroups, Float64Array.from(best), valid);
    }
  }

  memoryBytes(): number {
    return this.best.byteLength + this.seen.byteLength;
  }
}

/** min/max of varchar by code point order; bests are copies of the winning bytes. */
class StringExtremum implements GroupedAccumulator {
  private best: (Uint8Array | undefined)[] = [];
  private bytesHeld = 0;
  constructor(private readonly isMax: boolean) {}

  update(args: readonly Column[], groupIds: Int32Array, rows: number, _numGroups: number, mask: Uint8Array | null): void {
    const col = args[0]!;
    const valid = validity(col);
    const dict = col.dictionary?.data[0];
    const offsets = (dict ?? col).valueOffsets as Int32Array;
    const bytes = (dict ?? col).values as Uint8Array;
    const codes = dict === undefined ? null : (col.values as Int32Array);
    for (let i = 0; i < rows; i++) {
      if (!included(mask, valid, i)) continue;
      const k = codes === null ? i : codes[i]!;
      const s = offsets[k]!, e = offsets[k + 1]!;
      const g = groupIds[i]!;
      const b = this.best[g];
      if (b === undefined || this.better(bytes, s, e, b)) {
        this.bytesHeld += e - s - (b?.length ?? 0);
        this.best[g] = bytes.slice(s, e);
      }
    }
  }

  private better(a: Uint8Array, s: number, e: number, b: Uint8Array): boolean {
    const n = Math.min(e - s, b.length);
    for (let k = 0; k < n; k++) {
      const d = a[s + k]! - b[k]!;
      if (d !== 0) return this.isMax ? d > 0 : d < 0;
    }
    return this.isMax ? e - s > b.length : e - s < b.length;
  }

  finish(numGroups: number): Column {
    const values: (string | null)[] = [];
    for (let g = 0; g < numGroups; g++) {
      const b = this.best[g];
      values.push(b === undefined ? null : utf8Decoder.decode(b));
    }
    return stringColumnFromValues(values);
  }

  memoryBytes(): number {
    return this.bytesHeld + this.best.length * 48;
  }
}

class BooleanExtremum implements GroupedAccumulator {
  private best: Uint8Array = new Uint8Array(0);
  private seen: Uint8Array = new Uint8Array(0);
  constructor(private readonly isMax: boolean) {}

  update(args: readonly Column[], groupIds: Int32Array, rows: number, numGroups: number, mask: Uint8Array | null): void {
    this.best = growUint8(this.best, numGroups);
    this.seen = growUint8(this.seen, numGroups);
    const col = args[0]!;
    const valid = validity(col);
    const v = col.values as Uint8Array;
    for (let i = 0; i < rows; i++) {
      if (!included(mask, valid, i)) continue;
      const g = groupIds[i]!;
      const x = getBit(v, i) ? 1 : 0;
      if (this.seen[g] === 0 || (this.isMax ? x > this.best[g]! : x < this.best[g]!)) this.best[g] = x;
      this.seen[g] = 1;
    }
  }

  finish(numGroups: number): Column {
    const values: Scalar[] = [];
    for (let g = 0; g < numGroups; g++) values.push(this.seen[g] === 1 ? this.best[g] === 1 : null);
    return columnFromScalars({ kind: 'boolean' }, values);
  }

  memoryBytes(): number {
    return this.best.byteLength * 2;
  }
}

function extremum(name: 'min' | 'max'): AggregateFunction {
  const isMax = name === 'max';
  return {
    kind: 'aggregate',
    name,
    docs: [doc('T', 'T', `The ${isMax ? 'largest' : 'smallest'} non-NULL value`)],
    resolve(argTypes) {
      if (argTypes.length !== 1) return undefined;
      const t = argTypes[0]!;
      const create = (): GroupedAccumulator =>
        t.kind === 'varchar' ? new StringExtremum(isMax) : t.kind === 'boolean' ? new BooleanExtremum(isMax) : new NumericExtremum(t, isMax);
      if (t.kind === 'unknown') return { argTypes: [t], returnType: t, create: () => new NumericExtremum({ kind: 'double' }, isMax) };
      return { argTypes: [t], returnType: t, create };
    },
  };
}

export const minFunction = extremum('min');
export const maxFunction = extremum('max');
