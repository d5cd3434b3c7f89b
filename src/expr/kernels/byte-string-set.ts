import { utf8Encoder } from '../../types/index.js';

/** Sets up to this size answer by comparing with each member; larger ones hash. */
const LINEAR_LIMIT = 4;

/**
 * A set of strings held as UTF-8 bytes that answers membership for a byte range without decoding it: what
 * `x IN ('MAIL', 'SHIP')` asks of every row of a plain varchar column. UTF-8 bytes are equal exactly when the
 * strings are, so the answer is the one a JS Set of decoded strings gives. Length and first-byte tables
 * reject most non-members before a comparison.
 */
export class ByteStringSet {
  private readonly bytes: Uint8Array;
  private readonly offsets: Int32Array;
  private readonly count: number;
  private readonly maxLength: number;
  /** lengthSeen[len] = 1 when some member has byte length len. */
  private readonly lengthSeen: Uint8Array;
  /** firstSeen[b] = 1 when some non-empty member starts with byte b. */
  private readonly firstSeen: Uint8Array;
  /** Open addressing over member index + 1 (0 = empty); empty when the set is small enough to scan. */
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(values: Iterable<string>) {
    const encoded = [...new Set(values)].map((v) => utf8Encoder.encode(v));
    this.count = encoded.length;
    this.offsets = new Int32Array(this.count + 1);
    let total = 0;
    let maxLength = 0;
    for (let k = 0; k < this.count; k++) {
      const len = encoded[k]!.length;
      total += len;
      this.offsets[k + 1] = total;
      if (len > maxLength) maxLength = len;
    }
    this.bytes = new Uint8Array(total);
    for (let k = 0; k < this.count; k++) this.bytes.set(encoded[k]!, this.offsets[k]!);
    this.maxLength = maxLength;
    this.lengthSeen = new Uint8Array(maxLength + 1);
    for (const e of encoded) this.lengthSeen[e.length] = 1;
    this.firstSeen = new Uint8Array(256);
    for (const e of encoded) if (e.length > 0) this.firstSeen[e[0]!] = 1;
    if (this.count <= LINEAR_LIMIT) {
      this.slots = new Int32Array(0);
      this.mask = 0;
    } else {
      let size = 8;
      while (size < this.count * 2) size *= 2;
      this.slots = new Int32Array(size);
      this.mask = size - 1;
      for (let k = 0; k < this.count; k++) {
        let h = hashBytes(this.bytes, this.offsets[k]!, this.offsets[k + 1]!) & this.mask;
        while (this.slots[h] !== 0) h = (h + 1) & this.mask;
        this.slots[h] = k + 1;
      }
    }
  }

  get size(): number {
    return this.count;
  }

  /** Whether bytes[start, end) is a member. */
  has(b: Uint8Array, start: number, end: number): boolean {
    const len = end - start;
    if (len > this.maxLength || this.lengthSeen[len] === 0 || (len > 0 && this.firstSeen[b[start]!] === 0)) return false;
    if (this.mask === 0) {
      for (let k = 0; k < this.count; k++) if (this.equalsMember(k, b, start, len)) return true;
      return false;
    }
    let h = hashBytes(b, start, end) & this.mask;
    for (;;) {
      const slot = this.slots[h]!;
      if (slot === 0) return false;
      if (this.equalsMember(slot - 1, b, start, len)) return true;
      h = (h + 1) & this.mask;
    }
  }

  private equalsMember(k: number, b: Uint8Array, start: number, len: number): boolean {
    const from = this.offsets[k]!;
    if (this.offsets[k + 1]! - from !== len) return false;
    const m = this.bytes;
    for (let i = 0; i < len; i++) if (m[from + i] !== b[start + i]) return false;
    return true;
  }
}

/** FNV-1a over a byte range. */
function hashBytes(b: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h >>> 0;
}
