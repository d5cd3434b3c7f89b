/**
 * What the adapter modules share: the placeholder tables, span computation (grammar locations mapped back to
 * the script, token navigation for nodes the grammar gives no location) and error constructors.
 */
import { internalError, ShoalError, type SourceSpan } from '../common/index.js';
import type { Expr, Identifier, Query } from './ast.js';
import { isNode, node, num, type Node } from './node.js';
import type { RewriteResult } from './rewrite.js';
import { coverSpans } from './source.js';
import { FRAME_BASE, LIMIT_BASE, TYPE_BASE, type FrameEntry, type FuncEntry, type IdentEntry, type LiteralEntry, type MetaEntry, type TypeEntry } from './tables.js';
import type { Tokens } from './tokens.js';

const IDENT_RE = /^__i(\d+)__$/;
const FUNC_RE = /^__f(\d+)__$/;
const LIT_RE = /^__s(\d+)__$/;
const META_RE = /^__m(\d+)__$/;
const SUBQUERY_RE = /^__q(\d+)__$/;

export class AdaptContext {
  readonly ts: Tokens;
  readonly rw: RewriteResult;
  /** Parses tokens [from, to) of the statement as one expression (used for window frame bounds). */
  readonly parseExprRange: (from: number, to: number) => Expr;
  /** Parses tokens [from, to) of the statement as a query (subqueries in expressions are parsed on their own). */
  readonly parseQueryRange: (from: number, to: number) => Query;
  private starCursor = 0;

  constructor(ts: Tokens, rw: RewriteResult, parseExprRange: (from: number, to: number) => Expr, parseQueryRange: (from: number, to: number) => Query) {
    this.ts = ts;
    this.rw = rw;
    this.parseExprRange = parseExprRange;
    this.parseQueryRange = parseQueryRange;
  }

  /** The subquery for a `'__qN__'` placeholder value, parsed now; undefined if the value is not one. */
  subquery(value: unknown): { query: Query; span: SourceSpan } | undefined {
    const m = typeof value === 'string' ? SUBQUERY_RE.exec(value) : null;
    const entry = m === null ? undefined : this.rw.tables.subqueries[Number(m[1])];
    if (entry === undefined) return undefined;
    return { query: this.parseQueryRange(entry.from, entry.to), span: entry.span };
  }

  /** A `'__qN__'` literal node's subquery. */
  subqueryNode(n: unknown): { query: Query; span: SourceSpan } | undefined {
    return isNode(n) && n['type'] === 'single_quote_string' ? this.subquery(n['value']) : undefined;
  }

  // ---- placeholders ----------------------------------------------------------------------------------------

  ident(name: unknown): IdentEntry | undefined {
    const v = placeholderText(name);
    const m = v === undefined ? null : IDENT_RE.exec(v);
    return m === null ? undefined : this.rw.tables.idents[Number(m[1])];
  }

  /** An identifier placeholder that must be there; anything else is a syntax error at `near`. */
  requireIdent(name: unknown, near: SourceSpan | undefined, what = 'a name'): Identifier {
    const id = this.ident(name);
    if (id === undefined) throw this.syntaxNear(name, near, `Expected ${what}`);
    return { value: id.value, quoted: id.quoted, span: id.span };
  }

  /** The script span a placeholder text stands for (`__iN__`, `__fN__`, `__sN__`, `__qN__`), if it is one. */
  placeholderSpan(value: unknown): SourceSpan | undefined {
    const v = placeholderText(value);
    if (v === undefined) return undefined;
    const f = this.func(v);
    if (f !== undefined) return f.name.span;
    const sub = SUBQUERY_RE.exec(v);
    const entry = sub === null ? undefined : this.rw.tables.subqueries[Number(sub[1])];
    return this.ident(v)?.span ?? this.literal(v)?.span ?? entry?.span;
  }

  /**
   * "Syntax error at or near '…'" for something the grammar accepted in the wrong place: a placeholder (whose
   * text is known) or a keyword it read as a name (found among the tokens, near `near` when possible).
   */
  syntaxNear(value: unknown, near: SourceSpan | undefined, hint?: string): ShoalError {
    let span = this.placeholderSpan(value);
    const v = placeholderText(value);
    if (span === undefined && v !== undefined) {
      const from = near === undefined ? 0 : this.ts.indexAt(near.start.offset);
      for (let k = from; k < this.ts.length && span === undefined; k++) {
        if (this.ts.tok(k)?.text.toLowerCase() === v.toLowerCase()) span = this.ts.spanOf(k, k);
      }
    }
    span ??= near;
    const text = span === undefined ? undefined : this.ts.src.slice(span.start.offset, span.end.offset);
    const shown = text === undefined || text === '' ? undefined : text.length > 40 ? `${text.slice(0, 37)}...` : text;
    return this.syntax(shown === undefined ? 'Syntax error' : `Syntax error at or near '${shown}'`, span, hint);
  }

  func(name: unknown): FuncEntry | undefined {
    const v = placeholderText(name);
    const m = v === undefined ? null : FUNC_RE.exec(v);
    return m === null ? undefined : this.rw.tables.funcs[Number(m[1])];
  }

  literal(value: unknown): LiteralEntry | undefined {
    const m = typeof value === 'string' ? LIT_RE.exec(value) : null;
    return m === null ? undefined : this.rw.tables.literals[Number(m[1])];
  }

  meta(value: unknown): MetaEntry | undefined {
    const m = typeof value === 'string' ? META_RE.exec(value) : null;
    return m === null ? undefined : this.rw.tables.metas[Number(m[1])];
  }

  /** A `{type: 'single_quote_string', value: '__mN__'}` node's meta. */
  metaNode(n: unknown): MetaEntry | undefined {
    return isNode(n) && n['type'] === 'single_quote_string' ? this.meta(n['value']) : undefined;
  }

  type(target: Node): TypeEntry | undefined {
    const n = num(target, 'length');
    if (n === undefined || n < TYPE_BASE || n >= LIMIT_BASE) return undefined;
    return this.rw.tables.types[n - TYPE_BASE];
  }

  limitLiteral(n: unknown): LiteralEntry | undefined {
    if (!isNode(n) || n['type'] !== 'number') return undefined;
    const v = num(n, 'value');
    if (v === undefined || v < LIMIT_BASE || v >= FRAME_BASE) return undefined;
    return this.rw.tables.literals[v - LIMIT_BASE];
  }

  frame(text: string): FrameEntry | undefined {
    const m = /^(\d+) PRECEDING$/.exec(text);
    if (m === null) return undefined;
    const v = Number(m[1]);
    return v >= FRAME_BASE ? this.rw.tables.frames[v - FRAME_BASE] : undefined;
  }

  claimStar(): SourceSpan | undefined {
    return this.rw.stars[this.starCursor++];
  }

  // ---- spans -----------------------------------------------------------------------------------------------

  /** The script span of a node's `loc`, if the grammar gave one. */
  locSpan(n: Node): SourceSpan | undefined {
    const loc = node(n, 'loc');
    if (loc === undefined) return undefined;
    const s = node(loc, 'start');
    const e = node(loc, 'end');
    const so = s === undefined ? undefined : num(s, 'offset');
    const eo = e === undefined ? undefined : num(e, 'offset');
    if (so === undefined || eo === undefined) return undefined;
    const text = this.rw.rewritten;
    return this.ts.src.span(text.mapStart(so), text.mapEnd(eo));
  }

  cover(...spans: (SourceSpan | undefined)[]): SourceSpan {
    return coverSpans(spans) ?? this.statementSpan();
  }

  statementSpan(): SourceSpan {
    return this.ts.spanOf(0, Math.max(0, this.ts.length - 1));
  }

  private prevIndex(span: SourceSpan): number {
    return this.ts.indexAt(span.start.offset) - 1;
  }

  private nextIndex(span: SourceSpan): number {
    return this.ts.indexAt(span.end.offset);
  }

  /**
   * Extends `span` to the left to the nearest preceding keyword in `words`, passing over `(` and the words in
   * `skip`; unchanged if there is none.
   */
  leftTo(span: SourceSpan, words: readonly string[], skip: readonly string[] = []): SourceSpan {
    let k = this.prevIndex(span);
    while (k >= 0 && (this.ts.isOp(k, '(') || (skip.length > 0 && skip.includes(this.ts.kw(k))))) k--;
    if (k >= 0 && words.includes(this.ts.kw(k))) return this.balance(this.ts.src.span(this.ts.start(k), span.end.offset));
    return span;
  }

  /** Extends `span` to the left over one operator token (`-`, `+`). */
  leftOverOp(span: SourceSpan, ops: readonly string[]): SourceSpan {
    let k = this.prevIndex(span);
    while (k >= 0 && this.ts.isOp(k, '(')) k--;
    const t = this.ts.tok(k);
    if (t !== undefined && t.kind === 'op' && ops.includes(t.text)) return this.balance(this.ts.src.span(t.start, span.end.offset));
    return span;
  }

  /** Extends `span` to the right over following tokens while `accept` holds. */
  rightWhile(span: SourceSpan, accept: (i: number) => boolean): SourceSpan {
    let k = this.nextIndex(span);
    let end = span.end.offset;
    while (k < this.ts.length && accept(k)) {
      end = this.ts.end(k);
      k++;
    }
    return end === span.end.offset ? span : this.ts.src.span(span.start.offset, end);
  }

  /** Extends `span` to the keyword `word` that follows it (passing over `)`), e.g. CASE … END. */
  rightTo(span: SourceSpan, word: string): SourceSpan {
    let k = this.nextIndex(span);
    while (k < this.ts.length && this.ts.isOp(k, ')')) k++;
    if (this.ts.kw(k) === word) return this.balance(this.ts.src.span(span.start.offset, this.ts.end(k)));
    return span;
  }

  /** Extends `span` over the parentheses directly around it, if there are. */
  inParens(span: SourceSpan): SourceSpan {
    const p = this.prevIndex(span);
    const n = this.nextIndex(span);
    if (this.ts.isOp(p, '(') && this.ts.isOp(n, ')') && this.ts.match(p) === n) {
      return this.ts.src.span(this.ts.start(p), this.ts.end(n));
    }
    return span;
  }

  /** Extends a span so that the brackets inside it balance. */
  balance(span: SourceSpan): SourceSpan {
    const ts = this.ts;
    let a = ts.indexAt(span.start.offset);
    let b = ts.indexAt(span.end.offset) - 1;
    if (a > b || b < 0) return span;
    let changed = false;
    for (let guard = 0; guard < 1000; guard++) {
      const da = ts.depth[a] ?? 0;
      const db = ts.depth[b + 1] ?? 0;
      if (db > da && ts.isOp(b + 1, ')')) {
        b++;
        changed = true;
      } else if (da > db && ts.isOp(a - 1, '(')) {
        a--;
        changed = true;
      } else break;
    }
    return changed ? ts.src.span(ts.start(a), ts.end(b)) : span;
  }

  // ---- errors ----------------------------------------------------------------------------------------------

  unsupported(message: string, span: SourceSpan | undefined, hint?: string): ShoalError {
    return new ShoalError('NOT_SUPPORTED', message, { span: span ?? this.statementSpan(), hint });
  }

  syntax(message: string, span: SourceSpan | undefined, hint?: string): ShoalError {
    return new ShoalError('SYNTAX_ERROR', message, { span: span ?? this.statementSpan(), hint });
  }

  /** A node shape the adapter does not know: NOT_SUPPORTED with the best span available. */
  unknownNode(what: string, n: unknown, near?: SourceSpan): ShoalError {
    const span = isNode(n) ? (this.locSpan(n) ?? near) : near;
    return this.unsupported(`This ${what} is not supported`, span);
  }

  bug(message: string): ShoalError {
    return internalError(`SQL adapter: ${message}`);
  }
}

/** A name as the grammar returns it: a plain string, or `{type, value}`. */
export function placeholderText(name: unknown): string | undefined {
  if (typeof name === 'string') return name;
  if (isNode(name) && typeof name['value'] === 'string') return name['value'];
  return undefined;
}
