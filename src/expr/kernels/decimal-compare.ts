import { TWO_32, decimalAt } from '../../types/index.js';

type PlainOp = '=' | '<>' | '<' | '<=' | '>' | '>=';

/**
 * A decimal column (unscaled Decimal128 words) compared with a constant that is a safe integer at the column's
 * scale, straight from the words: no double view is allocated, and the operator becomes an integer range
 * [lo, hi] (negated for <>), so the loop has no per-row dispatch. Rows past 2^53 compare through BigInt.
 * Sets bit i of `out` where the comparison holds (NULL rows too: the caller applies validity).
 */
export function compareDecimalWordsScalar(op: PlainOp, words: Uint32Array, n: number, s: number, out: Uint8Array): void {
  let lo = -Infinity, hi = Infinity, negate = false;
  switch (op) {
    case '=': lo = s; hi = s; break;
    case '<>': lo = s; hi = s; negate = true; break;
    case '<': hi = s - 1; break;
    case '<=': hi = s; break;
    case '>': lo = s + 1; break;
    case '>=': lo = s; break;
  }
  if (!compareFast(words, n, lo, hi, negate, out)) {
    out.fill(0);
    compareAnyWidth(words, n, lo, hi, negate, out);
  }
}

/**
 * Branch-free over 8 rows per output byte (a filter's outcome is data-dependent, so branches mispredict).
 * Returns false, with `out` partly written, when some row is past 2^53.
 */
function compareFast(words: Uint32Array, n: number, lo: number, hi: number, negate: boolean, out: Uint8Array): boolean {
  const signed = new Int32Array(words.buffer, words.byteOffset, 4 * n);
  const neg = negate ? 1 : 0;
  let bad = 0;
  const full = n >>> 3;
  for (let k = 0; k < full; k++) {
    let byte = 0;
    for (let j = 0, o = 32 * k; j < 8; j++, o += 4) {
      const h = signed[o + 1]!;
      const ext = h >> 31;
      // Non-zero unless the upper words sign-extend h and |h| < 2^21 (|value| < 2^53).
      bad |= (signed[o + 2]! ^ ext) | (signed[o + 3]! ^ ext) | ((h + 0x200000) >>> 22);
      const v = h * TWO_32 + words[o]!;
      byte |= ((Number(v >= lo) & Number(v <= hi)) ^ neg) << j;
    }
    out[k] = byte;
  }
  for (let i = full << 3, o = 4 * i; i < n; i++, o += 4) {
    const h = signed[o + 1]!;
    const ext = h >> 31;
    bad |= (signed[o + 2]! ^ ext) | (signed[o + 3]! ^ ext) | ((h + 0x200000) >>> 22);
    const v = h * TWO_32 + words[o]!;
    out[i >>> 3]! |= ((Number(v >= lo) & Number(v <= hi)) ^ neg) << (i & 7);
  }
  return bad === 0;
}

/** Any Decimal128 values: doubles where exact, BigInt for rows past 2^53. */
function compareAnyWidth(words: Uint32Array, n: number, lo: number, hi: number, negate: boolean, out: Uint8Array): void {
  const signed = new Int32Array(words.buffer, words.byteOffset, 4 * n);
  for (let i = 0, o = 0; i < n; i++, o += 4) {
    const h = signed[o + 1]!;
    const ext = h >> 31;
    let inside: boolean;
    if (h < 0x200000 && h >= -0x200000 && signed[o + 2] === ext && signed[o + 3] === ext) {
      const v = h * TWO_32 + words[o]!;
      inside = v >= lo && v <= hi;
    } else {
      const v = decimalAt(words, i);
      inside = (lo === -Infinity || v >= BigInt(lo)) && (hi === Infinity || v <= BigInt(hi));
    }
    if (inside !== negate) out[i >>> 3]! |= 1 << (i & 7);
  }
}
