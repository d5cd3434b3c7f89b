/**
 * varchar into Utf8 (Int32 offsets + bytes) or, for low-cardinality columns, Dictionary<Int32, Utf8>.
 *
 * Bytes are copied straight from the file; doubled quotes are collapsed; every value is checked to be valid
 * UTF-8 (a dictionary checks each distinct value once). A column starts each batch dictionary-encoded and falls
 * back to plain Utf8 for the rest of the file as soon as it has more than 1024 distinct values making up more
 * than half its rows, or more than 65536. A declared varchar(n) length is not enforced.
 */
import { ShoalError } from '../../../common/index.js';
import { isValidUtf8, makeDictionaryColumn, makeStringColumn, type Column } from '../../../types/index.js';
import { ESCAPED, isNullField, unescapeInto, type FieldBlock } from '../field-block.js';
import { invalidUtf8 } from '../csv-errors.js';
import { ByteDictionary } from './byte-dictionary.js';
import { ValidityBuilder, growArray, grownCapacity, initialCapacity, type ColumnDecoder, type DecodeContext } from './decoder.js';

const MAX_OFFSET = 0x7fffffff;
const DICT_MIN_GIVE_UP = 1024;
const DICT_MAX_ENTRIES = 65536;
/** Fields shorter than this are copied byte by byte (cheaper than a subarray and a set call). */
const SHORT_FIELD = 32;

export class StringDecoder implements ColumnDecoder {
  private n = 0;
  private cap: number;
  private readonly validity = new ValidityBuilder();
  /** Whether batches start dictionary-encoded; cleared for good once a batch gives up. */
  private preferDictionary: boolean;
  private dict: ByteDictionary | null = null;
  private indices: Int32Array | null = null;
  private offsets: Int32Array | null = null;
  private bytes: Uint8Array = new Uint8Array(0);
  private bytesHint = 64 * 1024;
  private pos = 0;
  private scratch: Uint8Array = new Uint8Array(256);

  constructor(private readonly ctx: DecodeContext, private readonly quote: number, dictionary: boolean) {
    this.cap = initialCapacity(ctx);
    this.preferDictionary = dictionary;
  }

  private ensureRows(rows: number): void {
    const first = this.dict === null && this.offsets === null;
    if (first) {
      this.cap = grownCapacity(this.cap, rows);
      if (this.preferDictionary) {
        this.dict = new ByteDictionary();
        this.indices = new Int32Array(this.cap);
      } else {
        this.startPlain();
      }
      return;
    }
    if (rows <= this.cap) return;
    this.cap = grownCapacity(this.cap, rows);
    if (this.indices !== null) this.indices = growArray(this.indices, this.cap, this.n);
    if (this.offsets !== null) this.offsets = growArray(this.offsets, this.cap + 1, this.n + 1);
    this.validity.grow(this.cap);
  }

  private startPlain(): void {
    this.offsets = new Int32Array(this.cap + 1);
    this.bytes = new Uint8Array(this.bytesHint);
    this.pos = 0;
  }

  private ensureBytes(needed: number): Uint8Array {
    if (needed > this.bytes.length) {
      if (needed > MAX_OFFSET) {
        throw new ShoalError('EXCEEDED_MEMORY_LIMIT', `${this.ctx.location}: column "${this.ctx.column}" holds more than 2 GiB of text in one batch`, {
          location: this.ctx.location, hint: 'Read the file with a smaller batch size',
        });
      }
      let cap = Math.max(this.bytes.length * 2, 1024);
      while (cap < needed) cap *= 2;
      const next = new Uint8Array(Math.min(cap, MAX_OFFSET));
      next.set(this.bytes.subarray(0, this.pos));
      this.bytes = next;
    }
    return this.bytes;
  }

  append(block: FieldBlock, col: number): void {
    this.ensureRows(this.n + block.rows);
    let r = 0;
    if (this.dict !== null) r = this.appendDictionary(block, col);
    if (r < block.rows) this.appendPlain(block, col, r);
  }

  /** Dictionary-encodes rows from 0; returns block.rows, or the row to continue from in plain mode. */
  private appendDictionary(block: FieldBlock, col: number): number {
    const dict = this.dict!, indices = this.indices!;
    const { buf, starts, ends, flags, ncols, rows } = block;
    const nullBytes = this.ctx.nullBytes;
    const nullLen = nullBytes.length;
    let n = this.n;
    for (let r = 0; r < rows; r++, n++) {
      const idx = r * ncols + col;
      let s = starts[idx]!, e = ends[idx]!;
      const f = flags[idx]!;
      if ((f !== 0 || e - s === nullLen) && isNullField(buf, s, e, f, nullBytes)) {
        this.validity.setNull(n, this.cap);
        indices[n] = 0;
        continue;
      }
      let src = buf;
      if ((f & ESCAPED) !== 0) {
        if (this.scratch.length < e - s) this.scratch = new Uint8Array(e - s);
        src = this.scratch;
        e = unescapeInto(buf, s, e, this.quote, src, 0);
        s = 0;
      }
      const before = dict.count;
      const id = dict.intern(src, s, e);
      indices[n] = id;
      if (dict.count !== before) {
        if (!isValidUtf8(src, s, e)) throw invalidUtf8(this.ctx.location, block.lines[r]!, this.ctx.column);
        if (dict.count > DICT_MAX_ENTRIES || (dict.count > DICT_MIN_GIVE_UP && dict.count * 2 > n + 1)) {
          this.n = n + 1;
          this.dictionaryToPlain();
          return r + 1;
        }
      }
    }
    this.n = n;
    return rows;
  }

  /** Rewrites the rows decoded so far as plain Utf8 and continues in plain mode (for the rest of the file). */
  private dictionaryToPlain(): void {
    const dict = this.dict!, indices = this.indices!;
    this.preferDictionary = false;
    this.dict = null;
    this.indices = null;
    this.offsets = new Int32Array(this.cap + 1);
    this.bytes = new Uint8Array(Math.max(this.bytesHint, 1024));
    this.pos = 0;
    const offsets = this.offsets;
    for (let i = 0; i < this.n; i++) {
      if (!this.validity.isNull(i)) {
        const v = dict.entry(indices[i]!);
        this.ensureBytes(this.pos + v.length).set(v, this.pos);
        this.pos += v.length;
      }
      offsets[i + 1] = this.pos;
    }
  }

  private appendPlain(block: FieldBlock, col: number, from: number): void {
    const offsets = this.offsets!;
    const { buf, starts, ends, flags, ncols, rows } = block;
    const nullBytes = this.ctx.nullBytes;
    const nullLen = nullBytes.length;
    let n = this.n;
    let pos = this.pos;
    let bytes = this.bytes;
    for (let r = from; r < rows; r++, n++) {
      const idx = r * ncols + col;
      const s = starts[idx]!, e = ends[idx]!, f = flags[idx]!;
      if ((f !== 0 || e - s === nullLen) && isNullField(buf, s, e, f, nullBytes)) {
        this.validity.setNull(n, this.cap);
        offsets[n + 1] = pos;
        continue;
      }
      const len = e - s;
      if (pos + len > bytes.length) {
        this.pos = pos;
        bytes = this.ensureBytes(pos + len);
      }
      let ok: boolean;
      if ((f & ESCAPED) !== 0) {
        const w = unescapeInto(buf, s, e, this.quote, bytes, pos);
        ok = isValidUtf8(bytes, pos, pos + w);
        pos += w;
      } else if (len < SHORT_FIELD) {
        let acc = 0;
        for (let k = 0; k < len; k++) {
          const b = buf[s + k]!;
          bytes[pos + k] = b;
          acc |= b;
        }
        ok = acc < 0x80 || isValidUtf8(bytes, pos, pos + len);
        pos += len;
      } else {
        bytes.set(buf.subarray(s, e), pos);
        ok = isValidUtf8(bytes, pos, pos + len);
        pos += len;
      }
      if (!ok) throw invalidUtf8(this.ctx.location, block.lines[r]!, this.ctx.column);
      offsets[n + 1] = pos;
    }
    this.n = n;
    this.pos = pos;
  }

  finish(): Column {
    const n = this.n;
    this.ensureRows(n);
    const valid = this.validity.finish(n);
    let col: Column;
    if (this.dict !== null && this.dict.count > 0) {
      col = makeDictionaryColumn(n, this.indices!.subarray(0, n), this.dict.toColumn(), valid);
    } else if (this.dict !== null) {
      // Every value NULL (or no rows): a plain column of empty strings.
      col = makeStringColumn(n, new Int32Array(n + 1), new Uint8Array(0), valid);
    } else {
      col = makeStringColumn(n, this.offsets!.subarray(0, n + 1), this.bytes.subarray(0, this.pos), valid);
      this.bytesHint = Math.max(1024, Math.min(this.pos, 64 * 1024 * 1024));
    }
    this.n = 0;
    this.pos = 0;
    this.dict = null;
    this.indices = null;
    this.offsets = null;
    this.bytes = new Uint8Array(0);
    return col;
  }
}
