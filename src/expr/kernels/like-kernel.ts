import { ShoalError, type SourceSpan } from '../../common/index.js';
import { BOOLEAN, clearTail, makeColumn, newBitmap, setBit, utf8Decoder, utf8Encoder, validity, type Column } from '../../types/index.js';
import { stringAccess } from './string-access.js';

/**
 * A compiled LIKE pattern, matched on UTF-8 bytes without decoding; case-insensitive patterns go through a RegExp
 * on the decoded string. `_` matches one character (code point), not one byte.
 */
export interface LikeMatcher {
  matchBytes(bytes: Uint8Array, start: number, end: number): boolean;
  /**
   * Bytes every matching value contains when the pattern does not begin with a literal (`%abc%`, `%a%b`): a
   * column can then find candidate rows by searching its whole byte buffer. Null otherwise.
   */
  readonly required: Uint8Array | null;
}

type LikePart = { kind: 'lit'; text: string } | { kind: 'any' } | { kind: 'one' };

export function compileLike(pattern: string, escape: string | undefined, caseInsensitive: boolean, span?: SourceSpan): LikeMatcher {
  if (escape !== undefined && [...escape].length !== 1) {
    throw new ShoalError('INVALID_FUNCTION_ARGUMENT', 'Escape string must be a single character', { span });
  }
  // Tokenize into literal runs and wildcards.
  const parts: LikePart[] = [];
  let lit = '';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (escape !== undefined && c === escape) {
      const next = chars[i + 1];
      if (next !== '%' && next !== '_' && next !== escape) {
        throw new ShoalError('INVALID_FUNCTION_ARGUMENT', `Escape character must be followed by '%', '_' or the escape character in LIKE pattern '${pattern}'`, { span });
      }
      lit += next;
      i++;
    } else if (c === '%') {
      if (lit !== '') parts.push({ kind: 'lit', text: lit });
      lit = '';
      if (parts[parts.length - 1]?.kind !== 'any') parts.push({ kind: 'any' });
    } else if (c === '_') {
      if (lit !== '') parts.push({ kind: 'lit', text: lit });
      lit = '';
      parts.push({ kind: 'one' });
    } else lit += c;
  }
  if (lit !== '') parts.push({ kind: 'lit', text: lit });

  if (!caseInsensitive) return parts.every((p) => p.kind !== 'one') ? literalMatcher(parts) : segmentMatcher(parts);
  const source = parts.map((p) => (p.kind === 'any' ? '.*' : p.kind === 'one' ? '.' : escapeRegExp(p.text))).join('');
  const re = new RegExp(`^${source}$`, caseInsensitive ? 'isu' : 'su');
  return { matchBytes: (b, s, e) => re.test(utf8Decoder.decode(b.subarray(s, e))), required: null };
}

/** A matcher for a pattern of literals and `%` only (consecutive `%` already merged). */
function literalMatcher(parts: readonly LikePart[]): LikeMatcher {
  const lits = parts.flatMap((p) => (p.kind === 'lit' ? [utf8Encoder.encode(p.text)] : []));
  const startsAny = parts[0]?.kind === 'any';
  const endsAny = parts[parts.length - 1]?.kind === 'any';
  // Only '%' wildcards (or an empty pattern, which matches only the empty string).
  if (lits.length === 0) return { matchBytes: (_b, s, e) => parts.length > 0 || e === s, required: null };
  let longest = lits[0]!;
  for (const l of lits) if (l.length > longest.length) longest = l;
  const required = startsAny ? longest : null;
  if (lits.length === 1) {
    const needle = lits[0]!;
    if (!startsAny && !endsAny) return { matchBytes: (b, s, e) => e - s === needle.length && startsWithAt(b, s, e, needle), required };
    if (!startsAny) return { matchBytes: (b, s, e) => startsWithAt(b, s, e, needle), required };
    if (!endsAny) return { matchBytes: (b, s, e) => e - s >= needle.length && startsWithAt(b, e - needle.length, e, needle), required };
    return { matchBytes: (b, s, e) => indexOfBytes(b, s, e, needle) >= 0, required };
  }
  // Several literals: the first is a prefix unless the pattern starts with '%', the last a suffix unless it ends
  // with '%'; the ones between are found leftmost-first, each after the previous.
  const prefix = startsAny ? null : lits[0]!;
  const suffix = endsAny ? null : lits[lits.length - 1]!;
  const middle = lits.slice(prefix === null ? 0 : 1, suffix === null ? lits.length : lits.length - 1);
  return {
    required,
    matchBytes(b, s, e) {
      let lo = s, hi = e;
      if (prefix !== null) {
        if (!startsWithAt(b, lo, hi, prefix)) return false;
        lo += prefix.length;
      }
      if (suffix !== null) {
        if (hi - lo < suffix.length || !startsWithAt(b, hi - suffix.length, hi, suffix)) return false;
        hi -= suffix.length;
      }
      for (const m of middle) {
        const at = indexOfBytes(b, lo, hi, m);
        if (at < 0) return false;
        lo = at + m.length;
      }
      return true;
    },
  };
}

/** A piece of a pattern between two `%`: literal bytes and `_` (one code point, -1), in order. */
type Segment = readonly (Uint8Array | -1)[];

/** Byte length of the UTF-8 sequence that starts with byte `b` (values are valid UTF-8). */
function seqLength(b: number): number {
  return b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
}

/** End of segment `seg` matched at byte `p` within [p, hi), or -1. A segment spans a fixed number of code points. */
function matchForward(seg: Segment, b: Uint8Array, p: number, hi: number): number {
  for (const t of seg) {
    if (t === -1) {
      if (p >= hi) return -1;
      p += seqLength(b[p]!);
    } else {
      if (hi - p < t.length) return -1;
      for (let k = 0; k < t.length; k++) if (b[p + k] !== t[k]) return -1;
      p += t.length;
    }
  }
  return p <= hi ? p : -1;
}

/** Start of segment `seg` matched so that it ends exactly at byte `e`, not before `lo`, or -1. */
function matchBackward(seg: Segment, b: Uint8Array, lo: number, e: number): number {
  for (let x = seg.length - 1; x >= 0; x--) {
    const t = seg[x]!;
    if (t === -1) {
      if (e <= lo) return -1;
      e--;
      while (e > lo && (b[e]! & 0xc0) === 0x80) e--;
    } else {
      if (e - lo < t.length) return -1;
      const from = e - t.length;
      for (let k = 0; k < t.length; k++) if (b[from + k] !== t[k]) return -1;
      e = from;
    }
  }
  return e;
}

/**
 * A matcher for patterns with `_`: the `%`-separated segments each span a fixed number of code points, so the
 * first is matched at the start, the last backwards from the end, and each one between at the leftmost code point
 * boundary where it matches (leftmost leaves the most room for the rest, so the search is exact).
 */
function segmentMatcher(parts: readonly LikePart[]): LikeMatcher {
  const segments: (Uint8Array | -1)[][] = [[]];
  for (const p of parts) {
    if (p.kind === 'any') segments.push([]);
    else segments[segments.length - 1]!.push(p.kind === 'one' ? -1 : utf8Encoder.encode(p.text));
  }
  const lits = segments.flat().filter((t): t is Uint8Array => t !== -1);
  let longest: Uint8Array | null = null;
  for (const l of lits) if (longest === null || l.length > longest.length) longest = l;
  const first = segments[0]!, last = segments[segments.length - 1]!;
  const middle = segments.slice(1, -1).filter((g) => g.length > 0);
  const single = segments.length === 1;
  return {
    required: first.length === 0 ? longest : null,
    matchBytes(b, s, e) {
      if (single) return matchForward(first, b, s, e) === e;
      const hi = matchBackward(last, b, s, e);
      if (hi < 0) return false;
      let p = matchForward(first, b, s, hi);
      if (p < 0) return false;
      for (const g of middle) {
        let end = -1;
        while (p < hi && (end = matchForward(g, b, p, hi)) < 0) p += seqLength(b[p]!);
        if (end < 0) return false;
        p = end;
      }
      return true;
    },
  };
}

function startsWithAt(b: Uint8Array, s: number, e: number, needle: Uint8Array): boolean {
  if (e - s < needle.length) return false;
  for (let k = 0; k < needle.length; k++) if (b[s + k] !== needle[k]) return false;
  return true;
}

function indexOfBytes(b: Uint8Array, s: number, e: number, needle: Uint8Array): number {
  const last = e - needle.length;
  const first = needle[0]!;
  for (let i = s; i <= last; i++) {
    if (b[i] !== first) continue;
    let k = 1;
    while (k < needle.length && b[i + k] === needle[k]) k++;
    if (k === needle.length) return i;
  }
  return -1;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Applies a matcher to a varchar column (dictionary entries are matched once each). */
export function likeColumn(col: Column, m: LikeMatcher, negated: boolean): Column {
  const n = col.length;
  const { bytes, offsets, codes } = stringAccess(col);
  const out = newBitmap(n);
  if (codes !== null) {
    const entries = offsets.length - 1;
    const verdict = new Uint8Array(entries);
    for (let k = 0; k < entries; k++) verdict[k] = m.matchBytes(bytes, offsets[k]!, offsets[k + 1]!) ? 1 : 0;
    for (let i = 0; i < n; i++) if (verdict[codes[i]!] === 1) out[i >>> 3]! |= 1 << (i & 7);
  } else if (m.required !== null && m.required.length > 0 && n > 0) {
    markCandidates(bytes, offsets, n, m, out);
  } else {
    for (let i = 0; i < n; i++) if (m.matchBytes(bytes, offsets[i]!, offsets[i + 1]!)) out[i >>> 3]! |= 1 << (i & 7);
  }
  if (negated) {
    for (let k = 0; k < out.length; k++) out[k] = ~out[k]!;
    clearTail(out, n);
  }
  const v = validity(col);
  return makeColumn(BOOLEAN, n, out, v === null ? null : v.slice(0, out.length));
}

/**
 * Sets the bits of rows that match, visiting only rows that contain `m.required`: a native search over the
 * column's whole byte buffer skips rows that cannot match (most rows, for `%special%requests%`).
 */
function markCandidates(bytes: Uint8Array, offsets: Int32Array, n: number, m: LikeMatcher, out: Uint8Array): void {
  const needle = m.required!;
  const first = offsets[0]!, last = offsets[n]!;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let row = 0;
  let pos = buf.indexOf(needle, first);
  while (pos >= 0 && pos + needle.length <= last) {
    // The row that holds byte `pos` (rows are contiguous and ascending).
    while (offsets[row + 1]! <= pos) row++;
    const end = offsets[row + 1]!;
    if (pos + needle.length <= end) {
      if (m.matchBytes(bytes, offsets[row]!, end)) out[row >>> 3]! |= 1 << (row & 7);
      row++;
      if (row >= n) return;
      pos = buf.indexOf(needle, offsets[row]!);
    } else pos = buf.indexOf(needle, pos + 1);
  }
}
