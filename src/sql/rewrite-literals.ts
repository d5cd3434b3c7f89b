/**
 * Literal-shaped rewrites: numbers, typed literals (`DATE '…'`, `DECIMAL '1.5'`), intervals, type texts for
 * casts, and LIMIT/OFFSET/FETCH counts. All of them end up as placeholders whose value Shoal decoded itself.
 */
import { ShoalError } from '../common/index.js';
import type { Literal } from './ast.js';
import { intervalUnit } from './keywords.js';
import type { Rewriter } from './rewrite.js';
import type { Tokens } from './tokens.js';

/** Trino's literal typing by text: digits only → integer, with an exponent → double, else decimal. */
export function numberLiteral(text: string): Literal {
  if (/^\d+$/.test(text)) return { type: 'integer', text };
  if (/[eE]/.test(text)) return { type: 'double', text };
  return { type: 'decimal', text };
}

/** `TYPE 'text'` at i (the caller checked that a string follows). */
export function emitTypedLiteral(rw: Rewriter, i: number): number {
  const ts = rw.ts;
  const str = ts.tok(i + 1);
  if (str === undefined) throw rw.errorAt(i + 1);
  let typeName = ts.kw(i);
  if (typeName === 'numeric') typeName = 'decimal';
  rw.literal({ type: 'typed', typeName, value: str.value }, ts.start(i), str.end);
  return i + 2;
}

/**
 * `INTERVAL [+|-] 'text' [unit [TO unit]]` at i; returns i when the tokens do not form an interval literal
 * (then `interval` is an ordinary name).
 */
export function emitInterval(rw: Rewriter, i: number): number {
  const ts = rw.ts;
  let j = i + 1;
  let negative = false;
  if (ts.isOp(j, '-') || ts.isOp(j, '+')) {
    negative = ts.isOp(j, '-');
    j++;
  }
  const v = ts.tok(j);
  if (v === undefined || (v.kind !== 'string' && v.kind !== 'number')) return i;
  j++;
  const from = intervalUnit(ts.kw(j));
  if (v.kind === 'number' && from === undefined) return i;
  let to: string | undefined;
  if (from !== undefined) {
    j++;
    if (ts.isKw(j, 'to')) {
      to = intervalUnit(ts.kw(j + 1));
      if (to === undefined) throw rw.errorAt(j + 1, 'Expected an interval unit after TO (YEAR, MONTH, DAY, HOUR, MINUTE or SECOND)');
      j += 2;
    }
  }
  rw.literal({ type: 'interval', value: v.kind === 'string' ? v.value : v.text, negative, from, to }, ts.start(i), ts.end(j - 1));
  return j;
}

/** The end (exclusive) of a type name starting at i after `::`. */
export function typeExtent(ts: Tokens, i: number, to: number): number {
  let j = i;
  if (!ts.isName(j) || j >= to) return j;
  j++;
  while (ts.isKw(j, 'precision', 'varying')) j++;
  if (ts.isOp(j, '(')) j = ts.match(j) + 1;
  if (ts.isKw(j, 'with', 'without') && ts.isKw(j + 1, 'time') && ts.isKw(j + 2, 'zone')) j += 3;
  return Math.min(j, to);
}

/** Normalized text of the type in tokens [from, to): lower-case words, `decimal(10,2)`, `timestamp(3) with time zone`. */
export function typeText(ts: Tokens, from: number, to: number): string {
  let s = '';
  let prevWordish = false;
  for (let k = from; k < to; k++) {
    const t = ts.tok(k);
    if (t === undefined) break;
    const wordish = t.kind === 'word' || t.kind === 'qident' || t.kind === 'number' || t.kind === 'string';
    if (wordish && prevWordish) s += ' ';
    if (!wordish && t.text !== '(' && t.text !== ')' && t.text !== ',' && s !== '') s += ' ';
    s += t.kind === 'word' ? t.text.toLowerCase() : t.text;
    prevWordish = wordish || t.text === ')';
  }
  return s;
}

/** `LIMIT n`, `LIMIT ALL`, `OFFSET n [ROW|ROWS]` at i; returns i if the word is used as a name here. */
export function emitLimitOrOffset(rw: Rewriter, i: number): number {
  const ts = rw.ts;
  const isLimit = ts.kw(i) === 'limit';
  const n = ts.tok(i + 1);
  if (isLimit && ts.isKw(i + 1, 'all')) return i + 2;
  if (n === undefined || n.kind !== 'number') return i;
  rw.copy(i);
  rw.limitLiteral(countLiteral(rw, i + 1), n.start, n.end);
  let j = i + 2;
  if (!isLimit && ts.isKw(j, 'row', 'rows')) j++;
  return j;
}

/** `FETCH FIRST|NEXT [n] ROW|ROWS ONLY` at i becomes `LIMIT n`. */
export function emitFetch(rw: Rewriter, i: number, to: number): number {
  const ts = rw.ts;
  let j = i + 2;
  let count: Literal = { type: 'integer', text: '1' };
  let cs = ts.start(i + 1);
  let ce = ts.end(i + 1);
  const n = ts.tok(j);
  if (n !== undefined && n.kind === 'number') {
    count = countLiteral(rw, j);
    cs = n.start;
    ce = n.end;
    j++;
  }
  if (!ts.isKw(j, 'row', 'rows')) throw rw.errorAt(j, 'Expected FETCH FIRST n ROWS ONLY');
  j++;
  if (ts.isKw(j, 'with') && ts.isKw(j + 1, 'ties')) {
    throw new ShoalError('NOT_SUPPORTED', 'FETCH ... WITH TIES is not supported', { span: ts.spanOf(i, j + 1), hint: 'Use FETCH FIRST n ROWS ONLY or LIMIT n' });
  }
  if (!ts.isKw(j, 'only') || j >= to) throw rw.errorAt(j, 'Expected FETCH FIRST n ROWS ONLY');
  rw.synthSpan('LIMIT', ts.start(i), ts.end(j));
  rw.limitLiteral(count, cs, ce);
  return j + 1;
}

function countLiteral(rw: Rewriter, i: number): Literal {
  const t = rw.ts.tok(i);
  if (t === undefined) throw rw.errorAt(i);
  return numberLiteral(t.text);
}
