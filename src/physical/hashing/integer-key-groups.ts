import { clearBit, getBit, makeColumn, newBitmap, validity, type Column, type SqlType } from '../../types/index.js';
import { GroupTable } from './group-table.js';
import { integerKeyWidth, integerKeyWords } from './integer-key.js';

/**
 * Grouping by one integer-like key (integer kinds, dates, timestamps, intervals): the table hashes the column's
 * own words (one or two per row, see integerKeyWords) with no encoding and no NULL word; NULL rows share one
 * group of their own, made when the first one appears.
 */
export class IntegerKeyGroups {
  readonly table: GroupTable;
  private nullGroup = -1;

  constructor(private readonly type: SqlType) {
    this.table = new GroupTable(integerKeyWidth(type));
  }

  /** Whether `type` can be grouped this way. */
  static handles(type: SqlType): boolean {
    return integerKeyWidth(type) > 0;
  }

  get size(): number {
    return this.table.size;
  }

  memoryBytes(): number {
    return this.table.memoryBytes();
  }

  /** Group ids of `n` rows of `col` (new keys get new ids). */
  groupIds(col: Column, n: number, out: Int32Array): void {
    const W = this.table.width;
    const words = integerKeyWords(col, this.type, n);
    const valid = validity(col);
    if (valid === null) {
      this.table.findOrInsert(words, n, out);
      return;
    }
    // Non-NULL rows go through the table together; NULL rows take the NULL group.
    const rows = new Int32Array(n);
    let m = 0;
    for (let i = 0; i < n; i++) if (getBit(valid, i)) rows[m++] = i;
    const packed = new Int32Array(m * W);
    for (let j = 0; j < m; j++) for (let k = 0; k < W; k++) packed[j * W + k] = words[rows[j]! * W + k]!;
    const ids = new Int32Array(m);
    this.table.findOrInsert(packed, m, ids);
    out.fill(-1, 0, n);
    for (let j = 0; j < m; j++) out[rows[j]!] = ids[j]!;
    for (let i = 0; i < n; i++) {
      if (out[i] !== -1) continue;
      if (this.nullGroup < 0) this.nullGroup = this.table.reserveId();
      out[i] = this.nullGroup;
    }
  }

  /** Group ids of `n` rows of `col` that already have a group, -1 elsewhere; inserts nothing (spilling lookups). */
  lookup(col: Column, n: number, out: Int32Array): void {
    this.table.find(integerKeyWords(col, this.type, n), n, out);
    const valid = validity(col);
    if (valid === null) return;
    for (let i = 0; i < n; i++) if (!getBit(valid, i)) out[i] = this.nullGroup;
  }

  /** The key column of groups 0..size-1. */
  decode(): Column {
    const n = this.table.size;
    const stored = this.table.storedKeys();
    let valid: Uint8Array | null = null;
    if (this.nullGroup >= 0) {
      valid = newBitmap(n, true);
      clearBit(valid, this.nullGroup);
    }
    const t = this.type;
    if (this.table.width === 2) return makeColumn(t, n, new BigInt64Array(stored.buffer, 0, n), valid);
    const Ctor = t.kind === 'tinyint' ? Int8Array : t.kind === 'smallint' ? Int16Array : Int32Array;
    return makeColumn(t, n, Ctor.from(stored), valid);
  }
}
