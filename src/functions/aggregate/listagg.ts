import { VARCHAR, getBit, makeStringColumn, newBitmap, setBit, validity, type Column } from '../../types/index.js';
import { doc } from '../function.js';
import type { AggregateFunction, GroupedAccumulator } from '../function.js';
import { included } from './state.js';

/** Row i of a varchar column (plain or dictionary-encoded): its bytes and [start, end). */
function rowsOf(col: Column): { bytes: Uint8Array; offsets: Int32Array; codes: Int32Array | null } {
  const dict = col.dictionary?.data[0];
  const src = dict ?? col;
  return { bytes: src.values as Uint8Array, offsets: src.valueOffsets as Int32Array, codes: dict === undefined ? null : (col.values as Int32Array) };
}

/**
 * listagg(x, separator): the group's non-NULL values joined by the separator, in the order rows are fed (the
 * operator sorts them by WITHIN GROUP (ORDER BY …) first). Each group's text grows in one byte buffer.
 */
class ListaggAccumulator implements GroupedAccumulator {
  private buffers: (Uint8Array | undefined)[] = [];
  private lengths = new Int32Array(0);
  private held = 0;

  update(args: readonly Column[], groupIds: Int32Array, rows: number, numGroups: number, mask: Uint8Array | null): void {
    if (this.lengths.length < numGroups) {
      const l = new Int32Array(Math.max(numGroups, this.lengths.length * 2, 16));
      l.set(this.lengths);
      this.lengths = l;
    }
    const x = args[0]!;
    const valid = validity(x);
    const xs = rowsOf(x);
    const sepCol = args[1];
    const seps = sepCol === undefined ? null : rowsOf(sepCol);
    const sepValid = sepCol === undefined ? null : validity(sepCol);
    for (let i = 0; i < rows; i++) {
      if (!included(mask, valid, i)) continue;
      const g = groupIds[i]!;
      if (this.buffers[g] !== undefined && seps !== null && (sepValid === null || getBit(sepValid, i))) {
        const k = seps.codes === null ? i : seps.codes[i]!;
        this.append(g, seps.bytes, seps.offsets[k]!, seps.offsets[k + 1]!);
      }
      const k = xs.codes === null ? i : xs.codes[i]!;
      this.append(g, xs.bytes, xs.offsets[k]!, xs.offsets[k + 1]!);
    }
  }

  private append(g: number, bytes: Uint8Array, s: number, e: number): void {
    let buf = this.buffers[g];
    const len = this.lengths[g]!;
    const need = len + e - s;
    if (buf === undefined || buf.length < need) {
      const next = new Uint8Array(Math.max(need, (buf?.length ?? 0) * 2, 16));
      if (buf !== undefined) next.set(buf.subarray(0, len));
      this.held += next.length - (buf?.length ?? 0);
      buf = next;
      this.buffers[g] = buf;
    }
    buf.set(bytes.subarray(s, e), len);
    this.lengths[g] = need;
  }

  finish(numGroups: number): Column {
    const offsets = new Int32Array(numGroups + 1);
    const valid = newBitmap(numGroups);
    let total = 0, nulls = 0;
    for (let g = 0; g < numGroups; g++) {
      if (this.buffers[g] === undefined) nulls++;
      else {
        setBit(valid, g);
        total += this.lengths[g]!;
      }
      offsets[g + 1] = total;
    }
    const bytes = new Uint8Array(total);
    for (let g = 0; g < numGroups; g++) {
      const b = this.buffers[g];
      if (b !== undefined) bytes.set(b.subarray(0, this.lengths[g]!), offsets[g]!);
    }
    return makeStringColumn(numGroups, offsets, bytes, nulls === 0 ? null : valid);
  }

  memoryBytes(): number {
    return this.held + this.lengths.byteLength + this.buffers.length * 8;
  }
}

const isText = (k: string): boolean => k === 'varchar' || k === 'unknown';

export const listaggFunction: AggregateFunction = {
  kind: 'aggregate',
  name: 'listagg',
  docs: [
    doc('varchar', 'varchar', 'listagg(x) WITHIN GROUP (ORDER BY …): the non-NULL values joined in the given order; NULL when there is none'),
    doc('varchar, varchar', 'varchar', 'listagg(x, separator) WITHIN GROUP (ORDER BY …): the non-NULL values joined by the separator in the given order'),
  ],
  resolve(argTypes) {
    if (argTypes.length < 1 || argTypes.length > 2 || !argTypes.every((t) => isText(t.kind))) return undefined;
    return { argTypes: argTypes.map(() => VARCHAR), returnType: VARCHAR, create: () => new ListaggAccumulator() };
  },
};
