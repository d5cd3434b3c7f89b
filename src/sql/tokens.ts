/**
 * The tokens of one statement with bracket matching and small lookups. Indexes are positions in `list`;
 * offsets are offsets into the whole script. Built only from a lex result without problems, and only after
 * brackets were checked to balance (see `Tokens.create`).
 */
import type { SourceSpan } from '../common/index.js';
import type { Token } from './lexer.js';
import { syntaxError } from './syntax-error.js';
import type { SourceText } from './source.js';

const OPEN: Record<string, string> = { '(': ')', '[': ']' };

export class Tokens {
  readonly src: SourceText;
  readonly list: readonly Token[];
  /** match[i] is the index of the bracket matching the bracket at i, or -1. */
  private readonly matchIdx: Int32Array;
  /** Nesting depth of brackets before token i. */
  readonly depth: Int32Array;

  private constructor(src: SourceText, list: readonly Token[], matchIdx: Int32Array, depth: Int32Array) {
    this.src = src;
    this.list = list;
    this.matchIdx = matchIdx;
    this.depth = depth;
  }

  /** Throws SYNTAX_ERROR at the first unbalanced bracket. */
  static create(src: SourceText, list: readonly Token[]): Tokens {
    const matchIdx = new Int32Array(list.length).fill(-1);
    const depth = new Int32Array(list.length + 1);
    const stack: number[] = [];
    for (let i = 0; i < list.length; i++) {
      depth[i] = stack.length;
      const t = list[i];
      if (t === undefined || t.kind !== 'op') continue;
      if (t.text === '(' || t.text === '[') {
        stack.push(i);
      } else if (t.text === ')' || t.text === ']') {
        const open = stack.pop();
        const ot = open === undefined ? undefined : list[open];
        if (open === undefined || ot === undefined || OPEN[ot.text] !== t.text) {
          throw syntaxError(src, t.start, t.end, `Syntax error at or near '${t.text}'`, 'Unbalanced parenthesis: there is no matching opening bracket');
        }
        matchIdx[open] = i;
        matchIdx[i] = open;
      }
    }
    depth[list.length] = stack.length;
    const unclosed = stack[stack.length - 1];
    if (unclosed !== undefined) {
      const t = list[unclosed];
      const end = list[list.length - 1];
      if (t !== undefined && end !== undefined) {
        throw syntaxError(src, end.end, end.end, 'Syntax error at end of input', `Unbalanced parenthesis: the '${t.text}' at line ${src.position(t.start).line}, column ${src.position(t.start).column} is never closed`);
      }
    }
    return new Tokens(src, list, matchIdx, depth);
  }

  get length(): number {
    return this.list.length;
  }

  tok(i: number): Token | undefined {
    return this.list[i];
  }

  /** Lower-cased text of a bare word, '' for anything else (so keyword checks never match quoted names). */
  kw(i: number): string {
    const t = this.list[i];
    return t !== undefined && t.kind === 'word' ? t.text.toLowerCase() : '';
  }

  isKw(i: number, ...words: string[]): boolean {
    const k = this.kw(i);
    return k !== '' && words.includes(k);
  }

  isOp(i: number, op: string): boolean {
    const t = this.list[i];
    return t !== undefined && t.kind === 'op' && t.text === op;
  }

  isName(i: number): boolean {
    const t = this.list[i];
    return t !== undefined && (t.kind === 'word' || t.kind === 'qident');
  }

  match(i: number): number {
    return this.matchIdx[i] ?? -1;
  }

  /** Offsets of token i; an index past the end maps to the end of the last token. */
  start(i: number): number {
    const t = this.list[i];
    if (t !== undefined) return t.start;
    const last = this.list[this.list.length - 1];
    return last === undefined ? 0 : last.end;
  }

  end(i: number): number {
    const t = this.list[i];
    if (t !== undefined) return t.end;
    const last = this.list[this.list.length - 1];
    return last === undefined ? 0 : last.end;
  }

  /** Span of tokens [a, b] inclusive. */
  spanOf(a: number, b: number): SourceSpan {
    return this.src.span(this.start(a), this.end(b));
  }

  /** Index of the first token whose end is after `offset` (the token at or after it); `length` if none. */
  indexAt(offset: number): number {
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const t = this.list[mid];
      if (t !== undefined && t.end <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Index of the first token at depth 0 relative to `from` in [from, to) for which `pred` holds; `to` if none.
   * Brackets are skipped as a whole.
   */
  findTop(from: number, to: number, pred: (i: number) => boolean): number {
    let i = from;
    while (i < to) {
      if (pred(i)) return i;
      const m = this.isOp(i, '(') || this.isOp(i, '[') ? this.match(i) : -1;
      i = m > i ? m + 1 : i + 1;
    }
    return to;
  }

  /** Splits [from, to) on top-level commas into [start, end) ranges (an empty range yields one empty part). */
  splitTop(from: number, to: number, isSep: (i: number) => boolean = (i) => this.isOp(i, ',')): [number, number][] {
    const parts: [number, number][] = [];
    let start = from;
    for (;;) {
      const sep = this.findTop(start, to, isSep);
      parts.push([start, sep]);
      if (sep >= to) break;
      start = sep + 1;
    }
    return parts;
  }
}
