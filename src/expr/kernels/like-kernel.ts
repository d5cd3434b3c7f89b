import { ShoalError, type SourceSpan } from '../../common/index.js';
import { BOOLEAN, makeColumn, newBitmap, setBit, utf8Decoder, utf8Encoder, validity, type Column } from '../../types/index.js';
import { stringAccess } from './string-access.js';

/**
 * A compiled LIKE pattern. Common shapes (`abc`, `abc%`, `%abc`, `%abc%`) match on UTF-8 bytes directly;
 * others go through a RegExp on the decoded string. `_` matches one character (code point), not one byte.
 */
export interface LikeMatcher {
  matchBytes(bytes: Uint8Array, start: number, end: number): boolean;
}

export function compileLike(pattern: string, escape: string | undefined, caseInsensitive: boolean, span?: SourceSpan): LikeMatcher {
  if (escape !== undefined && [...escape].length !== 1) {
    throw new ShoalError('INVALID_FUNCTION_ARGUMENT', 'Escape string must be a single character', { span });
  }
  // Tokenize into literal runs and wildcards.
  const parts: ({ kind: 'lit'; text: string } | { kind: 'any' } | { kind: 'one' })[] = [];
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

  if (!caseInsensitive && parts.every((p) => p.kind !== 'one')) {
    const lits = parts.filter((p): p is { kind: 'lit'; text: string } => p.kind === 'lit');
    const startsAny = parts[0]?.kind === 'any';
    const endsAny = parts[parts.length - 1]?.kind === 'any';
    // Only '%' wildcards (or an empty pattern, which matches only the empty string).
    if (lits.length === 0) return { matchBytes: (_b, s, e) => parts.length > 0 || e === s };
    if (lits.length === 1) {
      const needle = utf8Encoder.encode(lits[0]!.text);
      if (!startsAny && !endsAny) return { matchBytes: (b, s, e) => e - s === needle.length && startsWithAt(b, s, e, needle) };
      if (!startsAny) return { matchBytes: (b, s, e) => startsWithAt(b, s, e, needle) };
      if (!endsAny) return { matchBytes: (b, s, e) => e - s >= needle.length && startsWithAt(b, e - needle.length, e, needle) };
      return { matchBytes: (b, s, e) => indexOfBytes(b, s, e, needle) >= 0 };
    }
  }
  const source = parts.map((p) => (p.kind === 'any' ? '.*' : p.kind === 'one' ? '.' : escapeRegExp(p.text))).join('');
  const re = new RegExp(`^${source}$`, caseInsensitive ? 'isu' : 'su');
  return { matchBytes: (b, s, e) => re.test(utf8Decoder.decode(b.subarray(s, e))) };
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
  const sa = stringAccess(col);
  const out = newBitmap(n);
  if (sa.codes !== null) {
    const entries = sa.offsets.length - 1;
    const verdict = new Uint8Array(entries);
    for (let k = 0; k < entries; k++) verdict[k] = m.matchBytes(sa.bytes, sa.offsets[k]!, sa.offsets[k + 1]!) !== negated ? 1 : 0;
    for (let i = 0; i < n; i++) if (verdict[sa.codes[i]!] === 1) setBit(out, i);
  } else {
    for (let i = 0; i < n; i++) if (m.matchBytes(sa.bytes, sa.offsets[i]!, sa.offsets[i + 1]!) !== negated) setBit(out, i);
  }
  const v = validity(col);
  return makeColumn(BOOLEAN, n, out, v === null ? null : v.slice());
}

