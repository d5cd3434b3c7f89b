/** Longest member, in UTF-8 bytes: a row's key is its first 8 bytes, read as two 32-bit words. */
const MAX_MEMBER_BYTES = 8;
/** Tables larger than this are not worth it; the caller keeps its general path. */
const MAX_SLOTS = 1024;
/** Odd multipliers tried in turn until the members land in distinct slots. */
const MULTIPLIERS = [0x9e3779b1, 0x85ebca6b, 0xc2b2ae35, 0x27d4eb2f, 0x165667b1, 0xd3a2646c, 0xfd7046c5, 0xb55a4f09];

/** KEEP0[len] / KEEP1[len]: the bits of the first / second word that hold a string of len bytes (len <= 8). */
const KEEP0 = new Int32Array(MAX_MEMBER_BYTES + 1);
const KEEP1 = new Int32Array(MAX_MEMBER_BYTES + 1);
for (let len = 0; len <= MAX_MEMBER_BYTES; len++) {
  const a = Math.min(len, 4), b = Math.max(len - 4, 0);
  KEEP0[len] = a === 4 ? -1 : (1 << (8 * a)) - 1;
  KEEP1[len] = b === 4 ? -1 : (1 << (8 * b)) - 1;
}

/** PACKED[0], PACKED[1]: what pack wrote last. */
const PACKED = new Int32Array(2);

/** The first min(len, 8) bytes at `start` as two little-endian words, the bytes past them zero, into PACKED. */
function pack(bytes: Uint8Array, start: number, len: number): void {
  let w0 = 0, w1 = 0;
  for (let k = 0; k < len && k < MAX_MEMBER_BYTES; k++) {
    if (k < 4) w0 |= bytes[start + k]! << (8 * k);
    else w1 |= bytes[start + k]! << (8 * (k - 4));
  }
  PACKED[0] = w0;
  PACKED[1] = w1;
}

function slotOf(w0: number, w1: number, len: number, mult: number, shift: number): number {
  return Math.imul(((w0 ^ Math.imul(w1, 0x27d4eb2f)) + len) | 0, mult) >>> shift;
}

/**
 * Membership of the rows of a plain (non-dictionary) varchar column in a set of short strings, each at most 8
 * UTF-8 bytes: `l_shipmode IN ('MAIL', 'SHIP')` (TPC-H q12). A row's first 8 bytes are read as two little-endian
 * words masked to its length, hashed into a table in which no two members share a slot, and compared with that
 * slot's member (length and both words), with no branch on the row's bytes. ByteStringSet's test, with its early
 * rejections by length and first byte, mispredicts on columns that mix lengths and first letters: on l_shipmode,
 * IN ('MAIL', 'SHIP') took ~15.5 ns a row that way against ~9.2 here in a warm loop, and q12's kernel time fell by
 * about 20% in place (its input arrives cold). Where the rejections are predictable (p_container's values against
 * l_shipmode's) the old test is faster (~5.3 ns); plain columns mostly hold mixed values. A single `=` literal
 * showed no gain in place (q19, q21) and keeps equalsLiteral. UTF-8 bytes are equal exactly when the strings are,
 * so the answer is the one a comparison of decoded strings gives. A row longer than 8 bytes never matches: its
 * length differs from every member's.
 */
export class ShortStringSet {
  private constructor(
    private readonly lengths: Int32Array,
    private readonly word0: Int32Array,
    private readonly word1: Int32Array,
    private readonly mult: number,
    private readonly shift: number,
  ) {}

  /** The set of `members` (duplicates allowed), or null when there are none, one is longer than 8 bytes or no table fits. */
  static of(members: readonly Uint8Array[]): ShortStringSet | null {
    if (members.length === 0 || members.some((m) => m.length > MAX_MEMBER_BYTES)) return null;
    const keys = members.map((m) => {
      pack(m, 0, m.length);
      return { w0: PACKED[0]!, w1: PACKED[1]!, len: m.length };
    });
    for (let size = 8, bits = 3; size <= MAX_SLOTS; size *= 2, bits++) {
      if (size < 2 * members.length) continue;
      for (const mult of MULTIPLIERS) {
        const lengths = new Int32Array(size).fill(-1), word0 = new Int32Array(size), word1 = new Int32Array(size);
        let fits = true;
        for (const { w0, w1, len } of keys) {
          const h = slotOf(w0, w1, len, mult, 32 - bits);
          if (lengths[h] === -1) {
            lengths[h] = len;
            word0[h] = w0;
            word1[h] = w1;
          } else if (lengths[h] !== len || word0[h] !== w0 || word1[h] !== w1) {
            fits = false;
            break;
          }
        }
        if (fits) return new ShortStringSet(lengths, word0, word1, mult, 32 - bits);
      }
    }
    return null;
  }

  /**
   * Writes bit i of `out` (a bitmap of at least n bits) as (row i is a member) === want, for the rows
   * bytes[offsets[i], offsets[i + 1]), i < n; the bits past n in the last byte are cleared. NULL rows get a bit like
   * any other: the caller applies validity.
   */
  markMembers(bytes: Uint8Array, offsets: Int32Array, n: number, want: boolean, out: Uint8Array): void {
    const { lengths, word0, word1, mult, shift } = this;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const flip = want ? 0 : 1;
    // Rows [0, wordRows) start at least 8 bytes before the end of the buffer: they are read as two words (the
    // few rows after them byte by byte; the branch is taken the same way until then).
    let wordRows = n;
    while (wordRows > 0 && offsets[wordRows - 1]! > bytes.length - MAX_MEMBER_BYTES) wordRows--;
    let acc = 0;
    let start = offsets[0]!;
    for (let i = 0; i < n; i++) {
      const end = offsets[i + 1]!;
      const len = end - start;
      let w0: number, w1: number;
      if (i < wordRows) {
        const clamped = Math.min(len, MAX_MEMBER_BYTES);
        w0 = view.getInt32(start, true) & KEEP0[clamped]!;
        w1 = view.getInt32(start + 4, true) & KEEP1[clamped]!;
      } else {
        pack(bytes, start, len);
        w0 = PACKED[0]!;
        w1 = PACKED[1]!;
      }
      const h = slotOf(w0, w1, len, mult, shift);
      const member = Number(lengths[h] === len) & Number(word0[h] === w0) & Number(word1[h] === w1);
      // Eight rows per output byte: row i ends at bit (i & 7) of byte i >>> 3.
      acc = (acc >>> 1) | ((member ^ flip) << 7);
      if ((i & 7) === 7) {
        out[i >>> 3] = acc;
        acc = 0;
      }
      start = end;
    }
    if ((n & 7) !== 0) out[n >>> 3] = acc >>> (8 - (n & 7));
  }
}
