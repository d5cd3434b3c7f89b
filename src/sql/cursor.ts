/**
 * A small recursive-descent cursor over a statement's tokens, for the statement router. Errors it raises are
 * SYNTAX_ERRORs on the offending token (or at the end of the statement).
 */
import type { ShoalError } from '../common/index.js';
import type { Identifier, QualifiedName } from './ast.js';
import { RESERVED } from './keywords.js';
import { syntaxAt } from './pipeline.js';
import { coverSpans } from './source.js';
import type { Tokens } from './tokens.js';

export class Cursor {
  readonly ts: Tokens;
  i: number;
  readonly to: number;

  constructor(ts: Tokens, from: number, to: number) {
    this.ts = ts;
    this.i = from;
    this.to = to;
  }

  atEnd(): boolean {
    return this.i >= this.to;
  }

  kw(offset = 0): string {
    return this.i + offset < this.to ? this.ts.kw(this.i + offset) : '';
  }

  isOp(op: string, offset = 0): boolean {
    return this.i + offset < this.to && this.ts.isOp(this.i + offset, op);
  }

  /** Consumes the keyword sequence if it is next. */
  accept(...words: string[]): boolean {
    for (let k = 0; k < words.length; k++) if (this.kw(k) !== words[k]) return false;
    this.i += words.length;
    return true;
  }

  expect(word: string, hint?: string): void {
    if (!this.accept(word)) throw this.error(hint ?? `Expected ${word.toUpperCase()}`);
  }

  acceptOp(op: string): boolean {
    if (!this.isOp(op)) return false;
    this.i++;
    return true;
  }

  expectOp(op: string, hint?: string): void {
    if (!this.acceptOp(op)) throw this.error(hint ?? `Expected '${op}'`);
  }

  /** A name: a quoted identifier, or a word that is not reserved. */
  name(what = 'a name'): Identifier {
    const t = this.ts.tok(this.i);
    if (this.atEnd() || t === undefined) throw this.error(`Expected ${what}`);
    if (t.kind === 'qident') {
      this.i++;
      return { value: t.value, quoted: true, span: this.ts.spanOf(this.i - 1, this.i - 1) };
    }
    if (t.kind === 'word') {
      if (RESERVED.has(t.text.toLowerCase())) throw this.error(`'${t.text}' is a reserved word; write "${t.text}" to use it as ${what}`);
      this.i++;
      return { value: t.text.toLowerCase(), quoted: false, span: this.ts.spanOf(this.i - 1, this.i - 1) };
    }
    throw this.error(`Expected ${what}`);
  }

  qualifiedName(what = 'a name', maxParts = 4): QualifiedName {
    const parts = [this.name(what)];
    while (this.isOp('.')) {
      this.i++;
      parts.push(this.name(what));
    }
    if (parts.length > maxParts) throw this.errorAt(this.ts.indexAt(parts[maxParts]?.span.start.offset ?? 0), `Expected at most ${maxParts} name parts`);
    return { parts, span: coverSpans(parts.map((p) => p.span)) ?? this.ts.spanOf(this.i - 1, this.i - 1) };
  }

  /** A single-quoted string literal's value. */
  string(what = 'a string literal'): string {
    const t = this.ts.tok(this.i);
    if (this.atEnd() || t === undefined || t.kind !== 'string') throw this.error(`Expected ${what}`);
    this.i++;
    return t.value;
  }

  /** Index of the matching bracket of the `(` at the cursor. */
  matchHere(): number {
    return this.ts.match(this.i);
  }

  expectEnd(hint?: string): void {
    if (!this.atEnd()) throw this.error(hint ?? 'Expected the end of the statement');
  }

  error(hint?: string): ShoalError {
    return syntaxAt(this.ts, this.i, this.to, hint);
  }

  errorAt(k: number, hint?: string): ShoalError {
    return syntaxAt(this.ts, k, this.to, hint);
  }
}
